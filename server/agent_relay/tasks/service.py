"""Task rules: create-or-update from integrations, claims with leases, the status state
machine, lease expiry, and the callback delivery row written with every reported change.
The only door to tasks' data: the router and other domains (integrations) come through here."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay import addressing
from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents.service import validate_session, viewer
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound, RelayError
from agent_relay.leases import granted_ms, row_is_live
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import NewMessage
from agent_relay.principal import ADMIN, Principal
from agent_relay.session import NO_GUARD, SessionGuard
from agent_relay.settings import Settings
from agent_relay.system.reaper import REAP_STEPS
from agent_relay.tasks import repository as repo
from agent_relay.tasks.repository import FINAL_STATUSES
from agent_relay.tasks.schemas import (
    DELIVERY_WIRE,
    TASK_WIRE,
    CallbackDeliveryRecord,
    TaskClaimIn,
    TaskQuery,
    TaskRecord,
    TaskStatusIn,
    TaskUpsert,
)

# Which status may follow which. Final states (done, failed, canceled) lead nowhere.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"claimed", "in_progress", "blocked", "done", "failed", "canceled"}),
    "claimed": frozenset({"open", "in_progress", "blocked", "done", "failed", "canceled"}),
    "in_progress": frozenset({"open", "blocked", "done", "failed", "canceled"}),
    "blocked": frozenset({"open", "in_progress", "done", "failed", "canceled"}),
}
_CAS_RETRIES = 5
# What an integration may change on an existing task (command field = column).
_UPSERT_FIELDS = ("title", "body", "severity", "target", "callback_url", "meta")

_build = TASK_WIRE.build


# -- reads -----------------------------------------------------------------------------------


def _row(conn: Connection, task_id: int) -> RowMapping:
    row = repo.get(conn, task_id)
    if row is None:
        raise NotFound("task not found")
    return row


def get(conn: Connection, task_id: int, principal: Principal = ADMIN) -> TaskRecord:
    return _build(_workable_row(conn, task_id, principal))


def _workable_row(conn: Connection, task_id: int, principal: Principal) -> RowMapping:
    """The task's row; for an agent token only a task it may work on (others are 404)."""
    row = _row(conn, task_id)
    seen_by = viewer(conn, principal)
    if seen_by is not None and not seen_by.may_work_on(row["target"], row["claimed_by"]):
        raise NotFound("task not found")
    return row


def list_tasks(conn: Connection, query: TaskQuery, principal: Principal = ADMIN) -> list[TaskRecord]:
    """Newest first; a None filter is no filter. An agent token sees the tasks it may work on."""
    rows = repo.list_filtered(
        conn,
        viewer=viewer(conn, principal),
        status=query.status,
        claimed_by=query.claimed_by,
        source=query.source,
        target=query.target,
        before=query.before,
        limit=query.limit,
    )
    return [_build(r) for r in rows]


def deliveries(conn: Connection, task_id: int) -> list[CallbackDeliveryRecord]:
    """The task's callback deliveries, newest first, each with every attempt (404: no task)."""
    _row(conn, task_id)
    rows = repo.deliveries_for_task(conn, task_id)
    attempts = repo.attempts_by_delivery(conn, [r["id"] for r in rows])
    return [DELIVERY_WIRE.build({**r, "attempt_rows": attempts.get(r["id"], [])}) for r in rows]


def counts_by_source(conn: Connection) -> dict[str, dict[str, int]]:
    """{source: {status: number of tasks}} (the integrations' summaries)."""
    return repo.counts_by_source(conn)


# -- rules -----------------------------------------------------------------------------------


def check_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, frozenset()):
        raise Conflict(f"cannot move task from {current} to {new}")


def check_callback_url(url: str | None) -> None:
    if url is None:
        return
    lowered = url.lower()
    if not lowered.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0 or " " in url:
        raise BadRequest("callbackUrl must be an http or https URL")


# -- changes ---------------------------------------------------------------------------------


def _changed(
    uow: UnitOfWork, row: RowMapping | dict[str, Any], event: str, previous: str | None
) -> TaskRecord:
    """Everything a task change causes, in the same transaction: the SSE event, an activity
    entry, and (for a creation or status change) the durable callback delivery row.
    `previous`: the status before the change (None for a creation)."""
    task = _build(row)
    uow.emit(event, task)
    created = event == "task.created"
    activity.record_for(
        uow,
        presenter.task_created(task) if previous is None else presenter.task_updated(task, previous),
    )
    if task["callbackUrl"] and (created or previous != task["status"]):
        repo.insert_delivery(
            uow.conn,
            {
                "task_id": task["id"],
                "source": task["source"],
                "url": task["callbackUrl"],
                "event": event,
                "body": orjson.dumps(task).decode(),
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": uow.now,
                "created_at": uow.now,
                "updated_at": uow.now,
            },
        )
    return task


