"""The seed's channel input checks, in its order and with its texts.

These are hand-written rather than pydantic models on purpose: the original relay checks
an event envelope field by field and the first failing check's message is the contract
(`payload.channel does not match channel identity`, `payload.attachments[2].ref.type must
be relay-blob, external-url, or channel-file`, ...). Each function mirrors the seed
function named in its docstring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from agent_relay import addressing
from agent_relay.channels.schemas import (
    CHANNEL_SUMMARY_WIRE,
    BindChannel,
    ChannelEventInput,
    ChannelSession,
    ChannelSummaryRecord,
    PostChannelEvent,
    RouteTarget,
)
from agent_relay.errors import BadRequest
from agent_relay.session import SessionGuard
from agent_relay.wire import MAX_SAFE_INTEGER

CHANNEL_SCHEMA = "agent-relay.channel.v1"
BINDING_TARGET_TYPES = ("agent", "label", "tag", "capability", "broadcast", "orchestrator")
BINDING_MODES = ("exclusive", "claimable", "broadcast")
ORCHESTRATOR_UNSUPPORTED = "orchestrator channel targets are not supported yet"
MAX_ADDRESS_CHARS = 200  # a message's `to`

EPHEMERAL_CHANNEL_EVENT_TYPES = frozenset(
    {"typing.started", "typing.stopped", "message.read", "message.delivered", "presence.updated"}
)
EPHEMERAL_ON_EVENTS = "ephemeral channel activity must use /api/channels/:id/activities"
NOT_EPHEMERAL = "channel activity payload must include an ephemeral event type or activity object"


def is_record(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness (the seed tests `!payload.activity`): {} and [] are true."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0  # NaN and 0 are false
    return True


def clean_string(value: Any, field: str, *, required: bool = False, max: int | None = None) -> str | None:
    """Seed: cleanString. Missing or blank is None (or "<field> required"); the value is trimmed."""
    if value is None:
        if required:
            raise BadRequest(f"{field} required")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string")
    text = value.strip()
    if not text:
        if required:
            raise BadRequest(f"{field} required")
        return None
    if max is not None and len(text) > max:
        raise BadRequest(f"{field} must be at most {max} characters")
    return text


def clean_enum(value: Any, field: str, allowed: Sequence[str], default: str | None = None) -> str | None:
    """Seed: cleanEnum."""
    if value is None:
        return default
    if not isinstance(value, str) or value not in allowed:
        raise BadRequest(f"{field} must be one of: {', '.join(allowed)}")
    return value


def clean_meta(value: Any) -> dict[str, Any] | None:
    """Seed: cleanMeta, as used for `payload`: an object or nothing."""
    return value if is_record(value) else None


# -- the session -------------------------------------------------------------------------


def session_fields(body: Any) -> tuple[str | None, int | None]:
    """instanceId / epoch from a hand-read body, held to the models' bounds (§12)."""
    instance_id = epoch = None
    if is_record(body):
        instance_id = body.get("instanceId")
        epoch = body.get("epoch")
        if instance_id is not None and (not isinstance(instance_id, str) or len(instance_id) > 200):
            raise BadRequest("instanceId must be a string of at most 200 characters")
        if epoch is not None and (not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0):
            raise BadRequest("epoch must be a non-negative integer")
        if epoch is not None and epoch > MAX_SAFE_INTEGER:
            raise BadRequest(f"epoch must be at most {MAX_SAFE_INTEGER}")
    return instance_id or None, epoch


def channel_session(guard: SessionGuard, body: Any) -> ChannelSession:
    """The headers' guard with the body's fields filling in (headers win)."""
    try:
        return ChannelSession(guard.or_body(*session_fields(body)))
    except BadRequest as exc:
        return ChannelSession(guard, exc)


# -- bindings --------------------------------------------------------------------------


def normalize_channel_binding_input(body: Any, guard: SessionGuard) -> BindChannel:
    """Seed: normalizeChannelBindingInput."""
    if not is_record(body):
        raise BadRequest("JSON object body required")
    channel_id = clean_string(body.get("channelId"), "channelId", required=True, max=200)
    conversation_id = clean_string(body.get("conversationId"), "conversationId", max=300)
    mode = clean_enum(body.get("mode"), "mode", BINDING_MODES, "exclusive")
    raw_priority = body.get("priority")
    priority = (
        raw_priority
        if isinstance(raw_priority, int)
        and not isinstance(raw_priority, bool)
        and abs(raw_priority) <= MAX_SAFE_INTEGER
        else None
    )
    raw_target = body.get("target")
    target: RouteTarget | None = None
    if isinstance(raw_target, str):
        if raw_target.strip():
            target = route_target_from_address(raw_target)
    elif is_record(raw_target):
        type_ = clean_enum(raw_target.get("type"), "target.type", BINDING_TARGET_TYPES)
        if type_ is None:  # the seed's `!` assertion; a missing type is a missing target type
            raise BadRequest("target.type required")
        target_id = (
            None
            if type_ == "broadcast"
            else clean_string(raw_target.get("id"), "target.id", required=True, max=240)
        )
        if type_ == "orchestrator":
            raise BadRequest(ORCHESTRATOR_UNSUPPORTED)
        target = RouteTarget("broadcast") if type_ == "broadcast" else RouteTarget(type_, target_id)
    if target is None:
        raise BadRequest("target required")
    if len(message_target_for_channel_target(target)) > MAX_ADDRESS_CHARS:
        raise BadRequest(f"target must be at most {MAX_ADDRESS_CHARS} characters as an address")
    assert channel_id is not None and mode is not None
    return BindChannel(channel_id, conversation_id, target, mode, priority, channel_session(guard, body))


