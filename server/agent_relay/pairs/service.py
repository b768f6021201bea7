"""Pair rules: an invite (pending) that only the invited agent accepts or rejects, that
either member ends, that lapses after its TTL; pair messages only between members of an
active pair."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from agent_relay.activity import service as activity
from agent_relay.agents.service import SessionGuard, validate_session
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, Forbidden, NotFound
from agent_relay.messages import service as messages
from agent_relay.pairs import repository as repo
from agent_relay.system.reaper import REAP_STEPS


def get(conn: Connection, pair_id: int) -> RowMapping:
    row = repo.get(conn, pair_id)
    if row is None:
        raise NotFound("pair not found")
    return row


def _changed(
    uow: UnitOfWork, row: RowMapping | dict[str, Any], title: str, actor: str | None
) -> dict[str, Any]:
    pair = repo.to_wire(row)
    uow.emit("pair.updated", pair)
    activity.record(
        uow,
        kind="pair",
        title=title,
        body=pair["topic"],
        meta=f"{pair['from']} <-> {pair['to']}",
        icon="ti-users",
        view="pairs",
        agent_id=actor,
        metadata={"pairId": pair["id"], "status": pair["status"]},
    )
    return pair


def _notify(uow: UnitOfWork, pair: dict[str, Any], sender: str, to: str, action: str, text: str) -> None:
    messages.send(
        uow,
        sender=sender,
        to=to,
        kind="pair",
        subject=f"Pair {action}",
        body=text,
        payload={"pairId": pair["id"], "action": action, "pair": pair},
        record_activity=False,
    )


def create(
    uow: UnitOfWork, *, sender: str, to: str, topic: str | None, ttl_ms: int, guard: SessionGuard
) -> dict[str, Any]:
    if sender == to:
        raise BadRequest("from and to must be different agents")
    validate_session(uow.conn, sender, guard)
    values: dict[str, Any] = {
        "from_agent": sender,
        "to_agent": to,
        "topic": topic,
        "status": "pending",
        "expires_at": uow.now + ttl_ms,
        "accepted_at": None,
        "ended_at": None,
        "ended_by": None,
        "created_at": uow.now,
        "updated_at": uow.now,
    }
    values["id"] = repo.insert(uow.conn, values)
    pair = _changed(uow, values, f"Pair invite: {sender} -> {to}", sender)
    _notify(
        uow, pair, sender, to, "invite", f"{sender} invites you to pair" + (f" on: {topic}" if topic else "")
    )
    return pair


def act(uow: UnitOfWork, pair_id: int, action: str, agent_id: str, guard: SessionGuard) -> dict[str, Any]:
    validate_session(uow.conn, agent_id, guard)
    row = get(uow.conn, pair_id)
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
        current = get(uow.conn, pair_id)
        if current["status"] == "pending":  # pending, but its invite has lapsed
            raise Conflict(f"cannot {action} pair: the invite has expired")
        raise Conflict(f"cannot {action} pair: it is {current['status']}")
    verb = {"accept": "accepted", "reject": "rejected", "end": "ended"}[action]
    pair = _changed(uow, updated, f"Pair {verb} by {agent_id}", agent_id)
    other = row["from_agent"] if agent_id == row["to_agent"] else row["to_agent"]
    _notify(uow, pair, agent_id, other, action, f"{agent_id} {verb} the pair")
    return pair


def send_message(
    uow: UnitOfWork,
    pair_id: int,
    *,
    sender: str,
    body: str,
    subject: str | None,
    meta: dict[str, Any] | None,
    payload: dict[str, Any] | None,
    guard: SessionGuard,
    max_body_bytes: int,
) -> dict[str, Any]:
    row = get(uow.conn, pair_id)
    if sender not in (row["from_agent"], row["to_agent"]):
        raise Forbidden("only members of this pair can send pair messages")
    if row["status"] != "active":
        raise Conflict(f"pair is not active (status: {row['status']})")
    other = row["to_agent"] if sender == row["from_agent"] else row["from_agent"]
    message, _ = messages.send(
        uow,
        sender=sender,
        to=other,
        kind="pair",
        subject=subject,
        body=body,
        meta=meta,
        payload={**(payload or {}), "pairId": pair_id},
        guard=guard,
        max_body_bytes=max_body_bytes,
    )
    return message


def expire(uow: UnitOfWork) -> list[int]:
    rows = repo.expire_pending(uow.conn, uow.now)
    for row in rows:
        _changed(uow, row, f"Pair invite expired: {row['from_agent']} -> {row['to_agent']}", None)
    return [row["id"] for row in rows]


def reap_step(uow: UnitOfWork, _settings: Any) -> dict[str, list[Any]]:
    return {"expiredPairIds": expire(uow)}


REAP_STEPS.append(reap_step)
