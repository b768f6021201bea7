"""The activity feed: what happened, for people. Idempotent by clientId."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError

from agent_relay.activity import repository as repo
from agent_relay.activity.schemas import SERVER_CLIENT_ID_PREFIX
from agent_relay.db import UnitOfWork


def record(
    uow: UnitOfWork,
    *,
    kind: str,
    title: str,
    client_id: str | None = None,
    body: str | None = None,
    meta: str | None = None,
    icon: str | None = None,
    view: str | None = None,
    message_id: int | None = None,
    agent_id: str | None = None,
    metadata: dict[str, Any] | None = None,
    unique_client_id: bool = False,
) -> tuple[dict[str, Any], bool]:
    """Insert an activity event, or return the existing one with the same clientId.
    `unique_client_id` skips the lookup for ids that cannot exist yet (server-message-<new id>)."""
    if client_id is None:
        client_id = f"{SERVER_CLIENT_ID_PREFIX}{uuid.uuid4().hex}"
        unique_client_id = True
    if not unique_client_id:
        existing = repo.by_client_id(uow.conn, client_id)
        if existing is not None:
            return repo.to_wire(existing), False
    values = {
        "client_id": client_id,
        "kind": kind,
        "title": title[:300],
        "body": body,
        "meta": meta[:500] if meta else meta,
        "icon": icon,
        "view": view,
        "message_id": message_id,
        "agent_id": agent_id,
        "metadata": metadata,
        "created_at": uow.now,
    }
    if unique_client_id:
        values["id"] = repo.insert(uow.conn, values)
    else:
        try:
            with uow.conn.begin_nested():
                values["id"] = repo.insert(uow.conn, values)
        except IntegrityError:  # the same clientId committed by another process meanwhile
            existing = repo.by_client_id(uow.conn, client_id)
            if existing is None:
                raise
            return repo.to_wire(existing), False
    item = repo.to_wire(values)
    uow.emit("activity.new", item)
    return item, True
