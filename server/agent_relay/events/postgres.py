"""PostgresBus: several relay processes share one durable event log.

Each process publishes to its own SSE subscribers *from the log*, in the log's order, never
straight from its writer: that is what makes every process deliver every event, in the same
order, exactly once. The order is (transaction id, id), read only below the horizon of
transactions still running (events/log.py), so writers never wait for each other: no lock.
A process wakes on LISTEN/NOTIFY (sent by the committing transaction), on its own commits,
soon again while committed events wait behind an older transaction, and on a slow timer as
a safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import orjson
import psycopg
from sqlalchemy.engine import Connection, make_url

from agent_relay.db import Database, PendingEvent
from agent_relay.events.bus import LogBus
from agent_relay.events.hub import EventHub
from agent_relay.events.log import READ_PG, Page, Position, append_events, page_pg

log = logging.getLogger("agent_relay.events")

NOTIFY_CHANNEL = "agent_relay_events"
EPHEMERAL_CHANNEL = "agent_relay_ephemeral"
MAX_NOTIFY_PAYLOAD = 7900  # PostgreSQL caps a NOTIFY payload at 8000 bytes
SAFETY_POLL_S = 1.0
LISTEN_WAIT_S = 0.5  # how often the listener looks at its stop flag
PAGE = 500
# Committed events wait behind an older transaction still running: look again after this
# long, doubling up to the safety poll (its commit's NOTIFY usually wakes us first).
HELD_RETRY_S = 0.002
# At most one log read per this interval: under load every commit in every process wakes
# every follower, and a read per commit per process would cost each send once per process;
# waiting for the rest of the interval folds the commits meanwhile into one read.
MIN_READ_INTERVAL_S = 0.004
_NOTIFY = f"pg_notify('{NOTIFY_CHANNEL}', '')"


def libpq_url(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


class LogFollower:
    def __init__(self, db: Database, hub: EventHub) -> None:
        self.db = db
        self.hub = hub
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        # Its own connection, on the loop: a read through db.read (a thread hop, a pool
        # checkout, a transaction) cost ~2x as much CPU, paid by every process per commit.
        self._conn: psycopg.AsyncConnection[Any] | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._tasks = [
            asyncio.create_task(self._follow(), name="event-log-follower"),
            asyncio.create_task(self._listen(), name="event-log-listener"),
        ]

    async def stop(self) -> None:
        # The listener is not cancelled mid-wait (cancelling psycopg's notifies() can hang
        # on a busy server); it polls a stop flag between short waits instead.
        self._stopping = True
        listener, follower = self._tasks[1], self._tasks[0]
        follower.cancel()
        for task in (follower, listener):
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=LISTEN_WAIT_S + 2)
        await self._close()

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def _read(self, after: Position) -> Page:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                libpq_url(self.db.url), autocommit=True, connect_timeout=5
            )
        try:
            cursor = await self._conn.execute(READ_PG, {"tx": after[0], "id": after[1], "limit": PAGE})
            return page_pg(await cursor.fetchall(), PAGE)
        except BaseException:
            await self._close()  # a fresh connection next time
            raise

    def poke_threadsafe(self, _events: list[PendingEvent]) -> None:
        """The writer's sink: our own commit landed, go read the log."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake.set)

    async def _follow(self) -> None:
        timeout, retry = SAFETY_POLL_S, HELD_RETRY_S
        loop = asyncio.get_running_loop()
        last_read = 0.0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            pause = last_read + MIN_READ_INTERVAL_S - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            self._wake.clear()  # after the pause: a commit that woke us meanwhile is in this read
            last_read = loop.time()
            try:
                held = await self.catch_up()
            except Exception:  # the database may be briefly unreachable: try again
                log.warning("event log read failed", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if held:
                timeout, retry = retry, min(SAFETY_POLL_S, retry * 2)
            else:
                timeout, retry = SAFETY_POLL_S, HELD_RETRY_S

    async def catch_up(self) -> bool:
        """Deliver every event the log has after this process's position; True when some
        committed events still wait behind an older running transaction."""
        while True:
            page = await self._read(self.hub.last_position)
            if page.events:
                self.hub.publish(page.events)
            if not page.more:
                return page.held

    async def notify_ephemeral(self, name: str, data: Mapping[str, Any]) -> bool:
        """Send a never-stored event to every process (this one included, via its own
        LISTEN). False when it is too large for NOTIFY: the caller delivers it locally."""
        payload = orjson.dumps({"name": name, "data": data}).decode()
        if len(payload.encode()) > MAX_NOTIFY_PAYLOAD:
            log.warning("%s event too large to share across processes; delivered locally", name)
            return False

        def send(conn: Connection) -> None:
            conn.exec_driver_sql(
                "SELECT pg_notify(%(channel)s, %(payload)s)",
                {"channel": EPHEMERAL_CHANNEL, "payload": payload},
            )
            conn.commit()

        await self.db.read(send)
        return True

    def _publish_ephemeral(self, payload: str) -> None:
        try:
            message = orjson.loads(payload)
            self.hub.publish_ephemeral(message["name"], message["data"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed ephemeral notification")

    async def _listen(self) -> None:
        url = libpq_url(self.db.url)
        while not self._stopping:
            try:
                conn = await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=5)
                async with conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    await conn.execute(f"LISTEN {EPHEMERAL_CHANNEL}")
                    self._wake.set()  # catch up on anything committed while we connected
                    while not self._stopping:
                        async for notify in conn.notifies(timeout=LISTEN_WAIT_S):
                            if notify.channel == EPHEMERAL_CHANNEL:
                                self._publish_ephemeral(notify.payload)
                            else:
                                self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # reconnect; the safety poll covers the gap
                if not self._stopping:
                    log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                    await asyncio.sleep(1.0)


class PostgresBus(LogBus):
    """The durable log + LISTEN/NOTIFY: every process delivers every event in commit order."""

    def __init__(self, db: Database, hub: EventHub) -> None:
        super().__init__(db, hub)
        self.follower = LogFollower(db, hub)

    def append(self, conn: Connection, events: list[PendingEvent], now: int) -> None:
        # One round trip: the rows (each with this transaction's id) and a NOTIFY that
        # wakes the other processes when the batch commits.
        append_events(conn, events, now, before=_NOTIFY)

    def publish(self, events: list[PendingEvent]) -> None:
        self.follower.poke_threadsafe(events)  # our own commit landed: read the log

    async def publish_ephemeral(self, name: str, data: Mapping[str, Any]) -> None:
        if not await self.follower.notify_ephemeral(name, data):
            self.hub.publish_ephemeral(name, data)  # too large for NOTIFY: this process only

    async def start(self) -> None:
        await self._start_hub()
        self.follower.start()

    async def stop(self) -> None:
        await self.follower.stop()
