from __future__ import annotations

import asyncio

import httpx

from tests.api.test_agents import register


async def send(client: httpx.AsyncClient, **fields) -> httpx.Response:
    body = {"from": "alice", "to": "bob", "body": "hello", **fields}
    return await client.post("/api/messages", json=body)


async def test_send_and_get(client: httpx.AsyncClient) -> None:
    response = await send(client, subject="hi", meta={"a": 1}, payload={"b": [1, 2]}, kind="task", replyTo=7)
    assert response.status_code == 201
    message = response.json()
    assert message["id"] > 0 and message["from"] == "alice" and message["to"] == "bob"
    assert message["kind"] == "task" and message["subject"] == "hi" and message["replyTo"] == 7
    assert message["meta"] == {"a": 1} and message["payload"] == {"b": [1, 2]}
    assert message["claimable"] is False and message["claimedBy"] is None
    fetched = await client.get(f"/api/messages/{message['id']}")
    assert fetched.json() == message
    assert (await client.get("/api/messages/999999")).json() == {"error": "message not found"}


async def test_ids_increase_and_list_is_newest_first_with_filters(client: httpx.AsyncClient) -> None:
    ids = [
        (await send(client, to=f"agent-{i % 2}", kind="chat" if i % 3 else "system")).json()["id"]
        for i in range(6)
    ]
    assert ids == sorted(ids) and len(set(ids)) == 6
    listed = (await client.get("/api/messages")).json()
    assert [m["id"] for m in listed] == ids[::-1]
    to_zero = (await client.get("/api/messages", params={"to": "agent-0"})).json()
    assert [m["id"] for m in to_zero] == [ids[4], ids[2], ids[0]]
    system = (await client.get("/api/messages", params={"kind": "system"})).json()
    assert {m["id"] for m in system} == {ids[0], ids[3]}
    after = (await client.get("/api/messages", params={"after": ids[3], "limit": 1})).json()
    assert [m["id"] for m in after] == [ids[5]]
    assert len((await client.get("/api/messages", params={"before": ids[2]})).json()) == 2


async def test_idempotency_key_returns_first_message(client: httpx.AsyncClient) -> None:
    first = await send(client, idempotencyKey="k1", body="one")
    repeat = await send(client, idempotencyKey="k1", body="two")
    assert first.status_code == 201 and repeat.status_code == 200
    assert repeat.json() == first.json()
    # the key is scoped to the sender
    other = await send(client, idempotencyKey="k1", **{"from": "carol"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert len((await client.get("/api/messages")).json()) == 2


async def test_concurrent_sends_with_one_key_store_one_message(client: httpx.AsyncClient) -> None:
    results = await asyncio.gather(*(send(client, idempotencyKey="same", body=f"n{i}") for i in range(25)))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 1 and statuses.count(200) == 24
    assert len({r.json()["id"] for r in results}) == 1
    assert len((await client.get("/api/messages")).json()) == 1


async def test_delete_message(client: httpx.AsyncClient) -> None:
    message_id = (await send(client)).json()["id"]
    assert (await client.delete(f"/api/messages/{message_id}")).json() == {"ok": True, "id": message_id}
    assert (await client.get(f"/api/messages/{message_id}")).status_code == 404
    assert (await client.delete(f"/api/messages/{message_id}")).status_code == 404


async def test_send_from_fenced_agent_is_refused(client: httpx.AsyncClient) -> None:
    await register(client, "alice", instanceId="new", epoch=5)
    stale = await client.post(
        "/api/messages",
        json={"from": "alice", "to": "bob", "body": "x"},
        headers={"X-Agent-Instance-Id": "old", "X-Agent-Epoch": "4"},
    )
    assert stale.status_code == 409 and stale.json()["error"] == "agent session superseded"
    ok = await send(client, instanceId="new", epoch=5)
    assert ok.status_code == 201


async def test_every_created_message_is_in_the_activity_feed(client: httpx.AsyncClient) -> None:
    chat = (await send(client)).json()
    task = (await send(client, kind="task", subject="Fix it")).json()
    await send(client, idempotencyKey="dup")
    await send(client, idempotencyKey="dup")
    feed = (await client.get("/api/activity")).json()
    by_client = {item["clientId"]: item for item in feed}
    assert by_client[f"server-message-{chat['id']}"]["kind"] == "message"
    assert by_client[f"server-message-{task['id']}"]["kind"] == "task"
    assert by_client[f"server-message-{task['id']}"]["title"] == "Task message sent"
    assert by_client[f"server-message-{chat['id']}"]["meta"] == "alice -> bob"
    assert len(feed) == 3, "an idempotent repeat records nothing"


async def test_system_broadcast(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    response = await client.post("/api/system/broadcast", json={"subject": "Heads up", "body": "deploy at 5"})
    assert response.status_code == 201
    message = response.json()
    assert (message["from"], message["to"], message["kind"]) == ("system", "broadcast", "system")
    assert [m["id"] for m in (await client.get("/api/inbox/a1")).json()] == [message["id"]]
    assert (await client.post("/api/system/broadcast", json={"subject": "x"})).json() == {
        "error": "body required"
    }
