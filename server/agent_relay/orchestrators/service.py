"""Orchestrator rules: registration (with its inbox agent), heartbeats, managed agents,
spawn/action control messages, staleness. Texts and checks follow the seed.

A daemon acts on `kind: "control"` messages in its inbox (`orchestrator:<id>`) whose
payload is `{"orchestratorControl": {...}}`; the shapes are documented in the README
("Orchestrators and spawning") and built only in `_spawn_payload` / `action`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import service as activity
from agent_relay.agents import repository as agents_repo
from agent_relay.agents import service as agents
from agent_relay.agents.schemas import AgentRegister, Heartbeat
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.messages import service as messages
from agent_relay.orchestrators import repository as repo
from agent_relay.orchestrators.schemas import (
    PROVIDERS,
    AgentSpawnIn,
    ManagedAgentIn,
    OrchestratorActionIn,
    OrchestratorRegister,
    OrchestratorSpawnIn,
)
from agent_relay.paths import confine_remote
from agent_relay.settings import Settings
from agent_relay.system.reaper import REAP_STEPS

NOT_FOUND = "orchestrator not found"
AGENT_PREFIX = "orchestrator:"


def inbox_agent_id(orchestrator_id: str) -> str:
    """The orchestrator's inbox agent; control messages are addressed to it."""
    return AGENT_PREFIX + orchestrator_id


