from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay.agents.service import guard_from
from agent_relay.context import RelayDep
from agent_relay.messages.schemas import MessageOut
from agent_relay.pairs import repository as repo
from agent_relay.pairs import service
from agent_relay.pairs.schemas import PairActionIn, PairCreate, PairMessageIn, PairOut, PairStatus
from agent_relay.wire import MAX_INT, CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/pairs", tags=["pairs"])

PairId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Pair id")]


@router.post("", response_model=PairOut, status_code=201, responses=error_responses(400, 404, 409))
async def create_pair(body: PairCreate, request: Request, relay: RelayDep):
    """Invite `to` to pair with `from` on a topic. The pair is `pending` until the invited
    agent accepts, or `ttlMs` (default from settings) passes."""
    guard = guard_from(request.headers, body)
    ttl = body.ttl_ms or relay.settings.pair_ttl_ms
    pair = await relay.db.write(
        lambda uow: service.create(
            uow, sender=body.from_, to=body.to, topic=body.topic, ttl_ms=ttl, guard=guard
        )
    )
    return json_response(pair, 201)


@router.get("", response_model=list[PairOut], responses=error_responses(400))
async def list_pairs(
    relay: RelayDep,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=200)] = None,
    status: PairStatus | None = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
):
    """Pairs, newest first; `agentId` matches either member."""
    rows = await relay.db.read(
        lambda conn: repo.list_filtered(conn, agent_id=agent_id, status=status, before=before, limit=limit)
    )
    return json_response([repo.to_wire(r) for r in rows])


@router.get("/{id}", response_model=PairOut, responses=error_responses(400, 404))
async def get_pair(pair_id: PairId, relay: RelayDep):
    row = await relay.db.read(lambda conn: service.get(conn, pair_id))
    return json_response(repo.to_wire(row))


@router.post("/{id}/actions", response_model=PairOut, responses=error_responses(400, 403, 404, 409))
async def act_on_pair(pair_id: PairId, body: PairActionIn, request: Request, relay: RelayDep):
    """`accept` / `reject` (the invited agent only) or `end` (either member)."""
    guard = guard_from(request.headers, body)
    pair = await relay.db.write(lambda uow: service.act(uow, pair_id, body.action, body.agent_id, guard))
    return json_response(pair)


@router.post(
    "/{id}/messages",
    response_model=MessageOut,
    status_code=201,
    responses=error_responses(400, 403, 404, 409, 413),
)
async def send_pair_message(pair_id: PairId, body: PairMessageIn, request: Request, relay: RelayDep):
    """A `kind: "pair"` message to the other member; only while the pair is active."""
    guard = guard_from(request.headers, body)
    max_bytes = relay.settings.max_body_bytes
    message = await relay.db.write(
        lambda uow: service.send_message(
            uow,
            pair_id,
            sender=body.from_,
            body=body.body,
            subject=body.subject,
            meta=body.meta,
            payload=body.payload,
            guard=guard,
            max_body_bytes=max_bytes,
        )
    )
    return json_response(message, 201)
