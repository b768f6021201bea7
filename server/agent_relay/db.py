"""Engines, SQLite pragmas, and the single writer that group-commits every write.

Why a single writer: SQLite allows one writer at a time, and a commit (fsync) per request
caps a naive relay near 500 writes/s. Every write here is a *job* (a function of a
UnitOfWork) queued to one thread that runs many jobs in one transaction, each inside its
own SAVEPOINT so one job's error rolls back only that job. Events the jobs emit are
appended to the durable event log in the same transaction and handed to the live hub only
after the commit, so a rolled-back write never reaches an SSE client. On PostgreSQL the
same writer runs in every process; atomicity across processes comes from conditional
UPDATEs and unique constraints, not from the writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from agent_relay.clock import now_ms
from agent_relay.errors import RelayError

log = logging.getLogger("agent_relay.db")

T = TypeVar("T")
MAX_BATCH = 256


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str, *, writer: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=1 if writer else 8,
            max_overflow=0 if writer else 16,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
        _install_sqlite_pragmas(engine, begin="BEGIN IMMEDIATE" if writer else "BEGIN")
        return engine
    return sa.create_engine(
        url,
        pool_size=4,
        max_overflow=16,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )


def enable_wal(engine: Engine) -> None:
    """WAL is a property of the database file: set it once, before any other connection,
    because switching modes needs the file to itself."""
    raw = engine.raw_connection()  # outside SQLAlchemy's transaction: the pragma refuses to run in one
    try:
        raw.cursor().execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()


def _install_sqlite_pragmas(engine: Engine, *, begin: str) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; take it over as SQLAlchemy documents.
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable across app crashes; WAL keeps it consistent
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The writer takes the write lock up front (no deadlock on lock upgrade).
        conn.exec_driver_sql(begin)


def render_sse_frame(event_id: int, name: str, payload: bytes) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event_id, name.encode(), payload)


@dataclass(slots=True)
class PendingEvent:
    """An event emitted inside a job; gets its id from the durable log at commit."""

    name: str
    data: dict[str, Any]
    id: int = 0
    created_at: int = 0
    frame: bytes = b""  # the SSE frame, rendered once and shared by every subscriber


@dataclass(slots=True)
class UnitOfWork:
    """What a write job sees: one connection inside the batch transaction, a clock, an outbox."""

    conn: Connection
    now: int
    events: list[PendingEvent] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    def emit(self, name: str, data: dict[str, Any]) -> None:
        self.events.append(PendingEvent(name, data))


@dataclass(slots=True)
class _Job:
    fn: Callable[[UnitOfWork], Any]
    loop: asyncio.AbstractEventLoop | None
    future: asyncio.Future[Any] | None
    sync_result: list[Any] | None = None
    done: threading.Event | None = None


EventSink = Callable[[list[PendingEvent]], None]


class Database:
    """Owns the engines and the writer thread. Reads run on worker threads with their own
    connections (SQLite WAL lets them proceed while the writer writes)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.write_engine = make_engine(url, writer=True)
        self.read_engine = make_engine(url) if self.is_sqlite else self.write_engine
        if self.is_sqlite:
            enable_wal(self.write_engine)
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._sink: EventSink | None = None
        self._event_table: sa.Table | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self, event_table: sa.Table, sink: EventSink | None) -> None:
        self._event_table = event_table
        self._sink = sink
        self._thread = threading.Thread(target=self._run, name="relay-writer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()

    # -- API ---------------------------------------------------------------------------
    async def write(self, fn: Callable[[UnitOfWork], T]) -> T:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._queue.put(_Job(fn, loop, fut))
        return await fut

    def write_sync(self, fn: Callable[[UnitOfWork], T]) -> T:
        """For threads that are not the event loop (CLI, timers): blocks until committed."""
        job = _Job(fn, None, None, sync_result=[], done=threading.Event())
        self._queue.put(job)
        assert job.done is not None and job.sync_result is not None
        job.done.wait()
        ok, value = job.sync_result
        if not ok:
            raise value
        return value

    async def read(self, fn: Callable[[Connection], T]) -> T:
        return await asyncio.to_thread(self.read_sync, fn)

    def read_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as conn:
            return fn(conn)

    # -- writer thread -----------------------------------------------------------------
    def _run(self) -> None:
        conn = self.write_engine.connect()
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                batch = [job]
                stop = False
                while len(batch) < MAX_BATCH:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is None:
                        stop = True
                        break
                    batch.append(nxt)
                conn = self._run_batch(conn, batch)
                if stop:
                    return
        finally:
            conn.close()

    def _run_batch(self, conn: Connection, batch: list[_Job]) -> Connection:
        try:
            outcomes = self._execute(conn, batch)
        except (OperationalError, DBAPIError) as exc:
            # A whole-batch failure (deadlock with another process, lost connection): run
            # each job alone so one bad interaction cannot fail its neighbours.
            log.warning("batch of %d failed (%s); retrying jobs one by one", len(batch), exc)
            conn = self._reconnect(conn)
            outcomes = []
            for job in batch:
                try:
                    outcomes.extend(self._execute(conn, [job]))
                except Exception as single_exc:
                    conn = self._reconnect(conn)
                    outcomes.append((job, False, single_exc, None))
        self._deliver(outcomes)
        return conn

    def _reconnect(self, conn: Connection) -> Connection:
        with contextlib.suppress(Exception):
            conn.close()
        return self.write_engine.connect()

    def _execute(self, conn: Connection, batch: list[_Job]) -> list[tuple[_Job, bool, Any, UnitOfWork | None]]:
        outcomes: list[tuple[_Job, bool, Any, UnitOfWork | None]] = []
        now = now_ms()
        events: list[PendingEvent] = []
        with conn.begin():
            for job in batch:
                uow = UnitOfWork(conn, now)
                savepoint = conn.begin_nested()
                try:
                    result = job.fn(uow)
                except RelayError as exc:
                    savepoint.rollback()
                    outcomes.append((job, False, exc, None))
                    continue
                except OperationalError as exc:
                    raise exc
                except Exception as exc:
                    savepoint.rollback()
                    log.exception("write job failed")
                    outcomes.append((job, False, exc, None))
                    continue
                savepoint.commit()
                events.extend(uow.events)
                outcomes.append((job, True, result, uow))
            if events:
                self._append_events(conn, events, now)
        return outcomes

    def _append_events(self, conn: Connection, events: list[PendingEvent], now: int) -> None:
        table = self._event_table
        assert table is not None
        payloads = [orjson.dumps(e.data) for e in events]
        rows = [
            {"name": e.name, "data": p.decode(), "created_at": now}
            for e, p in zip(events, payloads, strict=True)
        ]
        result = conn.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        for ev, payload, (event_id,) in zip(events, payloads, result, strict=True):
            ev.id = event_id
            ev.created_at = now
            ev.frame = render_sse_frame(event_id, ev.name, payload)

    def _deliver(self, outcomes: list[tuple[_Job, bool, Any, UnitOfWork | None]]) -> None:
        events = [e for _, ok, _, uow in outcomes if ok and uow for e in uow.events]
        for _, ok, _, uow in outcomes:
            if ok and uow:
                for hook in uow.after_commit:
                    try:
                        hook()
                    except Exception:
                        log.exception("after-commit hook failed")
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
        for job, ok, value, _ in outcomes:
            if job.loop is None:
                assert job.sync_result is not None and job.done is not None
                job.sync_result.extend((ok, value))
                job.done.set()
            else:
                assert job.future is not None
                by_loop.setdefault(job.loop, []).append((job.future, ok, value))
        sink = self._sink
        if events and sink is not None:
            sink(events)
        for loop, results in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the caller's loop closed; nobody waits
                loop.call_soon_threadsafe(_resolve_all, results)


def _resolve_all(results: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for fut, ok, value in results:
        if fut.cancelled():
            continue
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)
