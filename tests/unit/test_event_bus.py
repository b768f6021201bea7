"""Each event bus against the protocol (events/bus.py), on each backend: events are published
only after their commit, a subscription from an id replays the log then goes live, and
ephemeral events reach subscribers without ever being stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from agent_relay.db import Database, PendingEvent, UnitOfWork
from agent_relay.errors import Conflict
from agent_relay.events.bus import EventBus, LocalBus, create_bus
from agent_relay.events.log import events_after, latest_event_id
from agent_relay.settings import Settings

WAIT_S = 10


class Running:
    def __init__(self, db: Database, bus: EventBus) -> None:
        self.db = db
        self.bus = bus


@pytest.fixture
async def running(db_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    settings = Settings(database_url=db_url, home=tmp_path / "home", sse_queue_size=10)
    db = Database(db_url)
    bus = create_bus(settings, db)
    await bus.start()
    db.start(bus)
    try:
        yield Running(db, bus)
    finally:
        await bus.stop()
        await asyncio.to_thread(db.stop)


def _emit(*names: str):
    def job(uow: UnitOfWork) -> None:
        for name in names:
            uow.emit(name, {"name": name})

    return job


async def _collect(sub, count: int) -> list[PendingEvent]:
    """The next `count` events of a subscription, failing rather than hanging."""
    out: list[PendingEvent] = []
    async with asyncio.timeout(WAIT_S):
        while len(out) < count:
            out.extend(await sub.next(0.2))
    return out


def test_the_bus_follows_the_database(running: Running) -> None:
    assert isinstance(running.bus, LocalBus) == running.db.is_sqlite


async def test_events_are_published_after_commit_and_never_when_rolled_back(running: Running) -> None:
    db, bus = running.db, running.bus

    def rolled_back(uow: UnitOfWork) -> None:
        uow.emit("test.doomed", {})
        raise Conflict("no")

    async with bus.subscribe(None) as sub:
        start = sub.last_id
        with pytest.raises(Conflict):
            await db.write(rolled_back)
        await db.write(_emit("test.a", "test.b"))
        got = await _collect(sub, 2)
        assert [ev.name for ev in got] == ["test.a", "test.b"]
        assert start < got[0].id < got[1].id
        assert got[0].frame == b'id: %d\nevent: test.a\ndata: {"name":"test.a"}\n\n' % got[0].id
        assert await sub.next(0.2) == []  # the rolled-back event never comes
        assert sub.last_id == got[1].id
    assert bus.hub.subscriber_count == 0  # leaving the subscription unsubscribes


async def test_a_subscription_from_an_id_replays_then_goes_live(running: Running) -> None:
    db, bus = running.db, running.bus
    await db.write(_emit("test.1", "test.2", "test.3"))
    logged = await db.read(lambda conn: events_after(conn, 0))
    first = logged[-3].id
    async with bus.subscribe(first) as sub:
        replayed = await _collect(sub, 2)
        assert [ev.name for ev in replayed] == ["test.2", "test.3"]
        await db.write(_emit("test.4"))
        live = await _collect(sub, 1)
        assert [ev.name for ev in live] == ["test.4"] and live[0].id > replayed[-1].id


async def test_an_overflowed_subscription_catches_up_from_the_log_in_order(running: Running) -> None:
    db, bus = running.db, running.bus
    names = [f"test.{i}" for i in range(25)]  # more than the subscriber's queue (10)
    async with bus.subscribe(None) as sub:
        await db.write(_emit(*names))
        await asyncio.sleep(0.1)  # everything published before the subscriber drains
        got = await _collect(sub, 25)
        assert [ev.name for ev in got] == names
        assert [ev.id for ev in got] == sorted({ev.id for ev in got})


async def test_a_filter_applies_to_replayed_and_live_events(running: Running) -> None:
    db, bus = running.db, running.bus
    after = await db.read(latest_event_id)
    await db.write(_emit("keep.1", "drop.1"))
    async with bus.subscribe(after, lambda ev: ev.name.startswith("keep.")) as sub:
        await db.write(_emit("drop.2", "keep.2"))
        got = await _collect(sub, 2)
        assert [ev.name for ev in got] == ["keep.1", "keep.2"]


async def test_ephemeral_events_reach_subscribers_and_are_never_stored(running: Running) -> None:
    db, bus = running.db, running.bus
    async with bus.subscribe(None) as sub:
        start = sub.last_id
        got: list[PendingEvent] = []
        async with asyncio.timeout(WAIT_S):
            while not got:  # on PostgreSQL, through NOTIFY once the listener is up
                await bus.publish_ephemeral("test.typing", {"who": "a"})
                got = await sub.next(0.2)
        assert got[0].name == "test.typing" and got[0].id == 0
        assert got[0].frame == b'event: test.typing\ndata: {"who":"a"}\n\n'
        assert sub.last_id == start  # no id: a reconnect's Last-Event-ID is untouched
    names = await db.read(lambda conn: list(conn.execute(sa.text("SELECT name FROM events")).scalars()))
    assert "test.typing" not in names


async def test_a_process_sees_another_process_events_in_commit_order(
    running: Running, db_url: str, tmp_path: Path
) -> None:
    """PostgreSQL: two buses on two databases (as two processes would have) share the log."""
    if running.db.is_sqlite:
        pytest.skip("one process owns a SQLite database")
    other_db = Database(db_url)
    other = create_bus(Settings(database_url=db_url, home=tmp_path / "other"), other_db)
    await other.start()
    other_db.start(other)
    try:
        async with running.bus.subscribe(None) as sub:
            await other_db.write(_emit("test.x"))
            await running.db.write(_emit("test.y"))
            await other_db.write(_emit("test.z"))
            got = await _collect(sub, 3)
            assert [ev.name for ev in got] == ["test.x", "test.y", "test.z"]
    finally:
        await other.stop()
        await asyncio.to_thread(other_db.stop)
