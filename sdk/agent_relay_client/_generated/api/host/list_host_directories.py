from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.host_directories_out import HostDirectoriesOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    path: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_path: None | str | Unset
    if isinstance(path, Unset):
        json_path = UNSET
    else:
        json_path = path
    params["path"] = json_path


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/host/directories",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | HostDirectoriesOut | None:
    if response.status_code == 200:
        response_200 = HostDirectoriesOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | HostDirectoriesOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    path: None | str | Unset = UNSET,

) -> Response[ErrorBody | HostDirectoriesOut]:
    """ List Host Directories

     Sub-directories of `path` (default: the root) for the spawn dialog, confined to
    AGENT_RELAY_HOST_ROOT (default the user's home): a path that resolves outside it,
    symlinks included, is a 400, as is one that is not a directory. Hidden entries are
    left out.

    Args:
        path (None | str | Unset): Absolute, or relative to the root

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HostDirectoriesOut]
     """


    kwargs = _get_kwargs(
        path=path,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    path: None | str | Unset = UNSET,

) -> ErrorBody | HostDirectoriesOut | None:
    """ List Host Directories

     Sub-directories of `path` (default: the root) for the spawn dialog, confined to
    AGENT_RELAY_HOST_ROOT (default the user's home): a path that resolves outside it,
    symlinks included, is a 400, as is one that is not a directory. Hidden entries are
    left out.

    Args:
        path (None | str | Unset): Absolute, or relative to the root

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HostDirectoriesOut
     """


    return sync_detailed(
        client=client,
path=path,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    path: None | str | Unset = UNSET,

) -> Response[ErrorBody | HostDirectoriesOut]:
    """ List Host Directories

     Sub-directories of `path` (default: the root) for the spawn dialog, confined to
    AGENT_RELAY_HOST_ROOT (default the user's home): a path that resolves outside it,
    symlinks included, is a 400, as is one that is not a directory. Hidden entries are
    left out.

    Args:
        path (None | str | Unset): Absolute, or relative to the root

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HostDirectoriesOut]
     """


    kwargs = _get_kwargs(
        path=path,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    path: None | str | Unset = UNSET,

) -> ErrorBody | HostDirectoriesOut | None:
    """ List Host Directories

     Sub-directories of `path` (default: the root) for the spawn dialog, confined to
    AGENT_RELAY_HOST_ROOT (default the user's home): a path that resolves outside it,
    symlinks included, is a 400, as is one that is not a directory. Hidden entries are
    left out.

    Args:
        path (None | str | Unset): Absolute, or relative to the root

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HostDirectoriesOut
     """


    return (await asyncio_detailed(
        client=client,
path=path,

    )).parsed
