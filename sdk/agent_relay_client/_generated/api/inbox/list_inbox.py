from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.message_out import MessageOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    agent_id: str,
    *,
    unread: bool | Unset = False,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["unread"] = unread

    params["after"] = after

    params["limit"] = limit

    params["wait"] = wait


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/inbox/{agent_id}".format(agent_id=quote(str(agent_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | list[MessageOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = MessageOut.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | list[MessageOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    unread: bool | Unset = False,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Inbox

     What this agent should see, oldest first: messages to its id, `broadcast`, and its
    label, tags and capabilities. Claimable messages claimed by another agent are left out.

    Args:
        agent_id (str):
        unread (bool | Unset):  Default: False.
        after (int | Unset):  Default: 0.
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        wait (float | Unset): Long-poll: seconds to wait for something Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
        agent_id=agent_id,
unread=unread,
after=after,
limit=limit,
wait=wait,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    unread: bool | Unset = False,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,

) -> ErrorBody | list[MessageOut] | None:
    """ List Inbox

     What this agent should see, oldest first: messages to its id, `broadcast`, and its
    label, tags and capabilities. Claimable messages claimed by another agent are left out.

    Args:
        agent_id (str):
        unread (bool | Unset):  Default: False.
        after (int | Unset):  Default: 0.
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        wait (float | Unset): Long-poll: seconds to wait for something Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return sync_detailed(
        agent_id=agent_id,
client=client,
unread=unread,
after=after,
limit=limit,
wait=wait,

    ).parsed

async def asyncio_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    unread: bool | Unset = False,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Inbox

     What this agent should see, oldest first: messages to its id, `broadcast`, and its
    label, tags and capabilities. Claimable messages claimed by another agent are left out.

    Args:
        agent_id (str):
        unread (bool | Unset):  Default: False.
        after (int | Unset):  Default: 0.
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        wait (float | Unset): Long-poll: seconds to wait for something Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
        agent_id=agent_id,
unread=unread,
after=after,
limit=limit,
wait=wait,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    unread: bool | Unset = False,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,

) -> ErrorBody | list[MessageOut] | None:
    """ List Inbox

     What this agent should see, oldest first: messages to its id, `broadcast`, and its
    label, tags and capabilities. Claimable messages claimed by another agent are left out.

    Args:
        agent_id (str):
        unread (bool | Unset):  Default: False.
        after (int | Unset):  Default: 0.
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        wait (float | Unset): Long-poll: seconds to wait for something Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return (await asyncio_detailed(
        agent_id=agent_id,
client=client,
unread=unread,
after=after,
limit=limit,
wait=wait,

    )).parsed
