"""The single writer that group-commits every write, and the SQLite checkpointer.

Why a single writer: SQLite allows one writer at a time, and a commit (fsync) per request
caps a naive relay near 500 writes/s. Every write here is a *job* (a function of a
UnitOfWork) queued to one thread that runs many jobs in one transaction, each inside its
own SAVEPOINT so one job's error rolls back only that job. Whatever a job does (raise
anything, emit an event that cannot be stored as JSON, break the connection) fails that job
alone: a batch that cannot finish is retried job by job, and every job is settled, so the
writer itself never stops (`problem()` tells /api/health if it stalls). Another process
holding SQLite's write lock never blocks the event loop: the batch's jobs wait, retried with
a growing pause, and fail with a 503 only after LOCK_WAIT_LIMIT_S. Events the jobs emit
go to the event sink (the event bus, events/bus.py): `append` stores them in the durable log
in the same transaction, and `publish` hands them on only after the commit, so a rolled-back
write never reaches an SSE client. On PostgreSQL the same writer runs in every process;
atomicity across processes comes from conditional UPDATEs and unique constraints, not from
the writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from agent_relay.clock import now_ms
from agent_relay.db.engine import enable_wal, make_engine
from agent_relay.errors import BadRequest, RelayError, ServiceUnavailable

log = logging.getLogger("agent_relay.db")

T = TypeVar("T")
# Jobs per transaction for the writer thread. Each job is a PostgreSQL subtransaction, and
# past 64 in one transaction PostgreSQL's per-backend subxid cache overflows, which slows
# every other session's snapshots.
MAX_BATCH = 64
CHECKPOINT_INTERVAL_S = 0.5
WAL_REWIND_BYTES = 16 << 20  # past this the checkpointer rewinds the log (see _checkpoint_loop)
QUICK_PASS_S = 0.003  # a pass this short left little behind: the locked pass will be short too
MAX_INLINE_BATCH = 64  # bounds how long one inline batch holds the event loop (~10 ms)
LOCK_RETRY_S = 0.001  # the inline writer's wait while the checkpointer holds the write lock
# Another process holds SQLite's write lock: batches are retried after a pause that doubles
# from LOCK_RETRY_S up to LOCK_BACKOFF_MAX_S. A job that has waited LOCK_WAIT_LIMIT_S fails
# with a 503: as long as SQLite's own busy timeout used to wait, past the stall threshold
# (/api/health is 503 long before), within any client's read timeout (the SDK's is 90 s).
LOCK_BACKOFF_MAX_S = 0.05
LOCK_WAIT_LIMIT_S = 30.0
LOCKED_ERROR = "database is locked by another process"


_FIRST_SAVEPOINT = ("SAVEPOINT relay_job",)
# PostgreSQL runs several statements in one round trip when they carry no parameters;
# SQLite's driver takes one statement per call (in-process, so nothing is lost).
_NEXT_SAVEPOINT_PG = ("RELEASE SAVEPOINT relay_job; SAVEPOINT relay_job",)
_NEXT_SAVEPOINT_SQLITE = ("RELEASE SAVEPOINT relay_job", "SAVEPOINT relay_job")


def _checkpoint(raw: Any, mode: str) -> int:
    """One `PRAGMA wal_checkpoint`; returns the frames in the log (0 when it failed: a busy
    database is tried again next round). The result row must be read: an unfinished
    statement would hold a read snapshot that keeps the log from being rewound."""
    cursor = raw.cursor()
    try:
        row = cursor.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    except Exception:
        log.debug("%s checkpoint skipped", mode, exc_info=True)
        return 0
    finally:
        cursor.close()
    return int(row[1]) if row and row[1] > 0 else 0


@dataclass(slots=True)
class PendingEvent:
    """An event emitted inside a job; gets its id from the durable log at commit."""

    name: str
    data: Mapping[str, Any]
    id: int = 0
    created_at: int = 0
    frame: bytes = b""  # the SSE frame, rendered once and shared by every subscriber
    payload: bytes = b""  # data as JSON, serialized inside the emitting job's savepoint


@dataclass(slots=True)
class UnitOfWork:
    """What a write job sees: one connection inside the batch transaction, a clock, an outbox."""

    conn: Connection
    now: int
    events: list[PendingEvent] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    def emit(self, name: str, data: Mapping[str, Any]) -> None:
        self.events.append(PendingEvent(name, data))


@dataclass(slots=True)
class _Job:
    fn: Callable[[UnitOfWork], Any]
    loop: asyncio.AbstractEventLoop | None
    future: asyncio.Future[Any] | None
    sync_result: list[Any] | None = None
    done: threading.Event | None = None
    locked_since: float = 0.0  # when it first met a lock held by another process (monotonic)


Outcome = tuple[_Job, bool, Any, UnitOfWork | None]  # job, ok, result or error, its unit of work


class EventSink(Protocol):
    """Where the writer's events go: the event bus (events/bus.py) satisfies it."""

    def append(self, conn: Connection, events: list[PendingEvent], now: int) -> None:
        """Inside the batch's transaction: store the events in the durable log and give each
        its id and SSE frame. Raising fails the batch (it is retried job by job)."""

    def publish(self, events: list[PendingEvent]) -> None:
        """After the commit, from the writer's thread or (inline writer) the event loop."""


