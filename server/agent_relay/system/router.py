from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter
from sqlalchemy.engine import Connection

from agent_relay import __version__
from agent_relay.agents import repository as agents_repo
from agent_relay.context import RelayDep
from agent_relay.messages import repository as messages_repo
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import BroadcastIn, MessageOut
from agent_relay.system.reaper import reap
from agent_relay.wire import OutModel, error_responses, json_response

router = APIRouter(tags=["system"])


class DatabaseHealth(OutModel):
    kind: str
    ok: bool
    error: str | None = None


class WriterHealth(OutModel):
    ok: bool
    error: str | None = None  # why writes are not completing (the thread died, a stall)


class HealthOut(OutModel):
    ok: bool
    status: str
    version: str
    uptime_ms: int
    database: DatabaseHealth
    writer: WriterHealth
    counts: dict[str, int]
    subscribers: int


class ReapOut(OutModel):
    ok: bool
    reaped_agent_ids: list[str]
    reaped_orchestrator_ids: list[str]
    released_message_ids: list[int]
    released_task_ids: list[str | int]
    expired_pair_ids: list[int] = []


def _counts(conn: Connection) -> dict[str, int]:
    return {
        "agents": agents_repo.count(conn),
        "onlineAgents": agents_repo.count(conn, "online"),
        "messages": messages_repo.count(conn),
    }


@router.get(
    "/api/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database or the writer is not working"}},
)
async def get_health(relay: RelayDep):
    """Liveness and a glance at the data. Never needs a token. 503 when the database cannot
    be read or writes are not completing (`database.error`, `writer.error` say why)."""
    db: dict[str, Any] = {"kind": "sqlite" if relay.db.is_sqlite else "postgresql", "ok": True}
    counts: dict[str, int] = {}
    try:
        counts = await relay.db.read(_counts)
    except Exception as exc:
        db.update(ok=False, error=type(exc).__name__)
    writer_problem = relay.db.problem(relay.settings.writer_stall_ms)
    ok = db["ok"] and writer_problem is None
    return json_response(
        {
            "ok": ok,
            "status": "ok" if ok else "unavailable",
            "version": __version__,
            "uptimeMs": int((time.time() - relay.started_at) * 1000),
            "database": db,
            "writer": {"ok": writer_problem is None, "error": writer_problem},
            "counts": counts,
            "subscribers": relay.hub.subscriber_count,
        },
        200 if ok else 503,
    )


@router.post("/api/system/reap", response_model=ReapOut)
async def run_reaper(relay: RelayDep):
    """Release expired claims, mark stale agents and orchestrators offline, expire pairs."""
    settings = relay.settings
    result = await relay.db.write(lambda uow: reap(uow, settings, always_record=True))
    return json_response(result)


@router.post(
    "/api/system/broadcast", response_model=MessageOut, status_code=201, responses=error_responses(400)
)
async def broadcast_system_message(body: BroadcastIn, relay: RelayDep):
    """A `system` message from `system` to every agent."""
    message, _ = await relay.db.write(
        lambda uow: messages.send(
            uow, sender="system", to="broadcast", kind="system", subject=body.subject, body=body.body
        )
    )
    return json_response(message, 201)
