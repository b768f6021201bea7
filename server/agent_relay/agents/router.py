from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from agent_relay.agents import service, tokens
from agent_relay.agents.schemas import (
    AgentActionIn,
    AgentCard,
    AgentKind,
    AgentRegister,
    AgentStatus,
    AgentTokenOut,
    Heartbeat,
    HeartbeatOut,
    IssuedTokenOut,
    TokenCreate,
)
from agent_relay.context import RelayDep
from agent_relay.messages.schemas import MessageOut
from agent_relay.principal import PrincipalDep
from agent_relay.session import SessionGuardDep
from agent_relay.wire import MAX_INT, OkBody, OutModel, error_responses, json_response

router = APIRouter(prefix="/api/agents", tags=["agents"])

AgentId = Annotated[str, Path(alias="id", min_length=1, max_length=200)]
TokenId = Annotated[int, Path(alias="tokenId", ge=1, le=MAX_INT, description="Token id")]


class AgentActionOut(OutModel):
    ok: bool
    action: str
    message: MessageOut


@router.post(
    "",
    response_model=AgentCard,
    status_code=201,
    responses={200: {"model": AgentCard, "description": "Updated"}, **error_responses(400, 409)},
)
async def register_agent(body: AgentRegister, relay: RelayDep):
    """Register or update an agent (upsert by id). Pass `instanceId` and a rising `epoch`
    to fence off older processes of the same agent."""
    card, created = await relay.db.write(lambda uow: service.register(uow, body))
    return json_response(card, 201 if created else 200)


@router.get("", response_model=list[AgentCard], responses=error_responses(400))
async def list_agents(
    relay: RelayDep,
    status: AgentStatus | None = None,
    kind: AgentKind | None = None,
    label: Annotated[str | None, Query(max_length=120)] = None,
):
    cards = await relay.db.read(lambda conn: service.list_agents(conn, status=status, kind=kind, label=label))
    return json_response(cards)


@router.get("/{id}", response_model=AgentCard, responses=error_responses(400, 404))
async def get_agent(agent_id: AgentId, relay: RelayDep):
    card = await relay.db.read(lambda conn: service.get_agent(conn, agent_id))
    return json_response(card)


@router.post("/{id}/heartbeat", response_model=HeartbeatOut, responses=error_responses(400, 404, 409))
async def heartbeat_agent(
    agent_id: AgentId, headers_guard: SessionGuardDep, relay: RelayDep, body: Heartbeat | None = None
):
    """Refresh `lastSeen`; optionally set `status` / `ready`. Fenced by the session guard."""
    inp = body or Heartbeat()
    guard = headers_guard.or_body(inp.instance_id, inp.epoch)
    result = await relay.db.write(lambda uow: service.heartbeat(uow, agent_id, inp, guard))
    return json_response(result)


@router.post(
    "/{id}/actions", response_model=AgentActionOut, status_code=202, responses=error_responses(400, 404)
)
async def request_agent_action(agent_id: AgentId, body: AgentActionIn, relay: RelayDep):
    """Ask an agent to restart or shut down: an urgent `control` message from `system`."""
    result = await relay.db.write(lambda uow: service.request_action(uow, agent_id, body.action))
    return json_response(result, 202)


@router.delete("/{id}", response_model=OkBody, responses=error_responses(400, 404))
async def delete_agent(agent_id: AgentId, relay: RelayDep):
    await relay.db.write(lambda uow: service.delete(uow, agent_id))
    return json_response({"ok": True})


@router.post(
    "/{id}/tokens", response_model=IssuedTokenOut, status_code=201, responses=error_responses(400, 403)
)
async def create_agent_token(
    agent_id: AgentId, principal: PrincipalDep, relay: RelayDep, body: TokenCreate | None = None
):
    """Mint a token for this agent (admin, or the agent itself). The secret is in this answer
    only: the relay keeps its hash."""
    label = body.label if body else None
    issued = await relay.db.write(lambda uow: service.mint_token(uow, principal, agent_id, label))
    return json_response(issued.record(), 201)


@router.get("/{id}/tokens", response_model=list[AgentTokenOut], responses=error_responses(400, 403))
async def list_agent_tokens(agent_id: AgentId, principal: PrincipalDep, relay: RelayDep):
    """The agent's tokens, newest first, without their secrets."""
    principal.act_as(agent_id)
    return json_response(await relay.db.read(lambda conn: tokens.list_tokens(conn, agent_id)))


@router.delete("/{id}/tokens/{tokenId}", response_model=OkBody, responses=error_responses(400, 403, 404))
async def revoke_agent_token(agent_id: AgentId, token_id: TokenId, principal: PrincipalDep, relay: RelayDep):
    """Revoke a token: it gets 401 from now on."""
    principal.act_as(agent_id)
    await relay.db.write(lambda uow: tokens.revoke(uow, agent_id, token_id))
    return json_response({"ok": True})
