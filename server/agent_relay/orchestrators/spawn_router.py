"""POST /api/agents/spawn (seed: postAgentSpawn) and GET /api/host/directories.

Registered before the agents router in app.py so no `/api/agents/{id}` route can shadow it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from agent_relay import trace
from agent_relay.context import RelayDep
from agent_relay.orchestrators import service
from agent_relay.orchestrators.schemas import AgentSpawnIn, AgentSpawnOut, HostDirectoriesOut
from agent_relay.principal import ADMIN_ONLY
from agent_relay.wire import error_responses, json_response

router = APIRouter()


@router.post(
    "/api/agents/spawn",
    response_model=AgentSpawnOut,
    status_code=202,
    tags=["agents"],
    responses=error_responses(400, 502),
    dependencies=[ADMIN_ONLY],
)
async def spawn_agent(body: AgentSpawnIn, relay: RelayDep, request: Request):
    """Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502."""
    traceparent = trace.from_headers(request.headers.raw)  # §17: TRACEPARENT in the agent's environment
    return json_response(await service.spawn_agent(relay.db, relay.settings, body, traceparent), 202)


@router.get(
    "/api/host/directories",
    response_model=HostDirectoriesOut,
    tags=["host"],
    responses=error_responses(400),
    dependencies=[ADMIN_ONLY],
)
async def list_host_directories(
    relay: RelayDep,
    path: Annotated[
        str | None, Query(max_length=4096, description="Absolute, or relative to the root")
    ] = None,
):
    """Sub-directories of `path` (default: the root) for the spawn dialog, confined to
    AGENT_RELAY_HOST_ROOT (default the user's home): a path that resolves outside it,
    symlinks included, is a 400, as is one that is not a directory. Hidden entries are
    left out."""
    return json_response(await service.host_directories(relay.settings, path))
