"""Message rules: sending (idempotent), claims with leases, acks, deletes. The only door to
messages' data: routers and other domains (tasks, pairs, channels, orchestrators, inbox)
come through here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents import service as agents
from agent_relay.db import UnitOfWork, savepoint
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.messages import repository as repo
from agent_relay.messages.schemas import (
    MESSAGE_WIRE,
    AckRecord,
    DeletedRecord,
    MessageRecord,
    NewMessage,
    SendMessage,
)
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import NO_GUARD, SessionGuard

_build = MESSAGE_WIRE.build


def send(
    uow: UnitOfWork,
    cmd: SendMessage | NewMessage,
    guard: SessionGuard = NO_GUARD,
    *,
    max_body_bytes: int | None = None,
    record_activity: bool = True,
) -> tuple[MessageRecord, bool]:
    """Store a message (True: 201) or return the one already stored under the same
    (sender, idempotencyKey) (False: 200, nothing new, no second event). `guard` fences
    the sender's session when the sender is a registered agent."""
    conn = uow.conn
    sender, body, idempotency_key = cmd.from_, cmd.body, cmd.idempotency_key
    if sender is None:  # the router fills it in from the token (principal.sender)
        raise BadRequest("from required")
    if max_body_bytes is not None and len(body) > max_body_bytes // 4 and len(body.encode()) > max_body_bytes:
        raise BadRequest(f"body must be at most {max_body_bytes} bytes")
    if guard.given:  # only registered senders have a session to fence
        agents.validate_session(conn, sender, guard, if_registered=True)
    if idempotency_key:
        existing = repo.by_idempotency_key(conn, sender, idempotency_key)
        if existing is not None:
            return _build(existing), False
    values: dict[str, Any] = {
        "from_agent": sender,
        "to_addr": cmd.to,
        "kind": cmd.kind,
        "subject": cmd.subject,
        "body": body,
        "reply_to": cmd.reply_to,
        "claimable": bool(cmd.claimable),
        "claimed_by": None,
        "claim_expires_at": None,
        "idempotency_key": idempotency_key,
        "meta": cmd.meta,
        "payload": cmd.payload,
        "channel": cmd.channel,
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
            return _build(existing), False
    else:
        values["id"] = repo.insert(conn, values)
    message = _build(values)
    uow.emit("message.new", message)
    if record_activity:
        activity.record_for(uow, presenter.message_sent(message))
    return message, True


def control(uow: UnitOfWork, *, to: str, subject: str, body: str, payload: dict[str, Any]) -> MessageRecord:
    """A control message from `system`: delivered as an interrupt (seed: agent/orchestrator actions)."""
    cmd = NewMessage(
        from_="system",
        to=to,
        kind="control",
        subject=subject,
        body=body,
        payload=payload,
        meta={"delivery": "interrupt", "priority": "urgent"},
    )
    return send(uow, cmd)[0]


def _row(conn: Connection, message_id: int) -> RowMapping:
    row = repo.get(conn, message_id)
    if row is None:
        raise NotFound("message not found")
    return row


def get(conn: Connection, message_id: int) -> MessageRecord:
    return _build(_row(conn, message_id))


def get_visible(conn: Connection, message_id: int, principal: Principal) -> MessageRecord:
    """The message, if the caller may see it (§14: an agent token sees what it sent, holds
    or what reaches it; anything else is a 404, as if it did not exist)."""
    message = get(conn, message_id)
    viewer = agents.viewer(conn, principal)
    if viewer is not None and not viewer.sees_message(message):
        raise NotFound("message not found")
    return message


def _check_visible(conn: Connection, message_id: int, principal: Principal) -> None:
    if principal.own_agent is not None:  # the admin sees everything: no read for it
        get_visible(conn, message_id, principal)


def list_messages(
    conn: Connection,
    *,
    sender: str | None,
    to: str | None,
    kind: str | None,
    channel: str | None,
    after: int | None,
    before: int | None,
    limit: int,
    principal: Principal = ADMIN,
) -> list[MessageRecord]:
    """Newest first; a None filter is no filter. An agent token sees only its own messages."""
    viewer = agents.viewer(conn, principal)
    rows = repo.list_filtered(
        conn,
        sender=sender,
        to=to,
        kind=kind,
        channel=channel,
        after=after,
        before=before,
        limit=limit,
        viewer=viewer,
    )
    return [_build(r) for r in rows]


def visible_to(
    conn: Connection, agent_id: str, addresses: list[str], *, after: int, unread: bool, limit: int, now: int
) -> list[MessageRecord]:
    """What `agent_id` (reached at `addresses`) sees, oldest first: claims held by others
    hide a message until their lease lapses (the inbox read)."""
    rows = repo.inbox(conn, agent_id, addresses, after=after, unread=unread, limit=limit, now=now)
    return [_build(r) for r in rows]


def count(conn: Connection) -> int:
    return repo.count(conn)


def claim(
    uow: UnitOfWork,
    message_id: int,
    agent_id: str,
    lease_ms: int,
    guard: SessionGuard,
    principal: Principal = ADMIN,
) -> MessageRecord:
    principal.act_as(agent_id)
    _check_visible(uow.conn, message_id, principal)
    agents.validate_session(uow.conn, agent_id, guard)
    if repo.claim(uow.conn, message_id, agent_id, uow.now + lease_ms, uow.now):
        message = get(uow.conn, message_id)
        uow.emit("message.claimed", message)
        return message
    row = _row(uow.conn, message_id)
    if not row["claimable"]:
        raise BadRequest("message is not claimable")
    raise Conflict(f"message already claimed by {row['claimed_by']}")


def release(
    uow: UnitOfWork, message_id: int, agent_id: str, guard: SessionGuard, principal: Principal = ADMIN
) -> MessageRecord:
    principal.act_as(agent_id)
    agents.validate_session(uow.conn, agent_id, guard)
    if not repo.release(uow.conn, message_id, agent_id):
        _row(uow.conn, message_id)
        raise Conflict(f"message is not claimed by {agent_id}")
    message = get(uow.conn, message_id)
    uow.emit("message.claim_released", message)
    return message


def ack(
    uow: UnitOfWork, message_id: int, agent_id: str, guard: SessionGuard, principal: Principal = ADMIN
) -> AckRecord:
    principal.act_as(agent_id)
    _check_visible(uow.conn, message_id, principal)
    agents.validate_session(uow.conn, agent_id, guard)
    _row(uow.conn, message_id)
    acked_at = repo.ack(uow.conn, message_id, agent_id, uow.now)
    return {"ok": True, "messageId": message_id, "agentId": agent_id, "ackedAt": acked_at}


def delete(uow: UnitOfWork, message_id: int) -> DeletedRecord:
    row = _row(uow.conn, message_id)
    repo.delete(uow.conn, message_id)
    uow.emit("message.deleted", {"id": message_id, "from": row["from_agent"], "to": row["to_addr"]})
    return {"ok": True, "id": message_id}


def release_expired(uow: UnitOfWork) -> list[int]:
    rows = repo.release_expired(uow.conn, uow.now)
    for row in rows:
        uow.emit("message.claim_released", _build(row))
    return [row["id"] for row in rows]
