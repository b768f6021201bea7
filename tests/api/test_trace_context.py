"""Trace context (contract §17): a W3C `traceparent` on a send is stored with the message and
returned on it; on an integration event it is kept with the task and sent with its callbacks
(spawns: tests/api/test_spawn.py; webhooks: tests/contract/test_webhook_connector.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from tests.api.task_helpers import receiver, relay_client
from tests.api.test_callbacks import CI, FAST, settled, wait_for
from tests.api.test_observability import value

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_a_send_keeps_its_traceparent(client: httpx.AsyncClient) -> None:
    sent = await client.post(
        "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"traceparent": VALID}
    )
    assert sent.status_code == 201 and sent.json()["traceparent"] == VALID
    got = await client.get(f"/api/messages/{sent.json()['id']}")
    assert got.json()["traceparent"] == VALID
    inbox = (await client.get("/api/inbox/b")).json()
    assert [m["traceparent"] for m in inbox] == [VALID]
    plain = await client.post("/api/messages", json={"from": "a", "to": "b", "body": "y"})
    assert plain.json()["traceparent"] is None


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        VALID + "-more",
    ],
)
async def test_an_invalid_traceparent_is_ignored(client: httpx.AsyncClient, header: str) -> None:
    """W3C: a traceparent that does not parse is ignored, the request goes on."""
    sent = await client.post(
        "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"traceparent": header}
    )
    assert sent.status_code == 201 and sent.json()["traceparent"] is None


async def test_a_later_version_is_stored_as_version_00(client: httpx.AsyncClient) -> None:
    later = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next"
    sent = await client.post(
        "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"traceparent": later}
    )
    assert sent.json()["traceparent"] == VALID


async def test_a_broadcast_keeps_its_traceparent(client: httpx.AsyncClient) -> None:
    sent = await client.post("/api/system/broadcast", json={"body": "hello"}, headers={"traceparent": VALID})
    assert sent.status_code == 201 and sent.json()["traceparent"] == VALID


async def test_callbacks_carry_the_events_traceparent(db_url: str, tmp_path: Path) -> None:
    with receiver() as hook:
        async with relay_client(db_url, tmp_path / "h", **FAST) as client:
            body = {"externalId": "b-1", "title": "CI failed", "callbackUrl": hook.url, "target": "agent-1"}
            created = await client.post(
                "/api/integrations/events", json=body, headers={**CI, "traceparent": VALID}
            )
            assert created.status_code == 201, created.text
            task = created.json()
            await wait_for(client, task["id"], settled(1))
            # the task's message to its target carries the trace too
            message = (await client.get(f"/api/messages/{task['messageId']}")).json()
            assert message["traceparent"] == VALID
            untraced = {**body, "externalId": "b-2"}
            other = (await client.post("/api/integrations/events", json=untraced, headers=CI)).json()
            await wait_for(client, other["id"], settled(1))
    by_task = {}
    for request in hook.requests:
        by_task[json.loads(request.body)["id"]] = request.headers
    assert by_task[task["id"]]["traceparent"] == VALID
    assert "traceparent" not in by_task[other["id"]]


# -- lifecycle lines (§17 logs) ----------------------------------------------------------------


async def test_a_failed_callback_is_logged_and_counted(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="agent_relay"),
        receiver([500], then=200) as hook,
    ):
        async with relay_client(db_url, tmp_path / "h", **FAST) as client:
            before = value((await client.get("/metrics")).text, "agent_relay_callback_failures_total")
            body = {"externalId": "f-1", "title": "CI failed", "callbackUrl": hook.url}
            task = (await client.post("/api/integrations/events", json=body, headers=CI)).json()
            await wait_for(client, task["id"], settled(1))
            after = value((await client.get("/metrics")).text, "agent_relay_callback_failures_total")
    assert after - before == 1
    [line] = [r for r in caplog.records if r.name == "agent_relay.callbacks" and "failed" in r.getMessage()]
    assert (
        line.levelname == "WARNING"
        and "HTTP 500" in line.getMessage()
        and f"task {task['id']}" in line.getMessage()
    )


async def test_orchestrator_lifecycle_is_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="agent_relay"):
        body = {"id": "o-log", "hostname": "box.lan", "baseDir": "/tmp"}
        assert (await client.post("/api/orchestrators", json=body)).status_code in (200, 201)
        assert (await client.delete("/api/orchestrators/o-log")).status_code == 200
    said = [r.getMessage() for r in caplog.records if r.name == "agent_relay.orchestrators"]
    assert said == ["orchestrator o-log registered on box.lan: online", "orchestrator o-log removed"]
