from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import IDS_ONLY_GROW, id_field, json_field, ms_field


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        # The inbox query is "to IN (my addresses) AND id > cursor ORDER BY id".
        sa.Index("ix_messages_to_id", "to_addr", "id"),
        sa.Index("ix_messages_from_id", "from_agent", "id"),
        # Partial indexes: most messages have no key, channel or claim, and an index entry
        # costs every send; these cover only the rows that need them.
        sa.Index(
            "uq_messages_sender_idempotency_key",
            "from_agent",
            "idempotency_key",
            unique=True,
            sqlite_where=sa.text("idempotency_key IS NOT NULL"),
            postgresql_where=sa.text("idempotency_key IS NOT NULL"),
        ),
        sa.Index(
            "ix_messages_channel_id",
            "channel",
            "id",
            sqlite_where=sa.text("channel IS NOT NULL"),
            postgresql_where=sa.text("channel IS NOT NULL"),
        ),
        sa.Index(
            "ix_messages_claim_expires_at",
            "claim_expires_at",
            sqlite_where=sa.text("claim_expires_at IS NOT NULL"),
            postgresql_where=sa.text("claim_expires_at IS NOT NULL"),
        ),
        # §15: the dead-letter list (newest first) and the stuck list; the reaper's stuck
        # check walks only rows not yet judged (stuck_at IS NULL: direct and claimable sends).
        sa.Index(
            "ix_messages_dead_lettered_at",
            "dead_lettered_at",
            sqlite_where=sa.text("dead_lettered_at IS NOT NULL"),
            postgresql_where=sa.text("dead_lettered_at IS NOT NULL"),
        ),
        sa.Index(
            "ix_messages_unjudged",
            "created_at",
            sqlite_where=sa.text("stuck_at IS NULL"),
            postgresql_where=sa.text("stuck_at IS NULL"),
        ),
        sa.Index(
            "ix_messages_stuck",
            "id",
            sqlite_where=sa.text("stuck_at > 0"),
            postgresql_where=sa.text("stuck_at > 0"),
        ),
        IDS_ONLY_GROW,
    )

    id: int | None = id_field()
    from_agent: str = Field(max_length=200)
    to_addr: str = Field(max_length=200)
    kind: str = Field(default="chat", max_length=40)
    subject: str | None = Field(default=None, max_length=500)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    reply_to: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    claimable: bool = False
    claimed_by: str | None = Field(default=None, max_length=200)
    claim_expires_at: int | None = ms_field(nullable=True)
    idempotency_key: str | None = Field(default=None, max_length=240)
    meta: dict[str, Any] | None = json_field()
    payload: dict[str, Any] | None = json_field()
    channel: str | None = Field(default=None, max_length=200)
    created_at: int = ms_field()
    # §15 work done once. delivery_count: claims granted (not extensions); max_deliveries
    # NULL = no limit (plain messages, and internal ones whose owner governs them: tasks).
    delivery_count: int = Field(
        default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0")
    )
    max_deliveries: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    completed_by: str | None = Field(default=None, max_length=200)
    completed_at: int | None = ms_field(nullable=True)
    dead_lettered_at: int | None = ms_field(nullable=True)
    hidden_until: int | None = ms_field(nullable=True)  # release with delayMs
    # NULL: not judged yet; 0: judged, not stuck (or never watched: group chat); >0: when
    # message.stuck fired. Internal, not on the wire.
    stuck_at: int | None = ms_field(nullable=True)
    traceparent: str | None = Field(default=None, max_length=55)  # W3C trace context of the send (§17)


class MessageDelivery(SQLModel, table=True):
    """The delivery ledger (§15): one row per agent, the first time of each step it took
    with the message (acks, claims, completion, wake-ups); first deliveries by inbox reads
    are in delivery_reads, merged in by the ledger route."""

    __tablename__ = "message_deliveries"

    message_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    )
    agent_id: str = Field(primary_key=True, max_length=200)
    delivered_at: int | None = ms_field(nullable=True)
    read_at: int | None = ms_field(nullable=True)
    claimed_at: int | None = ms_field(nullable=True)
    completed_at: int | None = ms_field(nullable=True)
    woken_at: int | None = ms_field(nullable=True)


class DeliveryRead(SQLModel, table=True):
    """First deliveries by inbox reads (§15 ledger), one row per read that returned messages
    this process had not recorded for that agent: the ids as text, with their range for the
    lookup. One small row per read instead of one per message keeps the read fast; the
    ledger route expands them. Pruned with the event log."""

    __tablename__ = "delivery_reads"
    __table_args__ = (sa.Index("ix_delivery_reads_read_at", "read_at"),)

    agent_id: str = Field(primary_key=True, max_length=200)
    read_at: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    lo: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    hi: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    ids: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # "12,15,19"


class MessageAck(SQLModel, table=True):
    """A read receipt: per agent, so one group message can be read by each member."""

    __tablename__ = "message_acks"

    message_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    )
    agent_id: str = Field(primary_key=True, max_length=200)
    acked_at: int = ms_field()


class InboxDraft(SQLModel, table=True):
    """One saved compose-draft per inbox, for the dashboard."""

    __tablename__ = "inbox_drafts"

    agent_id: str = Field(primary_key=True, max_length=200)
    draft: dict[str, Any] = json_field(nullable=False)
    updated_at: int = ms_field()
