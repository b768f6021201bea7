"""Task rules: create-or-update from integrations, claims with leases, the status state
machine, lease expiry, and the callback delivery row written with every reported change."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay import addressing
from agent_relay.activity import service as activity
from agent_relay.agents.service import SessionGuard, validate_session
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound, RelayError
from agent_relay.messages import service as messages
from agent_relay.system.reaper import REAP_STEPS
from agent_relay.tasks import repository as repo
from agent_relay.tasks.repository import FINAL_STATUSES

# Which status may follow which. Final states (done, failed, canceled) lead nowhere.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"claimed", "in_progress", "blocked", "done", "failed", "canceled"}),
    "claimed": frozenset({"open", "in_progress", "blocked", "done", "failed", "canceled"}),
    "in_progress": frozenset({"open", "blocked", "done", "failed", "canceled"}),
    "blocked": frozenset({"open", "in_progress", "done", "failed", "canceled"}),
}
_CAS_RETRIES = 5


def get(conn: Connection, task_id: int) -> RowMapping:
    row = repo.get(conn, task_id)
    if row is None:
        raise NotFound("task not found")
    return row


def check_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, frozenset()):
        raise Conflict(f"cannot move task from {current} to {new}")


def check_callback_url(url: str | None) -> None:
    if url is None:
        return
    lowered = url.lower()
    if not lowered.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0 or " " in url:
        raise BadRequest("callbackUrl must be an http or https URL")


def _lease_live(row: RowMapping, now: int) -> bool:
    return row["claimed_by"] is not None and (
        row["claim_expires_at"] is None or row["claim_expires_at"] >= now
    )


# -- changes ---------------------------------------------------------------------------------


def _changed(
    uow: UnitOfWork, row: RowMapping | dict[str, Any], event: str, previous: str | None
) -> dict[str, Any]:
    """Everything a task change causes, in the same transaction: the SSE event, an activity
    entry, and (for a creation or status change) the durable callback delivery row."""
    task = repo.to_wire(row)
    uow.emit(event, task)
    status = task["status"]
    if event == "task.created":
        title = f"Task created: {task['title']}"
    elif previous and previous != status:
        title = f"Task {previous} -> {status}: {task['title']}"
    else:
        title = f"Task updated: {task['title']}"
    activity.record(
        uow,
        kind="task",
        title=title,
        body=task["note"] if previous != status and task["note"] else task["body"],
        meta=f"{task['source']}/{task['externalId']}",
        icon="ti-checklist",
        view="tasks",
        message_id=task["messageId"],
        agent_id=task["claimedBy"],
        metadata={"taskId": task["id"], "status": status, "previousStatus": previous},
    )
    if task["callbackUrl"] and (event == "task.created" or previous != status):
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
    text = row["title"] if not row["body"] else f"{row['title']}\n\n{row['body']}"
    message, _ = messages.send(
        uow,
        sender=f"integration:{row['source']}",
        to=target,
        kind="task",
        subject=row["title"],
        body=text,
        claimable=addressing.is_group(target),
        idempotency_key=f"task-{row['id']}",
        meta={"severity": row["severity"]},
        payload={
            "taskId": row["id"],
            "status": row["status"],
            "severity": row["severity"],
            "source": row["source"],
            "externalId": row["external_id"],
            "task": repo.to_wire(row),
        },
    )
    return message["id"]


def upsert_from_integration(
    uow: UnitOfWork,
    *,
    source: str,
    external_id: str,
    title: str | None,
    body: str | None,
    severity: str | None,
    status: str | None,
    target: str | None,
    callback_url: str | None,
    meta: dict[str, Any] | None,
) -> tuple[dict[str, Any], bool]:
    """Create the task for (source, externalId) (True) or update the existing one (False).
    A repeat that changes nothing emits nothing."""
    check_callback_url(callback_url)
    if status == "resolved":
        status = "done"
    if status == "claimed":
        raise BadRequest("status claimed needs an agent: use POST /api/tasks/{id}/claim")
    conn = uow.conn
    existing = repo.by_external_id(conn, source, external_id)
    if existing is None:
        if not title:
            raise BadRequest("title required")
        values: dict[str, Any] = {
            "title": title,
            "body": body,
            "severity": severity or "info",
            "status": status or "open",
            "source": source,
            "external_id": external_id,
            "target": target,
            "claimed_by": None,
            "claim_expires_at": None,
            "callback_url": callback_url,
            "meta": meta,
            "note": None,
            "message_id": None,
            "created_at": uow.now,
            "updated_at": uow.now,
        }
        try:
            with conn.begin_nested():
                values["id"] = repo.insert(conn, values)
        except IntegrityError:  # a concurrent duplicate (another process) stored it first
            existing = repo.by_external_id(conn, source, external_id)
            if existing is None:
                raise
        else:
            if target:
                values["message_id"] = _send_task_message(uow, values)
                repo.update_if(conn, values["id"], values["status"], {"message_id": values["message_id"]})
            return _changed(uow, values, "task.created", None), True
    return _update_from_integration(
        uow,
        existing,
        title=title,
        body=body,
        severity=severity,
        status=status,
        target=target,
        callback_url=callback_url,
        meta=meta,
    ), False


def _update_from_integration(uow: UnitOfWork, row: RowMapping, **fields: Any) -> dict[str, Any]:
    columns = {
        "title": "title",
        "body": "body",
        "severity": "severity",
        "target": "target",
        "callback_url": "callback_url",
        "meta": "meta",
    }
    for _ in range(_CAS_RETRIES):
        values = {
            col: fields[name]
            for name, col in columns.items()
            if fields[name] is not None and fields[name] != row[col]
        }
        status = fields["status"]
        if status is not None and status != row["status"]:
            check_transition(row["status"], status)
            values.update(_status_values(row, status, None, None, uow.now))
        if not values:
            return repo.to_wire(row)
        values["updated_at"] = uow.now
        updated = repo.update_if(uow.conn, row["id"], row["status"], values)
        if updated is not None:
            _after_status_change(uow, row, updated)
            return _changed(uow, updated, "task.updated", row["status"])
        row = get(uow.conn, row["id"])
    raise Conflict("task is changing concurrently; retry")


# -- claims and status -----------------------------------------------------------------------


def _status_values(
    row: RowMapping, status: str, agent_id: str | None, lease_ms: int | None, now: int
) -> dict[str, Any]:
    values: dict[str, Any] = {"status": status}
    if status == "open":
        values.update(claimed_by=None, claim_expires_at=None)
    elif status in FINAL_STATUSES:
        values["claim_expires_at"] = None
        if agent_id and not row["claimed_by"]:
            values["claimed_by"] = agent_id
    elif agent_id and lease_ms:  # claimed / in_progress / blocked by an agent: it holds the lease
        values.update(claimed_by=agent_id, claim_expires_at=now + lease_ms)
    return values


def _after_status_change(uow: UnitOfWork, before: RowMapping, after: RowMapping) -> None:
    """Keep the task message's claim in step with the task's (best effort: a plain
    message to one agent has no claim)."""
    message_id = after["message_id"]
    if message_id is None or before["claimed_by"] is None or after["claimed_by"] == before["claimed_by"]:
        return
    with contextlib.suppress(RelayError):
        messages.release(uow, message_id, before["claimed_by"], SessionGuard())


def claim(uow: UnitOfWork, task_id: int, agent_id: str, lease_ms: int, guard: SessionGuard) -> dict[str, Any]:
    validate_session(uow.conn, agent_id, guard)
    before = get(uow.conn, task_id)
    row = repo.claim(uow.conn, task_id, agent_id, uow.now + lease_ms, uow.now)
    if row is None:
        current = get(uow.conn, task_id)
        if current["status"] in FINAL_STATUSES:
            raise Conflict(f"cannot claim task: it is {current['status']}")
        raise Conflict(f"task already claimed by {current['claimed_by']}")
    if row["message_id"] is not None:
        # not claimable (sent to one agent) or held: the task claim decides
        with contextlib.suppress(RelayError):
            messages.claim(uow, row["message_id"], agent_id, lease_ms, SessionGuard())
    return _changed(uow, row, "task.updated", before["status"])


def set_status(
    uow: UnitOfWork,
    task_id: int,
    status: str,
    *,
    agent_id: str | None,
    note: str | None,
    lease_ms: int,
    guard: SessionGuard,
) -> dict[str, Any]:
    if agent_id is not None:
        validate_session(uow.conn, agent_id, guard)
    if status == "claimed":
        if agent_id is None:
            raise BadRequest("agentId required to claim a task")
        return claim(uow, task_id, agent_id, lease_ms, SessionGuard())
    for _ in range(_CAS_RETRIES):
        row = get(uow.conn, task_id)
        if row["status"] == status and (note is None or note == row["note"]):
            return repo.to_wire(row)  # a repeat: nothing changes
        if row["status"] != status:
            check_transition(row["status"], status)
        if agent_id is not None and _lease_live(row, uow.now) and row["claimed_by"] != agent_id:
            raise Conflict(f"task is claimed by {row['claimed_by']}")
        values = _status_values(row, status, agent_id, lease_ms, uow.now)
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
