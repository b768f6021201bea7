"""Message rules: sending (idempotent), claims with leases, acks, deletes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.activity import service as activity
from agent_relay.agents import repository as agents_repo
from agent_relay.agents.service import SessionGuard, check_session, validate_session
from agent_relay.db import UnitOfWork, savepoint
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.messages import repository as repo


def send(
    uow: UnitOfWork,
    *,
    sender: str,
    to: str,
    body: str,
    kind: str = "chat",
    subject: str | None = None,
    reply_to: int | None = None,
    claimable: bool | None = None,
    idempotency_key: str | None = None,
    meta: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    channel: str | None = None,
    guard: SessionGuard | None = None,
    max_body_bytes: int | None = None,
    record_activity: bool = True,
) -> tuple[dict[str, Any], bool]:
    """Store a message (201) or return the one already stored under the same
    (sender, idempotencyKey) (200, nothing new, no second event)."""
    conn = uow.conn
    if max_body_bytes is not None and len(body) > max_body_bytes // 4 and len(body.encode()) > max_body_bytes:
        raise BadRequest(f"body must be at most {max_body_bytes} bytes")
    if guard is not None and guard.given:
        sender_card = agents_repo.get(conn, sender)
        if sender_card is not None:  # only registered senders have a session to fence
            check_session(sender_card, guard)
    if idempotency_key:
        existing = repo.by_idempotency_key(conn, sender, idempotency_key)
        if existing is not None:
            return repo.to_wire(existing), False
    values: dict[str, Any] = {
        "from_agent": sender,
        "to_addr": to,
        "kind": kind,
        "subject": subject,
        "body": body,
        "reply_to": reply_to,
        "claimable": bool(claimable),
        "claimed_by": None,
        "claim_expires_at": None,
        "idempotency_key": idempotency_key,
        "meta": meta,
        "payload": payload,
        "channel": channel,
        "created_at": uow.now,
    }
    if idempotency_key:
        try:
            with savepoint(conn):
                values["id"] = repo.insert(conn, values)
        except IntegrityError:  # another process stored the same key first
            existing = repo.by_idempotency_key(conn, sender, idempotency_key)
            if existing is None:
                raise
            return repo.to_wire(existing), False
    else:
        values["id"] = repo.insert(conn, values)
    message = repo.to_wire(values)
    uow.emit("message.new", message)
    if record_activity:
        is_work = kind == "task"
        activity.record(
            uow,
            client_id=f"server-message-{values['id']}",
            kind="task" if is_work else "message",
            title="Task message sent" if is_work else "Message sent",
            body=subject or body[:2000],
            meta=f"{sender} -> {to}",
            icon="ti-hand-grab" if is_work else "ti-send",
            view="messages",
            message_id=values["id"],
            agent_id=sender,
            unique_client_id=True,
        )
    return message, True


def get(conn: Any, message_id: int) -> RowMapping:
    row = repo.get(conn, message_id)
    if row is None:
        raise NotFound("message not found")
    return row


def claim(
    uow: UnitOfWork, message_id: int, agent_id: str, lease_ms: int, guard: SessionGuard
) -> dict[str, Any]:
    validate_session(uow.conn, agent_id, guard)
    if repo.claim(uow.conn, message_id, agent_id, uow.now + lease_ms, uow.now):
        message = repo.to_wire(get(uow.conn, message_id))
        uow.emit("message.claimed", message)
        return message
    row = get(uow.conn, message_id)
    if not row["claimable"]:
        raise BadRequest("message is not claimable")
    raise Conflict(f"message already claimed by {row['claimed_by']}")


def release(uow: UnitOfWork, message_id: int, agent_id: str, guard: SessionGuard) -> dict[str, Any]:
    validate_session(uow.conn, agent_id, guard)
    if not repo.release(uow.conn, message_id, agent_id):
        get(uow.conn, message_id)
        raise Conflict(f"message is not claimed by {agent_id}")
    message = repo.to_wire(get(uow.conn, message_id))
    uow.emit("message.claim_released", message)
    return message


def ack(uow: UnitOfWork, message_id: int, agent_id: str, guard: SessionGuard) -> dict[str, Any]:
    validate_session(uow.conn, agent_id, guard)
    get(uow.conn, message_id)
    acked_at = repo.ack(uow.conn, message_id, agent_id, uow.now)
    return {"ok": True, "messageId": message_id, "agentId": agent_id, "ackedAt": acked_at}


def delete(uow: UnitOfWork, message_id: int) -> None:
    row = get(uow.conn, message_id)
    repo.delete(uow.conn, message_id)
    uow.emit("message.deleted", {"id": message_id, "from": row["from_agent"], "to": row["to_addr"]})


def release_expired(uow: UnitOfWork) -> list[int]:
    rows = repo.release_expired(uow.conn, uow.now)
    for row in rows:
        uow.emit("message.claim_released", repo.to_wire(row))
    return [row["id"] for row in rows]


def control(
    uow: UnitOfWork,
    *,
    to: str,
    subject: str,
    body: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """A control message from `system`: delivered as an interrupt (seed: agent/orchestrator actions)."""
    message, _ = send(
        uow,
        sender="system",
        to=to,
        kind="control",
        subject=subject,
        body=body,
        payload=payload,
        meta={"delivery": "interrupt", "priority": "urgent"},
    )
    return message
