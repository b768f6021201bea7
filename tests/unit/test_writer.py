"""The group-commit writer: jobs are isolated by savepoints, events only follow commits."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from agent_relay.db import Database, PendingEvent
from agent_relay.errors import Conflict
from agent_relay.events.log import events_after, events_table
from agent_relay.models import Agent

agents = Agent.__table__


def _insert_agent(agent_id: str):
    def job(uow):
        uow.conn.execute(
            sa.insert(agents).values(
                id=agent_id, name=agent_id, kind="provider", status="online", ready=True, tags=[],
                capabilities=[], meta={}, last_seen=uow.now, created_at=uow.now,
            )
        )
        uow.emit("agent.status", {"id": agent_id})
        return agent_id

    return job


async def test_failed_job_rolls_back_alone_and_emits_nothing(db_url: str) -> None:
    published: list[PendingEvent] = []
    db = Database(db_url)
    db.start(events_table, published.extend)
    try:
        def failing(uow):
            _insert_agent("doomed")(uow)
            raise Conflict("nope")

        results = await asyncio.gather(
            db.write(_insert_agent("a")), db.write(failing), db.write(_insert_agent("b")), return_exceptions=True
        )
        assert results[0] == "a" and results[2] == "b"
        assert isinstance(results[1], Conflict) and results[1].message == "nope"
        ids = await db.read(lambda conn: sorted(conn.execute(sa.select(agents.c.id)).scalars()))
        assert ids == ["a", "b"]
        logged = await db.read(lambda conn: events_after(conn, 0))
        assert [e.data["id"] for e in logged] == ["a", "b"]
        assert [e.data["id"] for e in published] == ["a", "b"]
        assert [e.id for e in published] == [e.id for e in logged]
        assert published[0].frame.startswith(b"id: %d\nevent: agent.status\ndata: " % published[0].id)
    finally:
        db.stop()


async def test_unexpected_error_is_reported_not_swallowed(db_url: str) -> None:
    db = Database(db_url)
    db.start(events_table, None)
    try:
        with pytest.raises(ZeroDivisionError):
            await db.write(lambda uow: 1 / 0)
        assert await db.write(lambda uow: "still working") == "still working"
    finally:
        db.stop()


def test_write_sync_from_a_plain_thread(db_url: str) -> None:
    db = Database(db_url)
    db.start(events_table, None)
    try:
        assert db.write_sync(_insert_agent("sync")) == "sync"
        with pytest.raises(Conflict):
            db.write_sync(lambda uow: (_ for _ in ()).throw(Conflict("x")))
    finally:
        db.stop()
