from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agent_relay.activity import service
from agent_relay.activity.schemas import ActivityIn, ActivityOut
from agent_relay.context import RelayDep
from agent_relay.principal import PrincipalDep
from agent_relay.wire import CursorQuery, LimitQuery, error_responses, json_response

router = APIRouter(prefix="/api/activity", tags=["activity"])


@router.get("", response_model=list[ActivityOut], responses=error_responses(400))
async def list_activity(
    relay: RelayDep,
    principal: PrincipalDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=200)] = None,
    view: Annotated[str | None, Query(max_length=80)] = None,
    before: CursorQuery = None,
    limit: LimitQuery = 100,
):
    """The activity feed, newest first. An agent token sees its own agent's entries."""
    agent_id = principal.narrow(agent_id)
    items = await relay.db.read(
        lambda conn: service.list_activity(
            conn, kind=kind, agent_id=agent_id, view=view, before=before, limit=limit
        )
    )
    return json_response(items)


@router.post(
    "",
    response_model=ActivityOut,
    status_code=201,
    responses={
        200: {"model": ActivityOut, "description": "Repeat of a known clientId"},
        **error_responses(400),
    },
)
async def create_activity(body: ActivityIn, principal: PrincipalDep, relay: RelayDep):
    """Post an entry to the feed. An agent token posts as its own agent (`agentId`)."""
    body.agent_id = principal.narrow(body.agent_id)
    item, created = await relay.db.write(lambda uow: service.record_for(uow, body))
    return json_response(item, 201 if created else 200)
