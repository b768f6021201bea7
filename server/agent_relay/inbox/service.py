"""An agent's inbox: what it should see, oldest first, with long-poll; and its saved draft."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from agent_relay.addressing import addresses_for, reaches
from agent_relay.agents import service as agents
from agent_relay.clock import now_ms
from agent_relay.db import PendingEvent, UnitOfWork
from agent_relay.errors import NotFound, ServiceUnavailable
from agent_relay.inbox import repository as repo
from agent_relay.inbox.schemas import DRAFT_WIRE, DraftIn, DraftRecord
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageRecord
from agent_relay.session import SessionGuard

if TYPE_CHECKING:  # services never import FastAPI (context.py does)
    from agent_relay.context import Relay

# Events after which an inbox may have something new for the agent.
_WAKING_EVENTS = {"message.new", "message.claim_released"}


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
        items, _ = await relay.db.read(
            lambda conn: _read(conn, agent_id, guard, after=after, unread=unread, limit=limit)
        )
        return items
    addresses: frozenset[str] = frozenset()

    def accept(ev: PendingEvent) -> bool:
        return ev.name in _WAKING_EVENTS and reaches(ev.data, agent_id, addresses)

    slots = relay.hub.long_polls
    if not slots.try_acquire():
        raise ServiceUnavailable("too many waiting inbox requests, retry later")
    sub = relay.hub.subscribe(accept, maxsize=64)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            items, addr_list = await relay.db.read(
                lambda conn: _read(conn, agent_id, guard, after=after, unread=unread, limit=limit)
            )
            if items:
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
