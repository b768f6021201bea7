"""The durable event log: appended inside the writer's transaction (through the event bus,
events/bus.py), read after an id for replay and for other processes, pruned by the reaper."""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from agent_relay.db import PendingEvent, Prepared
from agent_relay.models.event import EventRecord

events_table: sa.Table = EventRecord.__table__  # type: ignore[attr-defined]
_INSERT = Prepared.insert_returning_id(events_table)


def render_sse_frame(event_id: int, name: str, payload: bytes) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event_id, name.encode(), payload)


def append_events(conn: Connection, events: list[PendingEvent], now: int) -> None:
    """Store a batch (each event's `payload` already serialized by the writer), and give each
    event its id and its SSE frame: rendered once here, shared by every subscriber."""
    rows = [{"name": ev.name, "data": ev.payload.decode(), "created_at": now} for ev in events]
    if conn.dialect.name == "sqlite":  # in-process: a statement per row costs microseconds
        ids = [_INSERT.scalar(conn, row) for row in rows]
    else:  # a round trip per row would cost more than the rows
        ids = _INSERT.scalars_pipelined(conn, rows)
    for ev, event_id in zip(events, ids, strict=True):
        ev.id = event_id
        ev.created_at = now
        ev.frame = render_sse_frame(event_id, ev.name, ev.payload)


def events_after(conn: Connection, after_id: int, limit: int = 500) -> list[PendingEvent]:
    rows = conn.execute(
        sa.select(events_table.c.id, events_table.c.name, events_table.c.data, events_table.c.created_at)
        .where(events_table.c.id > after_id)
        .order_by(events_table.c.id)
        .limit(limit)
    ).all()

    out = []
    for row in rows:
        ev = PendingEvent(row.name, orjson.loads(row.data), row.id, row.created_at)
        ev.frame = render_sse_frame(row.id, row.name, row.data.encode())
        out.append(ev)
    return out


def latest_event_id(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.coalesce(sa.func.max(events_table.c.id), 0))).scalar_one()


def prune_events(conn: Connection, older_than_ms: int) -> int:
    """Delete events older than the cutoff. Ids grow with time, so find the first id to
    keep and delete everything below it (an id range, not a scan of created_at)."""
    keep_from = conn.execute(
        sa.select(events_table.c.id)
        .where(events_table.c.created_at >= older_than_ms)
        .order_by(events_table.c.id)
        .limit(1)
    ).scalar()
    if keep_from is None:
        # Keep the newest row even when it is old: SQLite would otherwise reuse ids from 1,
        # and clients resuming with a higher Last-Event-ID would miss new events.
        keep_from = latest_event_id(conn)
    result = conn.execute(sa.delete(events_table).where(events_table.c.id < keep_from))
    return result.rowcount or 0
