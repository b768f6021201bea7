from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.ok_body import OkBody
from typing import cast



def _get_kwargs(
    id: str,
    token_id: int,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/agents/{id}/tokens/{token_id}".format(id=quote(str(id), safe=""),token_id=quote(str(token_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | OkBody | None:
    if response.status_code == 200:
        response_200 = OkBody.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | OkBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    token_id: int,
    *,
    client: AuthenticatedClient | Client,

) -> Response[ErrorBody | OkBody]:
    """ Revoke Agent Token

     Revoke a token: it gets 401 from now on.

    Args:
        id (str):
        token_id (int): Token id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | OkBody]
     """


    kwargs = _get_kwargs(
        id=id,
token_id=token_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    token_id: int,
    *,
    client: AuthenticatedClient | Client,

) -> ErrorBody | OkBody | None:
    """ Revoke Agent Token

     Revoke a token: it gets 401 from now on.

    Args:
        id (str):
        token_id (int): Token id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | OkBody
     """


    return sync_detailed(
        id=id,
token_id=token_id,
client=client,

    ).parsed

async def asyncio_detailed(
    id: str,
    token_id: int,
    *,
    client: AuthenticatedClient | Client,

) -> Response[ErrorBody | OkBody]:
    """ Revoke Agent Token

     Revoke a token: it gets 401 from now on.

    Args:
        id (str):
        token_id (int): Token id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | OkBody]
     """


    kwargs = _get_kwargs(
        id=id,
token_id=token_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    token_id: int,
    *,
    client: AuthenticatedClient | Client,

) -> ErrorBody | OkBody | None:
    """ Revoke Agent Token

     Revoke a token: it gets 401 from now on.

    Args:
        id (str):
        token_id (int): Token id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | OkBody
     """


    return (await asyncio_detailed(
        id=id,
token_id=token_id,
client=client,

    )).parsed
