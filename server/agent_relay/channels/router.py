from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay.channels import envelope, service
from agent_relay.channels.schemas import (
    BINDING_IN_SCHEMA,
    CHANNEL_EVENT_IN_SCHEMA,
    ChannelActivityOut,
    ChannelBindingOut,
    ChannelEventOut,
    ChannelRoutesOut,
    ChannelSession,
    ChannelSummaryOut,
    json_body,
)
from agent_relay.context import RelayDep
from agent_relay.json_body_route import read_json_body
from agent_relay.principal import PrincipalDep
from agent_relay.session import SessionGuardDep
from agent_relay.wire import MAX_INT, LimitQuery, error_responses, json_response

router = APIRouter(tags=["channels"])

ChannelId = Annotated[str, Path(alias="id", min_length=1, max_length=200)]
BindingId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Binding id")]


@router.get("/api/channels", response_model=list[ChannelSummaryOut])
async def list_channels(relay: RelayDep):
    """Channel agents as channel summaries, ready ones first, then by name."""
    return json_response(await relay.db.read(service.list_channels))


@router.get("/api/channels/{id}/routes", response_model=ChannelRoutesOut, responses=error_responses(400, 404))
async def explain_channel_routes(
    channel_id: ChannelId,
    relay: RelayDep,
    conversation_id: Annotated[str | None, Query(alias="conversationId", max_length=300)] = None,
):
    """Which bindings an event for this conversation would go to, and why: every candidate
    with its tier, mode, priority and whether it is chosen; plus the bindings that no event
    can ever reach (shadowed by an exclusive binding in the same tier)."""
    conversation = conversation_id.strip() or None if conversation_id else None
    result = await relay.db.read(lambda conn: service.explain_routes(conn, channel_id, conversation))
    return json_response(result)


@router.post(
    "/api/channels/{id}/events",
    response_model=ChannelEventOut,
    status_code=201,
    responses={
        200: {"model": ChannelEventOut, "description": "Idempotent repeat"},
        **error_responses(400, 404, 409, 413),
    },
    openapi_extra=json_body(CHANNEL_EVENT_IN_SCHEMA),
)
async def post_channel_event(
    channel_id: ChannelId, request: Request, guard: SessionGuardDep, principal: PrincipalDep, relay: RelayDep
):
    """A conversation event from the chat platform: one `channel.event` message per chosen
    binding (claimable for claimable bindings); the idempotency key (or `payload.dedupe.key`)
    is scoped per binding. Requires the channel agent's session guard."""
    max_bytes = relay.settings.max_body_bytes
    cmd = envelope.parse_channel_event(channel_id, await read_json_body(request), guard, max_bytes)
    result, created = await relay.db.write(lambda uow: service.post_event(uow, cmd, max_bytes, principal))
    return json_response(result, 201 if created else 200)


@router.post(
    "/api/channels/{id}/activities",
    response_model=ChannelActivityOut,
    status_code=202,
    responses=error_responses(400, 404, 409, 413),
    openapi_extra=json_body(CHANNEL_EVENT_IN_SCHEMA),
)
async def post_channel_activity(
    channel_id: ChannelId, request: Request, guard: SessionGuardDep, principal: PrincipalDep, relay: RelayDep
):
    """Ephemeral activity (typing, read receipts, presence, or an `activity` object):
    never stored, pushed to SSE subscribers as `channel.activity`."""
    max_bytes = relay.settings.max_body_bytes
    cmd = envelope.parse_channel_event(channel_id, await read_json_body(request), guard, max_bytes)
    activity = await relay.db.read(lambda conn: service.check_activity(conn, cmd, principal))
    await relay.publish_ephemeral("channel.activity", activity)
    return json_response({"ok": True, "activity": activity}, 202)


@router.get("/api/channel-bindings", response_model=list[ChannelBindingOut], responses=error_responses(400))
async def list_channel_bindings(
    relay: RelayDep,
    channel_id: Annotated[str | None, Query(alias="channelId", max_length=200)] = None,
    limit: LimitQuery = 1000,
):
    """Bindings, newest first, optionally of one channel."""
    return json_response(
        await relay.db.read(lambda conn: service.list_bindings(conn, channel_id or None, limit))
    )


@router.post(
    "/api/channel-bindings",
    response_model=ChannelBindingOut,
    status_code=201,
    responses=error_responses(400, 404, 409),
    openapi_extra=json_body(BINDING_IN_SCHEMA),
)
async def bind_channel(request: Request, guard: SessionGuardDep, principal: PrincipalDep, relay: RelayDep):
    """Create or update (by channel, conversation and target) a binding. Requires the
    channel agent's session guard. Answers 201 either way, as the original relay does."""
    cmd = envelope.normalize_channel_binding_input(await read_json_body(request), guard)
    binding, _created = await relay.db.write(lambda uow: service.upsert_binding(uow, cmd, principal))
    return json_response(binding, 201)


@router.delete(
    "/api/channel-bindings/{id}", response_model=ChannelBindingOut, responses=error_responses(400, 404, 409)
)
async def unbind_channel(
    binding_id: BindingId, guard: SessionGuardDep, principal: PrincipalDep, relay: RelayDep
):
    """Remove a binding. Requires the channel agent's session guard (headers)."""
    session = ChannelSession(guard)
    binding = await relay.db.write(lambda uow: service.delete_binding(uow, binding_id, session, principal))
    return json_response(binding)
