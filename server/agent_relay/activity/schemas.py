from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

from pydantic import Field, StringConstraints, field_validator

from agent_relay.wire import OutModel, PositiveId, WireModel, WireShape

SERVER_CLIENT_ID_PREFIX = "server-"


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
    message_id: PositiveId | None = None
    agent_id: Annotated[str, StringConstraints(max_length=200)] | None = None
    metadata: dict[str, Any] | None = None

    @field_validator("client_id")
    @classmethod
    def _not_the_relays_own(cls, value: str | None) -> str | None:
        # The relay names its own entries server-<...> (server-message-<id> for every send);
        # a client taking one of those names would make that send fail on the unique key.
        if value is not None and value.startswith(SERVER_CLIENT_ID_PREFIX):
            raise ValueError(
                f'must not start with "{SERVER_CLIENT_ID_PREFIX}" (reserved for the relay\'s own entries)'
            )
        return value

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "clientId": "deploy-7781",
                    "kind": "state",
                    "title": "Deployed",
                    "body": "v1.2.3",
                    "view": "activity",
                }
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


class ActivityRecord(TypedDict):
    id: int
    clientId: str
    kind: str
    title: str
    body: str | None
    meta: str | None
    icon: str | None
    view: str | None
    messageId: int | None
    agentId: str | None
    metadata: dict[str, Any] | None
    createdAt: int


ACTIVITY_WIRE = WireShape(ActivityOut, ActivityRecord)


@dataclass(slots=True)  # not frozen: built on every send, and frozen __init__ costs 3x
class ActivityEntry:
    """An entry the relay writes itself, as `activity.presenter` words it (the one place
    with titles and icons). `fresh_client_id`: the client id cannot exist yet (it names a
    row created in the same job), so no lookup for a repeat."""

    kind: str
    title: str
    client_id: str | None = None
    body: str | None = None
    meta: str | None = None
    icon: str | None = None
    view: str | None = None
    message_id: int | None = None
    agent_id: str | None = None
    metadata: dict[str, Any] | None = None
    fresh_client_id: bool = False
