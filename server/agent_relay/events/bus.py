"""The event bus: the one interface between the writer, the durable event log and the live
fan-out to SSE streams and long polls (docs/event-bus.md).

Modelled on encode/broadcaster's backend protocol, plus what a durable, replayable log
needs: the writer appends a batch inside its transaction and publishes it after the commit;
a reader subscribes from an event id (replay from the log after it, then live); never-stored
events (typing, read receipts) are published ephemerally. One class per engine:
`LocalBus` (SQLite, one process) and `PostgresBus` (events/postgres.py: several processes
share the log, woken by LISTEN/NOTIFY). `create_bus` is the one place that picks one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.engine import Connection

from agent_relay.db import Database, PendingEvent
from agent_relay.events.hub import Accept, EventHub, Subscriber
from agent_relay.events.log import Position, append_events, latest_position, position_of, read_log

if TYPE_CHECKING:
    from agent_relay.settings import Settings

REPLAY_PAGE = 500


class Subscription(Protocol):
    """One reader: replay from the log after an id, then live events."""

    last_id: int  # the last durable event id handed out (where a reconnect resumes)

    async def next(self, timeout: float) -> list[PendingEvent]:
        """The next batch, in id order (ephemeral events, id 0, in between); [] when nothing
        arrived within `timeout` seconds."""
        ...


class EventBus(Protocol):
    hub: EventHub  # this process's fan-out: stream and long-poll slots, live subscribers

    # The writer's side (db.EventSink).
    def append(self, conn: Connection, events: list[PendingEvent], now: int) -> None:
        """Inside the writer's transaction: store a batch in the durable log, give each event
        its id and SSE frame (rendered once, shared by every subscriber)."""
        ...

    def publish(self, events: list[PendingEvent]) -> None:
        """After the commit, from the writer's thread or the event loop: deliver the batch."""
        ...

    # The readers' side.
    def subscribe(
        self, after: int | None, accept: Accept | None = None
    ) -> AbstractAsyncContextManager[Subscription]:
        """Events after `after` (replayed from the log), then live ones; `after=None` starts
        at the log's latest id (`Subscription.last_id`)."""
        ...

    async def publish_ephemeral(self, name: str, data: Mapping[str, Any]) -> None:
        """An event that is never stored or replayed, to every subscriber in every process."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LogSubscription:
    """A hub subscriber that catches up from the durable log: first after the position it
    was opened at, and again whenever it overflowed (a slow client costs itself only). It
    subscribes to the hub before reading the log, and skips positions it already handed
    out, so nothing is lost or doubled at the seam. No connection is held between reads."""

    __slots__ = ("_accept", "_db", "_replaying", "_sub", "last_id", "position")

    def __init__(
        self, db: Database, sub: Subscriber, after: Position, after_id: int, *, replay: bool
    ) -> None:
        self._db = db
        self._sub = sub
        self._accept = sub.accept
        self._replaying = replay
        self.position = after  # in the log's order (events/log.py)
        self.last_id = after_id

    async def next(self, timeout: float) -> list[PendingEvent]:
        sub = self._sub
        while True:
            if self._replaying:
                batch = await self._replay_page()
                if batch:
                    return batch
                continue
            if not await sub.wait(timeout):
                return []
            if sub.overflowed:
                sub.reset()
                self._replaying = True
                continue
            batch = []
            last = self.position
            for ev in sub.drain():
                if ev.id:  # id 0: an ephemeral event, never stored or replayed
                    position = (ev.tx, ev.id)
                    if position <= last:
                        continue
                    last = position
                    self.last_id = ev.id
                batch.append(ev)
            self.position = last
            if batch:
                return batch

    async def _replay_page(self) -> list[PendingEvent]:
        after = self.position
        page = await self._db.read(lambda conn: read_log(conn, after, REPLAY_PAGE))
        # What is held behind an older transaction comes live, through the hub.
        if not page.more:
            self._replaying = False
        events = page.events
        if not events:
            return []
        self.position = (events[-1].tx, events[-1].id)
        self.last_id = events[-1].id
        accept = self._accept
        return events if accept is None else [ev for ev in events if accept(ev)]


class LogBus:
    """What both buses share: the hub, the durable log, and subscriptions over the two."""

    def __init__(self, db: Database, hub: EventHub) -> None:
        self.db = db
        self.hub = hub

    def append(self, conn: Connection, events: list[PendingEvent], now: int) -> None:
        append_events(conn, events, now)

    @contextlib.asynccontextmanager
    async def subscribe(self, after: int | None, accept: Accept | None = None) -> AsyncIterator[Subscription]:
        hub = self.hub
        sub = hub.subscribe(accept)  # before reading the log: nothing slips in between
        try:
            if after is None:
                # Start "now": after the last event this process delivered; later ones come live.
                yield LogSubscription(self.db, sub, hub.last_position, hub.last_id, replay=False)
            else:
                position = await self.db.read(lambda conn: position_of(conn, after))
                yield LogSubscription(self.db, sub, position, after, replay=True)
        finally:
            self.hub.unsubscribe(sub)

    async def _start_hub(self) -> None:
        self.hub.bind(asyncio.get_running_loop())
        position = await self.db.read(latest_position)
        self.hub.last_position = position
        self.hub.last_id = position[1]


class LocalBus(LogBus):
    """SQLite: one process owns the database file, so the writer publishes straight to the
    hub (on the loop itself for the inline writer), and ephemeral events go straight too."""

    def publish(self, events: list[PendingEvent]) -> None:
        self.hub.publish_threadsafe(events)

    async def publish_ephemeral(self, name: str, data: Mapping[str, Any]) -> None:
        self.hub.publish_ephemeral(name, data)

    async def start(self) -> None:
        await self._start_hub()

    async def stop(self) -> None:
        return None


def create_bus(settings: Settings, db: Database) -> EventBus:
    """The one place that picks the event bus for a configuration (today: by database)."""
    hub = EventHub(
        settings.sse_queue_size,
        max_streams=settings.max_sse_streams,
        max_long_polls=settings.max_long_polls,
    )
    if db.is_sqlite:
        return LocalBus(db, hub)
    from agent_relay.events.postgres import PostgresBus  # psycopg is needed only here

    return PostgresBus(db, hub)
