"""the event log and the activity feed drop AUTOINCREMENT on SQLite

0006 gave every id table AUTOINCREMENT so a deleted newest row's id never comes back. Two
tables never lose their newest row: `events` is only pruned below the newest id (the reaper
keeps it, see events/log.py prune_events) and `activity_events` rows are never deleted. For
them SQLite's plain max(id) + 1 already only grows, and AUTOINCREMENT costs a write to
sqlite_sequence on every insert: two per send (~5 µs each, measured in docs/benchmarks.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("events", "activity_events")


def _rebuild(autoincrement: bool) -> None:
    conn = op.get_bind()
    # Rebuilding drops and renames tables; with foreign keys enforced that could cascade.
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("run this migration with PRAGMA foreign_keys=OFF")
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)
    op.get_bind().execute(
        sa.text("DELETE FROM sqlite_sequence WHERE name IN :names").bindparams(
            sa.bindparam("names", expanding=True)
        ),
        {"names": list(TABLES)},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    conn = op.get_bind()
    for table in TABLES:
        highest = conn.exec_driver_sql(f'SELECT max(id) FROM "{table}"').scalar() or 0
        conn.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
            {"name": table, "seq": highest},
        )
