"""Tasks raised by integrations, their callback deliveries, and per-integration counters."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import IDS_ONLY_GROW, BigId, id_field, json_field, ms_field


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        # Idempotency under retries and concurrent duplicates: one task per (source, externalId).
        sa.UniqueConstraint("source", "external_id", name="uq_tasks_source_external_id"),
        sa.Index("ix_tasks_status_id", "status", "id"),
        sa.Index("ix_tasks_claimed_by_id", "claimed_by", "id"),
        sa.Index("ix_tasks_claim_expires_at", "claim_expires_at"),
        IDS_ONLY_GROW,
    )

    id: int | None = id_field()
    title: str = Field(max_length=300)
    body: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    severity: str = Field(default="info", max_length=20)
    status: str = Field(default="open", max_length=20)
    source: str = Field(max_length=120)
    external_id: str = Field(max_length=240)
    target: str | None = Field(default=None, max_length=200)
    claimed_by: str | None = Field(default=None, max_length=200)
    claim_expires_at: int | None = ms_field(nullable=True)
    callback_url: str | None = Field(default=None, max_length=2048)
    meta: dict[str, Any] | None = json_field()
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    message_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    created_at: int = ms_field()
    updated_at: int = ms_field()
    traceparent: str | None = Field(default=None, max_length=55)  # W3C trace context of the event (§17)


class CallbackDelivery(SQLModel, table=True):
    """One report of a task change to its callbackUrl. Written in the same transaction as
    the change; a worker leases it (conditional UPDATE) before each attempt."""

    __tablename__ = "callback_deliveries"
    __table_args__ = (sa.Index("ix_callback_deliveries_due", "status", "next_attempt_at"), IDS_ONLY_GROW)

    id: int | None = id_field()
    task_id: int = Field(
        sa_column=sa.Column(BigId, sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    source: str = Field(max_length=120)  # whose secret signs it
    url: str = Field(max_length=2048)
    event: str = Field(max_length=40)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # the exact bytes sent and signed
    status: str = Field(default="pending", max_length=20)  # pending | delivered | dead
    attempts: int = 0
    next_attempt_at: int = ms_field()
    lease_expires_at: int | None = ms_field(nullable=True)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=1000)
    delivered_at: int | None = ms_field(nullable=True)
    created_at: int = ms_field()
    updated_at: int = ms_field()


class CallbackAttempt(SQLModel, table=True):
    """Every attempt, inserted when the lease is taken: unique per (delivery, attempt)."""

    __tablename__ = "callback_attempts"

    delivery_id: int = Field(
        sa_column=sa.Column(
            BigId, sa.ForeignKey("callback_deliveries.id", ondelete="CASCADE"), primary_key=True
        )
    )
    attempt: int = Field(primary_key=True)
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=1000)
    duration_ms: int | None = None
    started_at: int = ms_field()
    finished_at: int | None = ms_field(nullable=True)


class IntegrationState(SQLModel, table=True):
    """Per integration: how many events it sent and the last one."""

    __tablename__ = "integration_state"

    name: str = Field(primary_key=True, max_length=120)
    events: int = 0
    last_event_at: int | None = ms_field(nullable=True)
    last_external_id: str | None = Field(default=None, max_length=240)
    last_status: str | None = Field(default=None, max_length=20)
    last_task_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))


class IntegrationRateLimit(SQLModel, table=True):
    """A fixed one-minute window per integration token, shared by every server process."""

    __tablename__ = "integration_rate_limits"

    key: str = Field(primary_key=True, max_length=64)  # sha256 of the token, never the token
    window_start: int = ms_field()
    count: int = 0
