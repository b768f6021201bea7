from __future__ import annotations

from typing import Annotated, Any, TypedDict

from pydantic import StringConstraints

from agent_relay.wire import OutModel, WireModel, WireShape


class DraftIn(WireModel):
    to: Annotated[str, StringConstraints(max_length=200)] | None = None
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    body: Annotated[str, StringConstraints(max_length=1_048_576)] = ""
    kind: Annotated[str, StringConstraints(max_length=40)] | None = None
    meta: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {"examples": [{"to": "claude-1", "subject": "Follow-up", "body": "Draft text"}]}
    }


class DraftOut(OutModel):
    agent_id: str
    to: str | None = None
    subject: str | None = None
    body: str
    kind: str | None = None
    meta: dict[str, Any] | None = None
    updated_at: int


class DraftRecord(TypedDict):
    agentId: str
    to: str | None
    subject: str | None
    body: str
    kind: str | None
    meta: dict[str, Any] | None
    updatedAt: int


DRAFT_WIRE = WireShape(DraftOut, DraftRecord)  # from the stored draft with its agent_id, updated_at
