"""The SSE event schemas in the spec (RelayEvent, one member per event name) describe what
GET /api/events really sends: a live relay's replayed frames validate against them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from tests.support import ServerProcess


def _frames(url: str, last: Callable[[dict[str, Any]], bool], timeout: float = 15) -> list[dict[str, Any]]:
    """The durable events from the start of the log (?after=0), as {event, id, data}, up to
    the one `last` accepts."""
    frames: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    with httpx.stream("GET", f"{url}/api/events", params={"after": 0}, timeout=timeout) as response:
        assert response.status_code == 200
        frame: dict[str, Any] = {}
        for line in response.iter_lines():
            if line == "" and "event" in frame:
                frames.append(frame)
                if last(frame):
                    break
                frame = {}
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "id":
                frame["id"] = int(value)
            elif field == "event":
                frame["event"] = value
            elif field == "data":
                frame["data"] = json.loads(value)
            assert time.monotonic() < deadline, f"saw only {[f['event'] for f in frames]}"
    return frames


def _call(client: httpx.Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = client.request(method, path, json=body)
    assert response.status_code < 300, (method, path, response.status_code, response.text)
    return response.json()


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A short stuck threshold, so the run can produce message.stuck too."""
    server = ServerProcess(
        db_url, tmp_path / "server-home", env={"AGENT_RELAY_STUCK_AFTER_MS": "1000"}
    ).start()
    try:
        yield server
    finally:
        server.stop()


def _work_once_events(client: httpx.Client) -> None:
    """message.completed, message.dead_lettered, message.redriven, message.stuck (§15)."""
    done = _call(
        client, "POST", "/api/messages", {"from": "ev-a", "to": "ev-b", "body": "w", "claimable": True}
    )
    _call(client, "POST", f"/api/messages/{done['id']}/claim", {"agentId": "ev-b"})
    _call(client, "POST", f"/api/messages/{done['id']}/ack", {"agentId": "ev-b"})
    dead = _call(
        client,
        "POST",
        "/api/messages",
        {"from": "ev-a", "to": "label:x", "body": "d", "claimable": True, "maxDeliveries": 1},
    )
    _call(client, "POST", f"/api/messages/{dead['id']}/claim", {"agentId": "ev-b"})
    _call(client, "POST", f"/api/messages/{dead['id']}/release", {"agentId": "ev-b"})
    _call(client, "POST", f"/api/messages/{dead['id']}/redrive", {})
    time.sleep(1.1)  # the unread direct message sent before is stuck now
    _call(client, "POST", "/api/system/reap")


def test_replayed_events_match_their_schemas(live_server: ServerProcess) -> None:
    spec = httpx.get(f"{live_server.url}/openapi.json", timeout=10).json()
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        _call(client, "POST", "/api/agents", {"id": "ev-a", "name": "A"})
        _call(client, "POST", "/api/agents", {"id": "ev-b", "name": "B"})
        message = _call(
            client, "POST", "/api/messages", {"from": "ev-a", "to": "ev-b", "body": "hi", "claimable": True}
        )
        _call(client, "POST", f"/api/messages/{message['id']}/claim", {"agentId": "ev-b"})
        _call(client, "POST", f"/api/messages/{message['id']}/release", {"agentId": "ev-b"})
        _call(client, "DELETE", f"/api/messages/{message['id']}")
        task = _call(client, "POST", "/api/integrations/events", {"externalId": "ev-1", "title": "CI failed"})
        _call(client, "POST", f"/api/tasks/{task['id']}/status", {"status": "in_progress", "agentId": "ev-b"})
        _call(client, "POST", "/api/pairs", {"from": "ev-a", "to": "ev-b"})
        _call(client, "POST", "/api/messages", {"from": "ev-a", "to": "ev-b", "body": "never read"})
        _work_once_events(client)
        _call(client, "POST", "/api/orchestrators", {"id": "ev-host", "hostname": "h", "baseDir": "/tmp"})
        _call(client, "DELETE", "/api/orchestrators/ev-host")
        _call(client, "DELETE", "/api/agents/ev-a")
    frames = _frames(
        live_server.url,
        lambda f: f["event"] == "agent.status" and f["data"]["id"] == "ev-a" and "deleted" in f["data"],
    )
    names = set(spec["components"]["schemas"]["RelayEvent"]["discriminator"]["mapping"])
    assert {f["event"] for f in frames} == names - {"channel.activity"}  # every durable event
    root = {"components": spec["components"], "$ref": "#/components/schemas/RelayEvent"}
    validator = jsonschema.Draft202012Validator(root)
    for frame in frames:
        errors = [e.message for e in validator.iter_errors(frame)]
        assert errors == [], (frame["event"], errors[:3])
    assert frames[-1]["data"]["id"] == "ev-a" and frames[-1]["data"]["deleted"] is True
    # and the check can fail: a frame whose data lacks a required field is refused
    broken = next(f for f in frames if f["event"] == "message.new")
    broken = {**broken, "data": {k: v for k, v in broken["data"].items() if k != "body"}}
    assert list(validator.iter_errors(broken))
