"""Channel rules: channel summaries, guarded bindings, route resolution (and its
explanation), events fanned out as `channel.event` messages, ephemeral activities."""

from __future__ import annotations

import hashlib

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.agents import service as agents
from agent_relay.blobs import service as blobs
from agent_relay.channels import envelope as env
from agent_relay.channels import repository as repo
from agent_relay.channels.schemas import (
    BINDING_WIRE,
    BindChannel,
    ChannelActivityRecord,
    ChannelBindingRecord,
    ChannelEventRecord,
    ChannelRoutesRecord,
    ChannelSession,
    ChannelSummaryRecord,
    PostChannelEvent,
    RouteCandidateRecord,
    UnreachableBindingRecord,
)
from agent_relay.clock import now_ms
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import NewMessage
from agent_relay.principal import ADMIN, Principal

_build = BINDING_WIRE.build

NO_BINDING = "channel has no binding"
MAX_IDEMPOTENCY_KEY = 240  # messages.idempotency_key


# -- channels ----------------------------------------------------------------------------


def list_channels(conn: Connection) -> list[ChannelSummaryRecord]:
    """Seed: listChannels — channel agents as summaries, ready ones first, then by name."""
    channels = [env.agent_to_channel(card) for card in agents.list_agents(conn) if env.is_channel_agent(card)]
    channels.sort(key=lambda c: (not c["ready"], c["name"].casefold(), c["name"]))
    return channels


def find_channel(conn: Connection, channel_id: str) -> ChannelSummaryRecord | None:
    """Seed: getChannel. Usually the channel id is its agent's id: one row. Otherwise (a
    `meta.channelId`) the first channel in list order with that id."""
    card = agents.get_card(conn, channel_id)
    if card is not None and env.is_channel_agent(card):
        channel = env.agent_to_channel(card)
        if channel["id"] == channel_id:
            return channel
    return next((c for c in list_channels(conn) if c["id"] == channel_id), None)


def require_channel(conn: Connection, channel_id: str) -> ChannelSummaryRecord:
    channel = find_channel(conn, channel_id)
    if channel is None:
        raise NotFound("channel not found")
    return channel


def require_channel_session(
    conn: Connection, channel: ChannelSummaryRecord, session: ChannelSession, principal: Principal
) -> None:
    """Seed: requireChannelSession. 400 without a guard; 409 for a superseded session. And
    §14: an agent token acts only for its own channel (403)."""
    principal.act_as(channel["agentId"])
    agents.validate_session(conn, channel["agentId"], session.required())


# -- bindings ----------------------------------------------------------------------------


def list_bindings(conn: Connection, channel_id: str | None, limit: int) -> list[ChannelBindingRecord]:
    """Newest first, optionally of one channel."""
    return [_build(row) for row in repo.list_for(conn, channel_id, limit)]


def upsert_binding(
    uow: UnitOfWork, cmd: BindChannel, principal: Principal = ADMIN
) -> tuple[ChannelBindingRecord, bool]:
    """Seed: postChannelBinding — (validated by the router) find the channel, check its
    session, upsert."""
    channel = require_channel(uow.conn, cmd.channel_id)
    require_channel_session(uow.conn, channel, cmd.session, principal)
    values = {
        "channel_id": channel["id"],
        "conversation_key": cmd.conversation_id or "",
        "target_type": cmd.target.type,
        "target_id": cmd.target.id,
        "target_key": env.message_target_for_channel_target(cmd.target),
        "mode": cmd.mode,
    }
    row, created = repo.upsert(uow.conn, values, cmd.priority, uow.now)
    return _build(row), created


def delete_binding(
    uow: UnitOfWork, binding_id: int, session: ChannelSession, principal: Principal = ADMIN
) -> ChannelBindingRecord:
    row = repo.get(uow.conn, binding_id)
    if row is None:
        raise NotFound("channel binding not found")
    channel = find_channel(uow.conn, row["channel_id"])
    if channel is not None:
        require_channel_session(uow.conn, channel, session, principal)
    else:  # a binding whose channel agent is gone: any admin may clean it up
        principal.require_admin()
    repo.delete(uow.conn, binding_id)
    return _build(row)


