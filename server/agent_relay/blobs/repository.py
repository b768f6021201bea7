from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.models import Blob

blobs: sa.Table = Blob.__table__  # type: ignore[attr-defined]


def get(conn: Connection, blob_id: str) -> RowMapping | None:
    return conn.execute(sa.select(blobs).where(blobs.c.id == blob_id)).mappings().first()


def existing_ids(conn: Connection, blob_ids: list[str]) -> set[str]:
    if not blob_ids:
        return set()
    return set(conn.execute(sa.select(blobs.c.id).where(blobs.c.id.in_(blob_ids))).scalars())


def insert(conn: Connection, values: dict[str, Any]) -> tuple[RowMapping | dict[str, Any], bool]:
    """Insert the metadata, or return the row already stored for the same content."""
    try:
        with conn.begin_nested():
            conn.execute(sa.insert(blobs).values(**values))
        return values, True
    except IntegrityError:
        existing = get(conn, values["id"])
        if existing is None:
            raise
        return existing, False
