"""Task and callback-delivery queries. Every state change is a conditional UPDATE."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from agent_relay.addressing import Viewer
from agent_relay.leases import free_for, lapsed, unheld
from agent_relay.listing import newest_first
from agent_relay.models import CallbackAttempt, CallbackDelivery, Task

tasks: sa.Table = Task.__table__  # type: ignore[attr-defined]
deliveries: sa.Table = CallbackDelivery.__table__  # type: ignore[attr-defined]
attempts: sa.Table = CallbackAttempt.__table__  # type: ignore[attr-defined]

ACTIVE_STATUSES = ("open", "claimed", "in_progress", "blocked")
FINAL_STATUSES = ("done", "failed", "canceled")


def insert(conn: Connection, values: dict[str, Any]) -> int:
    return conn.execute(sa.insert(tasks).returning(tasks.c.id), values).scalar_one()


def get(conn: Connection, task_id: int) -> RowMapping | None:
    return conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).mappings().first()


def by_external_id(conn: Connection, source: str, external_id: str) -> RowMapping | None:
    return (
        conn.execute(sa.select(tasks).where(tasks.c.source == source, tasks.c.external_id == external_id))
        .mappings()
        .first()
    )


def list_filtered(
    conn: Connection,
    *,
    status: str | None,
    claimed_by: str | None,
    source: str | None,
    target: str | None,
    before: int | None,
    limit: int,
    viewer: Viewer | None = None,
) -> list[RowMapping]:
    equals = {"status": status, "claimed_by": claimed_by, "source": source, "target": target}
    where: list[sa.ColumnElement[bool]] = []
    if viewer is not None:  # an agent token: the tasks it may work on (Viewer.may_work_on)
        where.append(
            sa.or_(
                tasks.c.target.is_(None),
                tasks.c.target.in_(sorted(viewer.addresses)),
                tasks.c.claimed_by == viewer.agent_id,
            )
        )
    return newest_first(conn, tasks, equals=equals, before=before, limit=limit, where=where)


def update_if(
    conn: Connection, task_id: int, expected_status: str, values: dict[str, Any]
) -> RowMapping | None:
    """Compare-and-set on the status read a moment ago: None when someone moved it meanwhile."""
    return (
        conn.execute(
            sa.update(tasks)
            .where(tasks.c.id == task_id, tasks.c.status == expected_status)
            .values(**values)
            .returning(*tasks.c)
        )
        .mappings()
        .first()
    )


def claim(conn: Connection, task_id: int, agent_id: str, expires_at: int, now: int) -> RowMapping | None:
    """Atomic: exactly one of any number of concurrent claimers (in any process) wins."""
    return (
        conn.execute(
            sa.update(tasks)
            .where(
                tasks.c.id == task_id,
                tasks.c.status.in_(ACTIVE_STATUSES),
                free_for(tasks.c.claimed_by, tasks.c.claim_expires_at, agent_id, now),
            )
            .values(
                claimed_by=agent_id,
                claim_expires_at=expires_at,
                status=sa.case((tasks.c.status == "open", "claimed"), else_=tasks.c.status),
                updated_at=now,
            )
            .returning(*tasks.c)
        )
        .mappings()
        .first()
    )


def release_expired(conn: Connection, now: int) -> list[tuple[str, RowMapping]]:
    """(previous status, released row) for every task whose lease ran out. Each release is
    conditional on the row still being expired in that status, so concurrent reapers (or a
    claim renewed meanwhile) never release a task twice."""
    candidates = conn.execute(
        sa.select(tasks.c.id, tasks.c.status).where(
            lapsed(tasks.c.claim_expires_at, now), tasks.c.status.in_(ACTIVE_STATUSES)
        )
    ).all()
    out: list[tuple[str, RowMapping]] = []
    for task_id, status in candidates:
        row = (
            conn.execute(
                sa.update(tasks)
                .where(tasks.c.id == task_id, tasks.c.status == status, lapsed(tasks.c.claim_expires_at, now))
                .values(status="open", claimed_by=None, claim_expires_at=None, updated_at=now)
                .returning(*tasks.c)
            )
            .mappings()
            .first()
        )
        if row is not None:
            out.append((status, row))
    return out


def counts_by_source(conn: Connection) -> dict[str, dict[str, int]]:
    rows = conn.execute(
        sa.select(tasks.c.source, tasks.c.status, sa.func.count()).group_by(tasks.c.source, tasks.c.status)
    )
    out: dict[str, dict[str, int]] = {}
    for source, status, n in rows:
        out.setdefault(source, {})[status] = n
    return out


def count(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one()


# -- callback deliveries -------------------------------------------------------------------


def insert_delivery(conn: Connection, values: dict[str, Any]) -> int:
    return conn.execute(sa.insert(deliveries).returning(deliveries.c.id), values).scalar_one()


def deliveries_for_task(conn: Connection, task_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            sa.select(deliveries).where(deliveries.c.task_id == task_id).order_by(deliveries.c.id.desc())
        ).mappings()
    )


def attempts_by_delivery(conn: Connection, delivery_ids: list[int]) -> dict[int, list[RowMapping]]:
    """Each delivery's attempts, in order (one query for all of them)."""
    out: dict[int, list[RowMapping]] = {}
    if not delivery_ids:
        return out
    for row in conn.execute(
        sa.select(attempts)
        .where(attempts.c.delivery_id.in_(delivery_ids))
        .order_by(attempts.c.delivery_id, attempts.c.attempt)
    ).mappings():
        out.setdefault(row["delivery_id"], []).append(row)
    return out


