"""The Alembic chain, run from empty, must produce exactly the models' schema."""

from __future__ import annotations

import sqlalchemy as sa
from agent_relay.models import metadata
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext


def test_upgrade_head_matches_models(database: str) -> None:
    # `database` was built by `alembic upgrade heads` from an empty database (see tests/support.py)
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree; generate a revision: {diff}"


def test_every_table_is_migrated(database: str) -> None:
    engine = sa.create_engine(database)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert set(metadata.tables) <= names
