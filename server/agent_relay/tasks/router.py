from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from agent_relay.context import RelayDep
from agent_relay.principal import ADMIN_ONLY, PrincipalDep
from agent_relay.session import SessionGuardDep
from agent_relay.tasks import service
from agent_relay.tasks.schemas import (
    CallbackDeliveryOut,
    TaskClaimIn,
    TaskOut,
    TaskQuery,
    TaskStatus,
    TaskStatusIn,
)
from agent_relay.wire import MAX_INT, CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/tasks", tags=["tasks"])

TaskId = Annotated[int, Path(alias="id", ge=1, le=MAX_INT, description="Task id")]


@router.get("", response_model=list[TaskOut], responses=error_responses(400))
async def list_tasks(
    relay: RelayDep,
    principal: PrincipalDep,
    status: TaskStatus | None = None,
    claimed_by: Annotated[str | None, Query(alias="claimedBy", max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=120)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
):
    """Tasks, newest first (an agent token: the tasks it may work on)."""
    query = TaskQuery(status, claimed_by, source, target, before, limit)
    return json_response(await relay.db.read(lambda conn: service.list_tasks(conn, query, principal)))


@router.get("/{id}", response_model=TaskOut, responses=error_responses(400, 404))
async def get_task(task_id: TaskId, principal: PrincipalDep, relay: RelayDep):
    return json_response(await relay.db.read(lambda conn: service.get(conn, task_id, principal)))


@router.post("/{id}/claim", response_model=TaskOut, responses=error_responses(400, 404, 409))
async def claim_task(
    task_id: TaskId,
    body: TaskClaimIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Claim a task for a lease (`leaseMs`, default from settings). Exactly one of any number
    of concurrent claimers wins; the others get 409. Claiming again renews your lease."""
    guard, settings = headers_guard.or_body(body.instance_id, body.epoch), relay.settings
    return json_response(
        await relay.db.write(lambda uow: service.claim(uow, task_id, body, guard, settings, principal))
    )


@router.post("/{id}/status", response_model=TaskOut, responses=error_responses(400, 404, 409))
async def set_task_status(
    task_id: TaskId,
    body: TaskStatusIn,
    headers_guard: SessionGuardDep,
    principal: PrincipalDep,
    relay: RelayDep,
):
    """Move a task: open, claimed, in_progress, blocked, done, failed, canceled. The last three
    are final. An illegal move is a 409 naming both states."""
    guard, settings = headers_guard.or_body(body.instance_id, body.epoch), relay.settings
    return json_response(
        await relay.db.write(lambda uow: service.set_status(uow, task_id, body, guard, settings, principal))
    )


@router.get(
    "/{id}/deliveries",
    response_model=list[CallbackDeliveryOut],
    responses=error_responses(400, 404),
    dependencies=[ADMIN_ONLY],
)
async def list_task_deliveries(task_id: TaskId, relay: RelayDep):
    """Callback deliveries for this task, newest first, each with every attempt. Admin only."""
    return json_response(await relay.db.read(lambda conn: service.deliveries(conn, task_id)))
