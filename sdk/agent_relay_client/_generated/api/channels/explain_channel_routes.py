from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.channel_routes_out import ChannelRoutesOut
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: str,
    *,
    conversation_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_conversation_id: None | str | Unset
    if isinstance(conversation_id, Unset):
        json_conversation_id = UNSET
    else:
        json_conversation_id = conversation_id
    params["conversationId"] = json_conversation_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/channels/{id}/routes".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChannelRoutesOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ChannelRoutesOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ChannelRoutesOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    conversation_id: None | str | Unset = UNSET,

) -> Response[ChannelRoutesOut | ErrorBody]:
    """ Explain Channel Routes

     Which bindings an event for this conversation would go to, and why: every candidate
    with its tier, mode, priority and whether it is chosen; plus the bindings that no event
    can ever reach (shadowed by an exclusive binding in the same tier).

    Args:
        id (str):
        conversation_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelRoutesOut | ErrorBody]
     """


    kwargs = _get_kwargs(
        id=id,
conversation_id=conversation_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    conversation_id: None | str | Unset = UNSET,

) -> ChannelRoutesOut | ErrorBody | None:
    """ Explain Channel Routes

     Which bindings an event for this conversation would go to, and why: every candidate
    with its tier, mode, priority and whether it is chosen; plus the bindings that no event
    can ever reach (shadowed by an exclusive binding in the same tier).

    Args:
        id (str):
        conversation_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelRoutesOut | ErrorBody
     """


    return sync_detailed(
        id=id,
client=client,
conversation_id=conversation_id,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    conversation_id: None | str | Unset = UNSET,

) -> Response[ChannelRoutesOut | ErrorBody]:
    """ Explain Channel Routes

     Which bindings an event for this conversation would go to, and why: every candidate
    with its tier, mode, priority and whether it is chosen; plus the bindings that no event
    can ever reach (shadowed by an exclusive binding in the same tier).

    Args:
        id (str):
        conversation_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelRoutesOut | ErrorBody]
     """


    kwargs = _get_kwargs(
        id=id,
conversation_id=conversation_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    conversation_id: None | str | Unset = UNSET,

) -> ChannelRoutesOut | ErrorBody | None:
    """ Explain Channel Routes

     Which bindings an event for this conversation would go to, and why: every candidate
    with its tier, mode, priority and whether it is chosen; plus the bindings that no event
    can ever reach (shadowed by an exclusive binding in the same tier).

    Args:
        id (str):
        conversation_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelRoutesOut | ErrorBody
     """


    return (await asyncio_detailed(
        id=id,
client=client,
conversation_id=conversation_id,

    )).parsed
