from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay.context import RelayDep, relay_of
from agent_relay.disconnect import unless_disconnected
from agent_relay.inbox import service
from agent_relay.inbox.schemas import DraftIn, DraftOut
from agent_relay.messages.schemas import MessageOut
from agent_relay.principal import PrincipalDep, principal_of
from agent_relay.session import guard_from_headers
from agent_relay.wire import MAX_INT, LimitQuery, OkBody, error_responses, json_response

router = APIRouter(prefix="/api/inbox", tags=["inbox"])

AgentId = Annotated[str, Path(alias="agentId", min_length=1, max_length=200)]


@router.get("/{agentId}", response_model=list[MessageOut], responses=error_responses(400, 404, 409))
async def list_inbox(
    agent_id: AgentId,
    request: Request,
    unread: bool = False,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: LimitQuery = 100,
    wait: Annotated[float, Query(ge=0, le=60, description="Long-poll: seconds to wait for something")] = 0,
):
    """What this agent should see, oldest first: messages to its id, `broadcast`, and its
    label, tags and capabilities. Claimable messages claimed by another agent are left out."""
    principal_of(request.scope).act_as(agent_id)  # §14: an agent token reads its own inbox only
    guard = guard_from_headers(request.headers.raw)  # a hot path: not one more dependency
    read = service.read_inbox(
        relay_of(request), agent_id, guard, after=after, unread=unread, limit=limit, wait_s=wait
    )
    if wait <= 0:
        return json_response(await read)
    # A long-poll whose client hangs up gives its waiting slot back at once.
    answered, items = await unless_disconnected(request.receive, read)
    return json_response(items if answered else [])


@router.get("/{agentId}/draft", response_model=DraftOut, responses=error_responses(400, 404))
async def get_inbox_draft(agent_id: AgentId, principal: PrincipalDep, relay: RelayDep):
    principal.act_as(agent_id)
    draft = await relay.db.read(lambda conn: service.get_draft(conn, agent_id))
    return json_response(draft)


@router.put("/{agentId}/draft", response_model=DraftOut, responses=error_responses(400))
async def set_inbox_draft(agent_id: AgentId, body: DraftIn, principal: PrincipalDep, relay: RelayDep):
    """One saved compose-draft per inbox (replaced on every save)."""
    principal.act_as(agent_id)
    draft = await relay.db.write(lambda uow: service.save_draft(uow, agent_id, body))
    return json_response(draft)


@router.delete("/{agentId}/draft", response_model=OkBody, responses=error_responses(400, 404))
async def delete_inbox_draft(agent_id: AgentId, principal: PrincipalDep, relay: RelayDep):
    principal.act_as(agent_id)
    await relay.db.write(lambda uow: service.delete_draft(uow, agent_id))
    return json_response({"ok": True})
