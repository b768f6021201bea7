"""The group-commit writer: jobs are isolated by savepoints, events only follow commits."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from agent_relay.db import Database, PendingEvent
from agent_relay.db import writer as db_module
from agent_relay.errors import BadRequest, Conflict
from agent_relay.events.log import append_events, events_after
from agent_relay.migrations import upgrade
from agent_relay.models import Agent

agents = Agent.__table__


class _Sink:
    """The writer's side of an event bus, bare: the durable log, then `publish` (if given)."""

    def __init__(self, publish=None) -> None:
        self._publish = publish

    def append(self, conn, events, now) -> None:
        append_events(conn, events, now)

    def publish(self, events) -> None:
        if self._publish is not None:
            self._publish(events)


def _insert_agent(agent_id: str):
    def job(uow):
        uow.conn.execute(
            sa.insert(agents).values(
                id=agent_id,
                name=agent_id,
                kind="provider",
                status="online",
                ready=True,
                tags=[],
                capabilities=[],
                meta={},
                last_seen=uow.now,
                created_at=uow.now,
            )
        )
        uow.emit("agent.status", {"id": agent_id})
        return agent_id

    return job


async def test_failed_job_rolls_back_alone_and_emits_nothing(db_url: str) -> None:
    published: list[PendingEvent] = []
    db = Database(db_url)
    db.start(_Sink(published.extend))
    try:

        def failing(uow):
            _insert_agent("doomed")(uow)
            raise Conflict("nope")

        results = await asyncio.gather(
            db.write(_insert_agent("a")),
            db.write(failing),
            db.write(_insert_agent("b")),
            return_exceptions=True,
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
    db.start(_Sink())
    try:
        with pytest.raises(ZeroDivisionError):
            await db.write(lambda uow: 1 / 0)
        assert await db.write(lambda uow: "still working") == "still working"
    finally:
        db.stop()


def test_write_sync_from_a_plain_thread(db_url: str) -> None:
    db = Database(db_url)
    db.start(_Sink())
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
    db.start(_Sink())
    chunk = {"filler": "x" * 4000}
    written = largest_log = 0
    try:
        # A fixed amount, not a fixed time: on a busy machine a second may write too little
        # to outrun the checkpointer at all.
        deadline = time.monotonic() + 60
        while written < 24 << 20 and time.monotonic() < deadline:
            db.write_sync(lambda uow: [uow.emit("bulk", chunk) for _ in range(4)])
            written += 4 * 4000
            largest_log = max(largest_log, os.path.getsize(f"{path}-wal"))
            time.sleep(0.0005)  # a server parses requests between batches; the lock is free then
    finally:
        db.stop()
    assert written >= 24 << 20, "the writer must have outrun a few checkpoint rounds"
    # Unbounded, the log holds more than was written (index pages too); rewound, a fraction.
    assert largest_log < written // 3, f"log grew to {largest_log >> 20} MB for {written >> 20} MB written"
    assert not os.path.exists(f"{path}-wal") or os.path.getsize(f"{path}-wal") == 0  # emptied on stop


async def test_inline_writer_waits_for_the_checkpointer_without_blocking_the_loop(tmp_path: Path) -> None:
    """While the checkpointer holds the write lock, writes wait and everything else runs."""
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    upgrade(url)
    db = Database(url)
    db.start(_Sink())
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


# -- the writer can't die (issue 12) ---------------------------------------------------------
# Every test runs on both writers, on each backend: inline (SQLite's, on the event loop) and
# the writer thread (PostgreSQL's).
WRITERS = pytest.mark.parametrize("inline", [True, False], ids=["inline", "thread"])


def _nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


class Abort(BaseException):
    """Not an Exception: what no job handler expects."""


async def _one_batch(db: Database, fns: list) -> list:
    """Run jobs in one batch and return each outcome (result or exception), failing rather
    than hanging if a job is never settled."""
    if db.inline:  # every write issued in one loop iteration shares the next flush
        return await asyncio.wait_for(
            asyncio.gather(*(db.write(fn) for fn in fns), return_exceptions=True), 10
        )
    gate = threading.Event()
    blocker = asyncio.ensure_future(db.write(lambda uow: gate.wait(10)))
    while db._busy_since is None:  # the writer holds the blocker: the rest queue up behind it
        await asyncio.sleep(0.001)
    writes = [asyncio.ensure_future(db.write(fn)) for fn in fns]
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.wait_for(blocker, 10)
    return await asyncio.wait_for(asyncio.gather(*writes, return_exceptions=True), 10)


async def _agent_ids(db: Database) -> list[str]:
    return await db.read(lambda conn: sorted(conn.execute(sa.select(agents.c.id)).scalars()))


@WRITERS
async def test_an_event_that_cannot_be_stored_fails_only_its_job(db_url: str, inline: bool) -> None:
    """orjson refuses data nested past 254 levels or an integer past 64 bits. Serialized after
    the jobs, outside their error handling, such an event killed the writer thread (every
    later write hung) or failed the whole inline batch."""
    published: list[PendingEvent] = []
    db = Database(db_url, inline=inline)
    db.start(_Sink(published.extend))

    def emits(data: dict):
        def job(uow):
            _insert_agent(f"bad-{len(data)}-{id(data)}")(uow)
            uow.emit("test.bad", data)

        return job

    def stores(meta: dict):  # the job's own row, not its event, holds the value
        def job(uow):
            uow.conn.execute(sa.update(agents).where(agents.c.id == "a").values(meta=meta))

        return job

    try:
        results = await _one_batch(
            db,
            [
                _insert_agent("a"),
                emits({"deep": _nested(300)}),
                _insert_agent("b"),
                emits({"big": 2**70}),
                _insert_agent("c"),
                stores({"lone": "\ud800"}),
                _insert_agent("d"),
            ],
        )
        assert results[0::2] == ["a", "b", "c", "d"]
        for bad in results[1::2]:
            assert isinstance(bad, BadRequest) and "cannot be stored as JSON" in bad.message
        assert await _agent_ids(db) == ["a", "b", "c", "d"]  # the bad jobs' rows were rolled back
        logged = await db.read(lambda conn: events_after(conn, 0))
        assert [e.data["id"] for e in logged] == ["a", "b", "c", "d"]
        assert [e.id for e in published] == [e.id for e in logged]
        assert await db.write(_insert_agent("later")) == "later"
        assert db.problem(stall_ms=1000) is None
    finally:
        db.stop()


@WRITERS
async def test_a_connection_closed_mid_batch_fails_only_that_job(db_url: str, inline: bool) -> None:
    """A job that breaks the connection under the batch (as a lost network would): the batch
    is retried job by job on a fresh connection, and the pool never hands the dead one back."""
    db = Database(db_url, inline=inline)
    db.start(_Sink())

    def closes_the_connection(uow):
        uow.conn.connection.dbapi_connection.close()
        return "closed"

    try:
        results = await _one_batch(
            db, [_insert_agent("a"), _insert_agent("b"), closes_the_connection, _insert_agent("c")]
        )
        assert results[:2] == ["a", "b"] and results[3] == "c"
        assert isinstance(results[2], Exception)  # its commit could not happen
        assert await _agent_ids(db) == ["a", "b", "c"]
        assert await db.write(_insert_agent("later")) == "later"
    finally:
        db.stop()


@WRITERS
async def test_a_job_raising_what_no_handler_expects_fails_alone(db_url: str, inline: bool) -> None:
    db = Database(db_url, inline=inline)
    db.start(_Sink())

    def aborts(uow):
        _insert_agent("aborted")(uow)
        raise Abort("not an Exception")

    try:
        results = await _one_batch(db, [_insert_agent("a"), aborts, _insert_agent("b")])
        assert results[0::2] == ["a", "b"]
        assert isinstance(results[1], RuntimeError) and "Abort" in str(results[1])
        assert await _agent_ids(db) == ["a", "b"]
        assert await db.write(_insert_agent("later")) == "later"
    finally:
        db.stop()


@WRITERS
async def test_a_failing_event_sink_does_not_strand_the_writers(db_url: str, inline: bool) -> None:
    def sink(events: list[PendingEvent]) -> None:
        raise RuntimeError("hub is broken")

    db = Database(db_url, inline=inline)
    db.start(_Sink(sink))
    try:
        assert await _one_batch(db, [_insert_agent("a"), _insert_agent("b")]) == ["a", "b"]
    finally:
        db.stop()


async def test_the_writer_thread_outlives_system_exit(db_url: str) -> None:
    """SystemExit ends a thread silently: the writer thread settles the batch and goes on."""
    db = Database(db_url, inline=False)
    db.start(_Sink())
    try:
        with pytest.raises(RuntimeError, match="SystemExit"):
            await asyncio.wait_for(db.write(lambda uow: sys.exit(3)), 10)
        assert db._thread is not None and db._thread.is_alive()
        assert await asyncio.wait_for(db.write(_insert_agent("later")), 10) == "later"
    finally:
        db.stop()


@WRITERS
async def test_a_stalled_writer_is_reported(
    db_url: str, inline: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Writes waiting with no batch finishing (here: the write lock held, as a stuck
    checkpointer would) are a problem once they have waited stall_ms; logged once."""
    db = Database(db_url, inline=inline)
    db.start(_Sink())
    try:
        with db._write_lock:
            write = asyncio.ensure_future(db.write(_insert_agent("waits")))
            await asyncio.sleep(0.01)
            assert db.problem(stall_ms=200) is None  # waiting, not yet stalled
            await asyncio.sleep(0.3)
            with caplog.at_level("ERROR", logger="agent_relay.db"):
                first, second = db.problem(stall_ms=200), db.problem(stall_ms=200)
            assert first and second and ("waited" in first or "running" in first)
            assert len([r for r in caplog.records if "stalled" in r.getMessage()]) == 1
        assert await asyncio.wait_for(write, 10) == "waits"
        for _ in range(100):  # the writer thread marks itself idle just after settling the job
            if db.problem(stall_ms=200) is None:
                break
            await asyncio.sleep(0.01)
        assert db.problem(stall_ms=200) is None
    finally:
        db.stop()


async def test_a_dead_writer_thread_is_reported(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    db = Database(db_url, inline=False)
    db.start(_Sink())
    try:
        assert db.problem(stall_ms=10_000) is None
        with caplog.at_level("CRITICAL", logger="agent_relay.db"):
            db._queue.put(None)  # the thread ends as if stopped, but nobody stopped it
            assert db._thread is not None
            db._thread.join(5)
        assert any("writer thread stopped" in r.getMessage() for r in caplog.records)
        assert db.problem(stall_ms=10_000) == "the writer thread is not running"
    finally:
        db.stop()


# -- inline reads (issue 19: the inbox read runs on the event loop on SQLite) ----------------


async def test_inline_read_runs_on_the_loop(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    upgrade(url)
    db = Database(url)
    db.start(_Sink())
    try:
        await db.write(_insert_agent("a1"))
        seen: list[int] = []

        def read(conn):
            seen.append(threading.get_ident())
            return conn.execute(sa.select(agents.c.id).order_by(agents.c.id)).scalars().all()

        assert await db.read_inline(read) == ["a1"]
        assert seen == [threading.get_ident()]  # no worker thread
        assert db._inline_conn is not None and not db._inline_conn.in_transaction()
        await db.write(_insert_agent("a2"))  # no snapshot left open: the next read sees it
        assert await db.read_inline(read) == ["a1", "a2"]
    finally:
        db.stop()


async def test_inline_read_never_waits_for_a_lock_on_the_loop(tmp_path: Path) -> None:
    """Another process holding SQLite's lock (here: a connection in exclusive locking mode)
    makes the inline read answer busy at once; it goes to a worker thread, which waits,
    and the event loop keeps running meanwhile."""
    import sqlite3

    path = tmp_path / "relay.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    db.write_engine.dispose()  # not started: no connection of its own holds the file
    locker = sqlite3.connect(path, isolation_level=None, timeout=0, check_same_thread=False)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("DELETE FROM agents")
    locker.execute("COMMIT")  # the exclusive lock stays held until the connection closes
    threads: list[int] = []

    def read(conn):
        threads.append(threading.get_ident())
        return conn.execute(sa.select(sa.func.count()).select_from(agents)).scalar()

    try:
        reading = asyncio.ensure_future(db.read_inline(read))
        started = time.monotonic()
        await asyncio.sleep(0.05)  # a blocked loop would end this sleep only after the release
        assert time.monotonic() - started < 0.5
        assert not reading.done()
        threading.Timer(0.3, locker.close).start()
        assert await asyncio.wait_for(reading, 10) == 0
        assert threads[-1] != threading.get_ident()  # answered by a worker thread
        assert await db.read_inline(read) == 0  # the lock is gone: back on the loop
        assert threads[-1] == threading.get_ident()
    finally:
        locker.close()
        db.stop()


async def test_inline_read_raises_what_is_not_a_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    upgrade(url)
    db = Database(url)
    calls: list[int] = []

    def bad(conn):
        calls.append(1)
        return conn.exec_driver_sql("SELECT * FROM no_such_table").all()

    try:
        with pytest.raises(sa.exc.OperationalError, match="no such table"):
            await db.read_inline(bad)
        assert calls == [1]  # not retried on a worker thread
    finally:
        db.stop()
