"""Agent registry rules: upsert, heartbeats, session fencing, staleness. The only door to
agents' data; `validate_session` is the one place a session guard meets the registered card."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.addressing import Viewer, addresses_for
from agent_relay.agents import repository as repo
from agent_relay.agents import tokens
from agent_relay.agents.schemas import (
    AGENT_WIRE,
    AgentActionRecord,
    AgentRecord,
    AgentRegister,
    AgentTokenRecord,
    Heartbeat,
    HeartbeatRecord,
    RegisteredAgentRecord,
)
from agent_relay.db import UnitOfWork
from agent_relay.errors import NotFound
from agent_relay.messages import service as messages
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import SessionGuard

_build = AGENT_WIRE.build


def validate_session(
    conn: Connection, agent_id: str, guard: SessionGuard, *, if_registered: bool = False, load: bool = False
) -> dict[str, Any] | None:
    """THE session check (seed: validateAgentSession): with a guard, read the card and let
    the guard judge it (409 superseded); an unknown agent is a 404, or passes when
    `if_registered` (a sender that never registered has no session to fence). Without a
    guard nothing is checked, and the card is read only when `load` (the inbox needs it for
    addressing anyway: still one read). Returns what was read of the card: its session
    (instance_id, epoch) and addressing (label, tags, capabilities)."""
    if not guard.given:
        return repo.session_card(conn, agent_id) if load else None
    row = repo.session_card(conn, agent_id)
    if row is None:
        if if_registered:
            return None
        raise NotFound("agent not found")
    guard.check(row["instance_id"], row["epoch"])
    return row


def _require(conn: Connection, agent_id: str) -> RowMapping:
    row = repo.get(conn, agent_id)
    if row is None:
        raise NotFound("agent not found")
    return row


def get_agent(conn: Connection, agent_id: str) -> AgentRecord:
    """The agent's card, or 404."""
    return _build(_require(conn, agent_id))


def get_card(conn: Connection, agent_id: str) -> AgentRecord | None:
    """The agent's card (label, tags, capabilities: what addressing matches), or None."""
    row = repo.get(conn, agent_id)
    return None if row is None else _build(row)


def act_for(conn: Connection, principal: Principal, agent_id: str) -> None:
    """§14 for calls on an agent's behalf: the admin, the agent itself, or the agent token of
    an orchestrator that manages it (its managed-agent list); else 403."""
    if principal.may_act_as(agent_id):
        return
    from agent_relay.orchestrators import service as orchestrators  # it imports this module

    if not orchestrators.manages(conn, principal, agent_id):
        principal.act_as(agent_id)  # raises


def viewer(conn: Connection, principal: Principal) -> Viewer | None:
    """What an agent token may see (its addresses, from its card); None for the admin."""
    agent_id = principal.own_agent
    if agent_id is None:
        return None
    return Viewer(agent_id, frozenset(addresses_for(agent_id, get_card(conn, agent_id))))


def list_agents(
    conn: Connection, *, status: str | None = None, kind: str | None = None, label: str | None = None
) -> list[AgentRecord]:
    """Most recently seen first; a None filter is no filter."""
    return [_build(r) for r in repo.list_all(conn, status=status, kind=kind, label=label)]


def count(conn: Connection, status: str | None = None) -> int:
    return repo.count(conn, status)


def register(uow: UnitOfWork, inp: AgentRegister) -> tuple[AgentRecord, bool]:
    conn = uow.conn
    existing = repo.get_for_update(conn, inp.id)
    guard = SessionGuard(inp.instance_id, inp.epoch)
    fields: dict[str, Any] = {"name": inp.name, "last_seen": uow.now}
    for attr in ("kind", "status", "ready", "label", "tags", "capabilities", "meta"):
        value = getattr(inp, attr)
        if value is not None:
            fields[attr] = value
    if existing is None:
        fields.update(id=inp.id, created_at=uow.now, instance_id=inp.instance_id, epoch=inp.epoch)
        fields.setdefault("kind", "provider")
        fields.setdefault("status", "online")
        fields.setdefault("ready", True)
        fields.setdefault("tags", [])
        fields.setdefault("capabilities", [])
        fields.setdefault("meta", {})
        repo.insert(conn, fields)
        created = True
    else:
        guard.check(existing["instance_id"], existing["epoch"])
        if guard.given:
            # A registration moves the session forward; a missing part keeps the old one.
            fields["instance_id"] = inp.instance_id or existing["instance_id"]
            fields["epoch"] = inp.epoch if inp.epoch is not None else existing["epoch"]
        if "status" not in fields and existing["status"] == "offline":
            fields["status"] = "online"
        repo.update(conn, inp.id, fields)
        created = False
    card = _build(_require(conn, inp.id))
    uow.emit("agent.status", card)
    return card, created


