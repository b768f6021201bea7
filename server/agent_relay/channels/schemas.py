"""Channel wire shapes. Request bodies are checked by hand in envelope.py (the seed fixes
the order and texts of those checks); the JSON schemas below document them for the
OpenAPI page and the generated SDK."""

from __future__ import annotations

from typing import Any, Literal

from agent_relay.messages.schemas import MessageOut
from agent_relay.wire import MAX_SAFE_INTEGER, OutModel

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
