from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.db import Prepared, dumps_json
from agent_relay.listing import newest_first
from agent_relay.models import ActivityEvent

activity: sa.Table = ActivityEvent.__table__  # type: ignore[attr-defined]

_insert = Prepared.insert_returning_id(activity)


def insert(conn: Connection, values: dict[str, Any]) -> int:
    """Prepared (see db.Prepared): every message send records one of these."""
    return _insert.scalar(conn, {**values, "metadata": dumps_json(values["metadata"])})


def by_client_id(conn: Connection, client_id: str) -> RowMapping | None:
    return conn.execute(sa.select(activity).where(activity.c.client_id == client_id)).mappings().first()


def list_filtered(
    conn: Connection,
    *,
    kind: str | None,
    agent_id: str | None,
    view: str | None,
    before: int | None,
    limit: int,
) -> list[RowMapping]:
    equals = {"kind": kind, "agent_id": agent_id, "view": view}
    return newest_first(conn, activity, equals=equals, before=before, limit=limit)
