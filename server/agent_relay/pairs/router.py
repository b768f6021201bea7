from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay import trace
from agent_relay.context import RelayDep
from agent_relay.messages.schemas import MessageOut
from agent_relay.pairs import service
from agent_relay.pairs.schemas import PairActionIn, PairCreate, PairMessageIn, PairOut, PairQuery, PairStatus
from agent_relay.principal import PrincipalDep
from agent_relay.session import SessionGuardDep
from agent_relay.wire import MAX_INT, CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/pairs", tags=["pairs"])

PairId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Pair id")]


@router.post("", response_model=PairOut, status_code=201, responses=error_responses(400, 404, 409))
async def create_pair(
    body: PairCreate, headers_guard: SessionGuardDep, principal: PrincipalDep, relay: RelayDep
):
    """Invite `to` to pair with `from` on a topic. The pair is `pending` until the invited
    agent accepts, or `ttlMs` (default from settings) passes."""
    principal.act_as(body.from_)
    guard, settings = headers_guard.or_body(body.instance_id, body.epoch), relay.settings
    return json_response(await relay.db.write(lambda uow: service.create(uow, body, guard, settings)), 201)


@router.get("", response_model=list[PairOut], responses=error_responses(400))
async def list_pairs(
    relay: RelayDep,
    principal: PrincipalDep,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=200)] = None,
    status: PairStatus | None = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
):
    """Pairs, newest first; `agentId` matches either member (an agent token: its own)."""
    query = PairQuery(principal.narrow(agent_id), status, before, limit)
    return json_response(await relay.db.read(lambda conn: service.list_pairs(conn, query)))


@router.get("/{id}", response_model=PairOut, responses=error_responses(400, 404))
async def get_pair(pair_id: PairId, principal: PrincipalDep, relay: RelayDep):
    return json_response(await relay.db.read(lambda conn: service.get(conn, pair_id, principal)))


@router.post("/{id}/actions", response_model=PairOut, responses=error_responses(400, 403, 404, 409))
async def act_on_pair(
    pair_id: PairId,
    body: PairActionIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """`accept` / `reject` (the invited agent only) or `end` (either member)."""
    principal.act_as(body.agent_id)
    guard = headers_guard.or_body(body.instance_id, body.epoch)
    return json_response(await relay.db.write(lambda uow: service.act(uow, pair_id, body, guard)))


@router.post(
    "/{id}/messages",
    response_model=MessageOut,
    status_code=201,
    responses=error_responses(400, 403, 404, 409, 413),
)
async def send_pair_message(
    pair_id: PairId,
    body: PairMessageIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
    request: Request,
):
    """A `kind: "pair"` message to the other member; only while the pair is active."""
    principal.act_as(body.from_)
    guard, max_bytes = headers_guard.or_body(body.instance_id, body.epoch), relay.settings.max_body_bytes
    traceparent = trace.from_headers(request.headers.raw)  # §17
    message = await relay.db.write(
        lambda uow: service.send_message(
            uow, pair_id, body, guard, max_body_bytes=max_bytes, traceparent=traceparent
        )
    )
    return json_response(message, 201)
