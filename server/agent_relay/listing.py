"""The query behind every list route: equality filters, an id cursor, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping


def newest_first(
    conn: Connection,
    table: sa.Table,
    *,
    equals: dict[str, Any],
    limit: int,
    before: int | None = None,
    after: int | None = None,
    where: Sequence[sa.ColumnElement[bool]] = (),
) -> list[RowMapping]:
    """Rows whose columns equal the given values (a None or empty value: no filter),
    with id < `before` / id > `after` and any extra `where` conditions, newest first."""
    q = sa.select(table).where(*where)
    for column, value in equals.items():
        if value is not None and value != "":
            q = q.where(table.c[column] == value)
    if before is not None:
        q = q.where(table.c.id < before)
    if after is not None:
        q = q.where(table.c.id > after)
    return list(conn.execute(q.order_by(table.c.id.desc()).limit(limit)).mappings())
