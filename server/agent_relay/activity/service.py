"""The activity feed: what happened, for people. Idempotent by clientId. Entries the relay
writes itself are worded by `activity.presenter`; clients post theirs (`ActivityIn`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from agent_relay.activity import repository as repo
from agent_relay.activity.schemas import (
    ACTIVITY_WIRE,
    SERVER_CLIENT_ID_PREFIX,
    ActivityEntry,
    ActivityIn,
    ActivityRecord,
)
from agent_relay.db import UnitOfWork

_build = ACTIVITY_WIRE.build


def record_for(uow: UnitOfWork, entry: ActivityEntry | ActivityIn) -> tuple[ActivityRecord, bool]:
    """Insert an activity event, or return the existing one with the same clientId."""
    client_id = entry.client_id
    fresh = isinstance(entry, ActivityEntry) and entry.fresh_client_id
    if client_id is None:
        client_id = f"{SERVER_CLIENT_ID_PREFIX}{uuid.uuid4().hex}"
        fresh = True
    if not fresh:
        existing = repo.by_client_id(uow.conn, client_id)
        if existing is not None:
            return _build(existing), False
    meta = entry.meta
    values: dict[str, Any] = {
        "client_id": client_id,
        "kind": entry.kind,
        "title": entry.title[:300],
        "body": entry.body,
        "meta": meta[:500] if meta else meta,
        "icon": entry.icon,
        "view": entry.view,
        "message_id": entry.message_id,
        "agent_id": entry.agent_id,
        "metadata": entry.metadata,
        "created_at": uow.now,
    }
    if fresh:
        values["id"] = repo.insert(uow.conn, values)
    else:
        try:
            with uow.conn.begin_nested():
                values["id"] = repo.insert(uow.conn, values)
        except IntegrityError:  # the same clientId committed by another process meanwhile
            existing = repo.by_client_id(uow.conn, client_id)
            if existing is None:
                raise
            return _build(existing), False
    item = _build(values)
    uow.emit("activity.new", item)
    return item, True


def list_activity(
    conn: Connection,
    *,
    kind: str | None,
    agent_id: str | None,
    view: str | None,
    before: int | None,
    limit: int,
) -> list[ActivityRecord]:
    """The feed, newest first."""
    rows = repo.list_filtered(conn, kind=kind, agent_id=agent_id, view=view, before=before, limit=limit)
    return [_build(r) for r in rows]
