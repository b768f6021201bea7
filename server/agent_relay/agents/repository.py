from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.db import Prepared, json_from_db
from agent_relay.models import Agent, AgentToken

agents: sa.Table = Agent.__table__  # type: ignore[attr-defined]


def get(conn: Connection, agent_id: str) -> RowMapping | None:
    return conn.execute(sa.select(agents).where(agents.c.id == agent_id)).mappings().first()


_SESSION_COLUMNS = ("instance_id", "epoch", "label", "tags", "capabilities")
_session_card = Prepared(
    sa.select(*(agents.c[k] for k in _SESSION_COLUMNS)).where(agents.c.id == sa.bindparam("agent"))
)


def session_card(conn: Connection, agent_id: str) -> dict[str, Any] | None:
    """What a session check and an inbox's addressing read (instance, epoch, label, tags,
    capabilities), as a prepared statement (see db.Prepared): on every inbox read and
    every fenced write."""
    row = _session_card.execute(conn, {"agent": agent_id}).fetchone()
    if row is None:
        return None
    instance_id, epoch, label, tags, capabilities = row
    return {
        "instance_id": instance_id,
        "epoch": epoch,
        "label": label,
        "tags": json_from_db(tags),
        "capabilities": json_from_db(capabilities),
    }


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


# -- agent tokens ---------------------------------------------------------------------------
agent_tokens: sa.Table = AgentToken.__table__  # type: ignore[attr-defined]


def insert_token(conn: Connection, values: dict[str, Any]) -> int:
    return conn.execute(sa.insert(agent_tokens).values(**values).returning(agent_tokens.c.id)).scalar_one()


def token_by_hash(conn: Connection, token_hash: str) -> RowMapping | None:
    return (
        conn.execute(sa.select(agent_tokens).where(agent_tokens.c.token_hash == token_hash))
        .mappings()
        .first()
    )


def tokens_of(conn: Connection, agent_id: str) -> list[RowMapping]:
    q = sa.select(agent_tokens).where(agent_tokens.c.agent_id == agent_id).order_by(agent_tokens.c.id.desc())
    return list(conn.execute(q).mappings())


def delete_token(conn: Connection, agent_id: str, token_id: int) -> RowMapping | None:
    q = (
        sa.delete(agent_tokens)
        .where(agent_tokens.c.id == token_id, agent_tokens.c.agent_id == agent_id)
        .returning(agent_tokens.c.token_hash)
    )
    return conn.execute(q).mappings().first()


def delete_tokens_of(conn: Connection, agent_id: str) -> list[str]:
    q = (
        sa.delete(agent_tokens)
        .where(agent_tokens.c.agent_id == agent_id)
        .returning(agent_tokens.c.token_hash)
    )
    return list(conn.execute(q).scalars())


def touch_tokens(conn: Connection, used: dict[int, int]) -> None:
    """lastUsedAt for several tokens at once; never moves one back."""
    for token_id, when in used.items():
        conn.execute(
            sa.update(agent_tokens)
            .where(
                agent_tokens.c.id == token_id,
                sa.or_(agent_tokens.c.last_used_at.is_(None), agent_tokens.c.last_used_at < when),
            )
            .values(last_used_at=when)
        )
