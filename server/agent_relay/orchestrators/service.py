"""Orchestrator rules: registration (with its inbox agent), heartbeats, managed agents,
spawn/action control messages, staleness. Texts and checks follow the seed.

A daemon acts on `kind: "control"` messages in its inbox (`orchestrator:<id>`) whose
payload is `{"orchestratorControl": {...}}`; the shapes are documented in the README
("Orchestrators and spawning") and built only in `_spawn_payload` / `action`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, cast

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents import service as agents
from agent_relay.agents import tokens
from agent_relay.agents.schemas import AgentRegister, Heartbeat
from agent_relay.db import Database, UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageRecord
from agent_relay.orchestrators import direct_spawn
from agent_relay.orchestrators import repository as repo
from agent_relay.orchestrators.schemas import (
    ORCHESTRATOR_WIRE,
    PROVIDERS,
    AgentSpawnIn,
    HostDirectoriesRecord,
    ManagedAgentIn,
    OrchestratorActionIn,
    OrchestratorRecord,
    OrchestratorRegister,
    OrchestratorSpawnIn,
    SpawnOrder,
    SpawnPrecheck,
    SpawnRecord,
)
from agent_relay.paths import confine_local, confine_remote
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import NO_GUARD
from agent_relay.settings import Settings
from agent_relay.system.reaper import REAP_STEPS

NOT_FOUND = "orchestrator not found"
AGENT_PREFIX = "orchestrator:"
MAX_DIRECTORIES = 1000
SPAWN_TOKEN_LABEL = "direct spawn"

_build = ORCHESTRATOR_WIRE.build

log = logging.getLogger("agent_relay.orchestrators")


def inbox_agent_id(orchestrator_id: str) -> str:
    """The orchestrator's inbox agent; control messages are addressed to it."""
    return AGENT_PREFIX + orchestrator_id


def _act_for(principal: Principal, orchestrator_id: str) -> None:
    """§14: an orchestrator's own agent token (for `orchestrator:<id>`) keeps its record."""
    principal.act_as(inbox_agent_id(orchestrator_id))


def manages(conn: Connection, principal: Principal, agent_id: str) -> bool:
    """Whether the caller is an orchestrator's agent and `agent_id` is one of the agents
    that orchestrator manages (its managed-agent list): it may act for them (§14)."""
    own = principal.own_agent
    if own is None or not own.startswith(AGENT_PREFIX):
        return False
    row = repo.get(conn, own[len(AGENT_PREFIX) :])
    return row is not None and any(a.get("agentId") == agent_id for a in row["managed_agents"] or [])


