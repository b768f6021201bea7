from __future__ import annotations

import functools
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from agent_relay.addressing import Viewer
from agent_relay.db import Prepared, dumps_json
from agent_relay.leases import free_for, held_by, lapsed, visible
from agent_relay.listing import newest_first
from agent_relay.models import DeliveryRead, Message, MessageAck, MessageDelivery

messages: sa.Table = Message.__table__  # type: ignore[attr-defined]
acks: sa.Table = MessageAck.__table__  # type: ignore[attr-defined]
ledger: sa.Table = MessageDelivery.__table__  # type: ignore[attr-defined]
reads: sa.Table = DeliveryRead.__table__  # type: ignore[attr-defined]

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


def _seen_by(viewer: Viewer) -> ColumnElement[bool]:
    """An agent token sees only what it sent, holds or what reaches it."""
    return sa.or_(
        messages.c.from_agent == viewer.agent_id,
        messages.c.claimed_by == viewer.agent_id,
        messages.c.to_addr.in_(sorted(viewer.addresses)),
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
    viewer: Viewer | None = None,
    stuck: bool = False,
) -> list[RowMapping]:
    equals = {"from_agent": sender, "to_addr": to, "kind": kind, "channel": channel}
    where = [messages.c.stuck_at > 0, _still_stuck()] if stuck else []
    if viewer is not None:
        where.append(_seen_by(viewer))
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
    columns: tuple[str, ...],
) -> list[tuple[Any, ...]]:
    """Oldest first, as plain tuples of `columns` (JSON columns as the driver returns them:
    text on SQLite). One index range scan per address, merged in id order and stopped at
    `limit`: the cost stays bounded however long any one queue (say, broadcast) grows. The
    statement is built once per (address count, unread, columns) and run as a prepared
    statement: building the UNION per call cost more than running it."""
    params: dict[str, Any] = {"agent": agent_id, "after": after, "now": now, "limit": limit}
    for i, address in enumerate(addresses):
        params[f"a{i}"] = address
    statement = _inbox_statement(len(addresses), unread, conn.dialect.name == "sqlite", columns)
    rows: list[tuple[Any, ...]] = statement.execute(conn, params).fetchall()
    return rows


_COLUMN_KEYS = [c.key for c in messages.columns]


def _row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(_COLUMN_KEYS, row, strict=True))
    for column in _JSON_COLUMNS:
        if isinstance(out[column], str):  # SQLite hands JSON back as text; psycopg parses it
            out[column] = orjson.loads(out[column])
    return out


@functools.lru_cache(maxsize=128)
def _inbox_statement(n_addresses: int, unread: bool, bare_arms: bool, columns: tuple[str, ...]) -> Prepared:
    agent: sa.BindParameter[str] = sa.bindparam("agent")
    selected = [messages.c[key] for key in columns]
    parts = []
    for i in range(n_addresses):
        q = sa.select(*selected).where(
            messages.c.to_addr == sa.bindparam(f"a{i}"),
            messages.c.id > sa.bindparam("after"),
            # a claim held by someone else hides the message; an expired one does not
            free_for(messages.c.claimed_by, messages.c.claim_expires_at, agent, sa.bindparam("now")),
            # §15: dead letters and delayed releases leave every inbox, completed work every
            # inbox but the completer's
            messages.c.dead_lettered_at.is_(None),
            visible(messages.c.hidden_until, sa.bindparam("now")),
            sa.or_(messages.c.completed_at.is_(None), messages.c.completed_by == agent),
        )
        if i > 0:  # address 0 is the agent's own id; group sends by itself are not echoed
            q = q.where(messages.c.from_agent != agent)
        if unread:
            q = q.where(~sa.exists().where(acks.c.message_id == messages.c.id, acks.c.agent_id == agent))
        parts.append(q)
    if n_addresses == 1:
        return Prepared(parts[0].order_by(messages.c.id).limit(sa.bindparam("limit")))
    if bare_arms:
        # SQLite: the arms stay bare (no ORDER BY / LIMIT of their own, no subquery), so each
        # is an index range scan already in id order and the compound's ORDER BY is a lazy
        # merge of them (MERGE (UNION ALL), no sorter) that stops after `limit` rows: only
        # the rows returned are read, plus one look-ahead per address. With a LIMIT per arm
        # SQLite wrapped each arm in a subquery and sorted it into a temporary B-tree first,
        # up to `limit` full rows read and copied per address (5x the read at 100k messages).
        union = sa.union_all(*parts)
        return Prepared(union.order_by(union.selected_columns.id).limit(sa.bindparam("limit")))
    # PostgreSQL plans the LIMIT per arm as Limit -> Merge Append -> Limit -> Index Scan
    # (the same lazy merge); given bare arms it scans every arm in full and sorts.
    parts = [p.order_by(messages.c.id).limit(sa.bindparam("limit")) for p in parts]
    union_sq = sa.union_all(*(sa.select(p.subquery()) for p in parts)).subquery()
    return Prepared(sa.select(union_sq).order_by(union_sq.c.id).limit(sa.bindparam("limit")))


