"""trace context (contract §17): the W3C `traceparent` a send or an integration event came
with, kept on the message and on the task so it is passed on (callbacks, webhooks, spawns)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("messages", "tasks")


def _column() -> sa.Column:
    return sa.Column("traceparent", sa.String(length=55), nullable=True)


def _rebuild_sqlite(table: str, change) -> None:  # type: ignore[no-untyped-def]
    """Rebuilt (as 0006 and 0009 do, keeping AUTOINCREMENT), so the table's stored SQL is
    what a fresh create_all writes; the copy would restart the id sequence at the highest
    id left: keep the old one. (Not shared with 0009 on purpose: a migration must not import
    code that may change later.)"""
    conn = op.get_bind()
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("run this migration with PRAGMA foreign_keys=OFF")
    seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).scalar()
    with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}) as batch:
        change(batch)
    if seq is not None:
        conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(seq)))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        if sqlite:
            _rebuild_sqlite(table, lambda batch: batch.add_column(_column()))
        else:
            op.add_column(table, _column())


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        if sqlite:
            _rebuild_sqlite(table, lambda batch: batch.drop_column("traceparent"))
        else:
            op.drop_column(table, "traceparent")
