from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from agent_relay.wire import MAX_INT, OutModel, WireModel


class ActivityIn(WireModel):
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="Makes the post idempotent: a repeat returns the first event"
    )
    kind: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    body: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    meta: Annotated[str, StringConstraints(max_length=500)] | None = None
    icon: Annotated[str, StringConstraints(max_length=80)] | None = None
    view: Annotated[str, StringConstraints(max_length=80)] | None = None
    message_id: Annotated[int, Field(gt=0, le=MAX_INT)] | None = None
    agent_id: Annotated[str, StringConstraints(max_length=200)] | None = None
    metadata: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"clientId": "deploy-7781", "kind": "state", "title": "Deployed", "body": "v1.2.3", "view": "activity"}
            ]
        }
    }


class ActivityOut(OutModel):
    id: int
    client_id: str
    kind: str
    title: str
    body: str | None = None
    meta: str | None = None
    icon: str | None = None
    view: str | None = None
    message_id: int | None = None
    agent_id: str | None = None
    metadata: dict[str, Any] | None = None
    created_at: int
