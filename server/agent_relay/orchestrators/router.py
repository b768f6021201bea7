from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from agent_relay import trace
from agent_relay.context import RelayDep
from agent_relay.orchestrators import service
from agent_relay.orchestrators.schemas import (
    ManagedAgentsIn,
    OrchestratorActionIn,
    OrchestratorActionOut,
    OrchestratorOut,
    OrchestratorRegister,
    OrchestratorSpawnIn,
    OrchestratorSpawnOut,
    SpawnPrecheck,
)
from agent_relay.principal import ADMIN_ONLY, PrincipalDep
from agent_relay.wire import OkBody, error_responses, json_response

router = APIRouter(prefix="/api/orchestrators", tags=["orchestrators"])

OrchestratorId = Annotated[str, Path(alias="id", min_length=1, description="Orchestrator id")]


# The seed checks "orchestrator not found" (and for spawn "orchestrator is offline", the
# provider and the cwd) before it looks at the rest of the body. FastAPI runs
# dependencies before it validates the body, so these dependencies keep that order; the
# write job repeats every check, so the answer stays right if the row changes meanwhile.


async def _existing(orchestrator_id: OrchestratorId, relay: RelayDep) -> None:
    await relay.db.read(lambda conn: service.get(conn, orchestrator_id))


async def _spawnable(orchestrator_id: OrchestratorId, request: Request, relay: RelayDep) -> None:
    try:
        raw: Any = await request.json()
    except ValueError:
        raw = None  # FastAPI reports the bad JSON itself, after the orchestrator checks
    pre = SpawnPrecheck.from_raw(raw)
    await relay.db.read(lambda conn: service.precheck_spawn(conn, orchestrator_id, pre))


@router.post("", response_model=OrchestratorOut, status_code=201, responses=error_responses(400))
async def register_orchestrator(body: OrchestratorRegister, principal: PrincipalDep, relay: RelayDep):
    """Register or update an orchestrator (upsert by id, always 201). Also registers its
    inbox agent `orchestrator:<id>` (kind `orchestrator`), where control messages arrive.
    Admin, or the agent token of `orchestrator:<id>`."""
    orch = await relay.db.write(lambda uow: service.register(uow, body, principal))
    return json_response(orch, 201)


@router.get("", response_model=list[OrchestratorOut])
async def list_orchestrators(relay: RelayDep):
    """Every orchestrator, newest registration first."""
    return json_response(await relay.db.read(service.list_orchestrators))


@router.get("/{id}", response_model=OrchestratorOut, responses=error_responses(404))
async def get_orchestrator(orchestrator_id: OrchestratorId, relay: RelayDep):
    return json_response(await relay.db.read(lambda conn: service.get(conn, orchestrator_id)))


@router.post("/{id}/heartbeat", response_model=OkBody, responses=error_responses(404))
async def heartbeat_orchestrator(orchestrator_id: OrchestratorId, principal: PrincipalDep, relay: RelayDep):
    """Refresh `lastHeartbeat`, set `online`, and refresh the inbox agent's `lastSeen`."""
    await relay.db.write(lambda uow: service.heartbeat(uow, orchestrator_id, principal))
    return json_response({"ok": True})


@router.patch("/{id}/agents", response_model=OrchestratorOut, responses=error_responses(400, 404))
async def set_orchestrator_agents(
    orchestrator_id: OrchestratorId,
    _found: Annotated[None, Depends(_existing)],
    body: ManagedAgentsIn,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Replace the orchestrator's managed-agent list (the daemon sends it after every change)."""
    orch = await relay.db.write(
        lambda uow: service.set_managed_agents(uow, orchestrator_id, body.agents, principal)
    )
    return json_response(orch)


@router.post(
    "/{id}/spawn",
    response_model=OrchestratorSpawnOut,
    status_code=202,
    responses=error_responses(400, 404, 409),
    dependencies=[ADMIN_ONLY],
)
async def spawn_on_orchestrator(
    orchestrator_id: OrchestratorId,
    _checked: Annotated[None, Depends(_spawnable)],
    body: OrchestratorSpawnIn,
    relay: RelayDep,
    request: Request,
):
    """Ask this orchestrator to spawn an agent: an urgent `control` message with
    `payload.orchestratorControl.action = "spawn"` to its inbox. `cwd` (default `baseDir`,
    relative = under `baseDir`) must stay inside `baseDir` after resolving `..`/symlinks."""
    traceparent = trace.from_headers(request.headers.raw)  # §17: on the control message, then TRACEPARENT
    message = await relay.db.write(lambda uow: service.spawn(uow, orchestrator_id, body, traceparent))
    return json_response({"ok": True, "orchestratorId": orchestrator_id, "message": message}, 202)


@router.post(
    "/{id}/actions",
    response_model=OrchestratorActionOut,
    status_code=202,
    responses=error_responses(400, 404),
    dependencies=[ADMIN_ONLY],
)
async def request_orchestrator_action(
    orchestrator_id: OrchestratorId,
    _found: Annotated[None, Depends(_existing)],
    body: OrchestratorActionIn,
    relay: RelayDep,
):
    """Restart or shut down one managed agent (`agentId`) or all of them."""
    message = await relay.db.write(lambda uow: service.action(uow, orchestrator_id, body))
    return json_response({"ok": True, "action": body.action, "message": message}, 202)


@router.delete("/{id}", response_model=OkBody, responses=error_responses(404), dependencies=[ADMIN_ONLY])
async def delete_orchestrator(orchestrator_id: OrchestratorId, relay: RelayDep):
    """Remove the orchestrator and its inbox agent (SSE `orchestrator.removed`)."""
    await relay.db.write(lambda uow: service.delete(uow, orchestrator_id))
    return json_response({"ok": True})
