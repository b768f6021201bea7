"""The integrations intake's wire: the event an integration posts (the typed command) and
the per-integration summary, built in one place (`SUMMARY_WIRE`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from pydantic import StringConstraints

from agent_relay.tasks.schemas import TaskSeverity
from agent_relay.wire import OutModel, WireModel, WireShape

# Seed: [...VALID_TASK_STATUSES, "resolved"]; "resolved" means done.
IntegrationStatus = Literal[
    "open", "claimed", "in_progress", "blocked", "done", "failed", "canceled", "resolved"
]


class IntegrationEventIn(WireModel):
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=240)]
    source: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = None
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    body: Annotated[str, StringConstraints(max_length=100_000)] | None = None
    severity: TaskSeverity | None = None
    status: IntegrationStatus | None = None
    target: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    callback_url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    meta: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "externalId": "build-8812",
                    "title": "CI failed on main",
                    "body": "test_login fails since 3f2a1c",
                    "severity": "critical",
                    "target": "label:backend",
                    "callbackUrl": "https://ci.example.test/hooks/agent-relay",
                }
            ]
        }
    }


class IntegrationSummary(OutModel):
    name: str
    configured: bool
    total: int
    counts: dict[str, int]
    events: int
    last_event_at: int | None = None
    last_external_id: str | None = None
    last_status: str | None = None
    last_task_id: int | None = None


class IntegrationSummaryRecord(TypedDict):
    name: str
    configured: bool
    total: int
    counts: dict[str, int]
    events: int
    lastEventAt: int | None
    lastExternalId: str | None
    lastStatus: str | None
    lastTaskId: int | None


# Built from the integration's state row (or NO_STATE) with name, configured, total, counts.
SUMMARY_WIRE = WireShape(IntegrationSummary, IntegrationSummaryRecord)
NO_STATE: dict[str, Any] = {
    "events": 0,
    "last_event_at": None,
    "last_external_id": None,
    "last_status": None,
    "last_task_id": None,
}