def register_as(
    uow: UnitOfWork, principal: Principal, inp: AgentRegister
) -> tuple[AgentRecord | RegisteredAgentRecord, bool]:
    """POST /api/agents: an agent token registers its own id (or, an orchestrator's, an agent
    it manages); `issueToken` is admin only."""
    act_for(uow.conn, principal, inp.id)
    if inp.issue_token:
        principal.require_admin()
    card, created = register(uow, inp)
    if not inp.issue_token:
        return card, created
    issued = tokens.issue_token(uow, inp.id, "registration")
    return {**card, "token": issued.token}, created


def heartbeat(
    uow: UnitOfWork, agent_id: str, inp: Heartbeat, guard: SessionGuard, principal: Principal = ADMIN
) -> HeartbeatRecord:
    act_for(uow.conn, principal, agent_id)
    row = repo.get_for_update(uow.conn, agent_id)
    if row is None:
        raise NotFound("agent not found")
    guard.check(row["instance_id"], row["epoch"])
    fields: dict[str, Any] = {"last_seen": uow.now}
    if inp.status is not None:
        fields["status"] = inp.status
    elif row["status"] == "offline":
        fields["status"] = "online"
    if inp.ready is not None:
        fields["ready"] = inp.ready
    repo.update(uow.conn, agent_id, fields)
    card = _build({**row, **fields})
    if card["status"] != row["status"] or card["ready"] != bool(row["ready"]):
        uow.emit("agent.status", card)
    return {"ok": True, "agent": card}


def request_action(uow: UnitOfWork, agent_id: str, action: str) -> AgentActionRecord:
    """Ask an agent to restart or shut down: an urgent `control` message from `system`."""
    agent = _require(uow.conn, agent_id)
    verb = "restart" if action == "restart" else "shut down"
    message = messages.control(
        uow,
        to=agent["id"],
        subject="Restart requested" if action == "restart" else "Shutdown requested",
        body=f"Dashboard requested that this agent {verb} its relay-managed session now.",
        payload={"agentControl": {"action": action, "requestedBy": "dashboard", "requestedAt": uow.now}},
    )
    activity.record_for(uow, presenter.agent_action_requested(agent["id"], action))
    return {"ok": True, "action": action, "message": message}


def delete(uow: UnitOfWork, agent_id: str, principal: Principal = ADMIN) -> None:
    """Remove the agent and revoke its tokens: the admin, the agent itself, or its orchestrator."""
    row = _require(uow.conn, agent_id)
    act_for(uow.conn, principal, agent_id)
    repo.delete(uow.conn, agent_id)
    tokens.revoke_all(uow, agent_id)  # a deleted agent's tokens stop working with it
    uow.emit("agent.status", {**_build(row), "status": "offline", "deleted": True})


def mint_token(uow: UnitOfWork, principal: Principal, agent_id: str, label: str | None) -> tokens.IssuedToken:
    """A token for `agent_id`: for the admin, the agent itself, or its orchestrator (§14)."""
    act_for(uow.conn, principal, agent_id)
    return tokens.issue_token(uow, agent_id, label)


def list_tokens(conn: Connection, principal: Principal, agent_id: str) -> list[AgentTokenRecord]:
    act_for(conn, principal, agent_id)
    return tokens.list_tokens(conn, agent_id)


def revoke_token(uow: UnitOfWork, principal: Principal, agent_id: str, token_id: int) -> None:
    act_for(uow.conn, principal, agent_id)
    tokens.revoke(uow, agent_id, token_id)


def reap_stale(uow: UnitOfWork, stale_after_ms: int) -> list[str]:
    rows = repo.mark_stale_offline(uow.conn, uow.now - stale_after_ms)
    for row in rows:
        uow.emit("agent.status", _build(row))
    return [row["id"] for row in rows]
