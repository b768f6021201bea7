from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.list_tasks_status_type_0 import check_list_tasks_status_type_0
from ...models.list_tasks_status_type_0 import ListTasksStatusType0
from ...models.task_out import TaskOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    claimed_by: None | str | Unset = UNSET,
    source: None | str | Unset = UNSET,
    target: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

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

    json_claimed_by: None | str | Unset
    if isinstance(claimed_by, Unset):
        json_claimed_by = UNSET
    else:
        json_claimed_by = claimed_by
    params["claimedBy"] = json_claimed_by

    json_source: None | str | Unset
    if isinstance(source, Unset):
        json_source = UNSET
    else:
        json_source = source
    params["source"] = json_source

    json_target: None | str | Unset
    if isinstance(target, Unset):
        json_target = UNSET
    else:
        json_target = target
    params["target"] = json_target

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
        "url": "/api/tasks",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | list[TaskOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = TaskOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | list[TaskOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    claimed_by: None | str | Unset = UNSET,
    source: None | str | Unset = UNSET,
    target: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[TaskOut]]:
    """ List Tasks

     Tasks, newest first (an agent token: the tasks it may work on).

    Args:
        status (ListTasksStatusType0 | None | Unset):
        claimed_by (None | str | Unset):
        source (None | str | Unset):
        target (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[TaskOut]]
     """


    kwargs = _get_kwargs(
        status=status,
claimed_by=claimed_by,
source=source,
target=target,
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
    status: ListTasksStatusType0 | None | Unset = UNSET,
    claimed_by: None | str | Unset = UNSET,
    source: None | str | Unset = UNSET,
    target: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[TaskOut] | None:
    """ List Tasks

     Tasks, newest first (an agent token: the tasks it may work on).

    Args:
        status (ListTasksStatusType0 | None | Unset):
        claimed_by (None | str | Unset):
        source (None | str | Unset):
        target (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[TaskOut]
     """


    return sync_detailed(
        client=client,
status=status,
claimed_by=claimed_by,
source=source,
target=target,
before=before,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    claimed_by: None | str | Unset = UNSET,
    source: None | str | Unset = UNSET,
    target: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorBody | list[TaskOut]]:
    """ List Tasks

     Tasks, newest first (an agent token: the tasks it may work on).

    Args:
        status (ListTasksStatusType0 | None | Unset):
        claimed_by (None | str | Unset):
        source (None | str | Unset):
        target (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[TaskOut]]
     """


    kwargs = _get_kwargs(
        status=status,
claimed_by=claimed_by,
source=source,
target=target,
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
    status: ListTasksStatusType0 | None | Unset = UNSET,
    claimed_by: None | str | Unset = UNSET,
    source: None | str | Unset = UNSET,
    target: None | str | Unset = UNSET,
    before: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorBody | list[TaskOut] | None:
    """ List Tasks

     Tasks, newest first (an agent token: the tasks it may work on).

    Args:
        status (ListTasksStatusType0 | None | Unset):
        claimed_by (None | str | Unset):
        source (None | str | Unset):
        target (None | str | Unset):
        before (int | None | Unset):
        limit (int | Unset): Page size (default 100, max 1000) Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[TaskOut]
     """


    return (await asyncio_detailed(
        client=client,
status=status,
claimed_by=claimed_by,
source=source,
target=target,
before=before,
limit=limit,

    )).parsed
