from __future__ import annotations

from typing import Literal

from agent_relay.wire import OutModel


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
    dead_lettered_message_ids: list[int] = []
    stuck_message_ids: list[int] = []
    woken_agent_ids: list[str] = []


class WhoAmIOut(OutModel):
    role: Literal["admin", "agent", "integration", "open"]
    agent_id: str | None = None
