from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from agent_relay import trace
from agent_relay.context import RelayDep
from agent_relay.integrations import service
from agent_relay.integrations.schemas import IntegrationEventIn, IntegrationSummary
from agent_relay.integrations.service import Caller
from agent_relay.principal import ADMIN_ONLY, PrincipalDep
from agent_relay.tasks.schemas import TaskOut
from agent_relay.wire import error_responses, json_response

router = APIRouter(prefix="/api/integrations", tags=["integrations"])


async def integration_caller(principal: PrincipalDep, relay: RelayDep) -> Caller:
    """Runs before the body is validated: a caller without a valid token gets 401 and an
    over-limit token 429, whatever it sent."""
    settings = relay.settings
    caller = service.authenticate(principal, settings)
    if caller.rate_key is not None:
        key, limit = caller.rate_key, settings.integration_rate_limit_per_minute
        retry_after = await relay.db.write(lambda uow: service.count_request(uow, key, limit))
        service.check_rate_limit(retry_after, limit)
    return caller


CallerDep = Annotated[Caller, Depends(integration_caller)]


@router.post(
    "/events",
    response_model=TaskOut,
    status_code=201,
    responses={
        200: {"model": TaskOut, "description": "Updated (or an idempotent repeat)"},
        **error_responses(400, 401, 409, 413, 429),
    },
)
async def post_integration_event(
    caller: CallerDep, body: IntegrationEventIn, relay: RelayDep, request: Request
):
    """Create the task for `(source, externalId)` (201) or update it (200). Authorized by an
    integration token (`X-Agent-Relay-Token` or `Authorization: Bearer`), which also names the
    `source`; with the relay token, `source` comes from the body."""
    traceparent = trace.from_headers(request.headers.raw)  # §17: kept on a new task, sent with its callbacks
    task, created = await relay.db.write(lambda uow: service.handle_event(uow, caller, body, traceparent))
    return json_response(task, 201 if created else 200)


@router.get("", response_model=list[IntegrationSummary], dependencies=[ADMIN_ONLY])
async def list_integrations(relay: RelayDep):
    """Each integration (configured or seen) with its task counts by status and last event.
    Admin only."""
    settings = relay.settings
    return json_response(await relay.db.read(lambda conn: service.summaries(conn, settings)))
