"""Integration counters. Both are atomic upserts (INSERT … ON CONFLICT DO UPDATE), so
they hold with several server processes writing to one PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.models import IntegrationRateLimit, IntegrationState

rate_limits: sa.Table = IntegrationRateLimit.__table__  # type: ignore[attr-defined]
states: sa.Table = IntegrationState.__table__  # type: ignore[attr-defined]


def _insert(conn: Connection, table: sa.Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def hit_rate_limit(conn: Connection, key: str, window_start: int) -> int:
    """Count one request in the current one-minute window; returns the count so far."""
    stmt = _insert(conn, rate_limits).values(key=key, window_start=window_start, count=1)
    same_window = rate_limits.c.window_start == stmt.excluded.window_start
    stmt = stmt.on_conflict_do_update(
        index_elements=[rate_limits.c.key],
        set_={
            "count": sa.case((same_window, rate_limits.c.count + 1), else_=1),
            "window_start": stmt.excluded.window_start,
        },
    ).returning(rate_limits.c.count)
    return conn.execute(stmt).scalar_one()


def record_event(
    conn: Connection, name: str, *, now: int, external_id: str, status: str, task_id: int
) -> None:
    values = {
        "last_event_at": now,
        "last_external_id": external_id,
        "last_status": status,
        "last_task_id": task_id,
    }
    stmt = _insert(conn, states).values(name=name, events=1, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[states.c.name], set_={"events": states.c.events + 1, **values}
    )
    conn.execute(stmt)


def all_states(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(sa.select(states)).mappings())
