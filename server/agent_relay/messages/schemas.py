from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, PositiveId, WireModel, WireShape

MessageKind = Literal["chat", "channel.event", "task", "pair", "control", "system"]
MESSAGE_KINDS: tuple[str, ...] = MessageKind.__args__  # type: ignore[attr-defined]


class SendMessage(SessionFields):
    from_: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None,
        alias="from",
        description="Required, except with an agent token: its own agent by default",
    )
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


@dataclass(slots=True, frozen=True)
class NewMessage:
    """A message the relay sends on a domain's behalf (tasks, pairs, channels, control):
    the same command as `SendMessage`, without the HTTP body's validation and session fields."""

    from_: str
    to: str
    body: str
    kind: MessageKind = "chat"
    subject: str | None = None
    reply_to: int | None = None
    claimable: bool | None = None
    idempotency_key: str | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: str | None = None


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


# "from" is a keyword: the functional form is the only way to spell this record.
MessageRecord = TypedDict(
    "MessageRecord",
    {
        "id": int,
        "from": str,
        "to": str,
        "kind": MessageKind,
        "subject": str | None,
        "body": str,
        "replyTo": int | None,
        "claimable": bool,
        "claimedBy": str | None,
        "claimExpiresAt": int | None,
        "idempotencyKey": str | None,
        "meta": dict[str, Any] | None,
        "payload": dict[str, Any] | None,
        "channel": str | None,
        "createdAt": int,
    },
)
MESSAGE_WIRE = WireShape(
    MessageOut,
    MessageRecord,
    columns={"from_": "from_agent", "to": "to_addr"},
    convert={"claimable": bool},  # SQLite stores 0/1
)


class AckRecord(TypedDict):
    ok: bool
    messageId: int
    agentId: str
    ackedAt: int


class DeletedRecord(TypedDict):
    ok: bool
    id: int
