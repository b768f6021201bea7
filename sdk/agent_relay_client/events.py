"""events(): the relay's SSE stream, resumable.

The stream is read with httpx-sse. When the connection drops (network, proxy, server
restart) the iterator reconnects with backoff and sends `Last-Event-ID`, and the server
replays every durable event after it before going live, so the caller sees each event
once, in order. HTTP errors other than 5xx (bad token, bad agent id) are raised instead."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse, connect_sse

from agent_relay_client.errors import RelayConnectionError, error_for

# The server sends a comment every AGENT_RELAY_SSE_HEARTBEAT_MS (15 s by default); a
# stream silent for longer than this is treated as dead and reopened.
READ_TIMEOUT = 45.0
MAX_DELAY = 10.0


@dataclass(frozen=True)
class RelayEvent:
    id: int | None
    event: str
    data: Any  # the decoded JSON payload (a str if it was not JSON)


def _decode(sse: ServerSentEvent) -> RelayEvent:
    try:
        data: Any = json.loads(sse.data)
    except ValueError:
        data = sse.data
    return RelayEvent(id=int(sse.id) if sse.id else None, event=sse.event, data=data)


def _request(agent_id: str | None, last_event_id: int | None) -> dict[str, Any]:
    headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    params = {"agentId": agent_id} if agent_id else {}
    return {"headers": headers, "params": params, "timeout": httpx.Timeout(10.0, read=READ_TIMEOUT)}


def _fatal(response: httpx.Response) -> bool:
    return 400 <= response.status_code < 500


def iter_events(
    http: httpx.Client,
    *,
    agent_id: str | None = None,
    last_event_id: int | None = None,
    reconnect: bool = True,
    reconnect_delay: float = 0.5,
    url: str = "",
) -> Iterator[RelayEvent]:
    last = last_event_id
    delay = reconnect_delay
    while True:
        try:
            with connect_sse(http, "GET", "/api/events", **_request(agent_id, last)) as source:
                response = source.response
                if response.status_code >= 400:
                    response.read()
                    error = error_for(response.status_code, response.content, response.headers)
                    if _fatal(response) or not reconnect:
                        raise error
                else:
                    for sse in source.iter_sse():
                        delay = reconnect_delay
                        if sse.id:
                            last = int(sse.id)
                        if sse.data:
                            yield _decode(sse)
        except httpx.TransportError as exc:
            if not reconnect:
                raise RelayConnectionError(0, f"event stream from {url} lost: {exc!r}") from exc
        if not reconnect:
            return
        time.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)


async def aiter_events(
    http: httpx.AsyncClient,
    *,
    agent_id: str | None = None,
    last_event_id: int | None = None,
    reconnect: bool = True,
    reconnect_delay: float = 0.5,
    url: str = "",
) -> AsyncIterator[RelayEvent]:
    last = last_event_id
    delay = reconnect_delay
    while True:
        try:
            async with aconnect_sse(http, "GET", "/api/events", **_request(agent_id, last)) as source:
                response = source.response
                if response.status_code >= 400:
                    await response.aread()
                    error = error_for(response.status_code, response.content, response.headers)
                    if _fatal(response) or not reconnect:
                        raise error
                else:
                    async for sse in source.aiter_sse():
                        delay = reconnect_delay
                        if sse.id:
                            last = int(sse.id)
                        if sse.data:
                            yield _decode(sse)
        except httpx.TransportError as exc:
            if not reconnect:
                raise RelayConnectionError(0, f"event stream from {url} lost: {exc!r}") from exc
        if not reconnect:
            return
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
