"""System-wide operations: the health glance, the maintenance sweep, system broadcasts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from agent_relay import __version__
from agent_relay.agents import service as agents
from agent_relay.db import UnitOfWork
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import BroadcastIn, MessageRecord, NewMessage
from agent_relay.settings import Settings
from agent_relay.system.reaper import reap

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


def run_reaper(uow: UnitOfWork, settings: Settings) -> dict[str, Any]:
    """A sweep asked for by a client: recorded in the activity feed even when it found nothing."""
    return reap(uow, settings, always_record=True)


def broadcast(uow: UnitOfWork, inp: BroadcastIn) -> MessageRecord:
    """A `system` message from `system` to every agent."""
    cmd = NewMessage(from_="system", to="broadcast", kind="system", subject=inp.subject, body=inp.body)
    return messages.send(uow, cmd)[0]
