from __future__ import annotations

import asyncio

import httpx

from tests.api.task_helpers import logged_events


async def invite(client: httpx.AsyncClient, sender: str = "a", to: str = "b", **extra) -> dict:
    response = await client.post("/api/pairs", json={"from": sender, "to": to, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def act(client: httpx.AsyncClient, pair_id: int, action: str, agent_id: str) -> httpx.Response:
    return await client.post(f"/api/pairs/{pair_id}/actions", json={"action": action, "agentId": agent_id})


async def test_whole_pair_life(client: httpx.AsyncClient, db_url: str) -> None:
    pair = await invite(client, topic="refactor auth", ttlMs=60_000)
    assert pair["status"] == "pending" and pair["from"] == "a" and pair["to"] == "b"
    assert pair["topic"] == "refactor auth" and pair["expiresAt"] == pair["createdAt"] + 60_000
    messages = (await client.get("/api/inbox/b")).json()
    assert [(m["kind"], m["payload"]["action"], m["payload"]["pairId"]) for m in messages] == [
        ("pair", "invite", pair["id"])
    ]

    for who in ("a", "c"):
        refused = await act(client, pair["id"], "accept", who)
        assert refused.status_code == 403
        assert refused.json() == {"error": "only the invited agent (b) can accept this pair"}
    early = await client.post(f"/api/pairs/{pair['id']}/messages", json={"from": "a", "body": "hi"})
    assert early.status_code == 409 and early.json() == {"error": "pair is not active (status: pending)"}

    accepted = await act(client, pair["id"], "accept", "b")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active" and isinstance(accepted.json()["acceptedAt"], int)
    assert (await act(client, pair["id"], "accept", "b")).json() == {
        "error": "cannot accept pair: it is active"
    }

    sent = await client.post(
        f"/api/pairs/{pair['id']}/messages", json={"from": "a", "body": "look at auth.py"}
    )
    assert sent.status_code == 201
    message = sent.json()
    assert message["kind"] == "pair" and message["from"] == "a" and message["to"] == "b"
    assert message["payload"] == {"pairId": pair["id"]}
    reply = await client.post(f"/api/pairs/{pair['id']}/messages", json={"from": "b", "body": "on it"})
    assert reply.status_code == 201 and reply.json()["to"] == "a"
    outsider = await client.post(f"/api/pairs/{pair['id']}/messages", json={"from": "c", "body": "me too"})
    assert outsider.status_code == 403
    assert outsider.json() == {"error": "only members of this pair can send pair messages"}

    assert (await act(client, pair["id"], "end", "c")).status_code == 403
    ended = await act(client, pair["id"], "end", "a")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended" and ended.json()["endedBy"] == "a"
    late = await client.post(f"/api/pairs/{pair['id']}/messages", json={"from": "b", "body": "still there?"})
    assert late.status_code == 409 and late.json() == {"error": "pair is not active (status: ended)"}
    again = await act(client, pair["id"], "end", "b")
    assert again.status_code == 409 and again.json() == {"error": "cannot end pair: it is ended"}

    events = logged_events(db_url, "pair.")
    assert [(n, d["status"]) for n, d in events] == [
        ("pair.updated", "pending"),
        ("pair.updated", "active"),
        ("pair.updated", "ended"),
    ]
    assert (await client.get(f"/api/pairs/{pair['id']}")).json() == ended.json()


async def test_reject_and_list_by_agent_and_status(client: httpx.AsyncClient) -> None:
    first = await invite(client, "a", "b")
    second = await invite(client, "c", "a")
    third = await invite(client, "c", "d")
    assert (await act(client, first["id"], "reject", "a")).status_code == 403
    rejected = await act(client, first["id"], "reject", "b")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (await act(client, first["id"], "accept", "b")).status_code == 409

    ids = lambda rows: [p["id"] for p in rows]  # noqa: E731
    assert ids((await client.get("/api/pairs")).json()) == [third["id"], second["id"], first["id"]]
    assert ids((await client.get("/api/pairs", params={"agentId": "a"})).json()) == [
        second["id"],
        first["id"],
    ]
    pending_a = await client.get("/api/pairs", params={"agentId": "a", "status": "pending"})
    assert ids(pending_a.json()) == [second["id"]]
    assert ids((await client.get("/api/pairs", params={"status": "rejected"})).json()) == [first["id"]]
    # the invite is ended (withdrawn) by its sender
    withdrawn = await act(client, third["id"], "end", "c")
    assert withdrawn.json()["status"] == "ended"
    bad = await client.get("/api/pairs", params={"status": "open"})
    assert bad.status_code == 400
    assert bad.json() == {"error": "status must be one of: pending, active, ended, rejected, expired"}


async def test_pending_pair_expires(client: httpx.AsyncClient, db_url: str) -> None:
    short = await invite(client, ttlMs=1)
    long = await invite(client, "c", "d", ttlMs=600_000)
    await asyncio.sleep(0.01)
    late = await act(client, short["id"], "accept", "b")
    assert late.status_code == 409 and late.json() == {"error": "cannot accept pair: the invite has expired"}
    reaped = (await client.post("/api/system/reap")).json()
    assert reaped["expiredPairIds"] == [short["id"]]
    assert (await client.get(f"/api/pairs/{short['id']}")).json()["status"] == "expired"
    assert (await client.get(f"/api/pairs/{long['id']}")).json()["status"] == "pending"
    assert (await client.post("/api/system/reap")).json()["expiredPairIds"] == []
    assert logged_events(db_url, "pair.updated")[-1][1]["status"] == "expired"
    # active pairs never expire
    assert (await act(client, long["id"], "accept", "d")).status_code == 200


async def test_bad_input_and_not_found(client: httpx.AsyncClient) -> None:
    cases = [
        ({"to": "b"}, "from required"),
        ({"from": "a"}, "to required"),
        ({"from": "a", "to": "a"}, "from and to must be different agents"),
        ({"from": "a", "to": "b", "ttlMs": 0}, "ttlMs must be greater than 0"),
        ({"from": "a", "to": "b", "topic": "x" * 501}, "topic must be at most 500 characters"),
        ({"from": "a", "to": 5}, "to must be a string"),
    ]
    for body, error in cases:
        response = await client.post("/api/pairs", json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json() == {"error": error}
    pair = await invite(client)
    bad_action = await client.post(
        f"/api/pairs/{pair['id']}/actions", json={"action": "leave", "agentId": "a"}
    )
    assert bad_action.status_code == 400
    assert bad_action.json() == {"error": "action must be one of: accept, reject, end"}
    no_agent = await client.post(f"/api/pairs/{pair['id']}/actions", json={"action": "end"})
    assert no_agent.json() == {"error": "agentId required"}
    no_body = await client.post(f"/api/pairs/{pair['id']}/messages", json={"from": "a"})
    assert no_body.json() == {"error": "body required"}
    for response in (
        await client.get("/api/pairs/999"),
        await act(client, 999, "accept", "b"),
        await client.post("/api/pairs/999/messages", json={"from": "a", "body": "x"}),
    ):
        assert response.status_code == 404 and response.json() == {"error": "pair not found"}
