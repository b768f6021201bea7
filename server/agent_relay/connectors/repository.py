from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.models import Connector

connectors: sa.Table = Connector.__table__  # type: ignore[attr-defined]


def get(conn: Connection, connector_id: str) -> RowMapping | None:
    return conn.execute(sa.select(connectors).where(connectors.c.id == connector_id)).mappings().first()


def list_all(conn: Connection, limit: int) -> list[RowMapping]:
    q = sa.select(connectors).order_by(connectors.c.created_at.desc(), connectors.c.id).limit(limit)
    return list(conn.execute(q).mappings())


def insert(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(sa.insert(connectors).values(**values))


def update(conn: Connection, connector_id: str, values: dict[str, Any]) -> RowMapping | None:
    """UPDATE … RETURNING: None when the connector does not exist (any more)."""
    stmt = (
        sa.update(connectors).where(connectors.c.id == connector_id).values(**values).returning(*connectors.c)
    )
    return conn.execute(stmt).mappings().first()
