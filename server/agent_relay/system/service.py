"""System-wide operations: the health glance, the maintenance sweep, system broadcasts."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from agent_relay import __version__, metrics
from agent_relay.agents import service as agents
from agent_relay.db import UnitOfWork
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import BroadcastIn, MessageRecord, NewMessage
from agent_relay.settings import Settings
from agent_relay.system.reaper import reap
from agent_relay.tasks import service as tasks

if TYPE_CHECKING:  # services never import FastAPI (context.py does)
    from agent_relay.context import Relay


# Health answers within ~2 s whatever the database does (the read's bound, plus a grace).
HEALTH_READ_TIMEOUT_S = 1.5


def counts(conn: Connection) -> dict[str, int]:
    """The health report's glance at the data."""
    return {
        "agents": agents.count(conn),
        "onlineAgents": agents.count(conn, "online"),
        "messages": messages.count(conn),
    }


async def health(relay: Relay) -> tuple[dict[str, Any], bool]:
    """The health report, and whether all is well: not when the database cannot be read or
    writes are not completing (`database.error`, `writer.error` say why)."""
    db: dict[str, Any] = {"kind": "sqlite" if relay.db.is_sqlite else "postgresql", "ok": True}
    data_counts: dict[str, int] = {}
    try:
        data_counts = await relay.db.read(counts, timeout_s=HEALTH_READ_TIMEOUT_S)
    except TimeoutError as exc:  # a lock held elsewhere, an exhausted pool: health still answers
        db.update(ok=False, error=str(exc))
    except Exception as exc:
        db.update(ok=False, error=type(exc).__name__)
    writer_problem = relay.db.problem(relay.settings.writer_stall_ms)
    ok = db["ok"] and writer_problem is None
    report = {
        "ok": ok,
        "status": "ok" if ok else "unavailable",
        "version": __version__,
        "uptimeMs": int((time.time() - relay.started_at) * 1000),
        "database": db,
        "writer": {"ok": writer_problem is None, "error": writer_problem},
        "counts": data_counts,
        "subscribers": relay.hub.subscriber_count,
    }
    return report, ok


# The database's levels on /metrics: name -> help.
DATABASE_GAUGES = {
    "claims_outstanding": "Claimable messages held under a live claim",
    "dead_letters": "Dead-lettered messages (GET /api/dead-letters)",
    "stuck_messages": "Direct or claimable messages still unread or unclaimed past AGENT_RELAY_STUCK_AFTER_MS",
    "callback_backlog": "Task callback deliveries not yet made (pending, retrying included)",
    "callbacks_dead": "Task callback deliveries given up on after their last attempt",
}


def _database_levels(conn: Connection) -> dict[str, int]:
    return {**messages.operator_levels(conn), **tasks.callback_levels(conn)}


async def metrics_text(relay: Relay) -> bytes:
    """The Prometheus exposition (§17): every process's counters and levels, and the
    database's levels read now (right whichever process wrote them). A database that cannot
    be read leaves its gauges out and says so in `agent_relay_database_up`."""
    families = []
    try:
        levels = await relay.db.read(_database_levels, timeout_s=HEALTH_READ_TIMEOUT_S)
    except Exception:
        levels = {}
    families.append(
        metrics.gauge_family("database_up", "1 when the database answered this scrape", 1 if levels else 0)
    )
    for name, help_text in DATABASE_GAUGES.items():
        if name in levels:
            families.append(metrics.gauge_family(name, help_text, levels[name]))
    return await asyncio.to_thread(metrics.render, families)


def run_reaper(uow: UnitOfWork, settings: Settings) -> dict[str, Any]:
    """A sweep asked for by a client: recorded in the activity feed even when it found nothing."""
    return reap(uow, settings, always_record=True)


def broadcast(uow: UnitOfWork, inp: BroadcastIn, traceparent: str | None = None) -> MessageRecord:
    """A `system` message from `system` to every agent."""
    cmd = NewMessage(
        from_="system",
        to="broadcast",
        kind="system",
        subject=inp.subject,
        body=inp.body,
        traceparent=traceparent,
    )
    return messages.send(uow, cmd)[0]
