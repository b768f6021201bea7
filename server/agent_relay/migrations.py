"""Run the Alembic chain from code (the CLI and the tests use this)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
MIGRATION_LOCK = 0x52454C4D49  # 'RELMI': serializes migrations of relays starting together


def alembic_config(database_url: str) -> Config:
    ini = ROOT / "alembic.ini"
    cfg = Config(str(ini)) if ini.exists() else Config()
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
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
