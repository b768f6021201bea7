"""The running relay's shared objects, built once in the app lifespan."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from agent_relay.db import Database
from agent_relay.events.follower import LogFollower
from agent_relay.events.hub import EventHub
from agent_relay.settings import Settings


@dataclass
class Relay:
    settings: Settings
    db: Database
    hub: EventHub
    follower: LogFollower | None = None  # set when several processes share PostgreSQL
    started_at: float = field(default_factory=time.time)

    async def publish_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """An event that is never stored (typing, read receipts) to every SSE subscriber, in
        every process: through NOTIFY on PostgreSQL, straight to the hub on SQLite."""
        if self.follower is None or not await self.follower.notify_ephemeral(name, data):
            self.hub.publish_ephemeral(name, data)


def relay_of(request: Request) -> Relay:
    return request.app.state.relay


async def get_relay(request: Request) -> Relay:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return request.app.state.relay


RelayDep = Annotated[Relay, Depends(get_relay)]
