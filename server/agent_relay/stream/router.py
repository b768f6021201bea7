"""GET /api/events: Server-Sent Events with durable replay.

A stream subscribes to the hub first, then replays the log after Last-Event-ID, then
forwards live events, skipping any id it already sent; so nothing is lost or doubled at
the seam. A stream whose queue overflowed catches up from the log instead of dropping
events. No database connection is held between reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from starlette.responses import StreamingResponse

from agent_relay.agents import repository as agents_repo
from agent_relay.context import Relay, RelayDep
from agent_relay.db import PendingEvent
from agent_relay.errors import BadRequest, ServiceUnavailable
from agent_relay.events.filters import AgentFilter
from agent_relay.events.log import events_after, latest_event_id
from agent_relay.wire import MAX_INT, error_responses

router = APIRouter(tags=["events"])

REPLAY_PAGE = 500


@router.get(
    "/api/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "An endless event stream"},
        **error_responses(400, 401),
    },
)
async def stream_events(
    relay: RelayDep,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=200)] = None,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_INT, description="Like Last-Event-ID, for clients that cannot set it")
    ] = None,
    token: Annotated[str | None, Query(description="The relay token, for EventSource clients")] = None,
):
    """Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent."""
    del token  # checked by the auth middleware
    resume_from = _parse_last_event_id(last_event_id) if last_event_id else after
    agent_filter = None
    if agent_id:
        card = await relay.db.read(lambda conn: agents_repo.get(conn, agent_id))
        agent_filter = AgentFilter(agent_id, card)
    # Taken last, with no await before the response owns it: it is released when the
    # response ends, whether or not the stream ever started.
    if not relay.hub.streams.try_acquire():
        raise ServiceUnavailable("too many event streams, retry later")
    return _SlotStreamingResponse(
        _stream(relay, resume_from, agent_filter),
        release=relay.hub.streams.release,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"},
    )


def _parse_last_event_id(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_INT:
        raise BadRequest(f"Last-Event-ID must be an integer event id from 0 to {MAX_INT}")
    return int(value)


class _SlotStreamingResponse(StreamingResponse):
    """A stream that holds one of the hub's stream slots until it ends."""

    def __init__(self, content: AsyncIterator[bytes], *, release: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._release = release

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


async def _stream(
    relay: Relay, resume_from: int | None, agent_filter: AgentFilter | None
) -> AsyncIterator[bytes]:
    hub = relay.hub
    accept = agent_filter.accept if agent_filter else None
    sub = hub.subscribe(accept)
    heartbeat = relay.settings.sse_heartbeat_ms / 1000
    try:
        if resume_from is None:
            # Start "now", and say where now is: a client that drops before its first event
            # still resumes from here (an id-only block sets the EventSource's Last-Event-ID).
            last = await relay.db.read(latest_event_id)
            yield b"retry: 2000\nid: %d\n: connected\n\n" % last
        else:
            yield b"retry: 2000\n: connected\n\n"
            last = resume_from
            async for frame, event_id in _replay(relay, resume_from, agent_filter):
                last = event_id
                yield frame
        while True:
            if not await sub.wait(heartbeat):
                yield b": ping\n\n"
                continue
            if sub.overflowed:
                sub.reset()
                async for frame, event_id in _replay(relay, last, agent_filter):
                    last = event_id
                    yield frame
                continue
            frames = []
            for ev in sub.drain():
                if ev.id:  # id 0: an ephemeral event (hub.publish_ephemeral), never stored or replayed
                    if ev.id <= last:
                        continue
                    last = ev.id
                frames.append(ev.frame)
            if frames:
                yield b"".join(frames)
    finally:
        hub.unsubscribe(sub)


async def _replay(
    relay: Relay, after: int, agent_filter: AgentFilter | None
) -> AsyncIterator[tuple[bytes, int]]:
    while True:
        cursor = after
        page: list[PendingEvent] = await relay.db.read(
            lambda conn, c=cursor: events_after(conn, c, REPLAY_PAGE)
        )
        for ev in page:
            after = ev.id
            if agent_filter is None or agent_filter.accept(ev):
                yield ev.frame, after
        if len(page) < REPLAY_PAGE:
            return
