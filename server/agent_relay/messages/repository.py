from __future__ import annotations

import functools
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.addressing import Viewer
from agent_relay.db import Prepared, dumps_json
from agent_relay.leases import free_for, lapsed
from agent_relay.listing import newest_first
from agent_relay.models import Message, MessageAck

messages: sa.Table = Message.__table__  # type: ignore[attr-defined]
acks: sa.Table = MessageAck.__table__  # type: ignore[attr-defined]

_insert = Prepared.insert_returning_id(messages)
_JSON_COLUMNS = ("meta", "payload")


def insert(conn: Connection, values: dict[str, Any]) -> int:
    """The send path's insert (prepared: see db.Prepared). `values` has every column but id."""
    params = dict(values)
    for column in _JSON_COLUMNS:
        params[column] = dumps_json(values[column])
    return _insert.scalar(conn, params)


def get(conn: Connection, message_id: int) -> RowMapping | None:
    return conn.execute(sa.select(messages).where(messages.c.id == message_id)).mappings().first()


_by_idempotency_key = Prepared(
    sa.select(*messages.c).where(
        messages.c.from_agent == sa.bindparam("sender"), messages.c.idempotency_key == sa.bindparam("key")
    )
)


def by_idempotency_key(conn: Connection, sender: str, key: str) -> dict[str, Any] | None:
    """On the send path for every keyed send (prepared: see db.Prepared)."""
    row = _by_idempotency_key.execute(conn, {"sender": sender, "key": key}).fetchone()
    return None if row is None else _row_dict(row)


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
    viewer: Viewer | None = None,
) -> list[RowMapping]:
    equals = {"from_agent": sender, "to_addr": to, "kind": kind, "channel": channel}
    where = None
    if viewer is not None:  # an agent token: only what it sent, holds or what reaches it
        where = sa.or_(
            messages.c.from_agent == viewer.agent_id,
            messages.c.claimed_by == viewer.agent_id,
            messages.c.to_addr.in_(sorted(viewer.addresses)),
        )
    return newest_first(conn, messages, equals=equals, before=before, after=after, limit=limit, where=where)


def inbox(
    conn: Connection,
    agent_id: str,
    addresses: list[str],
    *,
    after: int,
    unread: bool,
    limit: int,
    now: int,
) -> list[dict[str, Any]]:
    """Oldest first. One index range scan per address, each stopping at `limit`, merged:
    the cost stays bounded however long any one queue (say, broadcast) grows. The statement
    is built once per (address count, unread) and run as a prepared statement: building
    the UNION per call cost more than running it."""
    params: dict[str, Any] = {"agent": agent_id, "after": after, "now": now, "limit": limit}
    for i, address in enumerate(addresses):
        params[f"a{i}"] = address
    cursor = _inbox_statement(len(addresses), unread).execute(conn, params)
    return [_row_dict(row) for row in cursor.fetchall()]


_COLUMN_KEYS = [c.key for c in messages.columns]


def _row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(_COLUMN_KEYS, row, strict=True))
    for column in _JSON_COLUMNS:
        if isinstance(out[column], str):  # SQLite hands JSON back as text; psycopg parses it
            out[column] = orjson.loads(out[column])
    return out


@functools.lru_cache(maxsize=128)
def _inbox_statement(n_addresses: int, unread: bool) -> Prepared:
    agent: sa.BindParameter[str] = sa.bindparam("agent")
    parts = []
    for i in range(n_addresses):
        q = sa.select(*messages.c).where(
            messages.c.to_addr == sa.bindparam(f"a{i}"),
            messages.c.id > sa.bindparam("after"),
            # a claim held by someone else hides the message; an expired one does not
            free_for(messages.c.claimed_by, messages.c.claim_expires_at, agent, sa.bindparam("now")),
        )
        if i > 0:  # address 0 is the agent's own id; group sends by itself are not echoed
            q = q.where(messages.c.from_agent != agent)
        if unread:
            q = q.where(~sa.exists().where(acks.c.message_id == messages.c.id, acks.c.agent_id == agent))
        parts.append(q.order_by(messages.c.id).limit(sa.bindparam("limit")))
    if n_addresses == 1:
        return Prepared(parts[0])
    union = sa.union_all(*(sa.select(p.subquery()) for p in parts)).subquery()
    return Prepared(sa.select(union).order_by(union.c.id).limit(sa.bindparam("limit")))


def claim(conn: Connection, message_id: int, agent_id: str, expires_at: int, now: int) -> bool:
    """Atomic: exactly one of any number of concurrent claimers (in any process) wins."""
    result = conn.execute(
        sa.update(messages)
        .where(
            messages.c.id == message_id,
            messages.c.claimable.is_(True),
            free_for(messages.c.claimed_by, messages.c.claim_expires_at, agent_id, now),
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
            .where(lapsed(messages.c.claim_expires_at, now))
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
