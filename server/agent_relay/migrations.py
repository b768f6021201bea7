"""Run the Alembic chain from code (the CLI and the tests use this)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

PACKAGE = Path(__file__).resolve().parent
MIGRATION_LOCK = 0x52454C4D49  # 'RELMI': serializes migrations of relays starting together


def alembic_home() -> Path:
    """The directory holding alembic.ini and alembic/: agent_relay/_alembic/ in an installed
    wheel (pyproject.toml maps the top-level ones there), the top of the repository in an
    editable checkout."""
    candidates = (PACKAGE / "_alembic", PACKAGE.parents[1])
    for home in candidates:
        if (home / "alembic.ini").is_file() and (home / "alembic" / "env.py").is_file():
            return home
    raise FileNotFoundError(
        "no alembic.ini with alembic/env.py in " + " or ".join(str(c) for c in candidates)
    )


def alembic_config(database_url: str) -> Config:
    home = alembic_home()
    cfg = Config(str(home / "alembic.ini"))
    cfg.set_main_option("script_location", str(home / "alembic"))
    # alembic.ini's prepend_sys_path (for the alembic command in a checkout) would put the
    # working directory on the relay's sys.path; agent_relay is importable already.
    cfg.set_main_option("prepend_sys_path", "")
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str) -> None:
    """Migrate to head. On PostgreSQL a session advisory lock makes relays that start at
    the same time on several hosts migrate one after the other (the later ones find the
    schema at head and do nothing)."""
    if database_url.startswith("sqlite"):
        command.upgrade(alembic_config(database_url), "heads")
        return
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as lock_conn:
            lock_conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            try:
                command.upgrade(alembic_config(database_url), "heads")
            finally:
                lock_conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
    finally:
        engine.dispose()