def _send_task_message(uow: UnitOfWork, row: RowMapping | dict[str, Any]) -> int:
    target = row["target"]
    message, _ = messages.send(
        uow,
        NewMessage(
            from_=f"integration:{row['source']}",
            to=target,
            kind="task",
            subject=row["title"],
            body=row["title"] if not row["body"] else f"{row['title']}\n\n{row['body']}",
            claimable=addressing.is_group(target),
            idempotency_key=f"task-{row['id']}",
            meta={"severity": row["severity"]},
            payload={
                "taskId": row["id"],
                "status": row["status"],
                "severity": row["severity"],
                "source": row["source"],
                "externalId": row["external_id"],
                "task": _build(row),
            },
            traceparent=row.get("traceparent"),
        ),
    )
    return message["id"]


def upsert_from_integration(uow: UnitOfWork, cmd: TaskUpsert) -> tuple[TaskRecord, bool]:
    """Create the task for (source, externalId) (True) or update the existing one (False).
    A repeat that changes nothing emits nothing."""
    check_callback_url(cmd.callback_url)
    status = "done" if cmd.status == "resolved" else cmd.status
    if status == "claimed":
        raise BadRequest("status claimed needs an agent: use POST /api/tasks/{id}/claim")
    conn = uow.conn
    existing = repo.by_external_id(conn, cmd.source, cmd.external_id)
    if existing is None:
        if not cmd.title:
            raise BadRequest("title required")
        values: dict[str, Any] = {
            "title": cmd.title,
            "body": cmd.body,
            "severity": cmd.severity or "info",
            "status": status or "open",
            "source": cmd.source,
            "external_id": cmd.external_id,
            "target": cmd.target,
            "claimed_by": None,
            "claim_expires_at": None,
            "callback_url": cmd.callback_url,
            "meta": cmd.meta,
            "note": None,
            "message_id": None,
            "created_at": uow.now,
            "updated_at": uow.now,
            # set once: a later event's trace does not make a change of its own
            "traceparent": cmd.traceparent,
        }
        try:
            with conn.begin_nested():
                values["id"] = repo.insert(conn, values)
        except IntegrityError:  # a concurrent duplicate (another process) stored it first
            existing = repo.by_external_id(conn, cmd.source, cmd.external_id)
            if existing is None:
                raise
        else:
            if cmd.target:
                values["message_id"] = _send_task_message(uow, values)
                repo.update_if(conn, values["id"], values["status"], {"message_id": values["message_id"]})
            return _changed(uow, values, "task.created", None), True
    return _update_from_integration(uow, existing, cmd, status), False


def _update_from_integration(
    uow: UnitOfWork, row: RowMapping, cmd: TaskUpsert, status: str | None
) -> TaskRecord:
    for _ in range(_CAS_RETRIES):
        values: dict[str, Any] = {}
        for name in _UPSERT_FIELDS:
            value = getattr(cmd, name)
            if value is not None and value != row[name]:
                values[name] = value
        if status is not None and status != row["status"]:
            check_transition(row["status"], status)
            values.update(_status_values(row, status, None, None, uow.now))
        if not values:
            return _build(row)
        values["updated_at"] = uow.now
        updated = repo.update_if(uow.conn, row["id"], row["status"], values)
        if updated is not None:
            _after_status_change(uow, row, updated)
            return _changed(uow, updated, "task.updated", row["status"])
        row = _row(uow.conn, row["id"])
    raise Conflict("task is changing concurrently; retry")


# -- claims and status -----------------------------------------------------------------------


def _status_values(
    row: RowMapping, status: str, agent_id: str | None, lease: int | None, now: int
) -> dict[str, Any]:
    values: dict[str, Any] = {"status": status}
    if status == "open":
        values.update(claimed_by=None, claim_expires_at=None)
    elif status in FINAL_STATUSES:
        values["claim_expires_at"] = None
        if agent_id and not row["claimed_by"]:
            values["claimed_by"] = agent_id
    elif agent_id and lease:  # claimed / in_progress / blocked by an agent: it holds the lease
        values.update(claimed_by=agent_id, claim_expires_at=now + lease)
    return values


