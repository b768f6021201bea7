"""the event log is read in (transaction id, id) order: no global lock on PostgreSQL

Each event row records the transaction that stored it (`tx`, PostgreSQL's
pg_current_xact_id()); readers take only rows whose transaction is older than every one
still running (pg_snapshot_xmin), ordered by (tx, id), so writers in any number of
processes append without waiting for each other (events/log.py). Rows stored before this
revision get tx 1, below any real transaction id: they keep their id order, first. SQLite
keeps tx 0 and its id order (one writer process). Stop every relay process before
upgrading: an old process would store rows without a tx, and new readers skip those.

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-27 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    column = sa.Column("tx", sa.BigInteger(), nullable=False, server_default="0")
    if op.get_bind().dialect.name == "sqlite":
        # Rebuilt, not altered: the stored CREATE TABLE then reads as the models' does.
        with op.batch_alter_table(
            "events", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ) as batch:
            batch.add_column(column)
    else:
        op.add_column("events", column)
        op.execute("UPDATE events SET tx = 1")
    op.create_index(
        "ix_events_tx_id",
        "events",
        ["tx", "id"],
        sqlite_where=sa.text("tx > 0"),
        postgresql_where=sa.text("tx > 0"),
    )


def downgrade() -> None:
    op.drop_index("ix_events_tx_id", table_name="events")
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": False}) as batch:
        batch.drop_column("tx")
