"""GET /api/events: Server-Sent Events with durable replay.

The stream is one subscription on the event bus (events/bus.py): the events after
Last-Event-ID replayed from the log, then live ones, nothing lost or doubled at the seam;
a stream whose queue overflowed catches up from the log instead of dropping events. This
module frames them and sends heartbeats. No database connection is held between reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from starlette.responses import StreamingResponse

from agent_relay.agents import service as agents
from agent_relay.context import Relay, RelayDep
from agent_relay.errors import BadRequest, ServiceUnavailable
from agent_relay.events.filters import AgentFilter
from agent_relay.inbox import service as inbox
from agent_relay.principal import PrincipalDep
from agent_relay.wire import MAX_INT, error_responses

router = APIRouter(tags=["events"])


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
    principal: PrincipalDep,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=200)] = None,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_INT, description="Like Last-Event-ID, for clients that cannot set it")
    ] = None,
    token: Annotated[str | None, Query(description="The relay token, for EventSource clients")] = None,
):
    """Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent; an agent token's stream
    always is (its own agent's, whether or not it names it)."""
    del token  # checked by the auth middleware
    agent_id = principal.narrow(agent_id)
    resume_from = _parse_last_event_id(last_event_id) if last_event_id else after
    agent_filter = None
    if agent_id:
        card = await relay.db.read(lambda conn: agents.get_card(conn, agent_id))
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
    accept = agent_filter.accept if agent_filter else None
    heartbeat = relay.settings.sse_heartbeat_ms / 1000
    async with relay.bus.subscribe(resume_from, accept) as sub:
        if resume_from is None:
            # Start "now", and say where now is: a client that drops before its first event
            # still resumes from here (an id-only block sets the EventSource's Last-Event-ID).
            yield b"retry: 2000\nid: %d\n: connected\n\n" % sub.last_id
        else:
            yield b"retry: 2000\n: connected\n\n"
        while True:
            batch = await sub.next(heartbeat)
            if batch:
                yield b"".join([ev.frame for ev in batch])
                if agent_filter is not None:
                    inbox.record_pushed(relay.db, agent_filter.agent_id, batch)
            else:
                yield b": ping\n\n"
