"""Channel wire shapes and commands. Request bodies are checked by hand in envelope.py (the
seed fixes the order and texts of those checks) into the commands below; the JSON schemas
at the end document them for the OpenAPI page and the generated SDK."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

from agent_relay.errors import BadRequest
from agent_relay.messages.schemas import MessageOut
from agent_relay.session import SessionGuard
from agent_relay.wire import MAX_SAFE_INTEGER, OutModel, WireShape

if TYPE_CHECKING:
    from agent_relay.messages.schemas import MessageRecord

GUARD_REQUIRED = "channel session guard required"

BindingMode = Literal["exclusive", "claimable", "broadcast"]
TargetType = Literal["agent", "label", "tag", "capability", "broadcast"]


class ChannelSummaryOut(OutModel):
    id: str
    name: str
    type: str
    transport: str
    agent_id: str
    account_id: str
    status: str
    ready: bool
    direction: str
    topic_channels: list[str]


class ChannelTargetOut(OutModel):
    type: TargetType
    id: str | None = None


class ChannelBindingOut(OutModel):
    id: int
    channel_id: str
    conversation_id: str | None = None
    target: ChannelTargetOut
    mode: BindingMode
    priority: int
    created_at: int
    updated_at: int


class ChannelEventOut(OutModel):
    messages: list[MessageOut]
    bindings: list[ChannelBindingOut]
    created: bool


class ChannelActivity(OutModel):
    channel_id: str
    conversation_id: str | None = None
    payload: dict[str, Any]
    created_at: int


class ChannelActivityOut(OutModel):
    ok: bool
    activity: ChannelActivity


class RouteCandidateOut(OutModel):
    binding: ChannelBindingOut
    tier: Literal["conversation", "default"]
    mode: BindingMode
    priority: int
    to: str
    chosen: bool
    reason: str


class UnreachableBindingOut(OutModel):
    binding: ChannelBindingOut
    tier: Literal["conversation", "default"]
    reason: str


class ChannelRoutesOut(OutModel):
    channel_id: str
    conversation_id: str | None = None
    tier: Literal["conversation", "default"] | None = None
    bindings: list[ChannelBindingOut]
    candidates: list[RouteCandidateOut]
    unreachable: list[UnreachableBindingOut]


# -- records (what the service returns; the wire dicts) ----------------------------------


class ChannelSummaryRecord(TypedDict):
    id: str
    name: str
    type: str
    transport: str
    agentId: str
    accountId: str
    status: str
    ready: bool
    direction: str
    topicChannels: list[str]


# Built from the facts envelope.agent_to_channel reads off a channel agent's card.
CHANNEL_SUMMARY_WIRE = WireShape(ChannelSummaryOut, ChannelSummaryRecord, convert={"ready": bool})


class ChannelTargetRecord(TypedDict):
    type: str
    id: NotRequired[str]  # absent for broadcast


class ChannelBindingRecord(TypedDict):
    id: int
    channelId: str
    conversationId: str | None
    target: ChannelTargetRecord
    mode: str
    priority: int
    createdAt: int
    updatedAt: int


def _target(row: Mapping[str, Any]) -> ChannelTargetRecord:
    if row["target_id"] is None:
        return {"type": row["target_type"]}
    return {"type": row["target_type"], "id": row["target_id"]}


BINDING_WIRE = WireShape(
    ChannelBindingOut,
    ChannelBindingRecord,
    # the default tier is stored as conversation "" (a unique key cannot hold NULLs alike)
    columns={"conversation_id": "conversation_key"},
    convert={"conversation_id": lambda key: key or None},
    derive={"target": _target},
)


class ChannelEventRecord(TypedDict):
    messages: list[MessageRecord]
    bindings: list[ChannelBindingRecord]
    created: bool


class ChannelActivityRecord(TypedDict):
    channelId: str
    conversationId: str | None
    payload: dict[str, Any]
    createdAt: int


class RouteCandidateRecord(TypedDict):
    binding: ChannelBindingRecord
    tier: str
    mode: str
    priority: int
    to: str
    chosen: bool
    reason: str


class UnreachableBindingRecord(TypedDict):
    binding: ChannelBindingRecord
    tier: str
    reason: str


class ChannelRoutesRecord(TypedDict):
    channelId: str
    conversationId: str | None
    tier: str | None
    bindings: list[ChannelBindingRecord]
    candidates: list[RouteCandidateRecord]
    unreachable: list[UnreachableBindingRecord]


# -- commands (envelope.py parses request bodies into these, in the seed's order) --------


@dataclass(frozen=True, slots=True)
class RouteTarget:
    type: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelSession:
    """The session a channel request claims: the headers' guard, the body's instanceId /
    epoch filling in. The seed checks it after finding the channel, so a bad body field is
    kept here and raised by `required()` at that point."""

    guard: SessionGuard
    error: BadRequest | None = None

    def required(self) -> SessionGuard:
        """Seed: requireChannelSession's first half: 400 without any guard."""
        if self.error is not None:
            raise self.error
        if not self.guard.given:
            raise BadRequest(GUARD_REQUIRED)
        return self.guard


