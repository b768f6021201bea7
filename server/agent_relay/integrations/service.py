"""Integration intake: who is calling (integration token, relay token, or an open relay),
the per-token rate limit, and create-or-update of the task."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, RateLimited, Unauthorized
from agent_relay.integrations import repository as repo
from agent_relay.integrations.schemas import (
    NO_STATE,
    SUMMARY_WIRE,
    IntegrationEventIn,
    IntegrationSummaryRecord,
)
from agent_relay.principal import Principal
from agent_relay.settings import Settings
from agent_relay.tasks import service as tasks
from agent_relay.tasks.schemas import TaskRecord, TaskUpsert

WINDOW_MS = 60_000


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an integration event. `source` is fixed by an integration token; relay-token
    and open-relay callers name it in the body."""

    source: str | None
    rate_key: str | None = None  # set for integration tokens only
    open_relay: bool = False  # a relay with no tokens: events without a source are "manual"


def authenticate(principal: Principal, settings: Settings) -> Caller:
    """The intake accepts an integration token (which names the source), the relay token, or
    anyone on a relay with no tokens at all."""
    if principal.role == "integration":
        return Caller(principal.integration, principal.rate_key)
    if principal.role == "admin":
        return Caller(None)
    if principal.role == "agent":  # §14: an agent token creates no tasks
        principal.require_admin()
    if principal.role == "open" and not settings.integration_token_map:
        return Caller(None, open_relay=True)
    raise Unauthorized("unauthorized")


def count_request(uow: UnitOfWork, key: str, limit: int) -> int | None:
    """Count a request against its token's window; the seconds to wait when over the limit."""
    window_start = uow.now - uow.now % WINDOW_MS
    count = repo.hit_rate_limit(uow.conn, key, window_start)
    if count <= limit:
        return None
    return max(1, math.ceil((window_start + WINDOW_MS - uow.now) / 1000))


def check_rate_limit(retry_after_s: int | None, limit: int) -> None:
    if retry_after_s is not None:
        raise RateLimited(f"rate limit exceeded: {limit} events per minute", retry_after_s)


def handle_event(
    uow: UnitOfWork, caller: Caller, event: IntegrationEventIn, traceparent: str | None = None
) -> tuple[TaskRecord, bool]:
    """Create or update the task the event names (True: created), and count the event."""
    if caller.source is not None:
        source = caller.source
    elif event.source:
        source = event.source
    elif caller.open_relay:
        source = "manual"
    else:
        raise BadRequest("source required")
    task, created = tasks.upsert_from_integration(
        uow,
        TaskUpsert(
            source=source,
            external_id=event.external_id,
            title=event.title,
            body=event.body,
            severity=event.severity,
            status=event.status,
            target=event.target,
            callback_url=event.callback_url,
            meta=event.meta,
            traceparent=traceparent,
        ),
    )
    repo.record_event(
        uow.conn,
        source,
        now=uow.now,
        external_id=event.external_id,
        status=task["status"],
        task_id=task["id"],
    )
    return task, created


def summaries(conn: Connection, settings: Settings) -> list[IntegrationSummaryRecord]:
    """Each integration, configured or seen, with its task counts and its last event."""
    counts = tasks.counts_by_source(conn)
    states = {row["name"]: row for row in repo.all_states(conn)}
    configured = set(settings.integration_token_map.values())
    out = []
    for name in sorted(configured | set(counts) | set(states)):
        by_status = counts.get(name, {})
        summary = {
            **states.get(name, NO_STATE),
            "name": name,
            "configured": name in configured,
            "total": sum(by_status.values()),
            "counts": by_status,
        }
        out.append(SUMMARY_WIRE.build(summary))
    return out
