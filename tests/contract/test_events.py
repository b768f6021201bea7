"""events(): a dropped connection or a restarted server loses no event and doubles none."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from agent_relay_client import AsyncRelayClient, RelayClient, RelayEvent
from agent_relay_client.events import _new_id
from httpx_sse._decoders import SSEDecoder

from tests.contract.conftest import DroppingProxy
from tests.support import ServerProcess


def _take(stream: Iterator[RelayEvent], n: int, name: str = "message.new") -> list[RelayEvent]:
    got: list[RelayEvent] = []
    for ev in stream:
        got.append(ev)
        if sum(e.event == name for e in got) == n:
            return got
    raise AssertionError("stream ended")


def _check(events: list[RelayEvent], bodies: list[str]) -> None:
    ids = [e.id for e in events]
    assert all(isinstance(i, int) for i in ids)
    assert ids == sorted(set(ids)), f"event ids must rise with no repeats: {ids}"
    assert [e.data["body"] for e in events if e.event == "message.new"] == bodies


def test_reconnect_after_dropped_connection(live_server: ServerProcess, proxy: DroppingProxy) -> None:
    direct = RelayClient(live_server.url, token="")
    direct.send("a1", "m1", sender="b")
    # The log is empty before this test, so resuming after 0 sees everything.
    gen = RelayClient(proxy.url, token="").events(last_event_id=0, reconnect_delay=0.05)
    events = _take(gen, 1)
    assert proxy.drop_all() >= 1
    for body in ("m2", "m3", "m4"):
        direct.send("a1", body, sender="b")  # published while the stream is down
    events += _take(gen, 3)
    direct.send("a1", "m5", sender="b")  # and live again afterwards
    events += _take(gen, 1)
    _check(events, ["m1", "m2", "m3", "m4", "m5"])
    gen.close()


def test_reconnect_across_server_restart(live_server: ServerProcess) -> None:
    client = RelayClient(live_server.url, token="")
    client.send("a1", "before", sender="b")
    drops: list[Exception | None] = []
    gen = client.events(last_event_id=0, reconnect_delay=0.1, on_disconnect=drops.append)
    events = _take(gen, 1)
    live_server.stop()
    live_server.start()
    for body in ("during-1", "during-2"):
        client.send("a1", body, sender="b")
    events += _take(gen, 2)
    client.send("a1", "after", sender="b")
    events += _take(gen, 1)
    _check(events, ["before", "during-1", "during-2", "after"])
    assert drops, "the stream noticed the restart and reconnected"
    gen.close()


def test_resume_from_last_event_id(live_server: ServerProcess) -> None:
    client = RelayClient(live_server.url, token="")
    for body in ("a", "b", "c"):
        client.send("x", body, sender="y")
    replay = _take(iter(client.events(last_event_id=0)), 3)
    _check(replay, ["a", "b", "c"])
    after_first = replay[0].id
    again = _take(iter(client.events(last_event_id=after_first)), 2)
    _check(again, ["b", "c"])


async def test_async_events_reconnect(live_server: ServerProcess, proxy: DroppingProxy) -> None:
    direct = RelayClient(live_server.url, token="")
    async with AsyncRelayClient(proxy.url, token="") as client:
        direct.send("a1", "one", sender="b")
        stream = client.events(last_event_id=0, reconnect_delay=0.05)
        got: list[RelayEvent] = []

        async def take(n: int) -> None:
            count = 0
            async for ev in stream:
                got.append(ev)
                if ev.event == "message.new":
                    count += 1
                    if count == n:
                        return

        await asyncio.wait_for(take(1), 20)
        assert proxy.drop_all() >= 1
        direct.send("a1", "two", sender="b")
        direct.send("a1", "three", sender="b")
        await asyncio.wait_for(take(2), 20)
        await stream.aclose()
    _check(got, ["one", "two", "three"])


def test_ephemeral_events_have_no_id_and_do_not_move_the_cursor() -> None:
    decoder = SSEDecoder()
    frames = (
        "id: 5\nevent: message.new\ndata: {}\n\n"
        "event: channel.activity\ndata: {}\n\n"  # ephemeral: no id line
        "id: 6\nevent: x\ndata: 1\n\n"
    )
    events = [sse for line in frames.splitlines() if (sse := decoder.decode(line))]
    last, ids = None, []
    for sse in events:
        event_id = _new_id(sse, last)
        ids.append(event_id)
        last = event_id if event_id is not None else last
    assert ids == [5, None, 6]
