"""ids only grow: AUTOINCREMENT on SQLite

Without AUTOINCREMENT, SQLite hands the highest id out again once its row is deleted, and
ids are cursors (`after`, Last-Event-ID) and references (the activity row of a message):
a reused message id collided with the deleted message's activity row on every later send.
SQLite cannot add AUTOINCREMENT to a table in place, so each table is rebuilt (batch mode
copies rows and indexes), and each table's sequence starts above every id it ever gave out
that is still recorded anywhere. PostgreSQL's sequences (BIGSERIAL) already only grow:
nothing to do there.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "messages",
    "events",
    "activity_events",
    "tasks",
    "callback_deliveries",
    "channel_bindings",
    "pairs",
)
# Ids the server recorded elsewhere that outlive their row (a deleted message's activity row):
# the next id must stay above them too. Only server-written values: a client's own
# `messageId` on an activity row must not push the sequence anywhere.
REFERENCES = {
    "messages": (
        "SELECT max(message_id) FROM activity_events WHERE client_id = 'server-message-' || message_id",
        "SELECT max(message_id) FROM tasks",
    ),
    "tasks": ("SELECT max(last_task_id) FROM integration_state",),
}


def _rebuild(autoincrement: bool) -> None:
    conn = op.get_bind()
    # Rebuilding drops and renames tables: with foreign keys enforced that would cascade
    # deletes into message_acks and callback_attempts. Alembic's own connection has them off.
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
    _rebuild(autoincrement=True)
    conn = op.get_bind()
    for table in TABLES:
        queries = (f'SELECT max(id) FROM "{table}"', *REFERENCES.get(table, ()))
        highest = max(conn.exec_driver_sql(query).scalar() or 0 for query in queries)
        conn.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": table})
        conn.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
            {"name": table, "seq": highest},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)
    op.get_bind().execute(
        sa.text("DELETE FROM sqlite_sequence WHERE name IN :names").bindparams(
            sa.bindparam("names", expanding=True)
        ),
        {"names": list(TABLES)},
    )
