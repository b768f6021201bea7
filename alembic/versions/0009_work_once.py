"""work that gets done once (contract §15): completion, delivery counts, dead letters,
delayed release, the stuck check and the delivery ledger

Existing messages are marked as judged (stuck_at = 0), so upgrading does not fire
`message.stuck` for every old message at once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_COLUMNS = (
    sa.Column("delivery_count", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("max_deliveries", sa.Integer(), nullable=True),
    sa.Column("completed_by", sa.String(length=200), nullable=True),
    sa.Column("completed_at", sa.BigInteger(), nullable=True),
    sa.Column("dead_lettered_at", sa.BigInteger(), nullable=True),
    sa.Column("hidden_until", sa.BigInteger(), nullable=True),
    sa.Column("stuck_at", sa.BigInteger(), nullable=True),
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # Rebuilt (as 0006 did, keeping AUTOINCREMENT), so the table's stored SQL is what a
        # fresh create_all writes; ALTER TABLE ADD COLUMN would append to the old text. The
        # copy would restart the id sequence at the highest id left: keep the old one.
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("run this migration with PRAGMA foreign_keys=OFF")
        seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").scalar()
        with op.batch_alter_table(
            "messages", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            for column in _NEW_COLUMNS:
                batch.add_column(column._copy())
        if seq is not None:
            conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'messages'")
            conn.exec_driver_sql(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('messages', {int(seq)})")
    else:
        for column in _NEW_COLUMNS:
            op.add_column("messages", column._copy())
    op.execute("UPDATE messages SET stuck_at = 0")
    op.create_index(
        "ix_messages_dead_lettered_at",
        "messages",
        ["dead_lettered_at"],
        sqlite_where=sa.text("dead_lettered_at IS NOT NULL"),
        postgresql_where=sa.text("dead_lettered_at IS NOT NULL"),
    )
    op.create_index(
        "ix_messages_unjudged",
        "messages",
        ["created_at"],
        sqlite_where=sa.text("stuck_at IS NULL"),
        postgresql_where=sa.text("stuck_at IS NULL"),
    )
    op.create_index(
        "ix_messages_stuck",
        "messages",
        ["id"],
        sqlite_where=sa.text("stuck_at > 0"),
        postgresql_where=sa.text("stuck_at > 0"),
    )
    op.create_table(
        "message_deliveries",
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("agent_id", sa.String(length=200), nullable=False),
        sa.Column("delivered_at", sa.BigInteger(), nullable=True),
        sa.Column("read_at", sa.BigInteger(), nullable=True),
        sa.Column("claimed_at", sa.BigInteger(), nullable=True),
        sa.Column("completed_at", sa.BigInteger(), nullable=True),
        sa.Column("woken_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id", "agent_id"),
    )


    op.create_table(
        "delivery_reads",
        sa.Column("agent_id", sa.String(length=200), nullable=False),
        sa.Column("read_at", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lo", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hi", sa.BigInteger(), nullable=False),
        sa.Column("ids", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", "read_at", "lo"),
    )
    op.create_index("ix_delivery_reads_read_at", "delivery_reads", ["read_at"])


def downgrade() -> None:
    op.drop_index("ix_delivery_reads_read_at", table_name="delivery_reads")
    op.drop_table("delivery_reads")
    op.drop_table("message_deliveries")
    for name in ("ix_messages_stuck", "ix_messages_unjudged", "ix_messages_dead_lettered_at"):
        op.drop_index(name, table_name="messages")
    with op.batch_alter_table(
        "messages", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        for column in reversed(_NEW_COLUMNS):
            batch.drop_column(column.name)
