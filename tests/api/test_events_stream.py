"""SSE against a real server process: ids, replay with Last-Event-ID, agent filter, heartbeats."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import httpx

from tests.support import ServerProcess


def read_events(response: httpx.Response) -> Iterator[dict]:
    """Parse an SSE stream into {id, event, data} dicts; comments come through as {"comment"}."""
    event: dict = {}
    for line in response.iter_lines():
        if line == "":
            if event:
                yield event
                event = {}
            continue
        if line.startswith(":"):
            yield {"comment": line[1:].strip()}
            continue
        field, _, value = line.partition(":")
        value = value.lstrip(" ")
        if field == "data":
            event["data"] = json.loads(value)
        elif field in ("id", "event"):
            event[field] = value


def collect(
    url: str, count: int, *, headers: dict | None = None, params: dict | None = None, timeout: float = 10
) -> list[dict]:
    out: list[dict] = []
    with httpx.stream(
        "GET", f"{url}/api/events", headers=headers, params=params, timeout=timeout
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for item in read_events(response):
            if "event" in item:
                out.append(item)
                if len(out) >= count:
                    break
    return out


def post(url: str, path: str, body: dict) -> dict:
    response = httpx.post(url + path, json=body, timeout=10)
    assert response.status_code in (200, 201, 202), response.text
    return response.json()


def test_live_events_then_replay_from_last_event_id(live_server: ServerProcess) -> None:
    url = live_server.url
    got: list[dict] = []
    ready = threading.Event()

    def listen() -> None:
        with httpx.stream("GET", f"{url}/api/events", timeout=10) as response:
            for item in read_events(response):
                if item.get("comment") == "connected":
                    ready.set()
                if "event" in item:
                    got.append(item)
                    if len(got) >= 3:
                        return

    listener = threading.Thread(target=listen)
    listener.start()
    assert ready.wait(5)
    post(url, "/api/agents", {"id": "a1", "name": "A"})
    message = post(url, "/api/messages", {"from": "x", "to": "a1", "body": "hi"})
    listener.join(10)
    names = [e["event"] for e in got]
    assert names == ["agent.status", "message.new", "activity.new"]
    assert got[1]["data"]["id"] == message["id"]
    ids = [int(e["id"]) for e in got]
    assert ids == sorted(ids) and len(set(ids)) == 3

    # events that happen while nobody listens are replayed, in order, after Last-Event-ID
    later = post(url, "/api/messages", {"from": "x", "to": "a1", "body": "while away"})
    replayed = collect(url, 4, headers={"Last-Event-ID": str(ids[0])})
    assert [e["event"] for e in replayed] == ["message.new", "activity.new", "message.new", "activity.new"]
    assert [e["data"].get("id") for e in replayed if e["event"] == "message.new"] == [
        message["id"],
        later["id"],
    ]
    # ?after= is the same for clients that cannot set headers
    assert [e["id"] for e in collect(url, 2, params={"after": ids[1]})] == [e["id"] for e in replayed[1:3]]


def test_agent_filter_and_heartbeat(live_server: ServerProcess) -> None:
    url = live_server.url
    post(url, "/api/agents", {"id": "a1", "name": "A", "label": "rev"})
    post(url, "/api/agents", {"id": "a2", "name": "B"})
    start = collect(url, 1, headers={"Last-Event-ID": "0"})[0]["id"]
    post(url, "/api/messages", {"from": "x", "to": "a2", "body": "not for a1"})
    post(url, "/api/messages", {"from": "x", "to": "label:rev", "body": "for a1"})
    events = collect(url, 1, params={"agentId": "a1", "after": start})
    assert events[0]["event"] == "message.new" and events[0]["data"]["body"] == "for a1"

    comments = []
    with httpx.stream("GET", f"{url}/api/events", timeout=10) as response:
        started = time.monotonic()
        for item in read_events(response):
            if item.get("comment") == "ping":
                comments.append(time.monotonic() - started)
                break
    assert comments and comments[0] < 3  # test servers ping every 300 ms


def test_bad_last_event_id(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.url}/api/events", headers={"Last-Event-ID": "abc"})
    assert response.status_code == 400 and response.json()["error"].startswith("Last-Event-ID")


def test_token_via_query_for_event_source(db_url: str, tmp_path) -> None:
    server = ServerProcess(db_url, tmp_path / "secured", env={"AGENT_RELAY_TOKEN": "tok"}).start()
    try:
        assert httpx.get(f"{server.url}/api/events").status_code == 401
        with httpx.stream("GET", f"{server.url}/api/events", params={"token": "tok"}, timeout=5) as response:
            assert response.status_code == 200
    finally:
        server.stop()


def test_a_message_pushed_on_the_agent_s_stream_is_delivered(live_server: ServerProcess) -> None:
    """§15 ledger: `delivered` by an inbox read OR by a push on the agent's own SSE stream."""
    url = live_server.url
    post(url, "/api/agents", {"id": "a1", "name": "A"})
    box: list[dict] = []
    listener = threading.Thread(target=lambda: box.extend(collect(url, 1, params={"agentId": "a1"})))
    listener.start()
    time.sleep(0.5)  # the stream is open
    message = post(url, "/api/messages", {"from": "boss", "to": "a1", "body": "pushed"})
    listener.join(10)
    assert box and box[0]["data"]["id"] == message["id"]
    deadline = time.monotonic() + 10
    while True:  # first deliveries are written behind the push, in batches
        (row,) = httpx.get(f"{url}/api/messages/{message['id']}/deliveries", timeout=10).json()
        if row["state"] != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert row["agentId"] == "a1" and row["state"] == "delivered" and row["deliveredAt"], row
