from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.models import ChannelBinding

bindings: sa.Table = ChannelBinding.__table__  # type: ignore[attr-defined]

# Route order inside a tier: highest priority first, then the newest.
_ROUTE_ORDER = (bindings.c.priority.desc(), bindings.c.id.desc())


def get(conn: Connection, binding_id: int) -> RowMapping | None:
    return conn.execute(sa.select(bindings).where(bindings.c.id == binding_id)).mappings().first()


def list_for(conn: Connection, channel_id: str | None, limit: int) -> list[RowMapping]:
    q = sa.select(bindings)
    if channel_id is not None:
        q = q.where(bindings.c.channel_id == channel_id)
    return list(conn.execute(q.order_by(bindings.c.id.desc()).limit(limit)).mappings())


def for_channel(conn: Connection, channel_id: str) -> list[RowMapping]:
    """Every binding of a channel, in route order."""
    return list(
        conn.execute(
            sa.select(bindings).where(bindings.c.channel_id == channel_id).order_by(*_ROUTE_ORDER)
        ).mappings()
    )


def tier(conn: Connection, channel_id: str, conversation_key: str) -> list[RowMapping]:
    """One tier's bindings (a conversation's, or the defaults with key ""), in route order."""
    return list(
        conn.execute(
            sa.select(bindings)
            .where(bindings.c.channel_id == channel_id, bindings.c.conversation_key == conversation_key)
            .order_by(*_ROUTE_ORDER)
        ).mappings()
    )


def _key_filter(channel_id: str, conversation_key: str, target_key: str) -> Any:
    return sa.and_(
        bindings.c.channel_id == channel_id,
        bindings.c.conversation_key == conversation_key,
        bindings.c.target_key == target_key,
    )


def upsert(
    conn: Connection, values: dict[str, Any], priority: int | None, now: int
) -> tuple[RowMapping, bool]:
    """Update the binding with the same (channel, conversation, target) or insert it. An
    omitted priority keeps the stored one. Safe against a concurrent insert of the same key."""
    where = _key_filter(values["channel_id"], values["conversation_key"], values["target_key"])
    changes: dict[str, Any] = {"mode": values["mode"], "updated_at": now}
    if priority is not None:
        changes["priority"] = priority
    update = sa.update(bindings).where(where).values(**changes).returning(*bindings.c)
    row = conn.execute(update).mappings().first()
    if row is not None:
        return row, False
    try:
        with conn.begin_nested():
            inserted = (
                conn.execute(
                    sa.insert(bindings)
                    .values(**values, priority=priority or 0, created_at=now, updated_at=now)
                    .returning(*bindings.c)
                )
                .mappings()
                .one()
            )
        return inserted, True
    except IntegrityError:  # another process inserted the same key meanwhile
        return conn.execute(update).mappings().one(), False


def delete(conn: Connection, binding_id: int) -> bool:
    return (conn.execute(sa.delete(bindings).where(bindings.c.id == binding_id)).rowcount or 0) > 0