def route_target_from_address(target: str) -> RouteTarget:
    """Seed: routeTargetFromAddress (an address parsed by the one addressing module; an
    orchestrator's inbox is an agent id to messages, but not a channel target yet)."""
    kind, target_id = addressing.split(target)
    if kind == "agent" and target.startswith("orchestrator:"):
        raise BadRequest(ORCHESTRATOR_UNSUPPORTED)
    return RouteTarget(kind, target_id)


def message_target_for_channel_target(target: RouteTarget) -> str:
    """Seed: messageTargetForChannelTarget."""
    if target.type == "orchestrator":
        raise BadRequest(ORCHESTRATOR_UNSUPPORTED)
    return addressing.join(target.type, target.id)


# -- events ----------------------------------------------------------------------------


def payload_conversation_id(payload: Mapping[str, Any]) -> str | None:
    """Seed: payloadConversationId."""
    conversation = payload.get("conversation")
    if is_record(conversation):
        return clean_string(conversation.get("id"), "payload.conversation.id", max=300)
    return None


def payload_dedupe_key(payload: Mapping[str, Any]) -> str | None:
    """Seed: payloadDedupeKey."""
    dedupe = payload.get("dedupe")
    if is_record(dedupe):
        return clean_string(dedupe.get("key"), "payload.dedupe.key", max=240)
    return None


def channel_payload_event_type(payload: Mapping[str, Any]) -> str:
    """Seed: channelPayloadEventType."""
    event = payload.get("event")
    if not is_record(event):
        raise BadRequest("payload.event must be an object")
    value = clean_string(event.get("type"), "payload.event.type", required=True, max=80)
    assert value is not None
    return value


def validate_channel_envelope(payload: Mapping[str, Any], channel: Mapping[str, Any]) -> None:
    """Seed: validateChannelEnvelope. `channel` is a channel summary (wire dict)."""
    schema = clean_string(payload.get("schema"), "payload.schema", required=True, max=80)
    if schema != CHANNEL_SCHEMA:
        raise BadRequest(f"payload.schema must be {CHANNEL_SCHEMA}")

    payload_channel = payload.get("channel")
    if not is_record(payload_channel):
        raise BadRequest("payload.channel must be an object")
    provider = clean_string(
        payload_channel.get("provider"), "payload.channel.provider", required=True, max=80
    )
    account_id = clean_string(
        payload_channel.get("accountId"), "payload.channel.accountId", required=True, max=200
    )
    agent_id = clean_string(payload_channel.get("agentId"), "payload.channel.agentId", required=True, max=200)
    if provider != channel["type"] or account_id != channel["accountId"] or agent_id != channel["agentId"]:
        raise BadRequest("payload.channel does not match channel identity")

    direction = clean_string(payload.get("direction"), "payload.direction", required=True, max=20)
    if direction not in ("inbound", "outbound"):
        raise BadRequest("payload.direction must be inbound or outbound")

    conversation = payload.get("conversation")
    if not is_record(conversation):
        raise BadRequest("payload.conversation must be an object")
    clean_string(conversation.get("id"), "payload.conversation.id", required=True, max=300)
    clean_string(conversation.get("type"), "payload.conversation.type", required=True, max=80)

    actor = payload.get("actor")
    if not is_record(actor):
        raise BadRequest("payload.actor must be an object")
    clean_string(actor.get("id"), "payload.actor.id", required=True, max=240)
    clean_string(actor.get("kind"), "payload.actor.kind", required=True, max=80)

    channel_payload_event_type(payload)
    validate_channel_attachment_refs(payload)


def validate_channel_payload_content(payload: Mapping[str, Any], allow_activity: bool) -> None:
    """Seed: validateChannelPayloadContent."""
    has_message = is_record(payload.get("message"))
    has_attachments = isinstance(payload.get("attachments"), list)
    has_reaction = is_record(payload.get("reaction"))
    has_interaction = is_record(payload.get("interaction"))
    has_activity = is_record(payload.get("activity"))
    if not (has_message or has_attachments or has_reaction or has_interaction or has_activity):
        raise BadRequest(
            "channel payload must include message, attachments, reaction, interaction, or activity"
        )
    if not allow_activity and has_activity:
        raise BadRequest("channel activity must use /api/channels/:id/activities")


