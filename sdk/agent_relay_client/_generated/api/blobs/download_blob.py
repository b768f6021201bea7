from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from typing import cast



def _get_kwargs(
    id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/blobs/{id}".format(id=quote(str(id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
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

) -> Response[Any | ErrorBody]:
    """ Download Blob

     The blob's bytes, as a download: `Content-Disposition: attachment`, `nosniff`, a
    `sandbox` CSP. Passive types (images, audio, video, PDF, plain text, JSON, archives) keep
    the content type they were uploaded with; anything else (HTML, SVG, XML, JS, unknown) is
    served as `application/octet-stream`.

    Args:
        id (str): The blob's sha256 (hex)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        id=id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | ErrorBody | None:
    """ Download Blob

     The blob's bytes, as a download: `Content-Disposition: attachment`, `nosniff`, a
    `sandbox` CSP. Passive types (images, audio, video, PDF, plain text, JSON, archives) keep
    the content type they were uploaded with; anything else (HTML, SVG, XML, JS, unknown) is
    served as `application/octet-stream`.

    Args:
        id (str): The blob's sha256 (hex)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return sync_detailed(
        id=id,
client=client,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | ErrorBody]:
    """ Download Blob

     The blob's bytes, as a download: `Content-Disposition: attachment`, `nosniff`, a
    `sandbox` CSP. Passive types (images, audio, video, PDF, plain text, JSON, archives) keep
    the content type they were uploaded with; anything else (HTML, SVG, XML, JS, unknown) is
    served as `application/octet-stream`.

    Args:
        id (str): The blob's sha256 (hex)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
     """


    kwargs = _get_kwargs(
        id=id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | ErrorBody | None:
    """ Download Blob

     The blob's bytes, as a download: `Content-Disposition: attachment`, `nosniff`, a
    `sandbox` CSP. Passive types (images, audio, video, PDF, plain text, JSON, archives) keep
    the content type they were uploaded with; anything else (HTML, SVG, XML, JS, unknown) is
    served as `application/octet-stream`.

    Args:
        id (str): The blob's sha256 (hex)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return (await asyncio_detailed(
        id=id,
client=client,

    )).parsed
