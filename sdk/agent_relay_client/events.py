"""events(): the relay's SSE stream, resumable.

The stream is read with httpx-sse. When the connection drops (network, proxy, server
restart) the iterator reconnects with backoff and sends `Last-Event-ID`, and the server
replays every durable event after it before going live, so the caller sees each event
once, in order. HTTP errors other than 5xx (bad token, bad agent id) are raised instead."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse, connect_sse

from agent_relay_client._generated.api.events import stream_events
from agent_relay_client.errors import RelayConnectionError, RelayError, ServerError, error_for

# The server sends a comment every AGENT_RELAY_SSE_HEARTBEAT_MS (15 s by default); a
# stream silent for longer than this is treated as dead and reopened.
READ_TIMEOUT = 45.0
MAX_DELAY = 10.0
# The stream's path, from the spec (the generated operation cannot follow a stream itself).
EVENTS_PATH: str = stream_events._get_kwargs()["url"]


@dataclass(frozen=True)
class RelayEvent:
    id: int | None
    event: str
    data: Any  # the decoded JSON payload (a str if it was not JSON)


def _decode(sse: ServerSentEvent, event_id: int | None) -> RelayEvent:
    try:
        data: Any = json.loads(sse.data)
    except ValueError:
        data = sse.data
    return RelayEvent(id=event_id, event=sse.event, data=data)


def _new_id(sse: ServerSentEvent, last: int | None) -> int | None:
    """The id of a stored event, or None for an ephemeral one (typing indicators …): those
    carry no `id:` line, and the SSE parser then repeats the previous event's id."""
    if not sse.id:
        return None
    event_id = int(sse.id)
    return None if last is not None and event_id <= last else event_id


def _request(agent_id: str | None, last_event_id: int | None) -> dict[str, Any]:
    headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    params = {"agentId": agent_id} if agent_id else {}
    return {"headers": headers, "params": params, "timeout": httpx.Timeout(10.0, read=READ_TIMEOUT)}


class _Resume:
    """The reconnect rules both loops share: the resume id, the backoff, and which
    failures end the stream (4xx: a bad token or agent id will not heal) or are retried."""

    def __init__(self, last_event_id: int | None, reconnect: bool, delay: float, url: str) -> None:
        self.last = last_event_id
        self.reconnect = reconnect
        self.first_delay = delay
        self.delay = delay
        self.url = url

    def request(self, agent_id: str | None) -> dict[str, Any]:
        return _request(agent_id, self.last)

    def failed(self, response: httpx.Response) -> RelayError:
        """An error status on connect: raised when fatal, else the reason to reconnect."""
        error = error_for(response.status_code, response.content, response.headers)
        if 400 <= response.status_code < 500 or not self.reconnect:
            raise error
        return error

    def event(self, sse: ServerSentEvent) -> RelayEvent | None:
        self.delay = self.first_delay
        event_id = _new_id(sse, self.last)
        if event_id is not None:
            self.last = event_id
        return _decode(sse, event_id) if sse.data else None

    def lost(self, exc: Exception) -> Exception:
        """A dropped connection (or a relay that cannot answer yet): retried unless told not to."""
        if isinstance(exc, RelayError) and 400 <= exc.status < 500:
            raise exc
        if not self.reconnect:
            if isinstance(exc, RelayError):
                raise exc
            raise RelayConnectionError(0, f"event stream from {self.url} lost: {exc!r}") from exc
        return exc

    def next_delay(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, MAX_DELAY)
        return delay


def _sleep(delay: float) -> bool:
    time.sleep(delay)
    return False


def iter_events(
    http: httpx.Client,
    *,
    agent_id: str | None = None,
    last_event_id: int | None = None,
    reconnect: bool = True,
    reconnect_delay: float = 0.5,
    url: str = "",
    on_disconnect: Callable[[Exception | None], None] | None = None,
    on_connect: Callable[[], None] | None = None,
    wait: Callable[[float], bool] | None = None,
) -> Iterator[RelayEvent]:
    """The SDK's one SSE reconnect loop (RelayClient.events, `relay tail`, RelayAgent users,
    ChannelConnector, the orchestrator daemon). `on_connect()` runs after each successful
    (re)connect, before its events (e.g. to drain a backlog); its connection errors count
    as a drop. `wait(delay)` sleeps before a reconnect; True ends the stream."""
    state = _Resume(last_event_id, reconnect, reconnect_delay, url)
    pause = wait or _sleep
    while True:
        lost: Exception | None = None
        try:
            with connect_sse(http, "GET", EVENTS_PATH, **state.request(agent_id)) as source:
                response = source.response
                if response.status_code >= 400:
                    response.read()
                    lost = state.failed(response)
                else:
                    if on_connect is not None:
                        on_connect()
                    for sse in source.iter_sse():
                        event = state.event(sse)
                        if event is not None:
                            yield event
        except (httpx.TransportError, RelayConnectionError, ServerError) as exc:
            lost = state.lost(exc)
        if not reconnect:
            return
        if on_disconnect is not None:
            on_disconnect(lost)
        if pause(state.next_delay()):
            return


async def aiter_events(
    http: httpx.AsyncClient,
    *,
    agent_id: str | None = None,
    last_event_id: int | None = None,
    reconnect: bool = True,
    reconnect_delay: float = 0.5,
    url: str = "",
    on_disconnect: Callable[[Exception | None], None] | None = None,
) -> AsyncIterator[RelayEvent]:
    """The same loop for asyncio (the same `_Resume` rules, awaited I/O)."""
    state = _Resume(last_event_id, reconnect, reconnect_delay, url)
    while True:
        lost: Exception | None = None
        try:
            async with aconnect_sse(http, "GET", EVENTS_PATH, **state.request(agent_id)) as source:
                response = source.response
                if response.status_code >= 400:
                    await response.aread()
                    lost = state.failed(response)
                else:
                    async for sse in source.aiter_sse():
                        event = state.event(sse)
                        if event is not None:
                            yield event
        except (httpx.TransportError, RelayConnectionError, ServerError) as exc:
            lost = state.lost(exc)
        if not reconnect:
            return
        if on_disconnect is not None:
            on_disconnect(lost)
        await asyncio.sleep(state.next_delay())
