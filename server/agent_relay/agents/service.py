"""Agent registry rules: upsert, heartbeats, session fencing, staleness."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.agents import repository as repo
from agent_relay.agents.schemas import AgentRegister, Heartbeat
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.wire import MAX_SAFE_INTEGER

SUPERSEDED = "agent session superseded"


@dataclass(frozen=True, slots=True)
class SessionGuard:
    """The (instanceId, epoch) a process claims to be; newer sessions fence older ones off."""

    instance_id: str | None = None
    epoch: int | None = None

    @property
    def given(self) -> bool:
        return self.instance_id is not None or self.epoch is not None


def guard_from(headers: Any, body: Any = None) -> SessionGuard:
    """Headers win over body fields (seed: normalizeAgentSessionGuard). `headers` is a
    Starlette Headers: its raw list is scanned once (Headers.get costs a scan per name)."""
    instance_id: str | None = None
    raw_epoch: str | None = None
    raw = getattr(headers, "raw", None)
    if raw is None:  # a plain mapping (tests, copies of the headers)
        raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
    for name, value in raw:
        if name == b"x-agent-instance-id":
            instance_id = value.decode("latin-1") or None
        elif name == b"x-agent-epoch":
            raw_epoch = value.decode("latin-1")
    epoch = parse_epoch_header(raw_epoch) if raw_epoch else None
    if body is not None:
        instance_id = instance_id or getattr(body, "instance_id", None)
        if epoch is None:
            epoch = getattr(body, "epoch", None)
    return SessionGuard(instance_id, epoch)


def parse_epoch_header(raw: str) -> int:
    """X-Agent-Epoch: ASCII digits (int() would also take "1_0", " 5" or other scripts'
    digits), 0 to 2^53 - 1 like the body's `epoch` (§12)."""
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit()):
        raise BadRequest("X-Agent-Epoch must be an integer")
    if raw.startswith("-"):
        raise BadRequest("X-Agent-Epoch must be a non-negative integer")
    if len(digits) > 16 or int(digits) > MAX_SAFE_INTEGER:
        raise BadRequest(f"X-Agent-Epoch must be at most {MAX_SAFE_INTEGER}")
    return int(digits)


def check_session(row: RowMapping, guard: SessionGuard) -> None:
    """Raise 409 when the guard names an older session than the registered one."""
    if not guard.given:
        return
    current_epoch = row["epoch"]
    current_instance = row["instance_id"]
    if guard.epoch is not None and current_epoch is not None:
        if guard.epoch < current_epoch:
            raise Conflict(SUPERSEDED)
        if (
            guard.epoch == current_epoch
            and guard.instance_id
            and current_instance
            and guard.instance_id != current_instance
        ):
            raise Conflict(SUPERSEDED)
    elif guard.instance_id and current_instance and guard.instance_id != current_instance:
        raise Conflict(SUPERSEDED)


def validate_session(conn: Connection, agent_id: str, guard: SessionGuard) -> RowMapping | None:
    """Seed: validateAgentSession. Unknown agent with a guard is a 404."""
    if not guard.given:
        return None
    row = repo.get(conn, agent_id)
    if row is None:
        raise NotFound("agent not found")
    check_session(row, guard)
    return row


def require_agent(conn: Connection, agent_id: str) -> RowMapping:
    row = repo.get(conn, agent_id)
    if row is None:
        raise NotFound("agent not found")
    return row


def get_card(conn: Connection, agent_id: str) -> RowMapping | None:
    """The agent's card (label, tags, capabilities: what addressing matches), or None."""
    return repo.get(conn, agent_id)


def register(uow: UnitOfWork, inp: AgentRegister) -> tuple[dict[str, Any], bool]:
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
        check_session(existing, guard)
        if guard.given:
            # A registration moves the session forward; a missing part keeps the old one.
            fields["instance_id"] = inp.instance_id or existing["instance_id"]
            fields["epoch"] = inp.epoch if inp.epoch is not None else existing["epoch"]
        if "status" not in fields and existing["status"] == "offline":
            fields["status"] = "online"
        repo.update(conn, inp.id, fields)
        created = False
    card = repo.to_wire(repo.get(conn, inp.id))  # type: ignore[arg-type]
    uow.emit("agent.status", card)
    return card, created


def heartbeat(uow: UnitOfWork, agent_id: str, inp: Heartbeat, guard: SessionGuard) -> dict[str, Any]:
    row = repo.get_for_update(uow.conn, agent_id)
    if row is None:
        raise NotFound("agent not found")
    check_session(row, guard)
    fields: dict[str, Any] = {"last_seen": uow.now}
    if inp.status is not None:
        fields["status"] = inp.status
    elif row["status"] == "offline":
        fields["status"] = "online"
    if inp.ready is not None:
        fields["ready"] = inp.ready
    repo.update(uow.conn, agent_id, fields)
    card = repo.to_wire({**row, **fields})
    if card["status"] != row["status"] or card["ready"] != bool(row["ready"]):
        uow.emit("agent.status", card)
    return card


def delete(uow: UnitOfWork, agent_id: str) -> None:
    row = require_agent(uow.conn, agent_id)
    repo.delete(uow.conn, agent_id)
    uow.emit("agent.status", {**repo.to_wire(row), "status": "offline", "deleted": True})


def reap_stale(uow: UnitOfWork, stale_after_ms: int) -> list[str]:
    rows = repo.mark_stale_offline(uow.conn, uow.now - stale_after_ms)
    for row in rows:
        uow.emit("agent.status", repo.to_wire(row))
    return [row["id"] for row in rows]