def _open_work(now: Any) -> ColumnElement[bool]:
    """SQL: claimable, not completed, not dead-lettered, not held back by a delayed release."""
    return sa.and_(
        messages.c.claimable.is_(True),
        messages.c.completed_at.is_(None),
        messages.c.dead_lettered_at.is_(None),
        visible(messages.c.hidden_until, now),
    )


def claim(conn: Connection, message_id: int, agent_id: str, expires_at: int, now: int) -> bool:
    """Atomic: exactly one of any number of concurrent claimers (in any process) wins. A new
    holder counts a delivery (an extension by the live holder does not) and is refused once
    the count reached maxDeliveries (then the message is due for dead-lettering)."""
    extending = held_by(messages.c.claimed_by, messages.c.claim_expires_at, agent_id, now)
    result = conn.execute(
        sa.update(messages)
        .where(
            messages.c.id == message_id,
            _open_work(now),
            free_for(messages.c.claimed_by, messages.c.claim_expires_at, agent_id, now),
            sa.or_(
                messages.c.max_deliveries.is_(None),
                messages.c.delivery_count < messages.c.max_deliveries,
                extending,
            ),
        )
        .values(
            claimed_by=agent_id,
            claim_expires_at=expires_at,
            delivery_count=sa.case(
                (extending, messages.c.delivery_count), else_=messages.c.delivery_count + 1
            ),
        )
    )
    return result.rowcount == 1


def _spent() -> ColumnElement[bool]:
    """SQL: the message used up its deliveries (NULL maxDeliveries: never)."""
    return sa.and_(
        messages.c.max_deliveries.is_not(None), messages.c.delivery_count >= messages.c.max_deliveries
    )


def _let_go(now: int, hidden_until: int | None = None) -> dict[str, Any]:
    """The values of a released claim: back to the queue, or dead-lettered when spent."""
    return {
        "claimed_by": None,
        "claim_expires_at": None,
        "dead_lettered_at": sa.case((_spent(), now), else_=None),
        "hidden_until": None
        if hidden_until is None
        else sa.case((_spent(), sa.null()), else_=sa.literal(hidden_until, sa.BigInteger())),
    }


def release(
    conn: Connection, message_id: int, agent_id: str, now: int, hidden_until: int | None
) -> RowMapping | None:
    """The holder lets go (one conditional UPDATE): back to the queue (hidden until
    `hidden_until`), or dead-lettered when its deliveries are spent. A completed message
    holds no lease to let go."""
    return (
        conn.execute(
            sa.update(messages)
            .where(
                messages.c.id == message_id,
                messages.c.claimed_by == agent_id,
                messages.c.completed_at.is_(None),
            )
            .values(**_let_go(now, hidden_until))
            .returning(*messages.c)
        )
        .mappings()
        .first()
    )


def release_expired(conn: Connection, now: int) -> list[RowMapping]:
    """The reaper: every lapsed lease let go (completed messages hold none). Each row is
    released or dead-lettered by exactly one reaper, whatever runs concurrently."""
    return list(
        conn.execute(
            sa.update(messages)
            .where(lapsed(messages.c.claim_expires_at, now), messages.c.completed_at.is_(None))
            .values(**_let_go(now))
            .returning(*messages.c)
        ).mappings()
    )


def dead_letter_if_spent(conn: Connection, message_id: int, now: int) -> RowMapping | None:
    """A claim found the message spent with its last lease lapsed before the reaper came."""
    return (
        conn.execute(
            sa.update(messages)
            .where(
                messages.c.id == message_id,
                messages.c.claimable.is_(True),
                messages.c.completed_at.is_(None),
                messages.c.dead_lettered_at.is_(None),
                _spent(),
                sa.or_(messages.c.claimed_by.is_(None), lapsed(messages.c.claim_expires_at, now)),
            )
            .values(claimed_by=None, claim_expires_at=None, dead_lettered_at=now, hidden_until=None)
            .returning(*messages.c)
        )
        .mappings()
        .first()
    )


