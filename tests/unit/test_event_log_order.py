"""The event log without a global lock (events/log.py, issue 19): on PostgreSQL writers in
many processes append at once, readers take events in (transaction id, id) order and only
below the horizon of running transactions, so an event never appears behind a reader's
position: none lost, none doubled, the same order for every reader. Ids may then reach a
stream out of order; a Last-Event-ID resumes from that event's position."""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from agent_relay.db import Database, PendingEvent
from agent_relay.events.bus import create_bus
from agent_relay.events.hub import EventHub
from agent_relay.events.log import START, Position, append_events, position_of, read_log
from agent_relay.settings import Settings


@pytest.fixture
def pg_url(db_url: str) -> str:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer process: its log is in id order (tx 0)")
    return db_url


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(pg_url, pool_size=8)
    yield engine
    engine.dispose()


def _append(conn: sa.Connection, *names: str) -> list[PendingEvent]:
    events = [PendingEvent(name, {"name": name}, payload=orjson.dumps({"name": name})) for name in names]
    append_events(conn, events, 1)
    return events


def _read_all(conn: sa.Connection, after: Position = START) -> tuple[list[str], bool]:
    """The log after a position, once nothing is held: transaction ids are server-wide, so
    a transaction of any other client of this PostgreSQL server (another test, another
    database) may hold rows back for a moment."""
    deadline = time.monotonic() + 10
    while True:
        page = read_log(conn, after)
        conn.rollback()  # a fresh snapshot next time
        if not page.held or time.monotonic() > deadline:
            return [ev.name for ev in page.events], page.held
        time.sleep(0.01)


def test_writers_never_wait_and_readers_wait_for_older_transactions(engine: sa.Engine) -> None:
    with engine.connect() as w1, engine.connect() as w2, engine.connect() as reader:
        w1.begin()
        (a,) = _append(w1, "a")  # the older transaction
        w2.begin()
        w2.exec_driver_sql("SET LOCAL lock_timeout = '2s'")  # a lock wait would fail, not hang
        (b,) = _append(w2, "b")  # appends while w1 is open: no lock between them
        (c,) = _append(w1, "c")
        assert a.id < b.id < c.id and a.tx < b.tx
        w2.commit()
        page = read_log(reader, START)  # b is committed, but w1 could still add before it
        assert (page.events, page.held) == ([], True)
        reader.rollback()
        w1.commit()
        assert _read_all(reader) == (["a", "c", "b"], False)  # (tx, id) order: ids a, c, b

        # A Last-Event-ID resumes from that event's position, whatever the ids' order.
        assert position_of(reader, c.id) == (a.tx, c.id)
        assert _read_all(reader, position_of(reader, c.id)) == (["b"], False)
        assert _read_all(reader, position_of(reader, a.id)) == (["c", "b"], False)
        assert _read_all(reader, position_of(reader, b.id)) == ([], False)
        assert _read_all(reader, position_of(reader, 0)) == (["a", "c", "b"], False)

        # The hub delivers each position once, in order, whatever is published again.
        hub = EventHub()
        sub = hub.subscribe()
        page = read_log(reader, START).events
        hub.publish(page)
        hub.publish(page[1:])
        assert [ev.name for ev in sub.drain()] == ["a", "c", "b"]
        assert (hub.last_position, hub.last_id) == ((b.tx, b.id), b.id)


async def test_a_subscription_resumes_from_a_last_event_id_in_log_order(
    engine: sa.Engine, pg_url: str, tmp_path: Path
) -> None:
    with engine.connect() as w1, engine.connect() as w2:
        w1.begin()
        (a,) = _append(w1, "a")
        w2.begin()
        (b,) = _append(w2, "b")
        (c,) = _append(w1, "c")
        w2.commit()
        w1.commit()
    db = Database(pg_url)
    bus = create_bus(Settings(database_url=pg_url, home=tmp_path / "home"), db)
    await bus.start()
    db.start(bus)
    try:
        for after, expected in ((0, ["a", "c", "b"]), (a.id, ["c", "b"]), (c.id, ["b"])):
            async with bus.subscribe(after) as sub:
                got: list[str] = []
                async with asyncio.timeout(10):
                    while len(got) < len(expected):
                        got += [ev.name for ev in await sub.next(0.2)]
                assert got == expected
                assert sub.last_id == b.id
    finally:
        await bus.stop()
        await asyncio.to_thread(db.stop)


def test_concurrent_writers_a_follower_reads_every_event_once_in_log_order(engine: sa.Engine) -> None:
    """Four writers, each its own connection (as four processes), commit small batches at
    random moments while a follower reads: it sees every committed event exactly once, in
    exactly the log's final order, its position only ever growing."""
    writers, batches = 4, 40
    done = threading.Event()
    errors: list[BaseException] = []

    def write(k: int) -> None:
        rng = random.Random(k)
        try:
            with engine.connect() as conn:
                for n in range(batches):
                    with conn.begin():
                        conn.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
                        _append(conn, *(f"w{k}-{n}-{i}" for i in range(rng.randint(1, 3))))
                        time.sleep(rng.random() * 0.004)  # commit at a random moment
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(writers)]
    for t in threads:
        t.start()
    seen: list[tuple[Position, str]] = []
    position = START
    with engine.connect() as reader:
        while True:
            finished = done.is_set()
            while True:
                page = read_log(reader, position, 50)
                reader.rollback()
                for ev in page.events:
                    assert (ev.tx, ev.id) > position
                    position = (ev.tx, ev.id)
                    seen.append((position, ev.name))
                if not page.more:
                    break
            if finished and not page.held:
                break
            if not any(t.is_alive() for t in threads):
                done.set()
            time.sleep(0.001)
        final = reader.execute(sa.text("SELECT tx, id, name FROM events ORDER BY tx, id")).all()
    for t in threads:
        t.join()
    assert not errors, errors
    assert [name for _, name in seen] == [row.name for row in final]
    assert len({name for _, name in seen}) == len(seen) >= writers * batches
    by_writer = [name.split("-")[0] for _, name in seen]
    switches = sum(1 for x, y in itertools.pairwise(by_writer) if x != y)
    assert switches > writers  # the writers' batches did interleave
