"""POST /api/agents/spawn (seed: postAgentSpawn) and GET /api/host/directories.

Registered before the agents router in app.py so no `/api/agents/{id}` route can shadow it.
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_relay.context import RelayDep
from agent_relay.errors import BadRequest
from agent_relay.orchestrators import direct_spawn, service
from agent_relay.orchestrators.schemas import AgentSpawnIn, AgentSpawnOut, HostDirectoriesOut
from agent_relay.paths import confine_local
from agent_relay.wire import error_responses, json_response

router = APIRouter()

MAX_DIRECTORIES = 1000


@router.post(
    "/api/agents/spawn",
    response_model=AgentSpawnOut,
    status_code=202,
    tags=["agents"],
    responses=error_responses(400, 502),
)
async def spawn_agent(body: AgentSpawnIn, relay: RelayDep):
    """Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502."""
    routed = await relay.db.write(lambda uow: service.spawn_via_orchestrator(uow, body))
    if routed is not None:
        orchestrator_id, message = routed
        return json_response(
            {
                "ok": True,
                "orchestratorId": orchestrator_id,
                "provider": body.provider,
                "message": message,
            },
            202,
        )
    if body.provider != "codex":
        raise BadRequest(f"no orchestrator available for provider: {body.provider}")

    settings = relay.settings
    root = direct_spawn.host_root(settings)
    cwd = direct_spawn.resolve_local_dir(root, body.cwd, "cwd")
    plan = direct_spawn.build(settings, cwd=cwd, label=body.label, approval_mode=body.approval_mode)
    result: dict[str, Any] = {
        "ok": True,
        "provider": "codex",
        "direct": True,
        "dryRun": settings.spawn_dry_run,
        "mode": plan["mode"],
        "cwd": cwd,
        "tmuxSession": plan["tmuxSession"],
        "pid": None,
        "command": direct_spawn.describe(plan),
    }
    if not settings.spawn_dry_run:
        result.update(await asyncio.to_thread(direct_spawn.run, settings, plan))
    await relay.db.write(lambda uow: service.record_direct_spawn(uow, result))
    return json_response(result, 202)


def _list_directories(root: str, path: str | None) -> dict[str, Any]:
    resolved = direct_spawn.resolve_local_dir(root, path, "path")
    entries: list[dict[str, str]] = []
    try:
        with os.scandir(resolved) as it:
            for entry in it:
                if entry.name.startswith("."):
                    continue
                try:
                    if not entry.is_dir():  # follows symlinks
                        continue
                except OSError:
                    continue
                # A symlinked directory that leads out of the root is not offered.
                if confine_local(entry.path, root) is None:
                    continue
                entries.append({"name": entry.name, "path": entry.path})
    except OSError as exc:
        raise BadRequest(f"path cannot be listed: {exc.strerror}") from None
    entries.sort(key=lambda e: (e["name"].lower(), e["name"]))
    parent = os.path.dirname(resolved) if resolved != root else None
    return {
        "root": root,
        "path": resolved,
        "parent": parent,
        "directories": entries[:MAX_DIRECTORIES],
    }


@router.get(
    "/api/host/directories",
    response_model=HostDirectoriesOut,
    tags=["host"],
    responses=error_responses(400),
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
    root = direct_spawn.host_root(relay.settings)
    return json_response(await asyncio.to_thread(_list_directories, root, path))
