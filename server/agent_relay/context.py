"""The running relay's shared objects, built once in the app lifespan."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from agent_relay.db import Database
from agent_relay.events.hub import EventHub
from agent_relay.settings import Settings


@dataclass
class Relay:
    settings: Settings
    db: Database
    hub: EventHub
    started_at: float = field(default_factory=time.time)


async def get_relay(request: Request) -> Relay:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return request.app.state.relay


RelayDep = Annotated[Relay, Depends(get_relay)]
