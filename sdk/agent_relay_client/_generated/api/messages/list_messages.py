from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.list_messages_kind_type_0 import check_list_messages_kind_type_0
from ...models.list_messages_kind_type_0 import ListMessagesKindType0
from ...models.message_out import MessageOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    kind: ListMessagesKindType0 | None | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,
    stuck: bool | Unset = False,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_channel: None | str | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    else:
        json_channel = channel
    params["channel"] = json_channel

    json_after: int | None | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    json_before: int | None | Unset
    if isinstance(before, Unset):
        json_before = UNSET
    else:
        json_before = before
    params["before"] = json_before

    params["limit"] = limit

    params["stuck"] = stuck


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/messages",
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
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    kind: ListMessagesKindType0 | None | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,
    stuck: bool | Unset = False,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Messages

     Messages, newest first. An agent token sees only messages it sent, holds or that
    reach it.

    Args:
        from_ (None | str | Unset):
        to (None | str | Unset):
        kind (ListMessagesKindType0 | None | Unset):
        channel (None | str | Unset):
        after (int | None | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        stuck (bool | Unset): Only stuck work: direct messages unread, claimable ones never
            claimed Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
kind=kind,
channel=channel,
after=after,
before=before,
limit=limit,
stuck=stuck,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    kind: ListMessagesKindType0 | None | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,
    stuck: bool | Unset = False,

) -> ErrorBody | list[MessageOut] | None:
    """ List Messages

     Messages, newest first. An agent token sees only messages it sent, holds or that
    reach it.

    Args:
        from_ (None | str | Unset):
        to (None | str | Unset):
        kind (ListMessagesKindType0 | None | Unset):
        channel (None | str | Unset):
        after (int | None | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        stuck (bool | Unset): Only stuck work: direct messages unread, claimable ones never
            claimed Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return sync_detailed(
        client=client,
from_=from_,
to=to,
kind=kind,
channel=channel,
after=after,
before=before,
limit=limit,
stuck=stuck,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    kind: ListMessagesKindType0 | None | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,
    stuck: bool | Unset = False,

) -> Response[ErrorBody | list[MessageOut]]:
    """ List Messages

     Messages, newest first. An agent token sees only messages it sent, holds or that
    reach it.

    Args:
        from_ (None | str | Unset):
        to (None | str | Unset):
        kind (ListMessagesKindType0 | None | Unset):
        channel (None | str | Unset):
        after (int | None | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        stuck (bool | Unset): Only stuck work: direct messages unread, claimable ones never
            claimed Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[MessageOut]]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
kind=kind,
channel=channel,
after=after,
before=before,
limit=limit,
stuck=stuck,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    kind: ListMessagesKindType0 | None | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,
    stuck: bool | Unset = False,

) -> ErrorBody | list[MessageOut] | None:
    """ List Messages

     Messages, newest first. An agent token sees only messages it sent, holds or that
    reach it.

    Args:
        from_ (None | str | Unset):
        to (None | str | Unset):
        kind (ListMessagesKindType0 | None | Unset):
        channel (None | str | Unset):
        after (int | None | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.
        stuck (bool | Unset): Only stuck work: direct messages unread, claimable ones never
            claimed Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[MessageOut]
     """


    return (await asyncio_detailed(
        client=client,
from_=from_,
to=to,
kind=kind,
channel=channel,
after=after,
before=before,
limit=limit,
stuck=stuck,

    )).parsed