def _after_status_change(uow: UnitOfWork, before: RowMapping, after: RowMapping) -> None:
    """Keep the task message's claim in step with the task's (best effort: a plain
    message to one agent has no claim). A task in a final status completes its message
    (§15: it leaves every inbox and is never claimable again)."""
    message_id = after["message_id"]
    if message_id is not None and after["status"] in FINAL_STATUSES:
        messages.complete_for_owner(uow, message_id, after["claimed_by"] or "system")
        return
    if message_id is None or before["claimed_by"] is None or after["claimed_by"] == before["claimed_by"]:
        return
    with contextlib.suppress(RelayError):
        messages.release(uow, message_id, before["claimed_by"], NO_GUARD)


def claim(
    uow: UnitOfWork,
    task_id: int,
    cmd: TaskClaimIn,
    guard: SessionGuard,
    settings: Settings,
    principal: Principal = ADMIN,
) -> TaskRecord:
    """Exactly one of any number of concurrent claimers wins; claiming again renews. An
    agent token claims for itself, and only a task it may work on."""
    principal.act_as(cmd.agent_id)
    if principal.own_agent is not None:
        _workable_row(uow.conn, task_id, principal)
    validate_session(uow.conn, cmd.agent_id, guard)
    return _claim(uow, task_id, cmd.agent_id, granted_ms(cmd.lease_ms, settings))


def _claim(uow: UnitOfWork, task_id: int, agent_id: str, lease: int) -> TaskRecord:
    before = _row(uow.conn, task_id)
    row = repo.claim(uow.conn, task_id, agent_id, uow.now + lease, uow.now)
    if row is None:
        current = _row(uow.conn, task_id)
        if current["status"] in FINAL_STATUSES:
            raise Conflict(f"cannot claim task: it is {current['status']}")
        raise Conflict(f"task already claimed by {current['claimed_by']}")
    if row["message_id"] is not None:
        # not claimable (sent to one agent) or held: the task claim decides
        with contextlib.suppress(RelayError):
            messages.claim(uow, row["message_id"], agent_id, lease, NO_GUARD)
    return _changed(uow, row, "task.updated", before["status"])


def set_status(
    uow: UnitOfWork,
    task_id: int,
    cmd: TaskStatusIn,
    guard: SessionGuard,
    settings: Settings,
    principal: Principal = ADMIN,
) -> TaskRecord:
    """Move a task through the state machine; an illegal move is a 409 naming both states.
    An agent token moves a task it may work on, as itself (so not one another agent holds)."""
    status, agent_id, note = cmd.status, cmd.agent_id, cmd.note
    if principal.own_agent is not None:
        agent_id = agent_id or principal.own_agent
        principal.act_as(agent_id)
        _workable_row(uow.conn, task_id, principal)
    lease = granted_ms(cmd.lease_ms, settings)
    if agent_id is not None:
        validate_session(uow.conn, agent_id, guard)
    if status == "claimed":
        if agent_id is None:
            raise BadRequest("agentId required to claim a task")
        return _claim(uow, task_id, agent_id, lease)
    for _ in range(_CAS_RETRIES):
        row = _row(uow.conn, task_id)
        if row["status"] == status and (note is None or note == row["note"]):
            return _build(row)  # a repeat: nothing changes
        if row["status"] != status:
            check_transition(row["status"], status)
        if agent_id is not None and row_is_live(row, uow.now) and row["claimed_by"] != agent_id:
            raise Conflict(f"task is claimed by {row['claimed_by']}")
        values = _status_values(row, status, agent_id, lease, uow.now)
        values.update(note=note, updated_at=uow.now)
        updated = repo.update_if(uow.conn, task_id, row["status"], values)
        if updated is not None:
            _after_status_change(uow, row, updated)
            return _changed(uow, updated, "task.updated", row["status"])
    raise Conflict("task is changing concurrently; retry")


def release_expired(uow: UnitOfWork) -> list[int]:
    """Reaper: tasks whose claim lease ran out go back to open."""
    released = repo.release_expired(uow.conn, uow.now)
    for previous, row in released:
        _changed(uow, row, "task.updated", previous)
    return [row["id"] for _, row in released]


def reap_step(uow: UnitOfWork, _settings: Any) -> dict[str, list[Any]]:
    return {"releasedTaskIds": release_expired(uow)}


REAP_STEPS.append(reap_step)


def callback_levels(conn: Connection) -> dict[str, int]:
    """The callback backlog and dead callbacks, for /metrics."""
    return repo.callback_levels(conn)
