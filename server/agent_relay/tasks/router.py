from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay.agents.service import guard_from
from agent_relay.context import RelayDep
from agent_relay.tasks import repository as repo
from agent_relay.tasks import service
from agent_relay.tasks.schemas import CallbackDeliveryOut, TaskClaimIn, TaskOut, TaskStatus, TaskStatusIn
from agent_relay.wire import MAX_INT, CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/tasks", tags=["tasks"])

TaskId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Task id")]


@router.get("", response_model=list[TaskOut], responses=error_responses(400))
async def list_tasks(
    relay: RelayDep,
    status: TaskStatus | None = None,
    claimed_by: Annotated[str | None, Query(alias="claimedBy", max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=120)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
):
    """Tasks, newest first."""
    rows = await relay.db.read(
        lambda conn: repo.list_filtered(
            conn,
            status=status,
            claimed_by=claimed_by,
            source=source,
            target=target,
            before=before,
            limit=limit,
        )
    )
    return json_response([repo.to_wire(r) for r in rows])


@router.get("/{id}", response_model=TaskOut, responses=error_responses(400, 404))
async def get_task(task_id: TaskId, relay: RelayDep):
    row = await relay.db.read(lambda conn: service.get(conn, task_id))
    return json_response(repo.to_wire(row))


@router.post("/{id}/claim", response_model=TaskOut, responses=error_responses(400, 404, 409))
async def claim_task(task_id: TaskId, body: TaskClaimIn, request: Request, relay: RelayDep):
    """Claim a task for a lease (`leaseMs`, default from settings). Exactly one of any number
    of concurrent claimers wins; the others get 409. Claiming again renews your lease."""
    guard = guard_from(request.headers, body)
    settings = relay.settings
    lease = min(body.lease_ms or settings.default_lease_ms, settings.max_lease_ms)
    task = await relay.db.write(lambda uow: service.claim(uow, task_id, body.agent_id, lease, guard))
    return json_response(task)


@router.post("/{id}/status", response_model=TaskOut, responses=error_responses(400, 404, 409))
async def set_task_status(task_id: TaskId, body: TaskStatusIn, request: Request, relay: RelayDep):
    """Move a task: open, claimed, in_progress, blocked, done, failed, canceled. The last three
    are final. An illegal move is a 409 naming both states."""
    guard = guard_from(request.headers, body)
    settings = relay.settings
    lease = min(body.lease_ms or settings.default_lease_ms, settings.max_lease_ms)
    task = await relay.db.write(
        lambda uow: service.set_status(
            uow, task_id, body.status, agent_id=body.agent_id, note=body.note, lease_ms=lease, guard=guard
        )
    )
    return json_response(task)


@router.get("/{id}/deliveries", response_model=list[CallbackDeliveryOut], responses=error_responses(400, 404))
async def list_task_deliveries(task_id: TaskId, relay: RelayDep):
    """Callback deliveries for this task, newest first, each with every attempt."""

    def read(conn):
        service.get(conn, task_id)
        return repo.deliveries_for_task(conn, task_id)

    return json_response(await relay.db.read(read))
