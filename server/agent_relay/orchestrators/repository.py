from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.models import Orchestrator

orchestrators: sa.Table = Orchestrator.__table__  # type: ignore[attr-defined]


def get(conn: Connection, orchestrator_id: str) -> RowMapping | None:
    return (
        conn.execute(sa.select(orchestrators).where(orchestrators.c.id == orchestrator_id)).mappings().first()
    )


def list_all(conn: Connection, *, status: str | None = None) -> list[RowMapping]:
    """Newest registration first."""
    q = sa.select(orchestrators)
    if status:
        q = q.where(orchestrators.c.status == status)
    return list(conn.execute(q.order_by(orchestrators.c.created_at.desc(), orchestrators.c.id)).mappings())


def upsert(conn: Connection, orchestrator_id: str, values: dict[str, Any], now: int) -> RowMapping:
    """Update in place, or insert; an insert racing another process's insert of the same
    id falls back to the update (the unique primary key decides)."""

    def _update() -> RowMapping | None:
        return (
            conn.execute(
                sa.update(orchestrators)
                .where(orchestrators.c.id == orchestrator_id)
                .values(**values, updated_at=now)
                .returning(*orchestrators.c)
            )
            .mappings()
            .first()
        )

    row = _update()
    if row is not None:
        return row
    full = {
        "env_keys": [],
        "meta": {},
        **values,
        "id": orchestrator_id,
        "managed_agents": [],
        "created_at": now,
        "updated_at": now,
    }
    try:
        with conn.begin_nested():
            return (
                conn.execute(sa.insert(orchestrators).values(**full).returning(*orchestrators.c))
                .mappings()
                .one()
            )
    except IntegrityError:
        row = _update()
        if row is None:
            raise
        return row


def heartbeat(conn: Connection, orchestrator_id: str, now: int) -> tuple[RowMapping | None, bool]:
    """Refresh lastHeartbeat and set online. Returns (row, came_back): came_back is True
    when this call moved it from offline to online (decided by the conditional UPDATE)."""
    back = (
        conn.execute(
            sa.update(orchestrators)
            .where(orchestrators.c.id == orchestrator_id, orchestrators.c.status != "online")
            .values(status="online", last_heartbeat=now, updated_at=now)
            .returning(*orchestrators.c)
        )
        .mappings()
        .first()
    )
    if back is not None:
        return back, True
    row = (
        conn.execute(
            sa.update(orchestrators)
            .where(orchestrators.c.id == orchestrator_id)
            .values(last_heartbeat=now)
            .returning(*orchestrators.c)
        )
        .mappings()
        .first()
    )
    return row, False


def set_managed_agents(
    conn: Connection, orchestrator_id: str, agents: list[dict[str, Any]], now: int
) -> RowMapping | None:
    return (
        conn.execute(
            sa.update(orchestrators)
            .where(orchestrators.c.id == orchestrator_id)
            .values(managed_agents=agents, updated_at=now)
            .returning(*orchestrators.c)
        )
        .mappings()
        .first()
    )


def delete(conn: Connection, orchestrator_id: str) -> RowMapping | None:
    return (
        conn.execute(
            sa.delete(orchestrators).where(orchestrators.c.id == orchestrator_id).returning(*orchestrators.c)
        )
        .mappings()
        .first()
    )


def mark_stale_offline(conn: Connection, heartbeat_before: int, now: int) -> list[RowMapping]:
    """Conditional update: each stale orchestrator is reaped by exactly one reaper."""
    return list(
        conn.execute(
            sa.update(orchestrators)
            .where(
                orchestrators.c.status != "offline",
                orchestrators.c.last_heartbeat < heartbeat_before,
            )
            .values(status="offline", updated_at=now)
            .returning(*orchestrators.c)
        ).mappings()
    )
