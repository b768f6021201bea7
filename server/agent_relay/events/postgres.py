"""PostgresBus: several relay processes share one durable event log.

Each process publishes to its own SSE subscribers *from the log*, in id order, never
straight from its writer: that is what makes every process deliver every event, in commit
order, exactly once. Commit order equals id order because each writer takes a transaction
advisory lock before it appends events (PostgresBus.append), so a reader that has seen id N
has seen everything below it. A process wakes on LISTEN/NOTIFY (sent by the committing
transaction), on its own commits, and on a slow timer as a safety net.
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
from agent_relay.events.log import append_events, events_after

log = logging.getLogger("agent_relay.events")

NOTIFY_CHANNEL = "agent_relay_events"
EPHEMERAL_CHANNEL = "agent_relay_ephemeral"
MAX_NOTIFY_PAYLOAD = 7900  # PostgreSQL caps a NOTIFY payload at 8000 bytes
SAFETY_POLL_S = 1.0
LISTEN_WAIT_S = 0.5  # how often the listener looks at its stop flag
PAGE = 500
EVENT_LOG_LOCK = 0x52454C4159  # 'RELAY': the advisory lock that orders event-log appends


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

    def poke_threadsafe(self, _events: list[PendingEvent]) -> None:
        """The writer's sink: our own commit landed, go read the log."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake.set)

    async def _follow(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=SAFETY_POLL_S)
            self._wake.clear()
            try:
                await self.catch_up()
            except Exception:  # the database may be briefly unreachable: try again
                log.warning("event log read failed", exc_info=True)
                await asyncio.sleep(0.5)

    async def catch_up(self) -> None:
        while True:
            after = self.hub.last_id
            page = await self.db.read(lambda conn, a=after: events_after(conn, a, PAGE))
            if page:
                self.hub.publish(page)
            if len(page) < PAGE:
                return

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
        # Hold the log's lock from id allocation to commit, so ids commit in order across
        # processes, and wake the other processes on commit.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (EVENT_LOG_LOCK,))
        cursor.execute(f"SELECT pg_notify('{NOTIFY_CHANNEL}', '')")
        append_events(conn, events, now)

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
