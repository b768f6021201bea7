"""Pair rules: an invite (pending) that only the invited agent accepts or rejects, that
either member ends, that lapses after its TTL; pair messages only between members of an
active pair. The only door to pairs' data."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents.service import validate_session
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, Forbidden, NotFound
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageRecord, NewMessage
from agent_relay.pairs import repository as repo
from agent_relay.pairs.schemas import (
    PAIR_WIRE,
    PairActionIn,
    PairCreate,
    PairMessageIn,
    PairQuery,
    PairRecord,
)
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import SessionGuard
from agent_relay.settings import Settings
from agent_relay.system.reaper import REAP_STEPS

_build = PAIR_WIRE.build
_VERBS = {"accept": "accepted", "reject": "rejected", "end": "ended"}


def _row(conn: Connection, pair_id: int) -> RowMapping:
    row = repo.get(conn, pair_id)
    if row is None:
        raise NotFound("pair not found")
    return row


def get(conn: Connection, pair_id: int, principal: Principal = ADMIN) -> PairRecord:
    """The pair; for an agent token only its own pairs (others are 404)."""
    row = _row(conn, pair_id)
    own = principal.own_agent
    if own is not None and own not in (row["from_agent"], row["to_agent"]):
        raise NotFound("pair not found")
    return _build(row)


def list_pairs(conn: Connection, query: PairQuery) -> list[PairRecord]:
    """Newest first; `agent_id` matches either member."""
    rows = repo.list_filtered(
        conn, agent_id=query.agent_id, status=query.status, before=query.before, limit=query.limit
    )
    return [_build(r) for r in rows]


def _changed(uow: UnitOfWork, row: RowMapping | dict[str, Any]) -> PairRecord:
    pair = _build(row)
    uow.emit("pair.updated", pair)
    return pair


def _notify(uow: UnitOfWork, pair: PairRecord, sender: str, to: str, action: str, text: str) -> None:
    cmd = NewMessage(
        from_=sender,
        to=to,
        kind="pair",
        subject=f"Pair {action}",
        body=text,
        payload={"pairId": pair["id"], "action": action, "pair": pair},
    )
    messages.send(uow, cmd, record_activity=False)


def create(uow: UnitOfWork, cmd: PairCreate, guard: SessionGuard, settings: Settings) -> PairRecord:
    """Invite `to` (pending until accepted, or until `ttlMs`, default from settings, passes)."""
    sender, to, topic = cmd.from_, cmd.to, cmd.topic
    if sender == to:
        raise BadRequest("from and to must be different agents")
    validate_session(uow.conn, sender, guard)
    values: dict[str, Any] = {
        "from_agent": sender,
        "to_agent": to,
        "topic": topic,
        "status": "pending",
        "expires_at": uow.now + (cmd.ttl_ms or settings.pair_ttl_ms),
        "accepted_at": None,
        "ended_at": None,
        "ended_by": None,
        "created_at": uow.now,
        "updated_at": uow.now,
    }
    values["id"] = repo.insert(uow.conn, values)
    pair = _changed(uow, values)
    activity.record_for(uow, presenter.pair_invited(pair))
    _notify(
        uow, pair, sender, to, "invite", f"{sender} invites you to pair" + (f" on: {topic}" if topic else "")
    )
    return pair


def act(uow: UnitOfWork, pair_id: int, cmd: PairActionIn, guard: SessionGuard) -> PairRecord:
    """accept / reject (the invited agent only) or end (either member)."""
    action, agent_id = cmd.action, cmd.agent_id
    validate_session(uow.conn, agent_id, guard)
    row = _row(uow.conn, pair_id)
    members = (row["from_agent"], row["to_agent"])
    now = uow.now
    if action in ("accept", "reject"):
        if agent_id != row["to_agent"]:
            raise Forbidden(f"only the invited agent ({row['to_agent']}) can {action} this pair")
        new_status = "active" if action == "accept" else "rejected"
        values: dict[str, Any] = {"status": new_status, "updated_at": now}
        if action == "accept":
            values.update(accepted_at=now, expires_at=None)
        else:
            values.update(ended_at=now, ended_by=agent_id)
        updated = repo.transition(uow.conn, pair_id, ("pending",), values, live_at=now)
    else:
        if agent_id not in members:
            raise Forbidden("only a member of this pair can end it")
        values = {"status": "ended", "ended_at": now, "ended_by": agent_id, "updated_at": now}
        updated = repo.transition(uow.conn, pair_id, ("pending", "active"), values)
    if updated is None:
        current = _row(uow.conn, pair_id)
        if current["status"] == "pending":  # pending, but its invite has lapsed
            raise Conflict(f"cannot {action} pair: the invite has expired")
        raise Conflict(f"cannot {action} pair: it is {current['status']}")
    pair = _changed(uow, updated)
    activity.record_for(uow, presenter.pair_acted(pair, action, agent_id))
    other = row["from_agent"] if agent_id == row["to_agent"] else row["to_agent"]
    _notify(uow, pair, agent_id, other, action, f"{agent_id} {_VERBS[action]} the pair")
    return pair


def send_message(
    uow: UnitOfWork,
    pair_id: int,
    cmd: PairMessageIn,
    guard: SessionGuard,
    *,
    max_body_bytes: int,
    traceparent: str | None = None,
) -> MessageRecord:
    """A `kind: "pair"` message to the other member; only while the pair is active."""
    sender = cmd.from_
    row = _row(uow.conn, pair_id)
    if sender not in (row["from_agent"], row["to_agent"]):
        raise Forbidden("only members of this pair can send pair messages")
    if row["status"] != "active":
        raise Conflict(f"pair is not active (status: {row['status']})")
    other = row["to_agent"] if sender == row["from_agent"] else row["from_agent"]
    message = NewMessage(
        from_=sender,
        to=other,
        kind="pair",
        subject=cmd.subject,
        body=cmd.body,
        meta=cmd.meta,
        payload={**(cmd.payload or {}), "pairId": pair_id},
        traceparent=traceparent,
    )
    return messages.send(uow, message, guard, max_body_bytes=max_body_bytes)[0]


def expire(uow: UnitOfWork) -> list[int]:
    rows = repo.expire_pending(uow.conn, uow.now)
    for row in rows:
        activity.record_for(uow, presenter.pair_expired(_changed(uow, row)))
    return [row["id"] for row in rows]


def reap_step(uow: UnitOfWork, _settings: Any) -> dict[str, list[Any]]:
    return {"expiredPairIds": expire(uow)}


REAP_STEPS.append(reap_step)
