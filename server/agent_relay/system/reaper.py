"""The maintenance sweep: expired claims, stale agents, old events; plus steps other
domains register (tasks, orchestrators, pairs). Every step is a conditional UPDATE …
RETURNING, so several reapers (timer, route, other processes) never reap a row twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents import service as agents
from agent_relay.db import UnitOfWork
from agent_relay.events.log import prune_events
from agent_relay.messages import service as messages
from agent_relay.settings import Settings

log = logging.getLogger("agent_relay.reaper")

ReapStep = Callable[[UnitOfWork, Settings], dict[str, list[Any]]]

# Domains append their own steps at import time; each returns {resultKey: [ids]}.
REAP_STEPS: list[ReapStep] = []


def _core_step(uow: UnitOfWork, settings: Settings) -> dict[str, list[Any]]:
    prune_events(uow.conn, uow.now - settings.event_retention_ms)
    messages.prune_delivery_reads(uow, uow.now - settings.event_retention_ms)
    released, dead = messages.release_expired(uow)
    return {
        "releasedMessageIds": released,
        "deadLetteredMessageIds": dead,
        "stuckMessageIds": messages.judge_stuck(uow, settings.stuck_after_ms),
        "reapedAgentIds": agents.reap_stale(uow, settings.agent_stale_after_ms),
    }


def reap(uow: UnitOfWork, settings: Settings, *, always_record: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ok": True,
        "reapedAgentIds": [],
        "reapedOrchestratorIds": [],
        "releasedMessageIds": [],
        "releasedTaskIds": [],
    }
    for step in [_core_step, *REAP_STEPS]:
        for key, ids in step(uow, settings).items():
            result.setdefault(key, []).extend(ids)
    counts = {k: len(v) for k, v in result.items() if isinstance(v, list)}
    if always_record or any(counts.values()):
        activity.record_for(uow, presenter.reaper_ran(counts))
    return result


async def run_timer(write: Callable[[Callable[[UnitOfWork], Any]], Any], settings: Settings) -> None:
    interval = settings.reap_interval_ms / 1000
    while True:
        await asyncio.sleep(interval)
        try:
            await write(lambda uow: reap(uow, settings))
        except Exception:
            log.exception("reaper run failed")
