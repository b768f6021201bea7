"""The durable event log: appended inside the writer's transaction (through the event bus,
events/bus.py), read after a position for replay and for other processes, pruned by the reaper.

The log's order is a *position*, (tx, id). On SQLite tx is always 0: one writer process,
ids commit in order. On PostgreSQL writers in many processes append concurrently, each row
recording its transaction's id (pg_current_xact_id(), as a bigint), and ids can commit out of
order; a reader takes only rows whose transaction is older than every transaction still
running (pg_snapshot_xmin of its snapshot, the *horizon*): no row can still appear below
that, so reading in (tx, id) order from a (tx, id) cursor loses and repeats nothing, and no
writer ever waits for another (issue 19; before, one advisory lock serialized every append).
The price: an event is read only once every transaction older than its own has ended, so a
transaction left open on the same PostgreSQL server (idle in transaction, any database)
holds back delivery; set idle_in_transaction_session_timeout (docs/event-bus.md).
"""

from __future__ import annotations

from typing import NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from agent_relay.db import PendingEvent, Prepared
from agent_relay.models.event import EventRecord

events_table: sa.Table = EventRecord.__table__  # type: ignore[attr-defined]
Position = tuple[int, int]  # (tx, id): where a reader stands in the log
START: Position = (0, 0)

_c = events_table.c
_INSERT = Prepared(
    sa.insert(events_table)
    .values(name=sa.bindparam("name"), data=sa.bindparam("data"), created_at=sa.bindparam("created_at"))
    .returning(_c.id)
)
# PostgreSQL: each row records its transaction (the same for the whole batch).
_INSERT_PG = Prepared(
    sa.insert(events_table)
    .values(
        name=sa.bindparam("name"),
        data=sa.bindparam("data"),
        created_at=sa.bindparam("created_at"),
        tx=sa.literal_column("pg_current_xact_id()::text::bigint"),
    )
    .returning(_c.id)
)
_TX_PG = "SELECT pg_current_xact_id()::text::bigint"
_HORIZON_PG = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


def render_sse_frame(event_id: int, name: str, payload: bytes) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event_id, name.encode(), payload)


def append_events(conn: Connection, events: list[PendingEvent], now: int, *, before: str = "") -> None:
    """Store a batch (each event's `payload` already serialized by the writer), and give each
    event its id, position and SSE frame: rendered once here, shared by every subscriber.
    On PostgreSQL `before` (a statement without parameters, e.g. a NOTIFY) and the inserts
    go in one pipelined round trip."""
    rows = [{"name": ev.name, "data": ev.payload.decode(), "created_at": now} for ev in events]
    tx = 0
    if conn.dialect.name == "sqlite":  # in-process: a statement per row costs microseconds
        ids = [_INSERT.scalar(conn, row) for row in rows]
    else:  # a round trip per row would cost more than the rows
        raw = conn.connection.dbapi_connection
        with raw.pipeline():  # type: ignore[union-attr]
            tx_cursor = raw.cursor()  # type: ignore[union-attr]
            tx_cursor.execute(f"{_TX_PG}{', ' if before else ''}{before}")
            ids = _INSERT_PG.scalars_pipelined(conn, rows)
            tx = tx_cursor.fetchone()[0]
    for ev, event_id in zip(events, ids, strict=True):
        ev.id = event_id
        ev.tx = tx
        ev.created_at = now
        ev.frame = render_sse_frame(event_id, ev.name, ev.payload)


class Page(NamedTuple):
    events: list[PendingEvent]
    more: bool  # a full page: read on from its last position
    held: bool  # PostgreSQL: committed rows wait behind an older running transaction