def complete(conn: Connection, message_id: int, agent_id: str, now: int, *, any_holder: bool = False) -> bool:
    """The live holder's ack (one conditional UPDATE): completed once, by one agent. The
    lease's expiry is cleared, so the reaper never releases it. `any_holder`: the owning
    domain completes it (a finished task), whoever holds it."""
    where = [
        messages.c.id == message_id,
        messages.c.completed_at.is_(None),
        messages.c.dead_lettered_at.is_(None),
    ]
    if not any_holder:
        where.append(held_by(messages.c.claimed_by, messages.c.claim_expires_at, agent_id, now))
    result = conn.execute(
        sa.update(messages)
        .where(*where)
        .values(completed_by=agent_id, completed_at=now, claim_expires_at=None)
    )
    return result.rowcount == 1


def redrive(conn: Connection, message_id: int) -> RowMapping | None:
    """A dead letter back in the queue with a fresh delivery count (one conditional UPDATE)."""
    return (
        conn.execute(
            sa.update(messages)
            .where(messages.c.id == message_id, messages.c.dead_lettered_at.is_not(None))
            .values(
                dead_lettered_at=None,
                delivery_count=0,
                claimed_by=None,
                claim_expires_at=None,
                hidden_until=None,
            )
            .returning(*messages.c)
        )
        .mappings()
        .first()
    )


def dead_letters(
    conn: Connection, *, before: int | None, limit: int, viewer: Viewer | None = None
) -> list[RowMapping]:
    """Newest dead-lettering first (`before`: a message id cursor)."""
    q = sa.select(messages).where(messages.c.dead_lettered_at.is_not(None))
    if viewer is not None:
        q = q.where(_seen_by(viewer))
    if before is not None:
        q = q.where(messages.c.id < before)
    q = q.order_by(messages.c.dead_lettered_at.desc(), messages.c.id.desc()).limit(limit)
    return list(conn.execute(q).mappings())


# -- stuck work ------------------------------------------------------------------------------


def _unread_by_recipient() -> ColumnElement[bool]:
    return ~sa.exists().where(acks.c.message_id == messages.c.id, acks.c.agent_id == messages.c.to_addr)


def _still_stuck() -> ColumnElement[bool]:
    """SQL: claimable work nobody ever claimed (open), or a direct message its recipient
    has not read. Only direct and claimable messages are judged at all (stuck_at NULL on insert)."""
    return sa.or_(
        sa.and_(
            messages.c.claimable.is_(True),
            messages.c.completed_at.is_(None),
            messages.c.dead_lettered_at.is_(None),
            messages.c.delivery_count == 0,
        ),
        sa.and_(messages.c.claimable.is_(False), _unread_by_recipient()),
    )


def judge_stuck(conn: Connection, cutoff: int, now: int, limit: int = 500) -> list[RowMapping]:
    """Judge each direct or claimable message once, `cutoff` after it was sent: stuck
    (stuck_at = now, returned: fire message.stuck) or not (0). Conditional on not being judged
    yet, so concurrent reapers judge each once."""
    due = (
        sa.select(messages.c.id)
        .where(messages.c.stuck_at.is_(None), messages.c.created_at < cutoff)
        .order_by(messages.c.created_at)
        .limit(limit)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.update(messages)
        .where(messages.c.id.in_(due), messages.c.stuck_at.is_(None))
        .values(stuck_at=sa.case((_still_stuck(), now), else_=0))
        .returning(*messages.c)
    ).mappings()
    return [r for r in rows if r["stuck_at"]]


# -- the delivery ledger ---------------------------------------------------------------------

_LEDGER_STEPS = ("delivered_at", "read_at", "claimed_at", "completed_at", "woken_at")


def _ledger_insert(conn: Connection) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(ledger)


@functools.lru_cache(maxsize=4)
def _first_reads(dialect: str) -> Any:
    # one statement per dialect, run as executemany (compiling a multi-row VALUES per batch
    # cost more than the insert)
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(reads).on_conflict_do_nothing()


def record_delivered(conn: Connection, deliveries: list[tuple[str, list[int]]], now: int) -> None:
    """First deliveries by inbox reads: one row per (agent, ids it was handed first)."""
    rows = [
        {"agent_id": agent, "read_at": now, "lo": min(ids), "hi": max(ids), "ids": ",".join(map(str, ids))}
        for agent, ids in deliveries
        if ids
    ]
    if rows:
        conn.execute(_first_reads(conn.dialect.name), rows)


