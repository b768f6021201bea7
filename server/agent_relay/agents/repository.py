from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.models import Agent

agents: sa.Table = Agent.__table__  # type: ignore[attr-defined]


def get(conn: Connection, agent_id: str) -> RowMapping | None:
    return conn.execute(sa.select(agents).where(agents.c.id == agent_id)).mappings().first()


def get_for_update(conn: Connection, agent_id: str) -> RowMapping | None:
    """Row-locked read (PostgreSQL; SQLite's single writer needs none) for session checks
    that must not interleave with another process moving the session forward."""
    return conn.execute(sa.select(agents).where(agents.c.id == agent_id).with_for_update()).mappings().first()


def list_all(
    conn: Connection,
    *,
    status: str | None = None,
    kind: str | None = None,
    label: str | None = None,
) -> list[RowMapping]:
    q = sa.select(agents)
    if status:
        q = q.where(agents.c.status == status)
    if kind:
        q = q.where(agents.c.kind == kind)
    if label:
        q = q.where(agents.c.label == label)
    return list(conn.execute(q.order_by(agents.c.last_seen.desc(), agents.c.id)).mappings())


def insert(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(sa.insert(agents).values(**values))


def update(conn: Connection, agent_id: str, values: dict[str, Any]) -> None:
    conn.execute(sa.update(agents).where(agents.c.id == agent_id).values(**values))


def delete(conn: Connection, agent_id: str) -> bool:
    return (conn.execute(sa.delete(agents).where(agents.c.id == agent_id)).rowcount or 0) > 0


def mark_stale_offline(conn: Connection, seen_before: int) -> list[RowMapping]:
    """Conditional update: each stale agent is reaped by exactly one reaper, in any process."""
    return list(
        conn.execute(
            sa.update(agents)
            .where(agents.c.status != "offline", agents.c.last_seen < seen_before)
            .values(status="offline")
            .returning(*agents.c)
        ).mappings()
    )


def count(conn: Connection, status: str | None = None) -> int:
    q = sa.select(sa.func.count()).select_from(agents)
    if status:
        q = q.where(agents.c.status == status)
    return conn.execute(q).scalar_one()
