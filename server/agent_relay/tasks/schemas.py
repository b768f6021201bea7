"""The tasks domain's wire: request models (the typed commands), the internal commands,
the `*Out` models and the one place each resource's wire dict is built (`*_WIRE`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, PositiveId, WireShape

# Seed: VALID_TASK_SEVERITIES, VALID_TASK_STATUSES (order matters: it is the error text).
TaskSeverity = Literal["info", "warning", "critical"]
TaskStatus = Literal["open", "claimed", "in_progress", "blocked", "done", "failed", "canceled"]
TASK_SEVERITIES: tuple[str, ...] = TaskSeverity.__args__  # type: ignore[attr-defined]
TASK_STATUSES: tuple[str, ...] = TaskStatus.__args__  # type: ignore[attr-defined]
DeliveryStatus = Literal["pending", "delivered", "dead"]

AgentIdStr = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TaskClaimIn(SessionFields):
    agent_id: AgentIdStr
    lease_ms: PositiveId | None = None

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1", "leaseMs": 600000}]}}


class TaskStatusIn(SessionFields):
    status: TaskStatus
    agent_id: AgentIdStr | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    lease_ms: PositiveId | None = None

    model_config = {
        "json_schema_extra": {"examples": [{"status": "in_progress", "agentId": "claude-1", "note": "on it"}]}
    }


class TaskOut(OutModel):
    id: int
    title: str
    body: str | None = None
    severity: TaskSeverity
    status: TaskStatus
    source: str
    external_id: str
    target: str | None = None
    claimed_by: str | None = None
    claim_expires_at: int | None = None
    callback_url: str | None = None
    meta: dict[str, Any] | None = None
    note: str | None = None
    message_id: int | None = Field(default=None, description="The task message sent to `target`")
    created_at: int
    updated_at: int


class CallbackAttemptOut(OutModel):
    attempt: int
    status_code: int | None = None
    error: str | None = None
    duration_ms: int | None = None
    started_at: int
    finished_at: int | None = None


class CallbackDeliveryOut(OutModel):
    id: int
    task_id: int
    url: str
    event: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: int | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: int | None = None
    created_at: int
    updated_at: int
    attempts: list[CallbackAttemptOut]


# -- records: what the service returns, built from the Out models -----------------------------


class TaskRecord(TypedDict):
    id: int
    title: str
    body: str | None
    severity: TaskSeverity
    status: TaskStatus
    source: str
    externalId: str
    target: str | None
    claimedBy: str | None
    claimExpiresAt: int | None
    callbackUrl: str | None
    meta: dict[str, Any] | None
    note: str | None
    messageId: int | None
    createdAt: int
    updatedAt: int


TASK_WIRE = WireShape(TaskOut, TaskRecord)


class CallbackAttemptRecord(TypedDict):
    attempt: int
    statusCode: int | None
    error: str | None
    durationMs: int | None
    startedAt: int
    finishedAt: int | None


ATTEMPT_WIRE = WireShape(CallbackAttemptOut, CallbackAttemptRecord)


class CallbackDeliveryRecord(TypedDict):
    id: int
    taskId: int
    url: str
    event: str
    status: DeliveryStatus
    attemptCount: int
    nextAttemptAt: int | None
    lastStatusCode: int | None
    lastError: str | None
    deliveredAt: int | None
    createdAt: int
    updatedAt: int
    attempts: list[CallbackAttemptRecord]


def _next_attempt_at(row: Mapping[str, Any]) -> int | None:
    return row["next_attempt_at"] if row["status"] == "pending" else None  # none once settled


def _attempts(rows: list[Mapping[str, Any]]) -> list[CallbackAttemptRecord]:
    return [ATTEMPT_WIRE.build(a) for a in rows]


# Built from a delivery row plus `attempt_rows` (its attempts, in order); the row's
# `attempts` column is the count.
DELIVERY_WIRE = WireShape(
    CallbackDeliveryOut,
    CallbackDeliveryRecord,
    columns={"attempt_count": "attempts", "attempts": "attempt_rows"},
    convert={"attempts": _attempts},
    derive={"next_attempt_at": _next_attempt_at},
)


# -- internal commands -----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class TaskQuery:
    """List filters (None: no filter), newest first below the `before` id."""

    status: str | None = None
    claimed_by: str | None = None
    source: str | None = None
    target: str | None = None
    before: int | None = None
    limit: int = 100


@dataclass(slots=True, frozen=True)
class TaskUpsert:
    """An integration's report on the task `(source, external_id)`: None leaves a field as it
    is (or, creating, at its default)."""

    source: str
    external_id: str
    title: str | None = None
    body: str | None = None
    severity: str | None = None
    status: str | None = None
    target: str | None = None
    callback_url: str | None = None
    meta: dict[str, Any] | None = None
    traceparent: str | None = None  # the event's W3C trace context, kept on a new task (§17)
