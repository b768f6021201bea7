from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.agent_card import AgentCard
from ...models.agent_register import AgentRegister
from ...models.error_body import ErrorBody
from typing import cast



def _get_kwargs(
    *,
    body: AgentRegister,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/agents",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AgentCard | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AgentCard.from_dict(response.json())



        return response_200

    if response.status_code == 201:
        response_201 = AgentCard.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())



        return response_409

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

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AgentCard | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgentRegister,

) -> Response[AgentCard | ErrorBody]:
    """ Register Agent

     Register or update an agent (upsert by id). Pass `instanceId` and a rising `epoch`
    to fence off older processes of the same agent. An agent token registers its own id
    only; `issueToken: true` (admin) also mints a token: the answer is the card plus
    `token`, the secret (shown only here).

    Args:
        body (AgentRegister):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentCard | ErrorBody]
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
    body: AgentRegister,

) -> AgentCard | ErrorBody | None:
    """ Register Agent

     Register or update an agent (upsert by id). Pass `instanceId` and a rising `epoch`
    to fence off older processes of the same agent. An agent token registers its own id
    only; `issueToken: true` (admin) also mints a token: the answer is the card plus
    `token`, the secret (shown only here).

    Args:
        body (AgentRegister):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentCard | ErrorBody
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgentRegister,

) -> Response[AgentCard | ErrorBody]:
    """ Register Agent

     Register or update an agent (upsert by id). Pass `instanceId` and a rising `epoch`
    to fence off older processes of the same agent. An agent token registers its own id
    only; `issueToken: true` (admin) also mints a token: the answer is the card plus
    `token`, the secret (shown only here).

    Args:
        body (AgentRegister):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentCard | ErrorBody]
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
    body: AgentRegister,

) -> AgentCard | ErrorBody | None:
    """ Register Agent

     Register or update an agent (upsert by id). Pass `instanceId` and a rising `epoch`
    to fence off older processes of the same agent. An agent token registers its own id
    only; `issueToken: true` (admin) also mints a token: the answer is the card plus
    `token`, the secret (shown only here).

    Args:
        body (AgentRegister):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentCard | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
