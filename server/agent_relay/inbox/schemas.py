from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from agent_relay.wire import OutModel, WireModel


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
