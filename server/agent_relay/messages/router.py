from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay import trace
from agent_relay.context import RelayDep, relay_of
from agent_relay.errors import RelayError
from agent_relay.json_body_route import JsonBodyRoute
from agent_relay.leases import granted_ms
from agent_relay.messages import service
from agent_relay.messages.schemas import (
    AckOut,
    AgentRef,
    ClaimIn,
    DeletedOut,
    DeliveryOut,
    MessageKind,
    MessageOut,
    ReleaseIn,
    SendMessage,
)
from agent_relay.principal import ADMIN_ONLY, PrincipalDep, principal_of
from agent_relay.session import SessionGuardDep, guard_from_headers
from agent_relay.wire import MAX_INT, CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/messages", tags=["messages"])

MessageId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Message id")]


async def send_message(body: SendMessage, request: Request):
    """Send a message to an agent id, `label:X`, `tag:X`, `cap:X` or `broadcast`."""
    relay = relay_of(request)  # the hottest route: no dependencies (see JsonBodyRoute)
    body.from_ = principal_of(request.scope).sender(body.from_)  # §14: an agent token sends as itself
    raw = request.headers.raw
    guard = guard_from_headers(raw).or_body(body.instance_id, body.epoch)
    traceparent = trace.from_headers(raw)  # §17; an invalid one is ignored (W3C)
    max_bytes, max_deliveries = relay.settings.max_body_bytes, relay.settings.max_deliveries
    message, created = await relay.db.write(
        lambda uow: service.send(
            uow,
            body,
            guard,
            max_body_bytes=max_bytes,
            default_max_deliveries=max_deliveries,
            traceparent=traceparent,
        )
    )
    return json_response(message, 201 if created else 200)


router.add_api_route(
    "",
    send_message,
    methods=["POST"],
    response_model=MessageOut,
    status_code=201,
    responses={
        200: {"model": MessageOut, "description": "Idempotent repeat"},
        **error_responses(400, 404, 409, 413),
    },
    route_class_override=JsonBodyRoute,
)


@router.get("", response_model=list[MessageOut], responses=error_responses(400))
async def list_messages(
    relay: RelayDep,
    principal: PrincipalDep,
    from_: Annotated[str | None, Query(alias="from", max_length=200)] = None,
    to: Annotated[str | None, Query(max_length=200)] = None,
    kind: MessageKind | None = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
    after: CursorQuery = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
    stuck: Annotated[
        bool, Query(description="Only stuck work: direct messages unread, claimable ones never claimed")
    ] = False,
):
    """Messages, newest first. An agent token sees only messages it sent, holds or that
    reach it."""
    items = await relay.db.read(
        lambda conn: service.list_messages(
            conn,
            sender=from_,
            to=to,
            kind=kind,
            channel=channel,
            after=after,
            before=before,
            limit=limit,
            principal=principal,
            stuck=stuck,
        )
    )
    return json_response(items)


@router.get("/{id}", response_model=MessageOut, responses=error_responses(400, 404))
async def get_message(message_id: MessageId, principal: PrincipalDep, relay: RelayDep):
    """One message; 404 for an agent token it does not concern."""
    message = await relay.db.read(lambda conn: service.get_visible(conn, message_id, principal))
    return json_response(message)


@router.delete(
    "/{id}", response_model=DeletedOut, responses=error_responses(400, 404), dependencies=[ADMIN_ONLY]
)
async def delete_message(message_id: MessageId, relay: RelayDep):
    """Admin only."""
    result = await relay.db.write(lambda uow: service.delete(uow, message_id))
    return json_response(result)


@router.post("/{id}/ack", response_model=AckOut, responses=error_responses(400, 404, 409))
async def ack_message(
    message_id: MessageId,
    body: AgentRef,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Read receipt for one agent (per agent for group messages)."""
    guard = headers_guard.or_body(body.instance_id, body.epoch)
    result = await relay.db.write(lambda uow: service.ack(uow, message_id, body.agent_id, guard, principal))
    return json_response(result)


@router.post("/{id}/claim", response_model=MessageOut, responses=error_responses(400, 404, 409))
async def claim_message(
    message_id: MessageId,
    body: ClaimIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Claim a claimable message for a lease. Exactly one concurrent claimer wins; the
    others get 409. Claiming again extends your own lease."""
    guard = headers_guard.or_body(body.instance_id, body.epoch)
    lease = granted_ms(body.lease_ms, relay.settings)
    result = await relay.db.write(
        lambda uow: service.claim_or_refusal(uow, message_id, body.agent_id, lease, guard, principal)
    )
    if isinstance(result, RelayError):
        raise result
    return json_response(result)


@router.post("/{id}/release", response_model=MessageOut, responses=error_responses(400, 404, 409))
async def release_message(
    message_id: MessageId,
    body: ReleaseIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Let go of your claim: back to the queue (hidden for `delayMs`), or dead-lettered when
    its deliveries are spent."""
    guard = headers_guard.or_body(body.instance_id, body.epoch)
    message = await relay.db.write(
        lambda uow: service.release(uow, message_id, body.agent_id, guard, body.delay_ms, principal)
    )
    return json_response(message)


@router.post(
    "/{id}/redrive",
    response_model=MessageOut,
    responses=error_responses(400, 404, 409),
    dependencies=[ADMIN_ONLY],
)
async def redrive_message(message_id: MessageId, relay: RelayDep):
    """Admin only: a dead-lettered message claimable again, with deliveryCount 0."""
    message = await relay.db.write(lambda uow: service.redrive(uow, message_id))
    return json_response(message)


@router.get("/{id}/deliveries", response_model=list[DeliveryOut], responses=error_responses(400, 404))
async def list_deliveries(message_id: MessageId, principal: PrincipalDep, relay: RelayDep):
    """The delivery ledger: how far the message got with each agent it reached (the sender,
    the recipients and the admin; 404 for an agent token the message does not concern)."""
    rows = await relay.db.read(lambda conn: service.deliveries(conn, message_id, principal))
    return json_response(rows)


dead_letters_router = APIRouter(prefix="/api/dead-letters", tags=["messages"])


@dead_letters_router.get("", response_model=list[MessageOut], responses=error_responses(400))
async def list_dead_letters(
    principal: PrincipalDep, relay: RelayDep, before: CursorQuery = None, limit: LimitQuery = 100
):
    """Dead-lettered messages, newest first (`before`: a message id). An agent token sees
    only the ones it sent, held or that reach it."""
    items = await relay.db.read(
        lambda conn: service.dead_letters(conn, before=before, limit=limit, principal=principal)
    )
    return json_response(items)
