from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.agent_card import AgentCard
from ...models.error_body import ErrorBody
from ...models.list_agents_kind_type_0 import check_list_agents_kind_type_0
from ...models.list_agents_kind_type_0 import ListAgentsKindType0
from ...models.list_agents_status_type_0 import check_list_agents_status_type_0
from ...models.list_agents_status_type_0 import ListAgentsStatusType0
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    status: ListAgentsStatusType0 | None | Unset = UNSET,
    kind: ListAgentsKindType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_label: None | str | Unset
    if isinstance(label, Unset):
        json_label = UNSET
    else:
        json_label = label
    params["label"] = json_label


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/agents",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | list[AgentCard] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = AgentCard.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | list[AgentCard]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListAgentsStatusType0 | None | Unset = UNSET,
    kind: ListAgentsKindType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,

) -> Response[ErrorBody | list[AgentCard]]:
    """ List Agents

    Args:
        status (ListAgentsStatusType0 | None | Unset):
        kind (ListAgentsKindType0 | None | Unset):
        label (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[AgentCard]]
     """


    kwargs = _get_kwargs(
        status=status,
kind=kind,
label=label,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    status: ListAgentsStatusType0 | None | Unset = UNSET,
    kind: ListAgentsKindType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,

) -> ErrorBody | list[AgentCard] | None:
    """ List Agents

    Args:
        status (ListAgentsStatusType0 | None | Unset):
        kind (ListAgentsKindType0 | None | Unset):
        label (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[AgentCard]
     """


    return sync_detailed(
        client=client,
status=status,
kind=kind,
label=label,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListAgentsStatusType0 | None | Unset = UNSET,
    kind: ListAgentsKindType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,

) -> Response[ErrorBody | list[AgentCard]]:
    """ List Agents

    Args:
        status (ListAgentsStatusType0 | None | Unset):
        kind (ListAgentsKindType0 | None | Unset):
        label (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[AgentCard]]
     """


    kwargs = _get_kwargs(
        status=status,
kind=kind,
label=label,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: ListAgentsStatusType0 | None | Unset = UNSET,
    kind: ListAgentsKindType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,

) -> ErrorBody | list[AgentCard] | None:
    """ List Agents

    Args:
        status (ListAgentsStatusType0 | None | Unset):
        kind (ListAgentsKindType0 | None | Unset):
        label (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[AgentCard]
     """


    return (await asyncio_detailed(
        client=client,
status=status,
kind=kind,
label=label,

    )).parsed
