"""An agent's inbox: what it should see, oldest first, with long-poll; and its saved draft."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from agent_relay.addressing import addresses_for, reaches
from agent_relay.agents import service as agents
from agent_relay.clock import now_ms
from agent_relay.db import Database, PendingEvent, UnitOfWork
from agent_relay.errors import NotFound, ServiceUnavailable
from agent_relay.inbox import repository as repo
from agent_relay.inbox.schemas import DRAFT_WIRE, DraftIn, DraftRecord
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageRecord
from agent_relay.session import SessionGuard

if TYPE_CHECKING:  # services never import FastAPI (context.py does)
    from agent_relay.context import Relay

# Events after which an inbox may have something new for the agent.
_WAKING_EVENTS = {"message.new", "message.claim_released", "message.redriven"}
log = logging.getLogger("agent_relay.inbox")


class _DeliveryRecorder:
    """Records each message's FIRST delivery to an agent without slowing the read (§15 cost
    rule): the (message, agent) pairs this process recorded are remembered (bounded); a read
    that hands over new ones queues one small row (the agent and those ids), and once a
    second one writer job the reads do not wait for stores what queued (measured: a write
    per read, even of one row, doubled the inbox p50 under load). Another process
    recording the same pair too is harmless: the ledger takes the earliest."""

    MAX_SEEN = 200_000
    BATCH_WINDOW_S = 1.0  # a crash loses at most this much of the (informational) record

    def __init__(self, db: Database) -> None:
        self.db = db
        # per agent, the message ids recorded; agents in the order they last recorded
        # something, so the least recent go first when MAX_SEEN pairs are exceeded. A set per
        # agent makes the common case (a page recorded before) one C-level superset check
        # instead of a tuple built and hashed per message (5% of an inbox request's CPU).
        self.seen: dict[str, set[int]] = {}
        self.count = 0  # pairs held in `seen`
        self.pending: list[tuple[str, list[int]]] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    def record(self, agent_id: str, items: list[MessageRecord]) -> None:
        if self.closed:
            return
        ids = [m["id"] for m in items]
        mine = self.seen.get(agent_id)
        if mine is not None and mine.issuperset(ids):
            return
        if mine is None:
            mine = self.seen[agent_id] = set()
        else:  # most recent last
            del self.seen[agent_id]
            self.seen[agent_id] = mine
        fresh = [i for i in ids if i not in mine]
        mine.update(fresh)
        self.count += len(fresh)
        if self.count > self.MAX_SEEN:
            self._forget()
        if not self.pending:
            task = asyncio.get_running_loop().create_task(self._flush())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        self.pending.append((agent_id, fresh))

    def _forget(self) -> None:
        """Forget the least recent agents' pairs down to half of MAX_SEEN (a pair recorded
        again later is harmless: the ledger keeps the earliest)."""
        for agent_id in list(self.seen):
            if self.count <= self.MAX_SEEN // 2:
                return
            self.count -= len(self.seen.pop(agent_id))

    async def _flush(self) -> None:
        await asyncio.sleep(self.BATCH_WINDOW_S)  # gather the reads of a second into one write
        batch, self.pending = self.pending, []
        try:
            await self.db.write(lambda uow: messages.record_delivered(uow, batch))
        except Exception:  # recorded again on a later read
            log.exception("recording first deliveries failed")
            for agent_id, ids in batch:
                mine = self.seen.get(agent_id)
                if mine is not None:
                    self.count -= len(mine.intersection(ids))
                    mine.difference_update(ids)


_recorders: weakref.WeakKeyDictionary[Database, _DeliveryRecorder] = weakref.WeakKeyDictionary()


async def flush_deliveries(db: Database) -> None:
    """At shutdown, before the writer stops: write what is buffered, and record no more."""
    recorder = _recorder(db)
    recorder.closed = True  # a read finishing after this records nothing
    for task in list(recorder.tasks):
        task.cancel()
    batch, recorder.pending = recorder.pending, []
    if batch:
        with contextlib.suppress(Exception):
            await db.write(lambda uow: messages.record_delivered(uow, batch))


def record_pushed(db: Database, agent_id: str, events: list[PendingEvent]) -> None:
    """§15: a message pushed on the agent's own SSE stream is delivered to it, as if its inbox
    read had returned it (its own sends, also on that stream, are not)."""
    items = [ev.data for ev in events if ev.name == "message.new" and ev.data.get("from") != agent_id]
    if items:
        _recorder(db).record(agent_id, items)  # type: ignore[arg-type]


def _recorder(db: Database) -> _DeliveryRecorder:
    recorder = _recorders.get(db)
    if recorder is None:
        recorder = _recorders[db] = _DeliveryRecorder(db)
    return recorder


def _read(
    conn: Connection, agent_id: str, guard: SessionGuard, *, after: int, unread: bool, limit: int
) -> tuple[list[MessageRecord], list[str]]:
    card = agents.validate_session(conn, agent_id, guard, load=True)  # the card: addressing
    addresses = addresses_for(agent_id, card)
    items = messages.visible_to(
        conn, agent_id, addresses, after=after, unread=unread, limit=limit, now=now_ms()
    )
    return items, addresses


async def read_inbox(
    relay: Relay,
    agent_id: str,
    guard: SessionGuard,
    *,
    after: int,
    unread: bool,
    limit: int,
    wait_s: float,
) -> list[MessageRecord]:
    """Answer at once if anything is there; otherwise wait up to `wait_s` for a message
    that reaches this agent. The subscription starts before the first read, so a message
    committed in between still wakes us."""
    if wait_s <= 0:
        items, _ = await relay.db.read_inline(
            lambda conn: _read(conn, agent_id, guard, after=after, unread=unread, limit=limit)
        )
        if items:
            _recorder(relay.db).record(agent_id, items)
        return items
    # Unknown until the first read: until then every waking event wakes us (a spurious
    # re-read is cheap; a `label:`/`tag:` message committed during that read and judged
    # against no addresses was lost, and the agent slept through it until `wait` ran out).
    addresses: frozenset[str] | None = None

    def accept(ev: PendingEvent) -> bool:
        return ev.name in _WAKING_EVENTS and (addresses is None or reaches(ev.data, agent_id, addresses))

    slots = relay.hub.long_polls
    if not slots.try_acquire():
        raise ServiceUnavailable("too many waiting inbox requests, retry later")
    sub = relay.hub.subscribe(accept, maxsize=64)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            items, addr_list = await relay.db.read_inline(
                lambda conn: _read(conn, agent_id, guard, after=after, unread=unread, limit=limit)
            )
            if items:
                _recorder(relay.db).record(agent_id, items)
                return items
            addresses = frozenset(addr_list)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            if not await sub.wait(remaining):
                return []
            sub.reset()  # one re-read covers everything that arrived
    finally:
        relay.hub.unsubscribe(sub)
        slots.release()


# -- drafts ---------------------------------------------------------------------------------

_DRAFT_DEFAULTS: dict[str, Any] = {"to": None, "subject": None, "body": "", "kind": None, "meta": None}


def _draft(agent_id: str, draft: dict[str, Any], updated_at: int) -> DraftRecord:
    return DRAFT_WIRE.build({**_DRAFT_DEFAULTS, **draft, "agent_id": agent_id, "updated_at": updated_at})


def get_draft(conn: Connection, agent_id: str) -> DraftRecord:
    row = repo.get_draft(conn, agent_id)
    if row is None:
        raise NotFound("draft not found")
    return _draft(agent_id, row["draft"], row["updated_at"])


def save_draft(uow: UnitOfWork, agent_id: str, inp: DraftIn) -> DraftRecord:
    """One saved compose-draft per inbox, replaced on every save."""
    draft = inp.model_dump(exclude_none=True)
    repo.put_draft(uow.conn, agent_id, draft, uow.now)
    return _draft(agent_id, draft, uow.now)


def delete_draft(uow: UnitOfWork, agent_id: str) -> None:
    if not repo.delete_draft(uow.conn, agent_id):
        raise NotFound("draft not found")