def first_reads(conn: Connection, message_id: int, sent_at: int, agent_id: str | None) -> dict[str, int]:
    """agent -> when an inbox read first handed it this message (from delivery_reads)."""
    q = sa.select(reads.c.agent_id, reads.c.read_at, reads.c.ids).where(
        reads.c.read_at >= sent_at, reads.c.lo <= message_id, reads.c.hi >= message_id
    )
    if agent_id is not None:
        q = q.where(reads.c.agent_id == agent_id)
    wanted = str(message_id)
    first: dict[str, int] = {}
    for agent, read_at, ids in conn.execute(q.order_by(reads.c.read_at).limit(10_000)):
        if agent not in first and wanted in ids.split(","):
            first[agent] = read_at
    return first


def prune_reads(conn: Connection, before: int) -> None:
    conn.execute(sa.delete(reads).where(reads.c.read_at < before))


def record_step(conn: Connection, message_id: int, agent_id: str, step: str, now: int) -> bool:
    """The first time `agent_id` reached `step` for this message (True: it was the first)."""
    assert step in _LEDGER_STEPS
    stmt = _ledger_insert(conn).values(message_id=message_id, agent_id=agent_id, **{step: now})
    stmt = stmt.on_conflict_do_update(
        index_elements=["message_id", "agent_id"],
        set_={step: now},
        where=ledger.c[step].is_(None),
    ).returning(ledger.c.message_id)
    return conn.execute(stmt).first() is not None


def ledger_rows(conn: Connection, message_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            sa.select(ledger).where(ledger.c.message_id == message_id).order_by(ledger.c.agent_id)
        ).mappings()
    )


def unread_for_wake(conn: Connection, agent_id: str, *, sent_before: int, sent_after: int) -> list[int]:
    """Open direct messages to `agent_id` sent in the window, unread, not yet woken for."""
    q = (
        sa.select(messages.c.id)
        .where(
            messages.c.to_addr == agent_id,
            messages.c.created_at < sent_before,
            messages.c.created_at >= sent_after,
            messages.c.completed_at.is_(None),
            messages.c.dead_lettered_at.is_(None),
            ~sa.exists().where(acks.c.message_id == messages.c.id, acks.c.agent_id == agent_id),
            ~sa.exists().where(
                ledger.c.message_id == messages.c.id,
                ledger.c.agent_id == agent_id,
                ledger.c.woken_at.is_not(None),
            ),
        )
        .order_by(messages.c.id)
        .limit(100)
    )
    return list(conn.execute(q).scalars())


def delete(conn: Connection, message_id: int) -> None:
    conn.execute(sa.delete(acks).where(acks.c.message_id == message_id))
    conn.execute(sa.delete(ledger).where(ledger.c.message_id == message_id))
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


def live_claims_by_holder(conn: Connection, now: int) -> dict[str, int]:
    """Per agent, the claims it holds now (lease running, not completed, not dead-lettered):
    the dashboard's "open claims" column."""
    holder = messages.c.claimed_by
    stmt = (
        sa.select(holder, sa.func.count())
        .where(
            holder.is_not(None),
            messages.c.completed_at.is_(None),
            messages.c.dead_lettered_at.is_(None),
            sa.or_(messages.c.claim_expires_at.is_(None), messages.c.claim_expires_at >= now),
        )
        .group_by(holder)
    )
    return {row[0]: int(row[1]) for row in conn.execute(stmt)}


def operator_levels(conn: Connection) -> dict[str, int]:
    """What /metrics reports of the messages (§17), each counted through a partial index, so
    cheap on millions of rows: live claims (completed claims keep no expiry), dead letters,
    and stuck work that is still stuck."""
    claims = sa.select(sa.func.count()).where(
        messages.c.claim_expires_at.is_not(None),
        messages.c.completed_at.is_(None),
        messages.c.dead_lettered_at.is_(None),
    )
    dead = sa.select(sa.func.count()).where(messages.c.dead_lettered_at.is_not(None))
    stuck = sa.select(sa.func.count()).where(messages.c.stuck_at > 0, _still_stuck())
    return {
        "claims_outstanding": conn.execute(claims).scalar_one(),
        "dead_letters": conn.execute(dead).scalar_one(),
        "stuck_messages": conn.execute(stuck).scalar_one(),
    }
