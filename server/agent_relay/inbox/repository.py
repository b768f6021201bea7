"""Inbox drafts: one saved compose-draft per agent."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.models import InboxDraft

drafts: sa.Table = InboxDraft.__table__  # type: ignore[attr-defined]


def get_draft(conn: Connection, agent_id: str) -> RowMapping | None:
    return conn.execute(sa.select(drafts).where(drafts.c.agent_id == agent_id)).mappings().first()


def put_draft(conn: Connection, agent_id: str, draft: dict[str, Any], now: int) -> None:
    if get_draft(conn, agent_id) is None:
        conn.execute(sa.insert(drafts).values(agent_id=agent_id, draft=draft, updated_at=now))
    else:
        conn.execute(
            sa.update(drafts).where(drafts.c.agent_id == agent_id).values(draft=draft, updated_at=now)
        )


def delete_draft(conn: Connection, agent_id: str) -> bool:
    return (conn.execute(sa.delete(drafts).where(drafts.c.agent_id == agent_id)).rowcount or 0) > 0
