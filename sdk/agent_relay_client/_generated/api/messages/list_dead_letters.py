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
    *,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

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
        "url": "/api/dead-letters",
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
    *,
    client: AuthenticatedClient | Client,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Dead Letters

     Dead-lettered messages, newest first (`before`: a message id). An agent token sees
    only the ones it sent, held or that reach it.

    Args:
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
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
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[MessageOut] | None:
    """ List Dead Letters

     Dead-lettered messages, newest first (`before`: a message id). An agent token sees
    only the ones it sent, held or that reach it.

    Args:
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return sync_detailed(
        client=client,
before=before,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Dead Letters

     Dead-lettered messages, newest first (`before`: a message id). An agent token sees
    only the ones it sent, held or that reach it.

    Args:
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
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
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[MessageOut] | None:
    """ List Dead Letters

     Dead-lettered messages, newest first (`before`: a message id). An agent token sees
    only the ones it sent, held or that reach it.

    Args:
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return (await asyncio_detailed(
        client=client,
before=before,
limit=limit,

    )).parsed