def due_deliveries(
    conn: Connection,
    now: int,
    limit: int,
    skip_prefixes: Iterable[str] = (),
    after: tuple[int, int] | None = None,
) -> list[tuple[int, int, str]]:
    """(next_attempt_at, id, url) of deliveries due now, oldest due first, after the keyset
    `after` when given, leaving out URLs that start with one of `skip_prefixes` (receivers
    that already have their share of attempts in flight)."""
    due_at = deliveries.c.next_attempt_at
    query = sa.select(due_at, deliveries.c.id, deliveries.c.url).where(
        deliveries.c.status == "pending", due_at <= now, unheld(deliveries.c.lease_expires_at, now)
    )
    if after is not None:
        query = query.where(
            sa.or_(due_at > after[0], sa.and_(due_at == after[0], deliveries.c.id > after[1]))
        )
    for prefix in skip_prefixes:
        query = query.where(sa.not_(deliveries.c.url.startswith(prefix, autoescape=True)))
    rows = conn.execute(query.order_by(due_at, deliveries.c.id).limit(limit))
    return [(row.next_attempt_at, row.id, row.url) for row in rows]


def defer_deliveries(conn: Connection, delivery_ids: list[int], now: int, until: int) -> int:
    """Move due, unleased deliveries' next attempt to `until` (their receiver is failing).
    Rows leased or finished meanwhile are left alone."""
    return conn.execute(
        sa.update(deliveries)
        .where(
            deliveries.c.id.in_(delivery_ids),
            deliveries.c.status == "pending",
            deliveries.c.next_attempt_at <= now,
            unheld(deliveries.c.lease_expires_at, now),
        )
        .values(next_attempt_at=until, updated_at=now)
    ).rowcount


def next_due_at(conn: Connection) -> int | None:
    return conn.execute(
        sa.select(
            sa.func.min(sa.func.coalesce(deliveries.c.lease_expires_at, deliveries.c.next_attempt_at))
        ).where(deliveries.c.status == "pending")
    ).scalar()


def lease_delivery(conn: Connection, delivery_id: int, now: int, lease_until: int) -> RowMapping | None:
    """Take the next attempt of a due delivery. The attempt number doubles as the lease
    token: only the holder of attempt n can finish it."""
    return (
        conn.execute(
            sa.update(deliveries)
            .where(
                deliveries.c.id == delivery_id,
                deliveries.c.status == "pending",
                deliveries.c.next_attempt_at <= now,
                unheld(deliveries.c.lease_expires_at, now),
            )
            .values(attempts=deliveries.c.attempts + 1, lease_expires_at=lease_until, updated_at=now)
            .returning(*deliveries.c)
        )
        .mappings()
        .first()
    )


def task_traceparent(conn: Connection, task_id: int) -> str | None:
    return conn.execute(sa.select(tasks.c.traceparent).where(tasks.c.id == task_id)).scalar()


def insert_attempt(conn: Connection, delivery_id: int, attempt: int, now: int) -> None:
    conn.execute(sa.insert(attempts).values(delivery_id=delivery_id, attempt=attempt, started_at=now))


def finish_attempt(
    conn: Connection,
    delivery_id: int,
    attempt: int,
    *,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    now: int,
    delivery_values: dict[str, Any],
) -> bool:
    conn.execute(
        sa.update(attempts)
        .where(attempts.c.delivery_id == delivery_id, attempts.c.attempt == attempt)
        .values(status_code=status_code, error=error, duration_ms=duration_ms, finished_at=now)
    )
    result = conn.execute(
        sa.update(deliveries)
        .where(
            deliveries.c.id == delivery_id, deliveries.c.attempts == attempt, deliveries.c.status == "pending"
        )
        .values(
            last_status_code=status_code,
            last_error=error,
            lease_expires_at=None,
            updated_at=now,
            **delivery_values,
        )
    )
    return result.rowcount == 1


def callback_levels(conn: Connection) -> dict[str, int]:
    """Callback deliveries still to make and those given up on (ix_callback_deliveries_due
    leads with status: both are index-only counts)."""
    rows = conn.execute(
        sa.select(deliveries.c.status, sa.func.count())
        .where(deliveries.c.status.in_(("pending", "dead")))
        .group_by(deliveries.c.status)
    ).all()
    found = {status: n for status, n in rows}
    return {"callback_backlog": found.get("pending", 0), "callbacks_dead": found.get("dead", 0)}
