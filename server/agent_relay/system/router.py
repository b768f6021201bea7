from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from agent_relay import metrics, trace
from agent_relay.context import RelayDep
from agent_relay.messages.schemas import BroadcastIn, MessageOut
from agent_relay.principal import ADMIN_ONLY, PrincipalDep
from agent_relay.system import service
from agent_relay.system.schemas import HealthOut, ReapOut, WhoAmIOut
from agent_relay.wire import error_responses, json_response

router = APIRouter(tags=["system"])


@router.get(
    "/api/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database or the writer is not working"}},
)
async def get_health(relay: RelayDep):
    """Liveness and a glance at the data. Never needs a token. 503 when the database cannot
    be read or writes are not completing (`database.error`, `writer.error` say why)."""
    report, ok = await service.health(relay)
    return json_response(report, 200 if ok else 503)


@router.get("/metrics", include_in_schema=False, dependencies=[ADMIN_ONLY])
async def get_metrics(relay: RelayDep):
    """Prometheus metrics (§17), text format. Admin token (or an open relay, loopback only);
    an agent token gets 403, no or a wrong token 401 (middleware.TokenAuth)."""
    return Response(await service.metrics_text(relay), media_type=metrics.CONTENT_TYPE)


@router.get("/api/whoami", response_model=WhoAmIOut)
async def get_whoami(principal: PrincipalDep):
    """Who the presented token says the caller is: `admin`, `agent` (with its `agentId`),
    `integration` or `open` (a relay with no admin token)."""
    return json_response({"role": principal.role, "agentId": principal.own_agent})


@router.post("/api/system/reap", response_model=ReapOut, dependencies=[ADMIN_ONLY])
async def run_reaper(relay: RelayDep):
    """Release expired claims, mark stale agents and orchestrators offline, expire pairs.
    Admin only."""
    settings = relay.settings
    result = await relay.db.write(lambda uow: service.run_reaper(uow, settings))
    return json_response(result)


@router.post(
    "/api/system/broadcast",
    response_model=MessageOut,
    status_code=201,
    responses=error_responses(400),
    dependencies=[ADMIN_ONLY],
)
async def broadcast_system_message(body: BroadcastIn, relay: RelayDep, request: Request):
    """A `system` message from `system` to every agent. Admin only."""
    traceparent = trace.from_headers(request.headers.raw)  # §17
    message = await relay.db.write(lambda uow: service.broadcast(uow, body, traceparent))
    return json_response(message, 201)
