"""Channel activities over a real server: they reach SSE subscribers and are never stored."""

from __future__ import annotations

import asyncio

import httpx
import sqlalchemy as sa
from agent_relay.events.hub import EventHub

from tests.api.channel_helpers import CHANNEL_ID, GUARD, envelope, register_channel
from tests.support import ServerProcess


async def _next_frame(lines, name: str) -> list[str]:
    """The lines of the next SSE frame whose event is `name`."""
    frame: list[str] = []
    async for line in lines:
        if line == "":
            if f"event: {name}" in frame:
                return frame
            frame = []
        else:
            frame.append(line)
    raise AssertionError("stream ended")


async def test_typing_reaches_sse_and_is_never_stored(live_server: ServerProcess, db_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=10) as client:
        await register_channel(client)
        async with client.stream("GET", "/api/events") as stream:
            lines = stream.aiter_lines()
            assert await anext(lines) == "retry: 2000"  # subscribed from here on
            typing = envelope(event={"type": "typing.started"}, message=None, activity={"state": "typing"})
            posted = await client.post(f"/api/channels/{CHANNEL_ID}/activities", json=typing, headers=GUARD)
            assert posted.status_code == 202, posted.text
            activity = posted.json()["activity"]
            assert posted.json()["ok"] is True
            assert activity["channelId"] == CHANNEL_ID and activity["conversationId"] == "C1"
            assert activity["payload"]["event"]["type"] == "typing.started"
            assert isinstance(activity["createdAt"], int)

            frame = await asyncio.wait_for(_next_frame(lines, "channel.activity"), timeout=10)
            assert not any(line.startswith("id:") for line in frame), "ephemeral: no id, no replay"
            data = next(line for line in frame if line.startswith("data: "))
            assert '"typing.started"' in data and f'"channelId":"{CHANNEL_ID}"' in data

            # durable events keep flowing on the same stream, with their ids
            await client.post("/api/agents", json={"id": "after", "name": "After"})
            durable = await asyncio.wait_for(_next_frame(lines, "agent.status"), timeout=10)
            assert any(line.startswith("id: ") for line in durable)

        assert (await client.get("/api/messages")).json() == []
        activity_feed = (await client.get("/api/activity")).json()
        assert all("typing" not in (item.get("title") or "") for item in activity_feed)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        names = set(conn.execute(sa.text("SELECT name FROM events")).scalars())
    engine.dispose()
    assert "agent.status" in names and "channel.activity" not in names


async def test_hub_ephemeral_bypasses_ids_and_filters() -> None:
    hub = EventHub(queue_size=10)
    hub.last_id = 41
    everyone = hub.subscribe()
    nobody = hub.subscribe(lambda ev: ev.name != "channel.activity")
    ev = hub.publish_ephemeral("channel.activity", {"channelId": "c"})
    assert hub.last_id == 41, "the durable id sequence is untouched"
    assert everyone.drain() == [ev] and nobody.drain() == []
    assert ev.id == 0 and ev.frame == b'event: channel.activity\ndata: {"channelId":"c"}\n\n'
