"""Reading the durable event log (writes happen in the writer, see db.py)."""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from agent_relay.db import PendingEvent, render_sse_frame
from agent_relay.models import EventRecord

events_table: sa.Table = EventRecord.__table__  # type: ignore[attr-defined]

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
    result = conn.execute(sa.delete(events_table).where(events_table.c.created_at < older_than_ms))
    return result.rowcount or 0
