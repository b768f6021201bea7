"""Another process holding the database's locks stalls writes, never the relay: the event
loop goes on serving, /api/health answers 503 within its bound and says why, and the waiting
writes complete once the lock is released."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from agent_relay.db import Database
from agent_relay.db import writer as writer_module
from agent_relay.settings import Settings

from tests.api.test_messages import send

STALL_MS = 300
# The old writer blocked the event loop until the lock was released; released by a timer
# then, so a regression fails on its timings instead of hanging the run.
SAFETY_RELEASE_S = 4.0


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path / "home", reap_interval_ms=0, writer_stall_ms=STALL_MS)


@contextmanager
def _lock_held_elsewhere(db_url: str) -> Iterator[None]:
    """What another process can do to the relay's database: on SQLite take the write lock
    (`BEGIN IMMEDIATE`), on PostgreSQL an ACCESS EXCLUSIVE lock on `messages`."""
    if db_url.startswith("sqlite"):
        raw = sqlite3.connect(
            sa.engine.make_url(db_url).database, isolation_level=None, check_same_thread=False
        )
        raw.execute("BEGIN IMMEDIATE")
        engine = None
    else:
        engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        raw = engine.raw_connection()
        raw.cursor().execute("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")
    released = threading.Lock()

    def release() -> None:
        if released.acquire(blocking=False):
            raw.rollback()
            raw.close()

    timer = threading.Timer(SAFETY_RELEASE_S, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        release()
        if engine is not None:
            engine.dispose()


async def _timed_get(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.get(path)
    return response, time.monotonic() - started


async def test_a_lock_held_elsewhere_stalls_writes_not_the_relay(
    client: httpx.AsyncClient, db_url: str
) -> None:
    sqlite = db_url.startswith("sqlite")
    # SQLite reads never wait for the write lock; PostgreSQL's health read waits up to its bound.
    bound_s = 1.0 if sqlite else 2.5
    assert (await send(client, body="before")).status_code == 201

    with _lock_held_elsewhere(db_url):
        started = time.monotonic()
        sending = asyncio.ensure_future(send(client, body="waits for the lock"))
        await asyncio.sleep(0.05)  # the send reaches the writer
        await client.get("/api/health")
        assert time.monotonic() - started < bound_s, "health did not answer in time (the loop was blocked?)"
        if sqlite:
            agents, took = await _timed_get(client, "/api/agents")
            assert agents.status_code == 200 and took < bound_s

        await asyncio.sleep(STALL_MS / 1000)  # past the stall threshold
        stalled, took = await _timed_get(client, "/api/health")
        assert took < bound_s
        assert stalled.status_code == 503, stalled.text
        report = stalled.json()
        assert report["ok"] is False and report["status"] == "unavailable"
        assert report["writer"]["ok"] is False
        if sqlite:
            assert report["database"]["ok"] is True  # reads still work: only writes wait
            assert "locked by another process" in report["writer"]["error"]
        else:  # the health read hit the lock and gave up within its bound
            assert report["database"] == {
                "kind": "postgresql",
                "ok": False,
                "error": "the database did not answer within 1500 ms",
            }
        assert not sending.done(), "a write cannot complete while another process holds the lock"

    sent = await asyncio.wait_for(sending, 10)
    assert sent.status_code == 201 and sent.json()["body"] == "waits for the lock"
    for _ in range(200):
        recovered = await client.get("/api/health")
        if recovered.status_code == 200:
            break
        await asyncio.sleep(0.01)
    assert recovered.status_code == 200 and recovered.json()["counts"]["messages"] == 2


async def test_writes_give_up_on_a_lock_held_too_long(
    client: httpx.AsyncClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: a write that has waited LOCK_WAIT_LIMIT_S for another process's lock fails
    with a clear 503 (the client may retry) instead of waiting forever."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL writes wait on the writer thread (the stall shows in /api/health)")
    monkeypatch.setattr(writer_module, "LOCK_WAIT_LIMIT_S", 0.3)
    with _lock_held_elsewhere(db_url):
        started = time.monotonic()
        refused = await send(client, body="gives up")
        assert time.monotonic() - started < 2.0
        assert refused.status_code == 503
        assert refused.json() == {"error": "database is locked by another process"}
        assert refused.headers["Retry-After"] == "1"
    assert (await send(client, body="after")).status_code == 201
    listed = (await client.get("/api/messages")).json()
    bodies = [m["body"] for m in (listed["messages"] if isinstance(listed, dict) else listed)]
    assert bodies == ["after"]


class _NoEvents:
    def append(self, conn, events, now) -> None:
        assert not events

    def publish(self, events) -> None:
        pass


def _count_messages(uow) -> int:  # a job the lock holds up on both databases
    return uow.conn.execute(sa.text("SELECT count(*) FROM messages")).scalar_one()


@pytest.mark.parametrize("inline", [None, False], ids=["default", "thread"])
async def test_off_loop_writes_wait_out_the_lock(db_url: str, inline: bool | None) -> None:
    """write_sync (CLI tools) and the writer thread may block: they wait for the lock
    (bounded the same way) and then commit."""
    db = Database(db_url, inline=inline)
    db.start(_NoEvents())
    try:
        with _lock_held_elsewhere(db_url):
            writing = asyncio.ensure_future(asyncio.to_thread(db.write_sync, _count_messages))
            awaited = asyncio.ensure_future(db.write(_count_messages))
            await asyncio.sleep(0.3)
            assert not writing.done() and not awaited.done()
        assert await asyncio.wait_for(asyncio.gather(writing, awaited), 10) == [0, 0]
    finally:
        db.stop()
