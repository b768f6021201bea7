from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, PositiveId

# Seed: VALID_TASK_SEVERITIES, VALID_TASK_STATUSES (order matters: it is the error text).
TaskSeverity = Literal["info", "warning", "critical"]
TaskStatus = Literal["open", "claimed", "in_progress", "blocked", "done", "failed", "canceled"]
TASK_SEVERITIES: tuple[str, ...] = TaskSeverity.__args__  # type: ignore[attr-defined]
TASK_STATUSES: tuple[str, ...] = TaskStatus.__args__  # type: ignore[attr-defined]

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
    status: Literal["pending", "delivered", "dead"]
    attempt_count: int
    next_attempt_at: int | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: int | None = None
    created_at: int
    updated_at: int
    attempts: list[CallbackAttemptOut]