# -- routing -----------------------------------------------------------------------------


def _tiers(rows: list[RowMapping], conversation_id: str | None) -> tuple[list[RowMapping], list[RowMapping]]:
    conversation = [r for r in rows if conversation_id and r["conversation_key"] == conversation_id]
    defaults = [r for r in rows if r["conversation_key"] == ""]
    return conversation, defaults


def _choose(tier_rows: list[RowMapping]) -> list[RowMapping]:
    """Within one tier (already in route order): the first exclusive binding alone, else all."""
    winner = next((r for r in tier_rows if r["mode"] == "exclusive"), None)
    return [winner] if winner is not None else list(tier_rows)


def resolve_routes(conn: Connection, channel_id: str, conversation_id: str | None) -> list[RowMapping]:
    """The conversation's bindings if it has any, else the channel defaults; the
    highest-priority (then newest) exclusive binding wins alone, otherwise all are used."""
    rows: list[RowMapping] = []
    if conversation_id:
        rows = repo.tier(conn, channel_id, conversation_id)
    if not rows:
        rows = repo.tier(conn, channel_id, "")
    return _choose(rows)


def _tier_name(row: RowMapping) -> str:
    return "conversation" if row["conversation_key"] else "default"


def _shadow_reason(row: RowMapping, winner: RowMapping) -> str:
    if row["mode"] != "exclusive":
        return (
            f"{row['mode']} binding shadowed by exclusive binding {winner['id']} in the same tier: "
            "an exclusive binding wins alone"
        )
    if row["priority"] == winner["priority"]:
        return (
            f"exclusive binding shadowed by the newer exclusive binding {winner['id']} at the same priority"
        )
    return (
        f"exclusive binding shadowed by exclusive binding {winner['id']} "
        f"with higher priority {winner['priority']}"
    )


def _explain_tier(tier_rows: list[RowMapping], tier: str) -> list[tuple[RowMapping, bool, str]]:
    winner = next((r for r in tier_rows if r["mode"] == "exclusive"), None)
    out = []
    for row in tier_rows:
        if winner is None:
            out.append(
                (row, True, f"no exclusive binding in the {tier} tier: every binding receives the event")
            )
        elif row is winner:
            out.append((row, True, f"highest-priority exclusive binding in the {tier} tier: it wins alone"))
        else:
            out.append((row, False, _shadow_reason(row, winner)))
    return out


def explain_routes(conn: Connection, channel_id: str, conversation_id: str | None) -> ChannelRoutesRecord:
    """Which bindings an event for this conversation goes to and why, plus the bindings
    of the channel that no event can ever reach."""
    channel = require_channel(conn, channel_id)
    rows = repo.for_channel(conn, channel["id"])
    conversation, defaults = _tiers(rows, conversation_id)
    used = "conversation" if conversation else "default"
    explained: list[tuple[RowMapping, bool, str, str]] = []
    for row, chosen, reason in _explain_tier(conversation, "conversation"):
        explained.append((row, chosen, reason, "conversation"))
    if conversation:
        for row in defaults:
            explained.append(
                (
                    row,
                    False,
                    "the conversation has its own bindings, which take precedence over channel defaults",
                    "default",
                )
            )
    else:
        for row, chosen, reason in _explain_tier(defaults, "default"):
            explained.append((row, chosen, reason, "default"))

    candidates: list[RouteCandidateRecord] = [
        {
            "binding": _build(row),
            "tier": tier,
            "mode": row["mode"],
            "priority": row["priority"],
            "to": row["target_key"],
            "chosen": chosen,
            "reason": reason,
        }
        for row, chosen, reason, tier in explained
    ]
    chosen_rows = [row for row, chosen, _, _ in explained if chosen]

    # Never chosen, whatever the event: everything in a tier that has an exclusive binding,
    # except that binding (the resolution inside a tier does not depend on the event).
    unreachable: list[UnreachableBindingRecord] = []
    groups: dict[str, list[RowMapping]] = {}
    for row in rows:
        groups.setdefault(row["conversation_key"], []).append(row)
    for group in groups.values():
        winner = next((r for r in group if r["mode"] == "exclusive"), None)
        if winner is None:
            continue
        for row in group:
            if row is not winner:
                unreachable.append(
                    {
                        "binding": _build(row),
                        "tier": _tier_name(row),
                        "reason": _shadow_reason(row, winner),
                    }
                )
    return {
        "channelId": channel["id"],
        "conversationId": conversation_id,
        "tier": used if chosen_rows else None,
        "bindings": [_build(r) for r in chosen_rows],
        "candidates": candidates,
        "unreachable": unreachable,
    }


