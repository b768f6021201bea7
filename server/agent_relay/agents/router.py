from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_relay.activity import service as activity
from agent_relay.agents import repository as repo
from agent_relay.agents import service
from agent_relay.agents.schemas import (
    AgentActionIn,
    AgentCard,
    AgentKind,
    AgentRegister,
    AgentStatus,
    Heartbeat,
    HeartbeatOut,
)
from agent_relay.context import RelayDep
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageOut
from agent_relay.wire import OkBody, OutModel, error_responses, json_response

router = APIRouter(prefix="/api/agents", tags=["agents"])

AgentId = Annotated[str, Path(alias="id", min_length=1, max_length=200)]


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
    rows = await relay.db.read(lambda conn: repo.list_all(conn, status=status, kind=kind, label=label))
    return json_response([repo.to_wire(r) for r in rows])


@router.get("/{id}", response_model=AgentCard, responses=error_responses(400, 404))
async def get_agent(agent_id: AgentId, relay: RelayDep):
    row = await relay.db.read(lambda conn: service.require_agent(conn, agent_id))
    return json_response(repo.to_wire(row))


@router.post("/{id}/heartbeat", response_model=HeartbeatOut, responses=error_responses(400, 404, 409))
async def heartbeat_agent(
    agent_id: AgentId, request: Request, relay: RelayDep, body: Heartbeat | None = None
):
    """Refresh `lastSeen`; optionally set `status` / `ready`. Fenced by the session guard."""
    body = body or Heartbeat()
    guard = service.guard_from(request.headers, body)
    card = await relay.db.write(lambda uow: service.heartbeat(uow, agent_id, body, guard))
    return json_response({"ok": True, "agent": card})


@router.post(
    "/{id}/actions", response_model=AgentActionOut, status_code=202, responses=error_responses(400, 404)
)
async def request_agent_action(agent_id: AgentId, body: AgentActionIn, relay: RelayDep):
    """Ask an agent to restart or shut down: an urgent `control` message from `system`."""
    action = body.action

    def job(uow):
        agent = service.require_agent(uow.conn, agent_id)
        title = "Restart requested" if action == "restart" else "Shutdown requested"
        verb = "restart" if action == "restart" else "shut down"
        message = messages.control(
            uow,
            to=agent["id"],
            subject=title,
            body=f"Dashboard requested that this agent {verb} its relay-managed session now.",
            payload={"agentControl": {"action": action, "requestedBy": "dashboard", "requestedAt": uow.now}},
        )
        activity.record(
            uow,
            kind="state",
            title=f"Agent {action} requested",
            body=agent["id"],
            icon="ti-refresh" if action == "restart" else "ti-power",
            view="agents",
            agent_id=agent["id"],
            metadata={"action": action},
        )
        return message

    message = await relay.db.write(job)
    return json_response({"ok": True, "action": action, "message": message}, 202)


@router.delete("/{id}", response_model=OkBody, responses=error_responses(400, 404))
async def delete_agent(agent_id: AgentId, relay: RelayDep):
    await relay.db.write(lambda uow: service.delete(uow, agent_id))
    return json_response({"ok": True})
