"""The group-commit writer: jobs are isolated by savepoints, events only follow commits."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from agent_relay import db as db_module
from agent_relay.db import Database, PendingEvent
from agent_relay.errors import Conflict
from agent_relay.events.log import events_after, events_table
from agent_relay.migrations import upgrade
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


def test_sqlite_log_is_rewound_under_steady_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Background PASSIVE checkpoints alone never catch up with a writer that never pauses,
    and SQLite only rewinds a fully copied log: the checkpointer must finish the job."""
    monkeypatch.setattr(db_module, "CHECKPOINT_INTERVAL_S", 0.02)
    monkeypatch.setattr(db_module, "WAL_REWIND_BYTES", 256 << 10)
    path = tmp_path / "relay.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    db.start(events_table, None)
    chunk = {"filler": "x" * 4000}
    written = largest_log = 0
    try:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            db.write_sync(lambda uow: [uow.emit("bulk", chunk) for _ in range(4)])
            written += 4 * 4000
            largest_log = max(largest_log, os.path.getsize(f"{path}-wal"))
    finally:
        db.stop()
    assert written > 20 << 20, "the writer must have outrun a few checkpoint rounds"
    # Unbounded, the log holds more than was written (index pages too); rewound, a fraction.
    assert largest_log < written // 3, f"log grew to {largest_log >> 20} MB for {written >> 20} MB written"
    assert not os.path.exists(f"{path}-wal") or os.path.getsize(f"{path}-wal") == 0  # emptied on stop


async def test_inline_writer_waits_for_the_checkpointer_without_blocking_the_loop(tmp_path: Path) -> None:
    """While the checkpointer holds the write lock, writes wait and everything else runs."""
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    upgrade(url)
    db = Database(url)
    db.start(events_table, None)
    try:
        db._write_lock.acquire()  # what the checkpointer does for its last pass...
        threading.Timer(1.0, db._write_lock.release).start()  # ...from its own thread
        write = asyncio.ensure_future(db.write(_insert_agent("waits")))
        started = time.monotonic()
        await asyncio.sleep(0.05)  # a blocked loop would end this sleep after the release
        assert time.monotonic() - started < 0.5
        assert not write.done()
        assert await asyncio.wait_for(write, 5) == "waits"
    finally:
        db.stop()
