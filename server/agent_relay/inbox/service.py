"""An agent's inbox: what it should see, oldest first, with long-poll."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.engine import Connection

from agent_relay.addressing import addresses_for, reaches
from agent_relay.agents import repository as agents_repo
from agent_relay.agents.service import SessionGuard, check_session
from agent_relay.clock import now_ms
from agent_relay.context import Relay
from agent_relay.db import PendingEvent
from agent_relay.errors import NotFound, ServiceUnavailable
from agent_relay.messages import repository as messages_repo

# Events after which an inbox may have something new for the agent.
_WAKING_EVENTS = {"message.new", "message.claim_released"}


def _read(
    conn: Connection, agent_id: str, guard: SessionGuard, *, after: int, unread: bool, limit: int
) -> tuple[list[dict[str, Any]], list[str]]:
    card = agents_repo.get(conn, agent_id)
    if guard.given:
        if card is None:
            raise NotFound("agent not found")
        check_session(card, guard)
    addresses = addresses_for(agent_id, card)
    rows = messages_repo.inbox(
        conn, agent_id, addresses, after=after, unread=unread, limit=limit, now=now_ms()
    )
    return [messages_repo.to_wire(r) for r in rows], addresses


async def read_inbox(
    relay: Relay,
    agent_id: str,
    guard: SessionGuard,
    *,
    after: int,
    unread: bool,
    limit: int,
    wait_s: float,
) -> list[dict[str, Any]]:
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
