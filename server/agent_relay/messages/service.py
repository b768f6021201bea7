"""Message rules: sending (idempotent), claims with leases, acks, deletes; and work done
once (contract §15): completion, delivery counts and dead letters, delayed release, the
delivery ledger, stuck work. The only door to messages' data: routers and other domains
(tasks, pairs, channels, orchestrators, inbox) come through here.

Every step that must happen once across processes (claim, completion, dead-lettering,
redrive, judging a message stuck, a wake-up) is one conditional UPDATE in the repository."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay import metrics
from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.addressing import is_group
from agent_relay.agents import service as agents
from agent_relay.db import UnitOfWork, json_from_db, savepoint
from agent_relay.errors import BadRequest, Conflict, NotFound, RelayError
from agent_relay.messages import repository as repo
from agent_relay.messages.schemas import (
    DELIVERY_WIRE,
    MESSAGE_KINDS,
    MESSAGE_WIRE,
    AckRecord,
    DeletedRecord,
    DeliveryRecord,
    MessageRecord,
    NewMessage,
    SendMessage,
)
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import NO_GUARD, SessionGuard

_build = MESSAGE_WIRE.build
# The inbox read selects exactly the wire's columns and builds each message from the row
# tuple (no dict per row first): 100 rows a read, the most-polled route.
_INBOX_COLUMNS = MESSAGE_WIRE.sources
_build_row = MESSAGE_WIRE.row_builder(convert={"meta": json_from_db, "payload": json_from_db})
# agent_relay_messages_sent_total, counted once the send is committed (bound once per kind)
_COUNT_SENT = {kind: metrics.messages_sent.labels(kind).inc for kind in MESSAGE_KINDS}


def send(
    uow: UnitOfWork,
    cmd: SendMessage | NewMessage,
    guard: SessionGuard = NO_GUARD,
    *,
    max_body_bytes: int | None = None,
    default_max_deliveries: int | None = None,
    record_activity: bool = True,
    traceparent: str | None = None,
) -> tuple[MessageRecord, bool]:
    """Store a message (True: 201) or return the one already stored under the same
    (sender, idempotencyKey) (False: 200, nothing new, no second event). `guard` fences
    the sender's session when the sender is a registered agent. A claimable message gets
    its `maxDeliveries` from the command, else `default_max_deliveries` (None: no limit)."""
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
    claimable = bool(cmd.claimable)
    values: dict[str, Any] = {
        "from_agent": sender,
        "to_addr": cmd.to,
        "kind": cmd.kind,
        "subject": cmd.subject,
        "body": body,
        "reply_to": cmd.reply_to,
        "claimable": claimable,
        "claimed_by": None,
        "claim_expires_at": None,
        "idempotency_key": idempotency_key,
        "meta": cmd.meta,
        "payload": cmd.payload,
        "channel": cmd.channel,
        "created_at": uow.now,
        "delivery_count": 0,
        "max_deliveries": (cmd.max_deliveries or default_max_deliveries) if claimable else None,
        "completed_by": None,
        "completed_at": None,
        "dead_lettered_at": None,
        "hidden_until": None,
        # only direct and claimable messages can be stuck (§15); group chat is judged at once
        "stuck_at": 0 if not claimable and is_group(cmd.to) else None,
        # the request's header (HTTP sends), or the domain's (a task's message carries its task's)
        "traceparent": traceparent or getattr(cmd, "traceparent", None),
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
    uow.after_commit.append(_COUNT_SENT[cmd.kind])
    if record_activity:
        activity.record_for(uow, presenter.message_sent(message))
    return message, True


def control(
    uow: UnitOfWork,
    *,
    to: str,
    subject: str,
    body: str,
    payload: dict[str, Any],
    traceparent: str | None = None,
) -> MessageRecord:
    """A control message from `system`: delivered as an interrupt (seed: agent/orchestrator actions)."""
    cmd = NewMessage(
        from_="system",
        to=to,
        kind="control",
        subject=subject,
        body=body,
        payload=payload,
        meta={"delivery": "interrupt", "priority": "urgent"},
        traceparent=traceparent,
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
    stuck: bool = False,
) -> list[MessageRecord]:
    """Newest first; a None filter is no filter. An agent token sees only its own messages.
    `stuck`: only messages judged stuck that still are (a direct message unread by its
    recipient, claimable work never claimed)."""
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
        stuck=stuck,
    )
    return [_build(r) for r in rows]


def visible_to(
    conn: Connection, agent_id: str, addresses: list[str], *, after: int, unread: bool, limit: int, now: int
) -> list[MessageRecord]:
    """What `agent_id` (reached at `addresses`) sees, oldest first: claims held by others
    hide a message until their lease lapses (the inbox read)."""
    rows = repo.inbox(
        conn, agent_id, addresses, after=after, unread=unread, limit=limit, now=now, columns=_INBOX_COLUMNS
    )
    return list(map(_build_row, rows))


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
    result = claim_or_refusal(uow, message_id, agent_id, lease_ms, guard, principal)
    if isinstance(result, RelayError):
        raise result
    return result


def claim_or_refusal(
    uow: UnitOfWork,
    message_id: int,
    agent_id: str,
    lease_ms: int,
    guard: SessionGuard,
    principal: Principal = ADMIN,
) -> MessageRecord | RelayError:
    """The claim route's job: a refusal that changed something (a spent message whose last
    lease lapsed is dead-lettered on the spot) is returned, not raised, so the change
    commits; the router raises it after."""
    principal.act_as(agent_id)
    _check_visible(uow.conn, message_id, principal)
    agents.validate_session(uow.conn, agent_id, guard)
    if repo.claim(uow.conn, message_id, agent_id, uow.now + lease_ms, uow.now):
        repo.record_step(uow.conn, message_id, agent_id, "claimed_at", uow.now)
        message = get(uow.conn, message_id)
        uow.emit("message.claimed", message)
        return message
    row = _row(uow.conn, message_id)
    if not row["claimable"]:
        raise BadRequest("message is not claimable")
    _refuse_finished(row)
    dead = repo.dead_letter_if_spent(uow.conn, message_id, uow.now)
    if dead is not None:  # its last lease lapsed before the reaper came by
        uow.emit("message.dead_lettered", _build(dead))
        return Conflict("message is dead-lettered")
    if row["hidden_until"] is not None and row["hidden_until"] > uow.now:
        raise Conflict(f"message is held back until {row['hidden_until']}")
    raise Conflict(f"message already claimed by {row['claimed_by']}")


def _refuse_finished(row: RowMapping) -> None:
    if row["completed_at"] is not None:
        raise Conflict("message already completed")
    if row["dead_lettered_at"] is not None:
        raise Conflict("message is dead-lettered")


def release(
    uow: UnitOfWork,
    message_id: int,
    agent_id: str,
    guard: SessionGuard,
    delay_ms: int | None = None,
    principal: Principal = ADMIN,
) -> MessageRecord:
    """The holder lets go: back to the queue (hidden for `delay_ms`), or dead-lettered when
    its deliveries are spent."""
    principal.act_as(agent_id)
    agents.validate_session(uow.conn, agent_id, guard)
    hidden_until = uow.now + delay_ms if delay_ms else None
    row = repo.release(uow.conn, message_id, agent_id, uow.now, hidden_until)
    if row is None:
        _check_visible(uow.conn, message_id, principal)  # another's message: 404, not its state
        _refuse_finished(_row(uow.conn, message_id))
        raise Conflict(f"message is not claimed by {agent_id}")
    message = _build(row)
    uow.emit("message.dead_lettered" if row["dead_lettered_at"] else "message.claim_released", message)
    return message


def ack(
    uow: UnitOfWork, message_id: int, agent_id: str, guard: SessionGuard, principal: Principal = ADMIN
) -> AckRecord:
    """A read receipt for `agent_id`; from the live holder of a claim it also completes the
    message (once: a single conditional UPDATE)."""
    principal.act_as(agent_id)
    _check_visible(uow.conn, message_id, principal)
    agents.validate_session(uow.conn, agent_id, guard)
    row = _row(uow.conn, message_id)
    acked_at = repo.ack(uow.conn, message_id, agent_id, uow.now)
    repo.record_step(uow.conn, message_id, agent_id, "read_at", acked_at)
    # the conditional UPDATE decides; the row read above only spares acks that cannot complete
    holder = row["claimable"] and row["claimed_by"] == agent_id and row["completed_at"] is None
    completed = bool(holder) and repo.complete(uow.conn, message_id, agent_id, uow.now)
    if completed:
        repo.record_step(uow.conn, message_id, agent_id, "completed_at", uow.now)
        uow.emit("message.completed", get(uow.conn, message_id))
    return {
        "ok": True,
        "messageId": message_id,
        "agentId": agent_id,
        "ackedAt": acked_at,
        "completed": completed,
    }


def complete_for_owner(uow: UnitOfWork, message_id: int, agent_id: str) -> bool:
    """Another domain finished the work this message carries (a task reached a final
    status): complete it, by `agent_id`, whoever holds its claim."""
    if repo.complete(uow.conn, message_id, agent_id, uow.now, any_holder=True):
        repo.record_step(uow.conn, message_id, agent_id, "completed_at", uow.now)
        uow.emit("message.completed", get(uow.conn, message_id))
        return True
    return False


def redrive(uow: UnitOfWork, message_id: int) -> MessageRecord:
    """A dead letter back in the queue, claimable again with deliveryCount 0."""
    row = repo.redrive(uow.conn, message_id)
    if row is None:
        _row(uow.conn, message_id)
        raise Conflict("message is not dead-lettered")
    message = _build(row)
    uow.emit("message.redriven", message)
    return message


def dead_letters(
    conn: Connection, *, before: int | None, limit: int, principal: Principal = ADMIN
) -> list[MessageRecord]:
    """Newest first; an agent token sees only the dead letters it may see (as list_messages)."""
    viewer = agents.viewer(conn, principal)
    return [_build(r) for r in repo.dead_letters(conn, before=before, limit=limit, viewer=viewer)]


def deliveries(conn: Connection, message_id: int, principal: Principal = ADMIN) -> list[DeliveryRecord]:
    """The ledger: one row per agent the message reached (its steps, and the first inbox
    read that handed it over); a direct message its recipient has not received yet shows
    that recipient as `pending`. Only for those who may see the message (§15: the sender,
    the recipients and the admin)."""
    _check_visible(conn, message_id, principal)
    row = _row(conn, message_id)
    recipient = row["to_addr"]
    direct = not is_group(recipient)
    steps = {r["agent_id"]: dict(r) for r in repo.ledger_rows(conn, message_id)}
    reads = repo.first_reads(conn, message_id, row["created_at"], recipient if direct else None)
    if direct:
        steps.setdefault(recipient, _blank_step(recipient))
    for agent_id, read_at in reads.items():
        step = steps.setdefault(agent_id, _blank_step(agent_id))
        if step["delivered_at"] is None or read_at < step["delivered_at"]:
            step["delivered_at"] = read_at
    return [DELIVERY_WIRE.build(steps[a]) for a in sorted(steps)]


def _blank_step(agent_id: str) -> dict[str, Any]:
    return {
        "agent_id": agent_id,
        "delivered_at": None,
        "read_at": None,
        "claimed_at": None,
        "completed_at": None,
        "woken_at": None,
    }


def record_delivered(uow: UnitOfWork, deliveries: list[tuple[str, list[int]]]) -> None:
    """First deliveries by inbox reads, batched (see inbox.service): (agent, message ids)."""
    repo.record_delivered(uow.conn, deliveries, uow.now)


def prune_delivery_reads(uow: UnitOfWork, before: int) -> None:
    repo.prune_reads(uow.conn, before)


def unread_for_wake(conn: Connection, agent_id: str, *, sent_before: int, sent_after: int) -> list[int]:
    return repo.unread_for_wake(conn, agent_id, sent_before=sent_before, sent_after=sent_after)


def mark_woken(uow: UnitOfWork, agent_id: str, message_ids: list[int]) -> list[int]:
    """Record a wake-up in the ledger; only the ids not woken for before (once, across reapers)."""
    return [m for m in message_ids if repo.record_step(uow.conn, m, agent_id, "woken_at", uow.now)]


def delete(uow: UnitOfWork, message_id: int) -> DeletedRecord:
    row = _row(uow.conn, message_id)
    repo.delete(uow.conn, message_id)
    uow.emit("message.deleted", {"id": message_id, "from": row["from_agent"], "to": row["to_addr"]})
    return {"ok": True, "id": message_id}


def release_expired(uow: UnitOfWork) -> tuple[list[int], list[int]]:
    """The reaper: lapsed leases let go. (released ids, dead-lettered ids)."""
    released: list[int] = []
    dead: list[int] = []
    for row in repo.release_expired(uow.conn, uow.now):
        if row["dead_lettered_at"]:
            uow.emit("message.dead_lettered", _build(row))
            dead.append(row["id"])
        else:
            uow.emit("message.claim_released", _build(row))
            released.append(row["id"])
    return released, dead


def judge_stuck(uow: UnitOfWork, stuck_after_ms: int) -> list[int]:
    """The reaper: direct or claimable messages still pending/delivered `stuck_after_ms`
    after sending fire `message.stuck`, once each."""
    rows = repo.judge_stuck(uow.conn, uow.now - stuck_after_ms, uow.now)
    for row in rows:
        uow.emit("message.stuck", _build(row))
    return [row["id"] for row in rows]


def live_claims_by_holder(conn: Connection, now: int) -> dict[str, int]:
    return repo.live_claims_by_holder(conn, now)


def operator_levels(conn: Connection) -> dict[str, int]:
    """Live claims, dead letters and stuck work, for /metrics."""
    return repo.operator_levels(conn)