def _require(conn: Connection, orchestrator_id: str) -> RowMapping:
    row = repo.get(conn, orchestrator_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def get(conn: Connection, orchestrator_id: str) -> OrchestratorRecord:
    return _build(_require(conn, orchestrator_id))


def list_orchestrators(conn: Connection) -> list[OrchestratorRecord]:
    """Newest registration first."""
    return [_build(row) for row in repo.list_all(conn)]


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


def register(uow: UnitOfWork, inp: OrchestratorRegister, principal: Principal = ADMIN) -> OrchestratorRecord:
    _act_for(principal, inp.id)
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
    orch = _build(row)
    uow.emit("orchestrator.status", orch)
    activity.record_for(uow, presenter.orchestrator_registered(orch, uow.now))
    uow.after_commit.append(
        lambda: log.info("orchestrator %s registered on %s: online", row["id"], row["hostname"])
    )
    return orch


def heartbeat(uow: UnitOfWork, orchestrator_id: str, principal: Principal = ADMIN) -> OrchestratorRecord:
    _act_for(principal, orchestrator_id)
    row, came_back = repo.heartbeat(uow.conn, orchestrator_id, uow.now)
    if row is None:
        raise NotFound(NOT_FOUND)
    if agents.get_card(uow.conn, row["agent_id"]) is None:
        _register_inbox_agent(uow, row)  # deleted meanwhile: the orchestrator still needs its inbox
    else:
        agents.heartbeat(uow, row["agent_id"], Heartbeat(), NO_GUARD)
    orch = _build(row)
    if came_back:
        uow.emit("orchestrator.status", orch)
        uow.after_commit.append(lambda: log.info("orchestrator %s is back online", orchestrator_id))
    return orch


def set_managed_agents(
    uow: UnitOfWork, orchestrator_id: str, items: list[ManagedAgentIn], principal: Principal = ADMIN
) -> OrchestratorRecord:
    _act_for(principal, orchestrator_id)
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
    orch = _build(row)
    uow.emit("orchestrator.status", orch)
    return orch


def delete(uow: UnitOfWork, orchestrator_id: str) -> None:
    row = repo.delete(uow.conn, orchestrator_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    agent = agents.get_card(uow.conn, row["agent_id"])
    if agent is not None and agent["kind"] == "orchestrator":
        agents.delete(uow, row["agent_id"])
    uow.emit("orchestrator.removed", {"id": row["id"], "agentId": row["agent_id"]})
    uow.after_commit.append(lambda: log.info("orchestrator %s removed", orchestrator_id))


def reap_stale(uow: UnitOfWork, settings: Settings) -> dict[str, list[Any]]:
    rows = repo.mark_stale_offline(uow.conn, uow.now - settings.orchestrator_stale_after_ms, uow.now)
    for row in rows:
        uow.emit("orchestrator.status", _build(row))
    if rows:
        ids, quiet_ms = [row["id"] for row in rows], settings.orchestrator_stale_after_ms
        uow.after_commit.append(
            lambda: log.warning(
                "orchestrators offline (no heartbeat for %d ms): %s", quiet_ms, ", ".join(ids)
            )
        )
    return {"reapedOrchestratorIds": [row["id"] for row in rows]}


REAP_STEPS.append(reap_stale)


# How far back unread messages still wake an agent: older ones are not news to wake for.
WAKE_WINDOW_MS = 24 * 3600_000


def wake_idle_agents(uow: UnitOfWork, settings: Settings) -> dict[str, list[Any]]:
    """Reaper (§15 wake): a managed agent with direct messages unread for
    AGENT_RELAY_WAKE_AFTER_MS gets one `wake` control message to its online orchestrator per
    sweep; the ledger's wokenAt (set by one conditional write per message) makes each
    message wake it once, whichever reaper runs."""
    if not settings.wake_after_ms:
        return {}
    woken: list[str] = []
    sent_before = uow.now - settings.wake_after_ms
    for row in repo.list_all(uow.conn, status="online"):
        for managed in row["managed_agents"] or []:
            agent_id = managed.get("agentId")
            if not isinstance(agent_id, str):
                continue
            ids = messages.unread_for_wake(
                uow.conn, agent_id, sent_before=sent_before, sent_after=sent_before - WAKE_WINDOW_MS
            )
            fresh = messages.mark_woken(uow, agent_id, ids) if ids else []
            if not fresh:
                continue
            messages.control(
                uow,
                to=row["agent_id"],
                subject="Wake agent",
                body=f"wake {agent_id}: {len(fresh)} unread message(s)",
                payload={
                    "orchestratorControl": {
                        "action": "wake",
                        "agentId": agent_id,
                        "messageIds": fresh,
                        "requestedBy": "relay",
                        "requestedAt": uow.now,
                    }
                },
            )
            woken.append(agent_id)
    return {"wokenAgentIds": woken}


REAP_STEPS.append(wake_idle_agents)


# -- spawning and actions ----------------------------------------------------------------


def _check_online(row: RowMapping) -> None:
    if row["status"] != "online":
        raise Conflict("orchestrator is offline")


def _check_provider(row: RowMapping, provider: str) -> None:
    if provider not in (row["providers"] or []):
        raise BadRequest(f"orchestrator does not support provider: {provider}")


def _resolve_cwd(row: RowMapping, cwd: str | None) -> str:
    """The spawn directory on the orchestrator's host: inside baseDir after resolving
    `..` (and symlinks where this host can see the path); relative means under baseDir."""
    resolved = confine_remote(cwd, row["base_dir"])
    if resolved is None:
        raise BadRequest(f"cwd must be within orchestrator base directory: {row['base_dir']}")
    return resolved


def precheck_spawn(conn: Connection, orchestrator_id: str, pre: SpawnPrecheck) -> None:
    """The seed's first checks of a spawn, before the rest of the body is validated: found,
    online, and (when the body names them) the provider and the cwd. `spawn` repeats them
    in its write job, so the answer stays right if the row changes meanwhile."""
    row = _require(conn, orchestrator_id)
    _check_online(row)
    if pre.provider is not None:
        _check_provider(row, pre.provider)
        if pre.cwd is not None:
            _resolve_cwd(row, pre.cwd)


def _send_spawn(
    uow: UnitOfWork, row: RowMapping, order: SpawnOrder, traceparent: str | None = None
) -> MessageRecord:
    label = f" ({order.label})" if order.label else ""
    uow.after_commit.append(
        lambda: log.info(
            "spawn of a %s agent%s in %s sent to orchestrator %s", order.provider, label, order.cwd, row["id"]
        )
    )
    return messages.control(
        uow,
        to=row["agent_id"],
        subject="Spawn agent",
        body=f"Spawn {order.provider} agent{label}",
        payload=order.control_payload(uow.now),
        traceparent=traceparent,  # the daemon hands it to the agent as TRACEPARENT
    )


def spawn(
    uow: UnitOfWork, orchestrator_id: str, inp: OrchestratorSpawnIn, traceparent: str | None = None
) -> MessageRecord:
    """POST /api/orchestrators/{id}/spawn: checks in the seed's order, then an urgent
    control message to the orchestrator's inbox."""
    row = _require(uow.conn, orchestrator_id)
    _check_online(row)
    _check_provider(row, inp.provider)
    order = SpawnOrder(inp.provider, _resolve_cwd(row, inp.cwd), inp.label, inp.approval_mode, inp.prompt)
    message = _send_spawn(uow, row, order, traceparent)
    activity.record_for(uow, presenter.orchestrator_spawn_requested(row["id"], message["id"], order))
    return message


def _pick_orchestrator(conn: Connection, provider: str, cwd: str | None) -> tuple[RowMapping, str] | None:
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


def _spawn_via_orchestrator(
    uow: UnitOfWork, inp: AgentSpawnIn, traceparent: str | None
) -> SpawnRecord | None:
    """Route a spawn to the best orchestrator; None when no online one supports the provider."""
    picked = _pick_orchestrator(uow.conn, inp.provider, inp.cwd)
    if picked is None:
        return None
    row, cwd = picked
    order = SpawnOrder(inp.provider, cwd, inp.label, inp.approval_mode)
    message = _send_spawn(uow, row, order, traceparent)
    activity.record_for(uow, presenter.agent_spawn_routed(row["id"], message["id"], order))
    return {"ok": True, "orchestratorId": row["id"], "provider": inp.provider, "message": message}


async def spawn_agent(
    db: Database, settings: Settings, inp: AgentSpawnIn, traceparent: str | None = None
) -> SpawnRecord:
    """POST /api/agents/spawn: to an orchestrator when one fits, else codex directly on this
    host (the command runs off the loop and outside any write job; its outcome is recorded
    afterwards)."""
    routed = await db.write(lambda uow: _spawn_via_orchestrator(uow, inp, traceparent))
    if routed is not None:
        return routed
    if inp.provider != "codex":
        raise BadRequest(f"no orchestrator available for provider: {inp.provider}")

    root = direct_spawn.host_root(settings)
    cwd = direct_spawn.resolve_local_dir(root, inp.cwd, "cwd")
    plan = direct_spawn.build(
        settings, cwd=cwd, label=inp.label, approval_mode=inp.approval_mode, traceparent=traceparent
    )
    direct: dict[str, Any] = {
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
        direct.update(await _run_direct(db, settings, plan))
    result = cast(SpawnRecord, direct)  # plus what the run reports: tmuxSession or pid
    log.info(
        "direct spawn of codex agent %s in %s: %s",
        plan["agentId"],
        cwd,
        "dry run"
        if settings.spawn_dry_run
        else f"{plan['mode']} {result.get('tmuxSession') or result.get('pid')}",
    )
    await db.write(lambda uow: activity.record_for(uow, presenter.agent_spawned_directly(result, uow.now)))
    return result


async def _run_direct(db: Database, settings: Settings, plan: dict[str, Any]) -> dict[str, Any]:
    """Start a direct spawn as an agent of its own: its card (offline until it registers
    itself; deleting it revokes its tokens) and, on a relay with a token, an agent token
    for its id (§14: nothing spawned holds the relay token). A failed start removes both."""
    await asyncio.to_thread(direct_spawn.check_command, plan)
    agent_id, label = plan["agentId"], plan["env"].get("AGENT_RELAY_AGENT_LABEL")
    card = AgentRegister(
        id=agent_id,
        name=label or agent_id,
        kind="provider",
        status="offline",
        ready=False,
        label=label,
        meta={"spawnedBy": "relay", "provider": "codex", "tmuxSession": plan["tmuxSession"]},
    )

    def prepare(uow: UnitOfWork) -> str | None:
        agents.register(uow, card)
        return tokens.issue_token(uow, agent_id, SPAWN_TOKEN_LABEL).token if settings.token else None

    token = await db.write(prepare)
    try:
        return await asyncio.to_thread(direct_spawn.run, settings, plan, token)
    except Exception:  # not on cancellation: the thread may still start the agent
        await db.write(lambda uow: agents.delete(uow, agent_id))
        raise


def action(uow: UnitOfWork, orchestrator_id: str, inp: OrchestratorActionIn) -> MessageRecord:
    row = _require(uow.conn, orchestrator_id)
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
    activity.record_for(uow, presenter.orchestrator_action_requested(row["id"], message["id"], act, agent_id))
    return message


# -- the relay host's directories (the spawn dialog) -------------------------------------


def _list_directories(root: str, path: str | None) -> HostDirectoriesRecord:
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


async def host_directories(settings: Settings, path: str | None) -> HostDirectoriesRecord:
    """Sub-directories of `path` under the host root (file-system work on a worker thread)."""
    return await asyncio.to_thread(_list_directories, direct_spawn.host_root(settings), path)