def read_log(conn: Connection, after: Position, limit: int = 500) -> Page:
    """The events after a position, in log order, up to the horizon (see the module doc)."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            sa.select(_c.id, _c.name, _c.data, _c.created_at, _c.tx)
            .where(_c.id > after[1])
            .order_by(_c.id)
            .limit(limit)
        ).all()
        return Page(_events(rows), len(rows) == limit, False)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(READ_PG, {"tx": after[0], "id": after[1], "limit": limit})
    return page_pg(cursor.fetchall(), limit)


# One statement: its snapshot gives both the rows and their horizon. Run on the DBAPI
# cursor (psycopg, %(name)s parameters) by read_log and by events/postgres.py's follower.
READ_PG = (
    f"SELECT id, name, data, created_at, tx, {_HORIZON_PG} FROM events "
    "WHERE tx > 0 AND (tx, id) > (%(tx)s, %(id)s) ORDER BY tx, id LIMIT %(limit)s"
)


def page_pg(rows: list[tuple], limit: int) -> Page:
    """READ_PG's rows as a page: those below the horizon; the rest are held."""
    final = [row[:5] for row in rows if row[4] < row[5]]
    return Page(_events(final), len(final) == limit, len(final) < len(rows))


def _events(rows: list[tuple] | list[sa.Row]) -> list[PendingEvent]:
    out = []
    for event_id, name, data, created_at, tx in rows:
        ev = PendingEvent(name, orjson.loads(data), event_id, created_at, tx)
        ev.frame = render_sse_frame(event_id, name, data.encode())
        out.append(ev)
    return out


def events_after(conn: Connection, after_id: int, limit: int = 500) -> list[PendingEvent]:
    """Up to `limit` events after the event `after_id` (0: from the start), in log order,
    every committed one: unlike read_log, not only those below the horizon (for tools and
    tests that look at what the log holds, not for delivery)."""
    tx, event_id = position_of(conn, after_id)
    query = sa.select(_c.id, _c.name, _c.data, _c.created_at, _c.tx).limit(limit)
    if conn.dialect.name == "sqlite":
        query = query.where(_c.id > event_id).order_by(_c.id)
    else:
        query = query.where(sa.tuple_(_c.tx, _c.id) > sa.tuple_(tx, event_id)).order_by(_c.tx, _c.id)
    return _events(conn.execute(query).all())


def position_of(conn: Connection, event_id: int) -> Position:
    """Where a client's Last-Event-ID stands in the log: that event's position. An id that
    is not in the log (pruned, or never handed out) stands after the nearest id below it."""
    if conn.dialect.name == "sqlite" or event_id <= 0:
        return (0, event_id)
    row = conn.execute(
        sa.select(_c.tx, _c.id).where(_c.id <= event_id).order_by(_c.id.desc()).limit(1)
    ).first()
    return (0, event_id) if row is None else (row.tx, row.id)


def latest_position(conn: Connection) -> Position:
    """The last event a reader can take now (START for an empty log)."""
    if conn.dialect.name == "sqlite":
        return (0, latest_event_id(conn))
    row = conn.execute(
        sa.text(
            f"SELECT tx, id FROM events WHERE tx > 0 AND tx < {_HORIZON_PG} ORDER BY tx DESC, id DESC LIMIT 1"
        )
    ).first()
    return START if row is None else (row.tx, row.id)


def latest_event_id(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.coalesce(sa.func.max(_c.id), 0))).scalar_one()


def prune_events(conn: Connection, older_than_ms: int) -> int:
    """Delete events older than the cutoff. Ids grow with time, so find the first id to
    keep and delete everything below it (an id range, not a scan of created_at)."""
    keep_from = conn.execute(
        sa.select(_c.id).where(_c.created_at >= older_than_ms).order_by(_c.id).limit(1)
    ).scalar()
    if keep_from is None:
        # Keep the newest row even when it is old: SQLite would otherwise reuse ids from 1,
        # and clients resuming with a higher Last-Event-ID would miss new events.
        keep_from = latest_event_id(conn)
    result = conn.execute(sa.delete(events_table).where(_c.id < keep_from))
    return result.rowcount or 0