def validate_channel_attachment_refs(payload: Mapping[str, Any]) -> None:
    """Seed: validateChannelAttachmentRefs."""
    attachments = payload.get("attachments")
    if attachments is None:
        return
    if not isinstance(attachments, list):
        raise BadRequest("payload.attachments must be an array")
    for index, item in enumerate(attachments):
        if not is_record(item):
            raise BadRequest(f"payload.attachments[{index}] must be an object")
        ref = item.get("ref")
        if not is_record(ref):
            raise BadRequest(f"payload.attachments[{index}].ref must be an object")
        type_ = clean_string(ref.get("type"), f"payload.attachments[{index}].ref.type", required=True, max=40)
        if type_ not in ("relay-blob", "external-url", "channel-file"):
            raise BadRequest(
                f"payload.attachments[{index}].ref.type must be relay-blob, external-url, or channel-file"
            )
        if type_ == "external-url":
            clean_string(ref.get("url"), f"payload.attachments[{index}].ref.url", required=True, max=2048)
        if type_ in ("relay-blob", "channel-file"):
            clean_string(ref.get("id"), f"payload.attachments[{index}].ref.id", required=True, max=400)


def relay_blob_refs(payload: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(index, blob id) of every relay-blob attachment; call after validation."""
    out = []
    for index, item in enumerate(payload.get("attachments") or []):
        ref = item["ref"]
        if ref["type"].strip() == "relay-blob":
            out.append((index, ref["id"].strip()))
    return out


def normalize_channel_event_body(body: Any, max_body_chars: int) -> ChannelEventInput:
    """Seed: normalizeChannelEventBody. A body without `payload` is the payload itself."""
    if not is_record(body):
        raise BadRequest("JSON object body required")
    payload = clean_meta(body.get("payload"))
    if payload is None:
        payload = body
    fallback_body = clean_string(body.get("body"), "body", max=max_body_chars)
    message = payload.get("message")
    text = (
        clean_string(message.get("text"), "payload.message.text", max=max_body_chars)
        if is_record(message)
        else None
    )
    conversation_id = clean_string(body.get("conversationId"), "conversationId", max=300)
    if conversation_id is None:
        conversation_id = payload_conversation_id(payload)
    idempotency_key = clean_string(body.get("idempotencyKey"), "idempotencyKey", max=240)
    if idempotency_key is None:
        idempotency_key = payload_dedupe_key(payload)
    return ChannelEventInput(
        body=fallback_body if fallback_body is not None else text if text is not None else "Channel event",
        payload=payload,
        conversation_id=conversation_id,
        idempotency_key=idempotency_key,
    )


def parse_channel_event(
    channel_id: str, body: Any, guard: SessionGuard, max_body_chars: int
) -> PostChannelEvent:
    """The command for an event or activity; errors wait for their turn (see PostChannelEvent)."""
    try:
        parsed: ChannelEventInput | BadRequest = normalize_channel_event_body(body, max_body_chars)
    except BadRequest as exc:
        parsed = exc
    return PostChannelEvent(channel_id, channel_session(guard, body), parsed)


# -- channel summaries -----------------------------------------------------------------


def _meta_string(meta: Mapping[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _meta_string_array(meta: Mapping[str, Any], key: str) -> list[str]:
    value = meta.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _meta_direction(meta: Mapping[str, Any]) -> str:
    direction = _meta_string(meta, "direction")
    return direction if direction in ("inbound", "outbound", "bidirectional") else "bidirectional"


def is_channel_agent(agent: Mapping[str, Any]) -> bool:
    """Seed: isChannelAgent (agent is a card wire dict)."""
    kind = _meta_string(agent.get("meta") or {}, "kind")
    return (
        agent.get("kind") == "channel"
        or kind in ("channel", "communication-channel")
        or "channel" in (agent.get("tags") or [])
        or "channel" in (agent.get("capabilities") or [])
    )


def agent_to_channel(agent: Mapping[str, Any]) -> ChannelSummaryRecord:
    """Seed: agentToChannel."""
    meta = agent.get("meta") or {}
    tag_type = next(
        (
            t[len("channel:") :]
            for t in agent.get("tags") or []
            if isinstance(t, str) and t.startswith("channel:")
        ),
        None,
    )
    type_ = _meta_string(meta, "channelType") or _meta_string(meta, "type") or tag_type or "custom"
    agent_id = agent["id"]
    account_id = _meta_string(meta, "accountId") or (
        agent_id[len(type_) + 1 :] if agent_id.startswith(f"{type_}:") else agent_id
    )
    return CHANNEL_SUMMARY_WIRE.build(
        {
            "id": _meta_string(meta, "channelId") or agent_id,
            "name": agent["name"],
            "type": type_,
            "transport": _meta_string(meta, "transport") or type_,
            "agent_id": agent_id,
            "account_id": account_id,
            "status": agent["status"],
            "ready": agent["ready"],
            "direction": _meta_direction(meta),
            "topic_channels": _meta_string_array(meta, "topicChannels"),
        }
    )
