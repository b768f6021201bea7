from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.activity_out import ActivityOut
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    kind: None | str | Unset = UNSET,
    agent_id: None | str | Unset = UNSET,
    view: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_agent_id: None | str | Unset
    if isinstance(agent_id, Unset):
        json_agent_id = UNSET
    else:
        json_agent_id = agent_id
    params["agentId"] = json_agent_id

    json_view: None | str | Unset
    if isinstance(view, Unset):
        json_view = UNSET
    else:
        json_view = view
    params["view"] = json_view

    json_before: int | None | Unset
    if isinstance(before, Unset):
        json_before = UNSET
    else:
        json_before = before
    params["before"] = json_before

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/activity",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | list[ActivityOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = ActivityOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | list[ActivityOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: None | str | Unset = UNSET,
    agent_id: None | str | Unset = UNSET,
    view: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[ActivityOut]]:
    """ List Activity

     The activity feed, newest first. An agent token sees its own agent's entries.

    Args:
        kind (None | str | Unset):
        agent_id (None | str | Unset):
        view (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[ActivityOut]]
     """


    kwargs = _get_kwargs(
        kind=kind,
agent_id=agent_id,
view=view,
before=before,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    kind: None | str | Unset = UNSET,
    agent_id: None | str | Unset = UNSET,
    view: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[ActivityOut] | None:
    """ List Activity

     The activity feed, newest first. An agent token sees its own agent's entries.

    Args:
        kind (None | str | Unset):
        agent_id (None | str | Unset):
        view (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[ActivityOut]
     """


    return sync_detailed(
        client=client,
kind=kind,
agent_id=agent_id,
view=view,
before=before,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: None | str | Unset = UNSET,
    agent_id: None | str | Unset = UNSET,
    view: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[ActivityOut]]:
    """ List Activity

     The activity feed, newest first. An agent token sees its own agent's entries.

    Args:
        kind (None | str | Unset):
        agent_id (None | str | Unset):
        view (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[ActivityOut]]
     """


    kwargs = _get_kwargs(
        kind=kind,
agent_id=agent_id,
view=view,
before=before,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    kind: None | str | Unset = UNSET,
    agent_id: None | str | Unset = UNSET,
    view: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[ActivityOut] | None:
    """ List Activity

     The activity feed, newest first. An agent token sees its own agent's entries.

    Args:
        kind (None | str | Unset):
        agent_id (None | str | Unset):
        view (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[ActivityOut]
     """


    return (await asyncio_detailed(
        client=client,
kind=kind,
agent_id=agent_id,
view=view,
before=before,
limit=limit,

    )).parsed
