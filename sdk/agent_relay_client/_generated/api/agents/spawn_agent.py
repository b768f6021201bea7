from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.agent_spawn_in import AgentSpawnIn
from ...models.agent_spawn_out import AgentSpawnOut
from ...models.error_body import ErrorBody
from typing import cast



def _get_kwargs(
    *,
    body: AgentSpawnIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/agents/spawn",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AgentSpawnOut | ErrorBody | None:
    if response.status_code == 202:
        response_202 = AgentSpawnOut.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())



        return response_415

    if response.status_code == 421:
        response_421 = ErrorBody.from_dict(response.json())



        return response_421

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())



        return response_431

    if response.status_code == 502:
        response_502 = ErrorBody.from_dict(response.json())



        return response_502

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AgentSpawnOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgentSpawnIn,

) -> Response[AgentSpawnOut | ErrorBody]:
    """ Spawn Agent

     Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502.

    Args:
        body (AgentSpawnIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentSpawnOut | ErrorBody]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AgentSpawnIn,

) -> AgentSpawnOut | ErrorBody | None:
    """ Spawn Agent

     Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502.

    Args:
        body (AgentSpawnIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentSpawnOut | ErrorBody
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgentSpawnIn,

) -> Response[AgentSpawnOut | ErrorBody]:
    """ Spawn Agent

     Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502.

    Args:
        body (AgentSpawnIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentSpawnOut | ErrorBody]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AgentSpawnIn,

) -> AgentSpawnOut | ErrorBody | None:
    """ Spawn Agent

     Spawn a coding agent. If an online orchestrator supports the provider, the one
    managing the fewest agents gets a spawn control message (202 with `orchestratorId`).
    Otherwise only `codex` can be started directly on the relay's host, in a detached tmux
    session (or process group), with AGENT_RELAY_URL / AGENT_RELAY_TOKEN /
    AGENT_RELAY_AGENT_LABEL in its environment; with AGENT_RELAY_SPAWN_DRY_RUN=1 the
    answer shows the exact command and nothing runs. A command that cannot start: 502.

    Args:
        body (AgentSpawnIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentSpawnOut | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
