"""Integration intake: who is calling (integration token, relay token, or an open relay),
the per-token rate limit, and create-or-update of the task."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, RateLimited, Unauthorized
from agent_relay.integrations import repository as repo
from agent_relay.integrations.schemas import IntegrationEventIn
from agent_relay.principal import Principal
from agent_relay.settings import Settings
from agent_relay.tasks import repository as tasks_repo
from agent_relay.tasks import service as tasks

WINDOW_MS = 60_000


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an integration event. `source` is fixed by an integration token; relay-token
    and open-relay callers name it in the body."""

    source: str | None
    rate_key: str | None = None  # set for integration tokens only


def authenticate(principal: Principal, settings: Settings) -> Caller:
    """The intake accepts an integration token (which names the source), the relay token, or
    anyone on a relay with no tokens at all."""
    if principal.role == "integration":
        return Caller(principal.integration, principal.rate_key)
    if principal.role == "admin":
        return Caller(None)
    if principal.role == "open" and not settings.integration_token_map:
        return Caller(None)  # an open relay
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
    uow: UnitOfWork, caller: Caller, event: IntegrationEventIn, *, open_relay: bool
) -> tuple[dict[str, Any], bool]:
    if caller.source is not None:
        source = caller.source
    elif event.source:
        source = event.source
    elif open_relay:
        source = "manual"
    else:
        raise BadRequest("source required")
    task, created = tasks.upsert_from_integration(
        uow,
        source=source,
        external_id=event.external_id,
        title=event.title,
        body=event.body,
        severity=event.severity,
        status=event.status,
        target=event.target,
        callback_url=event.callback_url,
        meta=event.meta,
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


def summaries(conn: Connection, settings: Settings) -> list[dict[str, Any]]:
    counts = tasks_repo.counts_by_source(conn)
    states = {row["name"]: row for row in repo.all_states(conn)}
    configured = set(settings.integration_token_map.values())
    out = []
    for name in sorted(configured | set(counts) | set(states)):
        state = states.get(name)
        by_status = counts.get(name, {})
        out.append(
            {
                "name": name,
                "configured": name in configured,
                "total": sum(by_status.values()),
                "counts": by_status,
                "events": state["events"] if state else 0,
                "lastEventAt": state["last_event_at"] if state else None,
                "lastExternalId": state["last_external_id"] if state else None,
                "lastStatus": state["last_status"] if state else None,
                "lastTaskId": state["last_task_id"] if state else None,
            }
        )
    return out