@dataclass(frozen=True, slots=True)
class BindChannel:
    """POST /api/channel-bindings."""

    channel_id: str
    conversation_id: str | None
    target: RouteTarget
    mode: str
    priority: int | None
    session: ChannelSession


@dataclass(frozen=True, slots=True)
class ChannelEventInput:
    body: str
    payload: dict[str, Any]
    conversation_id: str | None
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class PostChannelEvent:
    """POST /api/channels/{id}/events and /activities. The seed checks the channel and its
    session before the body, so a body error is kept here and raised by `event()` then."""

    channel_id: str
    session: ChannelSession
    parsed: ChannelEventInput | BadRequest

    def event(self) -> ChannelEventInput:
        if isinstance(self.parsed, BadRequest):
            raise self.parsed
        return self.parsed


# -- request body documentation (the bodies are read by hand) ----------------------------


_SESSION = {
    "instanceId": {
        "type": "string",
        "maxLength": 200,
        "description": "Session guard (or X-Agent-Instance-Id)",
    },
    "epoch": {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_SAFE_INTEGER,
        "description": "Session guard (or X-Agent-Epoch)",
    },
}

BINDING_IN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["channelId", "target"],
    "properties": {
        "channelId": {"type": "string", "maxLength": 200},
        "conversationId": {"type": "string", "maxLength": 300, "description": "Omit for the channel default"},
        "target": {
            "description": "An address (`label:X`, `tag:X`, `cap:X`, `broadcast`, else an agent id) "
            "or {type, id}",
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "required": ["type"],
                    "properties": {
                        "type": {
                            "type": "string",
                            "enum": ["agent", "label", "tag", "capability", "broadcast"],
                        },
                        "id": {"type": "string", "maxLength": 240},
                    },
                },
            ],
        },
        "mode": {"type": "string", "enum": ["exclusive", "claimable", "broadcast"], "default": "exclusive"},
        "priority": {"type": "integer", "description": "Higher wins among exclusive bindings"},
        **_SESSION,
    },
    "example": {
        "channelId": "slack:T123",
        "target": "label:support",
        "mode": "claimable",
        "instanceId": "i-1",
        "epoch": 1,
    },
}

CHANNEL_EVENT_IN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "`{payload, body?, conversationId?, idempotencyKey?}`, or the payload itself",
    "properties": {
        "payload": {
            "type": "object",
            "description": "An agent-relay.channel.v1 envelope: schema, "
            "channel{provider, accountId, agentId}, direction, conversation{id, type}, "
            "actor{id, kind}, event{type}, and message / attachments / "
            "reaction / interaction (events) or activity (activities)",
            "additionalProperties": True,
        },
        "body": {"type": "string"},
        "conversationId": {"type": "string", "maxLength": 300},
        "idempotencyKey": {"type": "string", "maxLength": 240},
        **_SESSION,
    },
    "example": {
        "instanceId": "i-1",
        "epoch": 1,
        "payload": {
            "schema": "agent-relay.channel.v1",
            "channel": {"provider": "slack", "accountId": "T123", "agentId": "slack:T123"},
            "direction": "inbound",
            "conversation": {"id": "C42", "type": "channel"},
            "actor": {"id": "U7", "kind": "user"},
            "event": {"type": "message.created"},
            "message": {"text": "deploy is red"},
            "dedupe": {"key": "slack-evt-1"},
        },
    },
}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
