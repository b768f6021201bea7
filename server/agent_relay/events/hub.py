"""In-process fan-out of committed events to SSE streams and long-poll waiters.

Each subscriber has a bounded buffer. A subscriber that falls behind is flagged instead of
blocking everyone else; its stream then catches up from the durable log (replay), so a slow
client costs itself, never the publisher.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import orjson

from agent_relay.db import PendingEvent
from agent_relay.events.filters import event_keys

Accept = Callable[[PendingEvent], bool]
EventKeys = Callable[[PendingEvent], Iterable[str]]


@runtime_checkable
class KeyedFilter(Protocol):
    """A filter that can only accept events naming one of its `keys` (by the hub's
    `event_keys`, events/filters.py's by default). A subscriber whose `accept` is a bound
    method of one is indexed by those keys, so an event costs only the subscribers it may
    concern (AgentFilter is one; it calls `on_keys_change` when its keys change)."""

    keys: frozenset[str]
    on_keys_change: Callable[[Any], None] | None


class Subscriber:
    """One listener: a bounded buffer and at most one waiter. Cheaper than an asyncio.Queue
    per event: a stream wakes once, drains everything that arrived, and writes it as one
    chunk, so under load the batches grow instead of the backlog."""

    __slots__ = ("_waiter", "accept", "indexed", "maxsize", "overflowed", "pending")

    def __init__(self, maxsize: int, accept: Accept | None) -> None:
        self.pending: deque[PendingEvent] = deque()
        self.maxsize = maxsize
        self.accept = accept
        self.indexed: frozenset[str] | None = None  # the keys it is indexed under, if any
        self.overflowed = False
        self._waiter: asyncio.Future[None] | None = None

    def push(self, ev: PendingEvent) -> None:
        if len(self.pending) >= self.maxsize:
            self.overflowed = True  # the stream catches up from the durable log
        else:
            self.pending.append(ev)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self, timeout: float) -> bool:
        """Until something is pending (True) or `timeout` seconds pass (False)."""
        if self.pending or self.overflowed:
            return True
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, _wake, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None
        return bool(self.pending) or self.overflowed

    def drain(self) -> list[PendingEvent]:
        items = list(self.pending)
        self.pending.clear()
        return items

    def reset(self) -> None:
        self.pending.clear()
        self.overflowed = False


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Slots:
    """At most `limit` holders at once in this process: past it a new SSE stream or waiting
    long-poll is refused (503) instead of slowing every other client down (§12)."""

    __slots__ = ("held", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0

    def try_acquire(self) -> bool:
        if self.held >= self.limit:
            return False
        self.held += 1
        return True

    def release(self) -> None:
        self.held -= 1


class EventHub:
    """Fan-out with an index: a subscriber whose filter is a `KeyedFilter` (every SSE stream
    with `agentId`) is found through the keys an event names, never scanned; the others
    (unfiltered streams, long polls, the callback dispatcher) see every event."""

    def __init__(
        self,
        queue_size: int = 1000,
        *,
        max_streams: int = 400,
        max_long_polls: int = 400,
        event_keys: EventKeys = event_keys,
    ) -> None:
        self.queue_size = queue_size
        self.streams = Slots(max_streams)  # open SSE streams
        self.long_polls = Slots(max_long_polls)  # inbox requests waiting for a message
        self._subscribers: set[Subscriber] = set()
        self._scanned: set[Subscriber] = set()  # not indexed: offered every event
        self._by_key: dict[str, set[Subscriber]] = {}
        self._event_keys = event_keys
        self._loop: asyncio.AbstractEventLoop | None = None
        # The last durable event delivered: its log position (tx, id; events/log.py) and id.
        self.last_position: tuple[int, int] = (0, 0)
        self.last_id = 0

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscribe(self, accept: Accept | None = None, maxsize: int | None = None) -> Subscriber:
        sub = Subscriber(maxsize or self.queue_size, accept)
        self._subscribers.add(sub)
        keyed = getattr(accept, "__self__", None)
        if isinstance(keyed, KeyedFilter):
            keyed.on_keys_change = lambda f, sub=sub: self._index(sub, f.keys)
            self._index(sub, keyed.keys)
        else:
            self._scanned.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)
        self._scanned.discard(sub)
        self._index(sub, None)

    def _index(self, sub: Subscriber, keys: frozenset[str] | None) -> None:
        """(Re-)file a subscriber under `keys` (None: remove it from the index)."""
        for key in sub.indexed or ():
            subs = self._by_key.get(key)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_key[key]
        sub.indexed = keys
        if keys is not None and sub in self._subscribers:
            for key in keys:
                self._by_key.setdefault(key, set()).add(sub)

    def publish_threadsafe(self, events: list[PendingEvent]) -> None:
        """Called by the writer after a commit, from its thread or from the loop itself."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self.publish(events)
            return
        with contextlib.suppress(RuntimeError):  # loop shutting down
            loop.call_soon_threadsafe(self.publish, events)

    def publish(self, events: list[PendingEvent]) -> None:
        """Committed events in log order (by position: on PostgreSQL ids can be out of order)."""
        for ev in events:
            position = (ev.tx, ev.id)
            if position <= self.last_position:
                continue  # already delivered
            self.last_position = position
            self.last_id = ev.id
            self._deliver(ev)

    def _deliver(self, ev: PendingEvent) -> None:
        by_key = self._by_key
        if by_key:
            found = [subs for key in self._event_keys(ev) if (subs := by_key.get(key))]
            # A copy: accepting an agent.status may re-index the subscriber meanwhile.
            candidates = set().union(*found) if found else ()
            for sub in candidates:
                if not sub.overflowed and sub.accept is not None and sub.accept(ev):
                    sub.push(ev)
        for sub in self._scanned:
            if sub.overflowed or (sub.accept is not None and not sub.accept(ev)):
                continue
            sub.push(ev)

    def publish_ephemeral(self, name: str, data: Mapping[str, Any]) -> PendingEvent:
        """Deliver an event that is never stored (typing indicators, read receipts): it has
        no id (id 0), its frame carries no `id:` line so a client's Last-Event-ID is left
        alone, it bypasses the id ordering, and it is not replayed. Across processes, see
        Relay.publish_ephemeral."""
        frame = b"event: %s\ndata: %s\n\n" % (name.encode(), orjson.dumps(data))
        ev = PendingEvent(name, data, frame=frame)
        self._deliver(ev)
        return ev
