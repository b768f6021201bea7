from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request

from agent_relay.connectors import service
from agent_relay.connectors.manifest import ID_PATTERN
from agent_relay.connectors.schemas import (
    REGISTER_EXAMPLE,
    ActionResultOut,
    ConnectorActionIn,
    ConnectorOut,
)
from agent_relay.connectors.supervisor import Supervisor
from agent_relay.context import RelayDep
from agent_relay.principal import ADMIN_ONLY
from agent_relay.wire import JsonBody, LimitQuery, error_responses, json_response

# Connectors run programs on the relay's host: every route is admin only (§14).
router = APIRouter(prefix="/api/connectors", tags=["connectors"], dependencies=[ADMIN_ONLY])

ConnectorId = Annotated[
    str, Path(alias="id", min_length=1, max_length=64, description=f"Connector id ({ID_PATTERN})")
]


async def _supervisor(request: Request) -> Supervisor:
    return request.app.state.connector_supervisor


SupervisorDep = Annotated[Supervisor, Depends(_supervisor)]


@router.get("", response_model=list[ConnectorOut], responses=error_responses(400))
async def list_connectors(supervisor: SupervisorDep, relay: RelayDep, limit: LimitQuery = 100):
    """Registered connectors, newest first."""
    return json_response(await service.list_connectors(relay.db, supervisor, limit))


@router.post("", response_model=ConnectorOut, status_code=201, responses=error_responses(400, 409))
async def register_connector(
    supervisor: SupervisorDep,
    relay: RelayDep,
    body: Annotated[JsonBody, Body(openapi_examples={"wrapped": {"value": REGISTER_EXAMPLE}})] = None,
):
    """Register a connector: `{manifest, config?, state?}` or a bare manifest. Registering a
    known id again updates its manifest (and config/state when given)."""
    cmd = await service.parse_registration(body)
    return json_response(await service.register(relay.db, relay.settings, supervisor, cmd), 201)


@router.get("/{id}", response_model=ConnectorOut, responses=error_responses(400, 404))
async def get_connector(connector_id: ConnectorId, supervisor: SupervisorDep, relay: RelayDep):
    """Manifest, enabled flag, process status, last action result, state and config
    (secrets masked)."""
    return json_response(await service.get_connector(relay.db, supervisor, connector_id))


@router.post(
    "/{id}/actions",
    response_model=ActionResultOut,
    responses={
        502: {"model": ActionResultOut, "description": "The command failed or timed out"},
        **error_responses(400, 404, 409),
    },
)
async def run_connector_action(
    connector_id: ConnectorId, body: ConnectorActionIn, supervisor: SupervisorDep, relay: RelayDep
):
    """Run a lifecycle action: the manifest's argv for it (no shell, a timeout, the relay URL
    and token in the environment, the config in the file named by
    `AGENT_RELAY_CONNECTOR_CONFIG`). `start` keeps the process supervised; `stop` ends its
    process group; `enable`/`disable` toggle the connector. 200 when it succeeded, 502 when
    the command failed or timed out."""
    result = await service.run_action(relay.db, relay.settings, supervisor, connector_id, body.action)
    return json_response(result, 200 if result["ok"] else 502)


@router.get("/{id}/config", response_model=dict[str, Any], responses=error_responses(400, 404))
async def get_connector_config(connector_id: ConnectorId, relay: RelayDep):
    """The stored config; properties marked `"secret": true` read back as `"********"`."""
    return json_response(await relay.db.read(lambda conn: service.read_config(conn, connector_id)))


@router.put("/{id}/config", response_model=dict[str, Any], responses=error_responses(400, 404, 409))
async def put_connector_config(
    connector_id: ConnectorId,
    relay: RelayDep,
    body: Annotated[
        JsonBody, Body(openapi_examples={"config": {"value": {"port": 8787, "secret": "********"}}})
    ] = None,
):
    """Replace the config (validated against the manifest's `configSchema`). Sending the
    mask back for a secret keeps the stored value."""
    config = body if isinstance(body, dict) else None  # None: refused after the 404 check
    return json_response(await service.write_config(relay.db, relay.settings, connector_id, config))
