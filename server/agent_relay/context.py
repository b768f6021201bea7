"""The running relay's shared objects, built once in the app lifespan."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from agent_relay.db import Database
from agent_relay.events.bus import EventBus
from agent_relay.events.hub import EventHub
from agent_relay.settings import Settings


@dataclass
class Relay:
    settings: Settings
    db: Database
    bus: EventBus  # events.bus.create_bus: the local hub on SQLite, the shared log on PostgreSQL
    started_at: float = field(default_factory=time.time)
    hub: EventHub = field(init=False)  # the bus's in-process fan-out (slots, long polls)

    def __post_init__(self) -> None:
        self.hub = self.bus.hub

    async def publish_ephemeral(self, name: str, data: Mapping[str, Any]) -> None:
        """An event that is never stored (typing, read receipts) to every SSE subscriber, in
        every process (see the bus's publish_ephemeral)."""
        await self.bus.publish_ephemeral(name, data)


def relay_of(request: Request) -> Relay:
    return request.app.state.relay


async def get_relay(request: Request) -> Relay:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return request.app.state.relay


RelayDep = Annotated[Relay, Depends(get_relay)]