def require(conn: Connection, orchestrator_id: str) -> RowMapping:
    row = repo.get(conn, orchestrator_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    """The seed's JSON.stringify leaves out undefined fields; so do we."""
    return {k: v for k, v in d.items() if v is not None}


# -- registration and liveness -----------------------------------------------------------


def _register_inbox_agent(uow: UnitOfWork, row: RowMapping) -> None:
    name = f"Orchestrator {row['id']} ({row['hostname']})"[:200]
    agents.register(
        uow,
        AgentRegister(
            id=row["agent_id"],
            name=name,
            kind="orchestrator",
            status="online",
            capabilities=["orchestrator"],
            meta={
                "orchestratorId": row["id"],
                "hostname": row["hostname"],
                "baseDir": row["base_dir"],
                "providers": row["providers"],
            },
        ),
    )


def register(uow: UnitOfWork, inp: OrchestratorRegister) -> dict[str, Any]:
    for provider in inp.providers or []:
        if provider not in PROVIDERS:
            raise BadRequest(f"invalid provider: {provider}. Must be one of: {', '.join(PROVIDERS)}")
    values: dict[str, Any] = {
        "hostname": inp.hostname,
        "base_dir": inp.base_dir,
        "providers": list(dict.fromkeys(inp.providers)) if inp.providers is not None else list(PROVIDERS),
        "agent_id": inbox_agent_id(inp.id),
        "status": "online",
        "last_heartbeat": uow.now,
    }
    if inp.env_keys is not None:
        values["env_keys"] = inp.env_keys
    if inp.meta is not None:
        values["meta"] = inp.meta
    row = repo.upsert(uow.conn, inp.id, values, uow.now)
    _register_inbox_agent(uow, row)
    orch = repo.to_wire(row)
    uow.emit("orchestrator.status", orch)
    activity.record(
        uow,
        client_id=f"server-orchestrator-register-{inp.id}-{uow.now}",
        kind="state",
        title="Orchestrator registered",
        body=inp.hostname,
        meta=inp.id,
        icon="ti-server-2",
        view="orchestrators",
        metadata={"orchestratorId": inp.id, "providers": orch["providers"]},
    )
    return orch


def heartbeat(uow: UnitOfWork, orchestrator_id: str) -> dict[str, Any]:
    row, came_back = repo.heartbeat(uow.conn, orchestrator_id, uow.now)
    if row is None:
        raise NotFound(NOT_FOUND)
    if agents_repo.get(uow.conn, row["agent_id"]) is None:
        _register_inbox_agent(uow, row)  # deleted meanwhile: the orchestrator still needs its inbox
    else:
        agents.heartbeat(uow, row["agent_id"], Heartbeat(), agents.SessionGuard())
    orch = repo.to_wire(row)
    if came_back:
        uow.emit("orchestrator.status", orch)
    return orch


def set_managed_agents(uow: UnitOfWork, orchestrator_id: str, items: list[ManagedAgentIn]) -> dict[str, Any]:
    cleaned = [
        {
            "agentId": a.agent_id,
            "provider": a.provider,
            "tmuxSession": a.tmux_session,
            "cwd": a.cwd,
            **({"label": a.label} if a.label is not None else {}),
            "approvalMode": a.approval_mode,
            **({"pid": a.pid} if a.pid is not None else {}),
            "startedAt": a.started_at if a.started_at is not None else uow.now,
        }
        for a in items
    ]
    row = repo.set_managed_agents(uow.conn, orchestrator_id, cleaned, uow.now)
    if row is None:
        raise NotFound(NOT_FOUND)
    orch = repo.to_wire(row)
    uow.emit("orchestrator.status", orch)
    return orch


def delete(uow: UnitOfWork, orchestrator_id: str) -> None:
    row = repo.delete(uow.conn, orchestrator_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    agent = agents_repo.get(uow.conn, row["agent_id"])
    if agent is not None and agent["kind"] == "orchestrator":
        agents.delete(uow, row["agent_id"])
    uow.emit("orchestrator.removed", {"id": row["id"], "agentId": row["agent_id"]})


def reap_stale(uow: UnitOfWork, settings: Settings) -> dict[str, list[Any]]:
    rows = repo.mark_stale_offline(uow.conn, uow.now - settings.orchestrator_stale_after_ms, uow.now)
    for row in rows:
        uow.emit("orchestrator.status", repo.to_wire(row))
    return {"reapedOrchestratorIds": [row["id"] for row in rows]}


REAP_STEPS.append(reap_stale)


# -- spawning and actions ----------------------------------------------------------------


def check_online(row: RowMapping) -> None:
    if row["status"] != "online":
        raise Conflict("orchestrator is offline")


def check_provider(row: RowMapping, provider: str) -> None:
    if provider not in (row["providers"] or []):
        raise BadRequest(f"orchestrator does not support provider: {provider}")


def resolve_cwd(row: RowMapping, cwd: str | None) -> str:
    """The spawn directory on the orchestrator's host: inside baseDir after resolving
    `..` (and symlinks where this host can see the path); relative means under baseDir."""
    resolved = confine_remote(cwd, row["base_dir"])
    if resolved is None:
        raise BadRequest(f"cwd must be within orchestrator base directory: {row['base_dir']}")
    return resolved


def _spawn_payload(
    *, provider: str, cwd: str, label: str | None, approval_mode: str, prompt: str | None, now: int
) -> dict[str, Any]:
    return {
        "orchestratorControl": _drop_none(
            {
                "action": "spawn",
                "provider": provider,
                "cwd": cwd,
                "label": label,
                "approvalMode": approval_mode,
                "prompt": prompt,
                "requestedBy": "dashboard",
                "requestedAt": now,
            }
        )
    }


def _send_spawn(uow: UnitOfWork, row: RowMapping, payload: dict[str, Any], provider: str, label: str | None):
    return messages.control(
        uow,
        to=row["agent_id"],
        subject="Spawn agent",
        body=f"Spawn {provider} agent{f' ({label})' if label else ''}",
        payload=payload,
    )


def spawn(uow: UnitOfWork, orchestrator_id: str, inp: OrchestratorSpawnIn) -> dict[str, Any]:
    """POST /api/orchestrators/{id}/spawn: checks in the seed's order, then an urgent
    control message to the orchestrator's inbox."""
    row = require(uow.conn, orchestrator_id)
    check_online(row)
    check_provider(row, inp.provider)
    cwd = resolve_cwd(row, inp.cwd)
    payload = _spawn_payload(
        provider=inp.provider,
        cwd=cwd,
        label=inp.label,
        approval_mode=inp.approval_mode,
        prompt=inp.prompt,
        now=uow.now,
    )
    message = _send_spawn(uow, row, payload, inp.provider, inp.label)
    activity.record(
        uow,
        client_id=f"server-orchestrator-spawn-{row['id']}-{message['id']}",
        kind="state",
        title=f"Spawn {inp.provider} agent requested",
        body=cwd,
        meta=row["id"],
        icon="ti-plus",
        view="orchestrators",
        metadata=_drop_none(
            {
                "orchestratorId": row["id"],
                "provider": inp.provider,
                "approvalMode": inp.approval_mode,
                "label": inp.label,
            }
        ),
    )
    return message


def pick_orchestrator(conn: Connection, provider: str, cwd: str | None) -> tuple[RowMapping, str] | None:
    """For POST /api/agents/spawn: among online orchestrators that support the provider
    (and whose baseDir contains `cwd`, when one is given), the one managing the fewest
    agents; ties keep the list order (newest registration first). None: no orchestrator
    supports the provider. An orchestrator exists but none may use `cwd`: 400."""
    candidates = [r for r in repo.list_all(conn, status="online") if provider in (r["providers"] or [])]
    if not candidates:
        return None
    candidates.sort(key=lambda r: len(r["managed_agents"] or []))
    for row in candidates:
        resolved = confine_remote(cwd, row["base_dir"])
        if resolved is not None:
            return row, resolved
    raise BadRequest(f"cwd must be within orchestrator base directory: {candidates[0]['base_dir']}")


def spawn_via_orchestrator(uow: UnitOfWork, inp: AgentSpawnIn) -> tuple[str, dict[str, Any]] | None:
    """Route a spawn to the best orchestrator; None when no online one supports the provider."""
    picked = pick_orchestrator(uow.conn, inp.provider, inp.cwd)
    if picked is None:
        return None
    row, cwd = picked
    payload = _spawn_payload(
        provider=inp.provider,
        cwd=cwd,
        label=inp.label,
        approval_mode=inp.approval_mode,
        prompt=None,
        now=uow.now,
    )
    message = _send_spawn(uow, row, payload, inp.provider, inp.label)
    activity.record(
        uow,
        client_id=f"server-agent-spawn-{inp.provider}-{message['id']}",
        kind="state",
        title=f"{inp.provider} agent spawn requested (via {row['id']})",
        body=cwd,
        meta=row["id"],
        icon="ti-plus",
        view="agents",
        metadata={
            "provider": inp.provider,
            "orchestratorId": row["id"],
            "approvalMode": inp.approval_mode,
        },
    )
    return row["id"], message


def action(uow: UnitOfWork, orchestrator_id: str, inp: OrchestratorActionIn) -> dict[str, Any]:
    row = require(uow.conn, orchestrator_id)
    act, agent_id = inp.action, inp.agent_id
    message = messages.control(
        uow,
        to=row["agent_id"],
        subject="Restart agent" if act == "restart" else "Shutdown agent",
        body=f"{act} {agent_id}" if agent_id else f"{act} all managed agents",
        payload={
            "orchestratorControl": _drop_none(
                {
                    "action": act,
                    "agentId": agent_id,
                    "requestedBy": "dashboard",
                    "requestedAt": uow.now,
                }
            )
        },
    )
    activity.record(
        uow,
        client_id=f"server-orchestrator-action-{row['id']}-{act}-{message['id']}",
        kind="state",
        title=f"Agent {act} requested",
        body=agent_id or "all",
        meta=row["id"],
        icon="ti-refresh" if act == "restart" else "ti-power",
        view="orchestrators",
        metadata=_drop_none({"orchestratorId": row["id"], "action": act, "agentId": agent_id}),
    )
    return message


def record_direct_spawn(uow: UnitOfWork, result: dict[str, Any]) -> None:
    pid = result.get("pid")
    activity.record(
        uow,
        client_id=f"server-agent-spawn-codex-{uow.now}-{result.get('tmuxSession') or pid or 'dry'}",
        kind="state",
        title="Codex agent spawn requested (direct)",
        body=result["cwd"],
        meta=f"pid {pid}" if pid else ("dry run" if result.get("dryRun") else result.get("tmuxSession")),
        icon="ti-plus",
        view="agents",
        metadata=_drop_none(
            {
                "provider": "codex",
                "mode": result.get("mode"),
                "dryRun": result.get("dryRun"),
                "cwd": result["cwd"],
            }
        ),
    )
