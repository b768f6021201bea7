from __future__ import annotations

from fastapi import APIRouter

from agent_relay.context import RelayDep
from agent_relay.messages.schemas import BroadcastIn, MessageOut
from agent_relay.principal import PrincipalDep
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


@router.get("/api/whoami", response_model=WhoAmIOut)
async def whoami(principal: PrincipalDep):
    """Who the presented token says the caller is: `admin`, `agent` (with its `agentId`),
    `integration` or `open` (a relay with no admin token)."""
    return json_response({"role": principal.role, "agentId": principal.own_agent})


@router.post("/api/system/reap", response_model=ReapOut, responses=error_responses(403))
async def run_reaper(relay: RelayDep, principal: PrincipalDep):
    """Release expired claims, mark stale agents and orchestrators offline, expire pairs.
    Admin only."""
    principal.require_admin()
    settings = relay.settings
    result = await relay.db.write(lambda uow: service.run_reaper(uow, settings))
    return json_response(result)


@router.post(
    "/api/system/broadcast", response_model=MessageOut, status_code=201, responses=error_responses(400, 403)
)
async def broadcast_system_message(body: BroadcastIn, relay: RelayDep, principal: PrincipalDep):
    """A `system` message from `system` to every agent. Admin only."""
    principal.require_admin()
    message = await relay.db.write(lambda uow: service.broadcast(uow, body))
    return json_response(message, 201)
