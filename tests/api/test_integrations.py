from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.api.task_helpers import relay_client

EVENT = {"externalId": "build-1", "title": "CI failed", "body": "test_x fails", "severity": "critical"}


async def test_open_relay_creates_then_updates_idempotently(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/integrations/events", json=EVENT)
    assert first.status_code == 201, first.text
    task = first.json()
    assert task["source"] == "manual" and task["externalId"] == "build-1" and task["status"] == "open"
    assert task["severity"] == "critical" and task["title"] == "CI failed" and task["claimedBy"] is None
    assert isinstance(task["createdAt"], int) and task["updatedAt"] == task["createdAt"]

    again = await client.post("/api/integrations/events", json=EVENT)
    assert again.status_code == 200
    assert again.json() == task, "a retry changes nothing"

    resolved = await client.post(
        "/api/integrations/events", json={"externalId": "build-1", "status": "resolved"}
    )
    assert resolved.status_code == 200
    assert resolved.json()["id"] == task["id"] and resolved.json()["status"] == "done"

    reopened = await client.post("/api/integrations/events", json={"externalId": "build-1", "status": "open"})
    assert reopened.status_code == 409
    assert reopened.json() == {"error": "cannot move task from done to open"}

    tasks = (await client.get("/api/tasks")).json()
    assert [t["id"] for t in tasks] == [task["id"]]
    summary = (await client.get("/api/integrations")).json()
    assert summary == [
        {
            "name": "manual",
            "configured": False,
            "total": 1,
            "counts": {"done": 1},
            "events": 3,
            "lastEventAt": summary[0]["lastEventAt"],
            "lastExternalId": "build-1",
            "lastStatus": "done",
            "lastTaskId": task["id"],
        }
    ]
    assert isinstance(summary[0]["lastEventAt"], int)


async def test_task_message_to_target(client: httpx.AsyncClient) -> None:
    group = (await client.post("/api/integrations/events", json={**EVENT, "target": "label:backend"})).json()
    message = (await client.get(f"/api/messages/{group['messageId']}")).json()
    assert message["kind"] == "task" and message["to"] == "label:backend" and message["claimable"] is True
    assert message["from"] == "integration:manual" and message["subject"] == "CI failed"
    payload = message["payload"]
    assert (
        payload["taskId"] == group["id"] and payload["status"] == "open" and payload["severity"] == "critical"
    )
    assert payload["source"] == "manual" and payload["externalId"] == "build-1"

    direct = (
        await client.post("/api/integrations/events", json={**EVENT, "externalId": "b2", "target": "a1"})
    ).json()
    direct_message = (await client.get(f"/api/messages/{direct['messageId']}")).json()
    assert direct_message["to"] == "a1" and direct_message["claimable"] is False

    # an update sends no second message
    await client.post(
        "/api/integrations/events", json={**EVENT, "externalId": "b2", "target": "a1", "title": "new"}
    )
    task_messages = (await client.get("/api/messages", params={"kind": "task"})).json()
    assert len(task_messages) == 2

    no_target = (await client.post("/api/integrations/events", json={**EVENT, "externalId": "b3"})).json()
    assert no_target["messageId"] is None


async def test_bad_input_names_the_field(client: httpx.AsyncClient) -> None:
    cases = [
        ({"title": "x"}, "externalId required"),
        ({**EVENT, "severity": "fatal"}, "severity must be one of: info, warning, critical"),
        (
            {**EVENT, "status": "closed"},
            "status must be one of: open, claimed, in_progress, blocked, done, failed, canceled, resolved",
        ),
        ({"externalId": "new-one"}, "title required"),
        ({**EVENT, "callbackUrl": "ftp://example.test/x"}, "callbackUrl must be an http or https URL"),
        ({**EVENT, "externalId": "x" * 241}, "externalId must be at most 240 characters"),
        ({**EVENT, "meta": "nope"}, "meta must be an object"),
        ({**EVENT, "status": "claimed"}, "status claimed needs an agent: use POST /api/tasks/{id}/claim"),
    ]
    for body, error in cases:
        response = await client.post("/api/integrations/events", json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json() == {"error": error}
    not_object = await client.post("/api/integrations/events", json=[1])
    assert not_object.status_code == 400 and not_object.json() == {"error": "JSON object body required"}
    assert (await client.get("/api/tasks")).json() == []


async def test_integration_tokens_name_the_source(db_url: str, tmp_path: Path) -> None:
    async with relay_client(
        db_url, tmp_path / "h", token="relay-secret", integration_tokens="ci=tok-ci,monitor=tok-mon"
    ) as client:
        url = "/api/integrations/events"
        assert (await client.post(url, json=EVENT)).status_code == 401
        wrong = await client.post(url, json=EVENT, headers={"X-Agent-Relay-Token": "tok-cj"})
        assert wrong.status_code == 401 and wrong.json() == {"error": "unauthorized"}
        # no token: 401 even when the body is bad (auth comes first)
        assert (await client.post(url, json={"bad": True})).status_code == 401

        ci = await client.post(
            url, json={**EVENT, "source": "spoofed"}, headers={"X-Agent-Relay-Token": "tok-ci"}
        )
        assert ci.status_code == 201 and ci.json()["source"] == "ci"
        mon = await client.post(url, json=EVENT, headers={"Authorization": "Bearer tok-mon"})
        assert mon.status_code == 201 and mon.json()["source"] == "monitor"
        assert mon.json()["id"] != ci.json()["id"], "(source, externalId) is the key"

        relay_headers = {"X-Agent-Relay-Token": "relay-secret"}
        no_source = await client.post(url, json=EVENT, headers=relay_headers)
        assert no_source.status_code == 400 and no_source.json() == {"error": "source required"}
        manual = await client.post(url, json={**EVENT, "source": "ops"}, headers=relay_headers)
        assert manual.status_code == 201 and manual.json()["source"] == "ops"

        # integration tokens open nothing else
        assert (await client.get("/api/tasks", headers={"X-Agent-Relay-Token": "tok-ci"})).status_code == 401
        summary = (await client.get("/api/integrations", headers=relay_headers)).json()
        assert {(s["name"], s["configured"], s["total"]) for s in summary} == {
            ("ci", True, 1),
            ("monitor", True, 1),
            ("ops", False, 1),
        }


async def test_integration_tokens_without_relay_token(db_url: str, tmp_path: Path) -> None:
    async with relay_client(db_url, tmp_path / "h", integration_tokens="ci=tok-ci") as client:
        assert (await client.post("/api/integrations/events", json=EVENT)).status_code == 401
        ok = await client.post(
            "/api/integrations/events", json=EVENT, headers={"Authorization": "Bearer tok-ci"}
        )
        assert ok.status_code == 201 and ok.json()["source"] == "ci"


async def test_rate_limit_per_token_holds_across_processes(db_url: str, tmp_path: Path) -> None:
    settings = {"integration_tokens": "ci=tok-ci,mon=tok-mon", "integration_rate_limit_per_minute": 5}
    ci = {"X-Agent-Relay-Token": "tok-ci"}
    async with (
        relay_client(db_url, tmp_path / "a", **settings) as one,
        relay_client(db_url, tmp_path / "b", **settings) as two,
    ):
        # two relays with their own writers on one database, like two server processes
        responses = await asyncio.gather(
            *(
                (one if i % 2 else two).post(
                    "/api/integrations/events", json={**EVENT, "externalId": f"e{i}"}, headers=ci
                )
                for i in range(9)
            )
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [201] * 5 + [429] * 4, codes
        limited = next(r for r in responses if r.status_code == 429)
        assert limited.json() == {"error": "rate limit exceeded: 5 events per minute"}
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # another token has its own budget
        other = await one.post(
            "/api/integrations/events", json=EVENT, headers={"X-Agent-Relay-Token": "tok-mon"}
        )
        assert other.status_code == 201
        tasks = (await one.get("/api/tasks", params={"source": "ci"})).json()
        assert len(tasks) == 5


async def test_concurrent_duplicates_make_one_task(db_url: str, tmp_path: Path) -> None:
    async with relay_client(db_url, tmp_path / "a") as one, relay_client(db_url, tmp_path / "b") as two:
        body = {**EVENT, "target": "label:ops"}
        responses = await asyncio.gather(
            *((one if i % 2 else two).post("/api/integrations/events", json=body) for i in range(10))
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] * 9 + [201], codes
        assert len({r.json()["id"] for r in responses}) == 1
        assert len((await one.get("/api/tasks")).json()) == 1
        assert len((await one.get("/api/messages", params={"kind": "task"})).json()) == 1
