from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest
import sqlalchemy as sa
from agent_relay.migrations import upgrade

from tests.support import fresh_database, postgres_admin_url


@pytest.mark.skipif(
    postgres_admin_url() is None, reason="needs PostgreSQL: set AGENT_RELAY_TEST_POSTGRES_URL"
)
def test_relays_starting_together_migrate_once(tmp_path: Path) -> None:
    with fresh_database("postgres", tmp_path) as url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # back to an empty database
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _: upgrade(url), range(4)))  # raises if two ran at once
        engine = sa.create_engine(url)
        assert "messages" in sa.inspect(engine).get_table_names()
        engine.dispose()