# -- events and activities ---------------------------------------------------------------


def scoped_idempotency_key(key: str | None, binding_id: int) -> str | None:
    """Seed: scopedChannelIdempotencyKey — `<key>:<bindingId>`; a key too long for the
    column keeps its head and a digest of the whole, so it stays deterministic."""
    if not key:
        return None
    suffix = f":{binding_id}"
    scoped = f"{key}{suffix}"
    if len(scoped) <= MAX_IDEMPOTENCY_KEY:
        return scoped
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    head = key[: MAX_IDEMPOTENCY_KEY - len(suffix) - len(digest) - 1]
    return f"{head}~{digest}{suffix}"


def post_event(
    uow: UnitOfWork, cmd: PostChannelEvent, max_body_bytes: int, principal: Principal = ADMIN
) -> tuple[ChannelEventRecord, bool]:
    """Seed: postChannelEvent — checks in its order, then one `channel.event` message per
    chosen binding, idempotent per binding."""
    conn = uow.conn
    channel = require_channel(conn, cmd.channel_id)
    require_channel_session(conn, channel, cmd.session, principal)
    inp = cmd.event()
    env.validate_channel_envelope(inp.payload, channel)
    env.validate_channel_payload_content(inp.payload, False)
    event_type = env.channel_payload_event_type(inp.payload)
    if event_type in env.EPHEMERAL_CHANNEL_EVENT_TYPES:
        raise BadRequest(env.EPHEMERAL_ON_EVENTS)
    blobs.check_refs(conn, env.relay_blob_refs(inp.payload))
    bindings = resolve_routes(conn, channel["id"], inp.conversation_id)
    if not bindings:
        raise Conflict(NO_BINDING)
    results = [
        messages.send(
            uow,
            NewMessage(
                from_=channel["agentId"],
                to=binding["target_key"],
                kind="channel.event",
                channel=channel["id"],
                body=inp.body,
                payload=inp.payload,
                idempotency_key=scoped_idempotency_key(inp.idempotency_key, binding["id"]),
                claimable=binding["mode"] == "claimable",
            ),
            max_body_bytes=max_body_bytes,
        )
        for binding in bindings
    ]
    created = any(was_created for _, was_created in results)
    return {
        "messages": [message for message, _ in results],
        "bindings": [_build(b) for b in bindings],
        "created": created,
    }, created


def check_activity(
    conn: Connection, cmd: PostChannelEvent, principal: Principal = ADMIN
) -> ChannelActivityRecord:
    """Seed: postChannelActivity — the same checks as an event, but only ephemeral event
    types or an `activity` object; returns the activity to publish (nothing is stored)."""
    channel = require_channel(conn, cmd.channel_id)
    require_channel_session(conn, channel, cmd.session, principal)
    inp = cmd.event()
    env.validate_channel_envelope(inp.payload, channel)
    env.validate_channel_payload_content(inp.payload, True)
    event_type = env.channel_payload_event_type(inp.payload)
    if event_type not in env.EPHEMERAL_CHANNEL_EVENT_TYPES and not env.js_truthy(inp.payload.get("activity")):
        raise BadRequest(env.NOT_EPHEMERAL)
    blobs.check_refs(conn, env.relay_blob_refs(inp.payload))
    return {
        "channelId": channel["id"],
        "conversationId": inp.conversation_id,
        "payload": inp.payload,
        "createdAt": now_ms(),
    }
