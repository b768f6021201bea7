"""Agent registry rules: upsert, heartbeats, session fencing, staleness. The only door to
agents' data; `validate_session` is the one place a session guard meets the registered card."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents import repository as repo
from agent_relay.agents import tokens
from agent_relay.agents.schemas import (
    AGENT_WIRE,
    AgentActionRecord,
    AgentRecord,
    AgentRegister,
    Heartbeat,
    HeartbeatRecord,
)
from agent_relay.db import UnitOfWork
from agent_relay.errors import NotFound
from agent_relay.messages import service as messages
from agent_relay.principal import Principal
from agent_relay.session import SessionGuard

_build = AGENT_WIRE.build


def validate_session(
    conn: Connection, agent_id: str, guard: SessionGuard, *, if_registered: bool = False, load: bool = False
) -> RowMapping | None:
    """THE session check (seed: validateAgentSession): with a guard, read the card and let
    the guard judge it (409 superseded); an unknown agent is a 404, or passes when
    `if_registered` (a sender that never registered has no session to fence). Without a
    guard nothing is checked, and the card is read only when `load` (the inbox needs it for
    addressing anyway: still one read). Returns the card when it was read."""
    if not guard.given:
        return repo.get(conn, agent_id) if load else None
    row = repo.get(conn, agent_id)
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


def heartbeat(uow: UnitOfWork, agent_id: str, inp: Heartbeat, guard: SessionGuard) -> HeartbeatRecord:
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


def delete(uow: UnitOfWork, agent_id: str) -> None:
    row = _require(uow.conn, agent_id)
    repo.delete(uow.conn, agent_id)
    tokens.revoke_all(uow, agent_id)  # a deleted agent's tokens stop working with it
    uow.emit("agent.status", {**_build(row), "status": "offline", "deleted": True})


def mint_token(uow: UnitOfWork, principal: Principal, agent_id: str, label: str | None) -> tokens.IssuedToken:
    """A token for `agent_id`, minted for the admin or the agent itself (§14)."""
    principal.act_as(agent_id)
    return tokens.issue_token(uow, agent_id, label)


def reap_stale(uow: UnitOfWork, stale_after_ms: int) -> list[str]:
    rows = repo.mark_stale_offline(uow.conn, uow.now - stale_after_ms)
    for row in rows:
        uow.emit("agent.status", _build(row))
    return [row["id"] for row in rows]
