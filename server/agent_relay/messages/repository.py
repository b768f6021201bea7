from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.db import Prepared, dumps_json
from agent_relay.models import InboxDraft, Message, MessageAck

messages: sa.Table = Message.__table__  # type: ignore[attr-defined]
acks: sa.Table = MessageAck.__table__  # type: ignore[attr-defined]
drafts: sa.Table = InboxDraft.__table__  # type: ignore[attr-defined]

_insert = Prepared.insert_returning_id(messages)
_JSON_COLUMNS = ("meta", "payload")


def to_wire(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "from": row["from_agent"],
        "to": row["to_addr"],
        "kind": row["kind"],
        "subject": row["subject"],
        "body": row["body"],
        "replyTo": row["reply_to"],
        "claimable": bool(row["claimable"]),
        "claimedBy": row["claimed_by"],
        "claimExpiresAt": row["claim_expires_at"],
        "idempotencyKey": row["idempotency_key"],
        "meta": row["meta"],
        "payload": row["payload"],
        "channel": row["channel"],
        "createdAt": row["created_at"],
    }


def insert(conn: Connection, values: dict[str, Any]) -> int:
    """The send path's insert (prepared: see db.Prepared). `values` has every column but id."""
    params = dict(values)
    for column in _JSON_COLUMNS:
        params[column] = dumps_json(values[column])
    return _insert.scalar(conn, params)


def get(conn: Connection, message_id: int) -> RowMapping | None:
    return conn.execute(sa.select(messages).where(messages.c.id == message_id)).mappings().first()


def by_idempotency_key(conn: Connection, sender: str, key: str) -> RowMapping | None:
    return (
        conn.execute(
            sa.select(messages).where(messages.c.from_agent == sender, messages.c.idempotency_key == key)
        )
        .mappings()
        .first()
    )


def list_filtered(
    conn: Connection,
    *,
    sender: str | None,
    to: str | None,
    kind: str | None,
    channel: str | None,
    after: int | None,
    before: int | None,
    limit: int,
) -> list[RowMapping]:
    q = sa.select(messages)
    if sender:
        q = q.where(messages.c.from_agent == sender)
    if to:
        q = q.where(messages.c.to_addr == to)
    if kind:
        q = q.where(messages.c.kind == kind)
    if channel:
        q = q.where(messages.c.channel == channel)
    if after is not None:
        q = q.where(messages.c.id > after)
    if before is not None:
        q = q.where(messages.c.id < before)
    return list(conn.execute(q.order_by(messages.c.id.desc()).limit(limit)).mappings())


def inbox(
    conn: Connection,
    agent_id: str,
    addresses: list[str],
    *,
    after: int,
    unread: bool,
    limit: int,
    now: int,
) -> list[RowMapping]:
    """Oldest first. One index range scan per address, each stopping at `limit`, merged:
    the cost stays bounded however long any one queue (say, broadcast) grows."""
    parts = []
    for address in addresses:
        q = sa.select(messages).where(
            messages.c.to_addr == address,
            messages.c.id > after,
            # a claim held by someone else hides the message; an expired one does not
            sa.or_(
                messages.c.claimed_by.is_(None),
                messages.c.claimed_by == agent_id,
                messages.c.claim_expires_at < now,
            ),
        )
        if address != agent_id:
            q = q.where(messages.c.from_agent != agent_id)
        if unread:
            q = q.where(
                ~sa.exists().where(acks.c.message_id == messages.c.id, acks.c.agent_id == agent_id)
            )
        parts.append(q.order_by(messages.c.id).limit(limit))
    if len(parts) == 1:
        return list(conn.execute(parts[0]).mappings())
    union = sa.union_all(*(sa.select(p.subquery()) for p in parts)).subquery()
    return list(conn.execute(sa.select(union).order_by(union.c.id).limit(limit)).mappings())


def claim(conn: Connection, message_id: int, agent_id: str, expires_at: int, now: int) -> bool:
    """Atomic: exactly one of any number of concurrent claimers (in any process) wins."""
    result = conn.execute(
        sa.update(messages)
        .where(
            messages.c.id == message_id,
            messages.c.claimable.is_(True),
            sa.or_(
                messages.c.claimed_by.is_(None),
                messages.c.claimed_by == agent_id,
                messages.c.claim_expires_at < now,
            ),
        )
        .values(claimed_by=agent_id, claim_expires_at=expires_at)
    )
    return result.rowcount == 1


def release(conn: Connection, message_id: int, agent_id: str) -> bool:
    result = conn.execute(
        sa.update(messages)
        .where(messages.c.id == message_id, messages.c.claimed_by == agent_id)
        .values(claimed_by=None, claim_expires_at=None)
    )
    return result.rowcount == 1


def release_expired(conn: Connection, now: int) -> list[RowMapping]:
    return list(
        conn.execute(
            sa.update(messages)
            .where(messages.c.claim_expires_at < now)
            .values(claimed_by=None, claim_expires_at=None)
            .returning(*messages.c)
        ).mappings()
    )


def delete(conn: Connection, message_id: int) -> None:
    conn.execute(sa.delete(acks).where(acks.c.message_id == message_id))
    conn.execute(sa.delete(messages).where(messages.c.id == message_id))


def ack(conn: Connection, message_id: int, agent_id: str, now: int) -> int:
    existing = conn.execute(
        sa.select(acks.c.acked_at).where(acks.c.message_id == message_id, acks.c.agent_id == agent_id)
    ).scalar()
    if existing is not None:
        return existing
    conn.execute(sa.insert(acks).values(message_id=message_id, agent_id=agent_id, acked_at=now))
    return now


def count(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar_one()


def get_draft(conn: Connection, agent_id: str) -> RowMapping | None:
    return conn.execute(sa.select(drafts).where(drafts.c.agent_id == agent_id)).mappings().first()


def put_draft(conn: Connection, agent_id: str, draft: dict[str, Any], now: int) -> None:
    if get_draft(conn, agent_id) is None:
        conn.execute(sa.insert(drafts).values(agent_id=agent_id, draft=draft, updated_at=now))
    else:
        conn.execute(sa.update(drafts).where(drafts.c.agent_id == agent_id).values(draft=draft, updated_at=now))


def delete_draft(conn: Connection, agent_id: str) -> bool:
    return (conn.execute(sa.delete(drafts).where(drafts.c.agent_id == agent_id)).rowcount or 0) > 0
