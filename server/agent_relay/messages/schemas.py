from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, PositiveId, WireModel

MessageKind = Literal["chat", "channel.event", "task", "pair", "control", "system"]
MESSAGE_KINDS: tuple[str, ...] = MessageKind.__args__  # type: ignore[attr-defined]


class SendMessage(SessionFields):
    from_: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(alias="from")
    to: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="An agent id, `label:X`, `tag:X`, `cap:X`, or `broadcast`"
    )
    body: Annotated[str, StringConstraints(min_length=1)]
    kind: MessageKind = "chat"
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    reply_to: PositiveId | None = None
    claimable: bool | None = None
    idempotency_key: Annotated[str, StringConstraints(min_length=1, max_length=240)] | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: Annotated[str, StringConstraints(max_length=200)] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "from": "claude-1",
                    "to": "label:reviewers",
                    "kind": "task",
                    "subject": "Review PR 42",
                    "body": "Please review https://example.test/pr/42",
                    "claimable": True,
                    "idempotencyKey": "pr-42-review",
                }
            ]
        }
    }


class AgentRef(SessionFields):
    agent_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1"}]}}


class ClaimIn(AgentRef):
    lease_ms: PositiveId | None = None

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1", "leaseMs": 600000}]}}


class BroadcastIn(WireModel):
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    body: Annotated[str, StringConstraints(min_length=1)]

    model_config = {
        "json_schema_extra": {
            "examples": [{"subject": "Maintenance", "body": "The relay restarts at 18:00 UTC"}]
        }
    }


class MessageOut(OutModel):
    id: int
    from_: str = Field(alias="from")
    to: str
    kind: MessageKind
    subject: str | None = None
    body: str
    reply_to: int | None = None
    claimable: bool
    claimed_by: str | None = None
    claim_expires_at: int | None = None
    idempotency_key: str | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: str | None = None
    created_at: int


class AckOut(OutModel):
    ok: bool
    message_id: int
    agent_id: str
    acked_at: int


class DeletedOut(OutModel):
    ok: bool
    id: int
