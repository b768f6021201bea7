"""Pair queries. Every move is a conditional UPDATE from the statuses it may leave."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.models import Pair

pairs: sa.Table = Pair.__table__  # type: ignore[attr-defined]


def insert(conn: Connection, values: dict[str, Any]) -> int:
    return conn.execute(sa.insert(pairs).returning(pairs.c.id), values).scalar_one()


def get(conn: Connection, pair_id: int) -> RowMapping | None:
    return conn.execute(sa.select(pairs).where(pairs.c.id == pair_id)).mappings().first()


def list_filtered(
    conn: Connection, *, agent_id: str | None, status: str | None, before: int | None, limit: int
) -> list[RowMapping]:
    q = sa.select(pairs)
    if agent_id:
        q = q.where(sa.or_(pairs.c.from_agent == agent_id, pairs.c.to_agent == agent_id))
    if status:
        q = q.where(pairs.c.status == status)
    if before is not None:
        q = q.where(pairs.c.id < before)
    return list(conn.execute(q.order_by(pairs.c.id.desc()).limit(limit)).mappings())


def transition(
    conn: Connection,
    pair_id: int,
    from_statuses: tuple[str, ...],
    values: dict[str, Any],
    *,
    live_at: int | None = None,
) -> RowMapping | None:
    """Conditional move: only from the given statuses (and, for a pending invite, only
    before it lapses). None when the pair was not in such a state."""
    q = sa.update(pairs).where(pairs.c.id == pair_id, pairs.c.status.in_(from_statuses))
    if live_at is not None:
        q = q.where(sa.or_(pairs.c.expires_at.is_(None), pairs.c.expires_at >= live_at))
    return conn.execute(q.values(**values).returning(*pairs.c)).mappings().first()


def expire_pending(conn: Connection, now: int) -> list[RowMapping]:
    return list(
        conn.execute(
            sa.update(pairs)
            .where(pairs.c.status == "pending", pairs.c.expires_at < now)
            .values(status="expired", ended_at=now, updated_at=now)
            .returning(*pairs.c)
        ).mappings()
    )