class Database:
    """Owns the engines and the writer. Reads run on worker threads with their own
    connections (SQLite WAL lets them proceed while the writer writes).

    Two ways to run the writer, same jobs and same guarantees:
    - inline (SQLite): batches run on the event loop itself, scheduled with call_soon so
      every request parsed in one loop iteration shares a commit. SQLite calls take
      microseconds; a writer thread would spend more on GIL hand-offs than on SQL
      (measured: ~2x the per-send cost under load).
    - thread (PostgreSQL): a dedicated thread, because a statement may wait on the network
      or on another process's row lock, which must never stall the event loop.
    """

    def __init__(self, url: str, *, inline: bool | None = None) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.inline = self.is_sqlite if inline is None else inline
        self._next_savepoint = _NEXT_SAVEPOINT_SQLITE if self.is_sqlite else _NEXT_SAVEPOINT_PG
        self.write_engine = make_engine(url, writer=True)
        self.read_engine = make_engine(url) if self.is_sqlite else self.write_engine
        # SQLite: short reads run on the event loop itself (read_inline), on one connection
        # kept open (the loop runs one read at a time), opened on first use
        self._inline_read_engine: sa.engine.Engine | None = None
        self._inline_conn: Connection | None = None
        if self.is_sqlite:
            enable_wal(self.write_engine)
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._sink: EventSink | None = None
        self._conn: Connection | None = None  # the writer's connection (None: open one when needed)
        self._started = False
        self._pending: list[_Job] = []
        self._pending_since = 0.0  # inline: when the oldest waiting job started waiting (monotonic)
        self._busy_since: float | None = None  # thread: when the batch in hand was taken
        self._problem_logged = False
        self._flush_scheduled = False
        self._locked_since: float | None = None  # since when another process holds SQLite's write lock
        self._lock_backoff = 0.0  # inline: the pause before the next try while it does
        # Held while a batch runs; the checkpointer takes it to rewind the log (_checkpoint_loop).
        self._write_lock = threading.Lock()
        self._stopping = threading.Event()
        self._checkpointer: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self, sink: EventSink) -> None:
        """`sink` is the event bus (events.bus.create_bus); it need not be started itself for
        a process that only writes (the CLI): its events still land in the durable log."""
        self._sink = sink
        self._started = True
        if self.is_sqlite:
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name="relay-checkpoint", daemon=True
            )
            self._checkpointer.start()
        if self.inline:
            self._conn = self.write_engine.connect()  # fail at startup, not on the first write
        else:
            self._thread = threading.Thread(target=self._run, name="relay-writer", daemon=True)
            self._thread.start()
        log.info(
            "writer started (%s, %s)",
            "sqlite" if self.is_sqlite else "postgresql",
            "on the event loop" if self.inline else "on its own thread",
        )

    def stop(self) -> None:
        self._stopping.set()
        if self._checkpointer is not None:
            self._checkpointer.join(timeout=10)
            self._checkpointer = None
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        while self._pending:  # jobs queued on the loop after its last flush
            self._run_batch_waiting(self._take_batch())
        self._close_connection()
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
        self._drop_inline_conn()
        if self._inline_read_engine is not None:
            self._inline_read_engine.dispose()

    # -- API ---------------------------------------------------------------------------
    async def write(self, fn: Callable[[UnitOfWork], T]) -> T:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        job = _Job(fn, loop, fut)
        if self.inline:
            if not self._pending:
                self._pending_since = time.monotonic()
            self._pending.append(job)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                loop.call_soon(self._flush)
        else:
            self._queue.put(job)
        return await fut

    def write_sync(self, fn: Callable[[UnitOfWork], T]) -> T:
        """For code that is not on the event loop (CLI, tools): blocks until committed."""
        job = _Job(fn, None, None, sync_result=[], done=threading.Event())
        if self.inline:
            assert self._started, "start() the database first"
            self._run_batch_waiting([job])
        else:
            self._queue.put(job)
        assert job.done is not None and job.sync_result is not None
        job.done.wait()
        ok, value = job.sync_result
        if not ok:
            raise value
        return value

    async def read(self, fn: Callable[[Connection], T], *, timeout_s: float | None = None) -> T:
        """`timeout_s` bounds the read whatever the database does (a lock held elsewhere, an
        exhausted pool): past it, TimeoutError. On PostgreSQL the statements are cancelled
        too, so the worker thread is not left waiting on the lock."""
        if timeout_s is None:
            return await asyncio.to_thread(self.read_sync, fn)
        return await self._read_bounded(fn, timeout_s)

    async def _read_bounded(self, fn: Callable[[Connection], T], timeout_s: float) -> T:
        timeout_ms = int(timeout_s * 1000)

        def bounded(conn: Connection) -> T:
            if not self.is_sqlite:
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout_ms}")
            return fn(conn)

        error = TimeoutError(f"the database did not answer within {timeout_ms} ms")
        try:
            # The grace lets PostgreSQL's own cancel arrive first; this bound is for waits
            # before any statement runs (pool, worker threads) and for SQLite.
            async with asyncio.timeout(timeout_s + 0.5):
                return await asyncio.to_thread(self.read_sync, bounded)
        except TimeoutError:
            raise error from None
        except sa.exc.OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled: statement_timeout
                raise error from exc
            raise

    async def read_inline(self, fn: Callable[[Connection], T]) -> T:
        """A short read (a few index lookups and a range scan stopped at a page size: the
        inbox) that on SQLite runs right here on the event loop, as the inline writer's
        batches do: the read takes a few hundred µs, and handing it to a worker thread cost
        about as much again in wake-ups and GIL hand-offs (py-spy: ~30% of an inbox
        request's CPU), more under concurrent reads. Its connection never waits for a lock
        (busy timeout 0): should SQLite answer busy (another process restarting the WAL),
        the read goes to a worker thread like any other. PostgreSQL: read(), since a
        statement there may wait on the network or on another process."""
        if not self.is_sqlite:
            return await self.read(fn)
        try:
            conn = self._inline_conn
            if conn is None:
                if self._inline_read_engine is None:
                    self._inline_read_engine = make_engine(self.url, inline_reader=True)
                conn = self._inline_conn = self._inline_read_engine.connect()
            try:
                return fn(conn)
            finally:  # leave no read transaction open: it would hold back checkpoints
                if conn.in_transaction():
                    conn.rollback()
        except OperationalError as exc:
            self._drop_inline_conn()  # a fresh connection next time, whatever went wrong
            if not _is_locked(exc):
                raise
        return await self.read(fn)

    def _drop_inline_conn(self) -> None:
        conn, self._inline_conn = self._inline_conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def read_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as conn:
            return fn(conn)

    def _checkpoint_loop(self) -> None:
        """Move WAL pages into the database file off the request path.

        PASSIVE passes never block the writer or readers, but under steady writes a pass
        never ends with the whole log copied (the writer appended more meanwhile), and SQLite
        only rewinds the log once all of it is: the log grew without bound (measured: 2 GB
        after 120k sends, each send slower as it grew). So once the log passes
        WAL_REWIND_BYTES, passes repeat until one is quick (little left to copy), and a last
        one runs holding the write lock: nothing is appended during it, it copies the rest
        (a few ms), and the next write transaction starts the log from the beginning."""
        raw = self.read_engine.raw_connection()
        try:
            page_size = raw.cursor().execute("PRAGMA page_size").fetchone()[0]
            while not self._stopping.wait(CHECKPOINT_INTERVAL_S):
                if _checkpoint(raw, "PASSIVE") * page_size <= WAL_REWIND_BYTES:
                    continue
                for _ in range(5):
                    started = time.perf_counter()
                    _checkpoint(raw, "PASSIVE")
                    if time.perf_counter() - started < QUICK_PASS_S:
                        break
                with self._write_lock:
                    _checkpoint(raw, "PASSIVE")
            _checkpoint(raw, "TRUNCATE")  # leave a small file behind
        finally:
            raw.close()

    # -- inline writer -----------------------------------------------------------------
    def _take_batch(self) -> list[_Job]:
        batch, self._pending = self._pending[:MAX_INLINE_BATCH], self._pending[MAX_INLINE_BATCH:]
        return batch

    def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        if not self._write_lock.acquire(blocking=False):
            # The checkpointer is rewinding the log (a few ms): the loop goes on serving
            # reads and streams, and the batch waits a little.
            loop.call_later(LOCK_RETRY_S, self._flush)
            return
        try:
            batch = self._take_batch()
            follow_up = None
            if self._pending:  # more than one batch's worth: let the loop breathe in between
                follow_up = loop.call_soon(self._flush)
            else:
                self._flush_scheduled = False
            waiting = self._run_batch(batch)
            if waiting:
                # Another process holds the write lock: the jobs wait, first in line, and the
                # loop goes on serving reads, streams and /api/health meanwhile.
                if follow_up is not None:
                    follow_up.cancel()
                self._pending[:0] = waiting
                self._flush_scheduled = True
                self._lock_backoff = min(2 * self._lock_backoff or LOCK_RETRY_S, LOCK_BACKOFF_MAX_S)
                loop.call_later(self._lock_backoff, self._flush)
                return
            self._lock_backoff = 0.0
            self._pending_since = time.monotonic()  # a batch finished: whoever waits just got closer
        finally:
            self._write_lock.release()

    # -- writer thread -----------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                batch, stop = self._take_queued()
                if batch:
                    self._busy_since = time.monotonic()
                    try:
                        self._run_batch_waiting(batch)
                    except BaseException:  # settled by _run_batch; the writer must go on
                        log.critical("the writer survived a crash in a batch", exc_info=True)
                    finally:
                        self._busy_since = None
                if stop:
                    return
        finally:
            self._close_connection()
            if not self._stopping.is_set():
                log.critical("the writer thread stopped: writes will wait until the process restarts")

    def _take_queued(self) -> tuple[list[_Job], bool]:
        """Wait for a job, then take what else is queued (up to MAX_BATCH); True once stop was asked."""
        job = self._queue.get()
        if job is None:
            return [], True
        batch = [job]
        while len(batch) < MAX_BATCH:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                return batch, True
            batch.append(nxt)
        return batch, False

    # -- batches (both writers) --------------------------------------------------------
    def _run_batch(self, batch: list[_Job]) -> list[_Job]:
        """Run a batch and settle every job in it, whatever fails on the way, except the jobs
        returned: they did not run because another process holds SQLite's write lock (the
        caller retries them later). The caller holds the write lock."""
        waiting: list[_Job] = []
        try:
            outcomes, waiting = self._attempt(batch)
            self._deliver(outcomes)
        except BaseException as exc:
            # Nothing above is meant to raise; if something does anyway, no job waits forever.
            log.critical("a write batch of %d crashed", len(batch), exc_info=True)
            self._close_connection(invalidate=True)
            _settle_failed(batch, exc)
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit: the process is going down
            return []
        if waiting:
            return self._wait_for_lock(waiting)
        if self._locked_since is not None:
            waited = (time.monotonic() - self._locked_since) * 1000
            log.warning("the database lock was released; writes go on after %.0f ms", waited)
            self._locked_since = None
        return waiting

    def _run_batch_waiting(self, batch: list[_Job]) -> None:
        """Run a batch off the event loop (writer thread, write_sync, stop), waiting out a lock
        held by another process here (blocking is fine on these threads)."""
        pause = LOCK_RETRY_S
        while True:
            with self._write_lock:
                batch = self._run_batch(batch)
            if not batch:
                return
            time.sleep(pause)
            pause = min(2 * pause, LOCK_BACKOFF_MAX_S)

    def _wait_for_lock(self, jobs: list[_Job]) -> list[_Job]:
        """Jobs that met another process's write lock: those that have waited LOCK_WAIT_LIMIT_S
        fail with a 503; the rest are returned to be tried again."""
        now = time.monotonic()
        if self._locked_since is None:
            self._locked_since = now
            log.warning("the database is locked by another process: %d writes wait for it", len(jobs))
        waiting, expired = [], []
        for job in jobs:
            if not job.locked_since:
                job.locked_since = now
            (expired if now - job.locked_since > LOCK_WAIT_LIMIT_S else waiting).append(job)
        if expired:
            log.error("%d writes failed: %s for %g s", len(expired), LOCKED_ERROR, LOCK_WAIT_LIMIT_S)
            _settle_failed(expired, ServiceUnavailable(LOCKED_ERROR))
        if not waiting:
            self._locked_since = None  # nobody waits: the next write finds out afresh
        return waiting

    def _attempt(self, batch: list[_Job]) -> tuple[list[Outcome], list[_Job]]:
        """The batch's outcomes, and the jobs that did not run for another process's lock."""
        try:
            return self._execute(self._connection(), batch), []
        except Exception as exc:
            if _is_locked(exc):  # rolled back before committing anything; the connection is fine
                return [], batch
            # The batch could not finish (a deadlock with another process, a lost connection,
            # a job that broke the transaction): run each job alone so none fails its neighbours.
            log.warning("batch of %d failed (%r); retrying jobs one by one", len(batch), exc)
            self._close_connection(invalidate=True)
        outcomes: list[Outcome] = []
        for i, job in enumerate(batch):
            try:
                outcomes.extend(self._execute(self._connection(), [job]))
            except Exception as exc:
                if _is_locked(exc):  # taken by another process meanwhile: the rest wait
                    return outcomes, batch[i:]
                log.error("write job failed on its own: %r", exc)
                self._close_connection(invalidate=True)
                outcomes.append((job, False, exc, None))
        return outcomes, []

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self.write_engine.connect()
        return self._conn

    def _close_connection(self, *, invalidate: bool = False) -> None:
        """Drop the writer's connection; `invalidate` after a failure, so the pool never hands
        a broken connection back (the next batch opens a fresh one)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        with contextlib.suppress(Exception):
            if invalidate:
                conn.invalidate()
            conn.close()

    def _execute(self, conn: Connection, batch: list[_Job]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        now = now_ms()
        events: list[PendingEvent] = []
        with conn.begin():
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            # Raw SAVEPOINT statements (begin_nested() costs ~10x more per job). A job's
            # savepoint is released as the next one is taken (one round trip on PostgreSQL)
            # or by the commit; a failed job's is rolled back and stays, empty, until then.
            first = True
            for job in batch:
                uow = UnitOfWork(conn, now)
                for statement in _FIRST_SAVEPOINT if first else self._next_savepoint:
                    cursor.execute(statement)
                first = False
                try:
                    result = job.fn(uow)
                    for ev in uow.events:  # here, so an event that cannot be stored fails its own job
                        ev.payload = orjson.dumps(ev.data)
                except OperationalError:
                    raise  # the connection or transaction is gone: the batch is retried job by job
                except (KeyboardInterrupt, SystemExit):
                    raise  # the process is going down
                except BaseException as exc:  # anything else a job raises is its own: the batch goes on
                    cursor.execute("ROLLBACK TO SAVEPOINT relay_job")
                    error = _job_error(exc)
                    if not isinstance(error, RelayError):
                        log.error("write job failed", exc_info=exc)
                    outcomes.append((job, False, error, None))
                    continue
                events.extend(uow.events)
                outcomes.append((job, True, result, uow))
            if events:
                sink = self._sink
                assert sink is not None, "start() the database first"
                sink.append(conn, events, now)
        return outcomes

    def _deliver(self, outcomes: list[Outcome]) -> None:
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
                job.sync_result[:] = (ok, value)
                job.done.set()
            else:
                assert job.future is not None
                by_loop.setdefault(job.loop, []).append((job.future, ok, value))
        sink = self._sink
        if events and sink is not None:
            try:
                sink.publish(events)
            except Exception:  # the writes are committed: their callers must hear so
                log.exception("publishing committed events failed")
        for loop, results in by_loop.items():
            if self.inline and _running_loop() is loop:
                _resolve_all(results)
                continue
            with contextlib.suppress(RuntimeError):  # the caller's loop closed; nobody waits
                loop.call_soon_threadsafe(_resolve_all, results)

    # -- health ------------------------------------------------------------------------
    def queue_depth(self) -> int:
        """Write jobs waiting for the writer: queued, or (thread writer) in the batch in hand."""
        if self.inline:
            return len(self._pending)
        return self._queue.qsize() + (1 if self._busy_since is not None else 0)

    def oldest_wait_s(self) -> float:
        """How long the writer has left work waiting (0: none waits): the pending jobs' wait
        (inline), or how long the batch in hand has run (thread)."""
        now = time.monotonic()
        if self.inline:
            return now - self._pending_since if self._pending else 0.0
        busy = self._busy_since
        return now - busy if busy is not None else 0.0

    def problem(self, stall_ms: int) -> str | None:
        """Why writes are not completing, or None: the writer thread is gone, or jobs have
        waited on the writer longer than `stall_ms` with no batch finishing. Logged once
        each time it starts (a dead thread also logs as it dies)."""
        now = time.monotonic()
        busy, problem = self._busy_since, None
        if self._thread is not None and not self._thread.is_alive():
            problem = "the writer thread is not running"
        elif busy is not None and (now - busy) * 1000 > stall_ms:
            problem = f"a write batch has been running for {(now - busy) * 1000:.0f} ms"
        elif self._pending and (now - self._pending_since) * 1000 > stall_ms:
            waited = (now - self._pending_since) * 1000
            problem = f"{len(self._pending)} writes have waited {waited:.0f} ms for the writer"
        if problem and self._locked_since is not None:
            problem = f"{LOCKED_ERROR}: {problem}"
        if problem and not self._problem_logged:
            log.error("the writer is stalled: %s", problem)
        elif not problem and self._problem_logged:
            log.warning("the writer is moving again")
        self._problem_logged = problem is not None
        return problem


def _is_locked(exc: Exception) -> bool:
    """SQLITE_BUSY: another connection holds SQLite's write lock (the writer does not wait
    inside SQLite for it, see make_engine)."""
    code = getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _job_error(exc: BaseException) -> Exception:
    """What a failed job's caller gets. A value JSON cannot hold (nested too deep, an integer
    past 64 bits, a lone surrogate) came from the client: a 400, whichever statement met it
    (validation at the edge should have refused it; this is the backstop). A BaseException
    (CancelledError, GeneratorExit …) must not travel up the caller's task as itself."""
    cause = exc.orig if isinstance(exc, sa.exc.StatementError) else exc
    if isinstance(cause, orjson.JSONEncodeError):
        error: Exception = BadRequest(f"a value cannot be stored as JSON ({cause})")
    elif not isinstance(exc, Exception):
        error = RuntimeError(f"the write was aborted ({exc!r})")
    else:
        return exc
    error.__cause__ = exc
    return error


def _settle_failed(batch: list[_Job], exc: BaseException) -> None:
    """Fail every job of a batch that is not settled yet."""
    error = _job_error(exc)
    for job in batch:
        if job.loop is None:
            assert job.sync_result is not None and job.done is not None
            if not job.done.is_set():
                job.sync_result[:] = (False, error)
                job.done.set()
        else:
            assert job.future is not None
            with contextlib.suppress(RuntimeError):
                job.loop.call_soon_threadsafe(_resolve_all, [(job.future, False, error)])


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _resolve_all(results: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for fut, ok, value in results:
        if fut.done():  # cancelled, or already failed by _settle_failed
            continue
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)
