"""Contract §15, work that gets done once: completion, delivery counts and dead letters,
redrive, delayed release, the delivery ledger, stuck work. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from agent_relay.settings import Settings

from tests.api.test_agents import register
from tests.api.test_messages import send


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        home=tmp_path / "home",
        reap_interval_ms=0,
        sse_heartbeat_ms=500,
        max_deliveries=2,
        stuck_after_ms=1000,
    )


async def _claim(
    client: httpx.AsyncClient, message_id: int, agent: str, lease_ms: int = 60_000
) -> httpx.Response:
    return await client.post(
        f"/api/messages/{message_id}/claim", json={"agentId": agent, "leaseMs": lease_ms}
    )


async def _ack(client: httpx.AsyncClient, message_id: int, agent: str) -> httpx.Response:
    return await client.post(f"/api/messages/{message_id}/ack", json={"agentId": agent})


async def _inbox_ids(client: httpx.AsyncClient, agent: str, **params) -> list[int]:
    return [m["id"] for m in (await client.get(f"/api/inbox/{agent}", params=params)).json()]


async def _reap(client: httpx.AsyncClient) -> dict:
    return (await client.post("/api/system/reap")).json()


async def test_finished_work_is_never_claimed_again(client: httpx.AsyncClient) -> None:
    """The issue's scenario: claimed, acked, the lease runs out, the reaper runs; a second
    agent must not get the finished work."""
    for agent in ("a1", "a2"):
        await register(client, agent, label="workers")
    message_id = (await send(client, to="label:workers", claimable=True, kind="task")).json()["id"]
    assert (await _claim(client, message_id, "a1", lease_ms=1)).status_code == 200
    # a live claim is needed to complete: a lapsed one only reads
    await asyncio.sleep(0.01)
    lapsed_ack = (await _ack(client, message_id, "a1")).json()
    assert lapsed_ack["completed"] is False
    assert (await _claim(client, message_id, "a1")).status_code == 200
    acked = await _ack(client, message_id, "a1")
    assert acked.status_code == 200 and acked.json()["completed"] is True
    message = (await client.get(f"/api/messages/{message_id}")).json()
    assert message["completedBy"] == "a1" and message["completedAt"] >= message["createdAt"]
    assert message["claimExpiresAt"] is None  # nothing for the reaper to release
    await asyncio.sleep(0.01)
    reaped = await _reap(client)
    assert message_id not in reaped["releasedMessageIds"] + reaped["deadLetteredMessageIds"]
    second = await _claim(client, message_id, "a2")
    assert second.status_code == 409 and second.json() == {"error": "message already completed"}
    again = await _claim(client, message_id, "a1")
    assert again.status_code == 409 and again.json() == {"error": "message already completed"}
    # out of every other inbox, read or not; the completer still finds it with ?unread=false
    assert await _inbox_ids(client, "a2") == []
    assert await _inbox_ids(client, "a1") == [message_id]
    assert await _inbox_ids(client, "a1", unread="true") == []
    # completing twice is one completion; release of completed work is refused
    assert (await _ack(client, message_id, "a1")).json()["completed"] is False
    release = await client.post(f"/api/messages/{message_id}/release", json={"agentId": "a1"})
    assert release.status_code == 409 and release.json() == {"error": "message already completed"}


async def test_ack_by_another_agent_is_only_a_read_receipt(client: httpx.AsyncClient) -> None:
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    await _claim(client, message_id, "a1")
    other = (await _ack(client, message_id, "a2")).json()
    assert other["completed"] is False
    assert (await client.get(f"/api/messages/{message_id}")).json()["completedAt"] is None
    plain = (await send(client)).json()["id"]
    assert (await _ack(client, plain, "bob")).json()["completed"] is False


async def test_delivery_count_and_dead_letter_on_lapse(client: httpx.AsyncClient) -> None:
    await register(client, "w1", label="w")
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    sent = (await client.get(f"/api/messages/{message_id}")).json()
    assert sent["deliveryCount"] == 0 and sent["maxDeliveries"] == 2  # AGENT_RELAY_MAX_DELIVERIES
    assert (await _claim(client, message_id, "a1", lease_ms=1)).json()["deliveryCount"] == 1
    await asyncio.sleep(0.01)
    first = await _reap(client)
    assert first["releasedMessageIds"] == [message_id] and first["deadLetteredMessageIds"] == []
    claimed = (await _claim(client, message_id, "a2", lease_ms=60_000)).json()
    extended = (await _claim(client, message_id, "a2", lease_ms=1)).json()
    assert claimed["deliveryCount"] == 2 and extended["deliveryCount"] == 2  # an extension is not counted
    await asyncio.sleep(0.01)
    second = await _reap(client)
    assert second["deadLetteredMessageIds"] == [message_id] and second["releasedMessageIds"] == []
    dead = (await client.get(f"/api/messages/{message_id}")).json()
    assert dead["deadLetteredAt"] is not None and dead["claimedBy"] is None
    refused = await _claim(client, message_id, "a3")
    assert refused.status_code == 409 and refused.json() == {"error": "message is dead-lettered"}
    assert await _inbox_ids(client, "w1") == []
    assert [m["id"] for m in (await client.get("/api/dead-letters")).json()] == [message_id]
    # a lapse is dead-lettered once, whatever runs the reaper again
    assert (await _reap(client))["deadLetteredMessageIds"] == []


async def test_dead_letter_on_release_newest_first_and_redrive(client: httpx.AsyncClient) -> None:
    await register(client, "w1", label="w")
    ids = []
    for n in range(2):
        message_id = (await send(client, to="label:w", claimable=True, maxDeliveries=1, body=f"m{n}")).json()[
            "id"
        ]
        await _claim(client, message_id, "a1")
        released = await client.post(f"/api/messages/{message_id}/release", json={"agentId": "a1"})
        assert released.status_code == 200 and released.json()["deadLetteredAt"] is not None
        ids.append(message_id)
        await asyncio.sleep(0.002)
    letters = (await client.get("/api/dead-letters")).json()
    assert [m["id"] for m in letters] == ids[::-1]
    assert [m["id"] for m in (await client.get("/api/dead-letters", params={"limit": 1})).json()] == [ids[1]]
    redriven = await client.post(f"/api/messages/{ids[0]}/redrive")
    assert redriven.status_code == 200
    body = redriven.json()
    assert body["deadLetteredAt"] is None and body["deliveryCount"] == 0 and body["claimedBy"] is None
    assert await _inbox_ids(client, "w1") == [ids[0]]
    assert (await _claim(client, ids[0], "a2")).status_code == 200
    twice = await client.post(f"/api/messages/{ids[0]}/redrive")
    assert twice.status_code == 409 and twice.json() == {"error": "message is not dead-lettered"}
    missing = await client.post("/api/messages/987654/redrive")
    assert missing.status_code == 404


async def test_spent_message_with_lapsed_lease_is_dead_lettered_by_the_next_claim(
    client: httpx.AsyncClient,
) -> None:
    message_id = (await send(client, to="label:w", claimable=True, maxDeliveries=1)).json()["id"]
    await _claim(client, message_id, "a1", lease_ms=1)
    await asyncio.sleep(0.01)
    late = await _claim(client, message_id, "a2")  # before any reaper ran
    assert late.status_code == 409 and late.json() == {"error": "message is dead-lettered"}
    assert (await _reap(client))["deadLetteredMessageIds"] == []  # already done, once


async def test_release_with_delay_hides_the_message(client: httpx.AsyncClient) -> None:
    await register(client, "w1", label="w")
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    await _claim(client, message_id, "a1")
    released = await client.post(
        f"/api/messages/{message_id}/release", json={"agentId": "a1", "delayMs": 300}
    )
    assert released.status_code == 200 and released.json()["hiddenUntil"] is not None
    assert await _inbox_ids(client, "w1") == []
    early = await _claim(client, message_id, "a2")
    assert early.status_code == 409 and early.json()["error"].startswith("message is held back until ")
    await asyncio.sleep(0.35)
    assert await _inbox_ids(client, "w1") == [message_id]
    assert (await _claim(client, message_id, "a2")).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agentId": "a1", "delayMs": -1}, "delayMs"),
        ({"agentId": "a1", "delayMs": "soon"}, "delayMs"),
        ({"agentId": "a1", "delayMs": 10**12}, "delayMs"),
    ],
)
async def test_bad_release_delay_is_a_400(client: httpx.AsyncClient, body: dict, field: str) -> None:
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    response = await client.post(f"/api/messages/{message_id}/release", json=body)
    assert response.status_code == 400 and field in response.json()["error"]


@pytest.mark.parametrize("value", [0, -1, 1001, "x"])
async def test_bad_max_deliveries_is_a_400(client: httpx.AsyncClient, value) -> None:
    response = await send(client, to="label:w", claimable=True, maxDeliveries=value)
    assert response.status_code == 400 and "maxDeliveries" in response.json()["error"]


async def test_plain_messages_have_no_delivery_limit(client: httpx.AsyncClient) -> None:
    message = (await send(client, maxDeliveries=3)).json()
    assert message["maxDeliveries"] is None and message["deliveryCount"] == 0


async def test_delivery_ledger_states(client: httpx.AsyncClient, app) -> None:
    for agent in ("bob", "w1", "w2"):
        await register(client, agent, label="w")
    direct = (await send(client, to="bob")).json()["id"]
    pending = (await client.get(f"/api/messages/{direct}/deliveries")).json()
    assert pending == [
        {
            "agentId": "bob",
            "state": "pending",
            "deliveredAt": None,
            "readAt": None,
            "claimedAt": None,
            "completedAt": None,
            "wokenAt": None,
        }
    ]
    work = (await send(client, to="label:w", claimable=True)).json()["id"]
    assert await _inbox_ids(client, "bob") == [direct, work]
    assert await _inbox_ids(client, "w1") == [work]
    assert await _inbox_ids(client, "w2") == [work]

    async def ledger(message_id: int) -> dict[str, dict]:
        for _ in range(300):  # first deliveries are written behind the read, once a second
            rows = (await client.get(f"/api/messages/{message_id}/deliveries")).json()
            if all(r["state"] != "pending" for r in rows):
                return {r["agentId"]: r for r in rows}
            await asyncio.sleep(0.01)
        raise AssertionError(rows)

    first = await ledger(direct)
    assert first["bob"]["state"] == "delivered"
    delivered_at = first["bob"]["deliveredAt"]
    await asyncio.sleep(0.005)
    await _inbox_ids(client, "bob")  # a second read keeps the first delivery time
    await _ack(client, direct, "bob")
    second = await ledger(direct)
    assert second["bob"]["state"] == "read" and second["bob"]["deliveredAt"] == delivered_at
    await _claim(client, work, "w1")
    await _ack(client, work, "w1")
    rows = await ledger(work)
    assert set(rows) == {"bob", "w1", "w2"}
    assert rows["w1"]["state"] == "completed" and rows["w1"]["claimedAt"] and rows["w1"]["completedAt"]
    assert rows["w2"]["state"] == "delivered" and rows["bob"]["state"] == "delivered"
    assert (await client.get("/api/messages/987654/deliveries")).status_code == 404


async def test_stuck_work_fires_once_and_is_listed(client: httpx.AsyncClient, app) -> None:
    relay = app.state.relay
    seen: list[int] = []
    sub = relay.hub.subscribe(lambda ev: ev.name == "message.stuck", maxsize=64)
    unread = (await send(client, to="bob", body="unread")).json()["id"]
    read = (await send(client, to="bob", body="read")).json()["id"]
    open_work = (await send(client, to="label:w", claimable=True)).json()["id"]
    taken = (await send(client, to="label:w", claimable=True)).json()["id"]
    group_chat = (await send(client, to="label:w")).json()["id"]
    await _ack(client, read, "bob")
    await _claim(client, taken, "w1")
    assert (await _reap(client))["stuckMessageIds"] == []  # not old enough yet
    await asyncio.sleep(1.05)
    reaped = await asyncio.gather(_reap(client), _reap(client))
    assert sorted(i for r in reaped for i in r["stuckMessageIds"]) == [unread, open_work]
    for _ in range(100):  # PostgreSQL: the hub hears of the commit a moment later
        if len(sub.pending) >= 2:
            break
        await asyncio.sleep(0.01)
    seen.extend(ev.data["id"] for ev in sub.pending)
    relay.hub.unsubscribe(sub)
    assert sorted(seen) == [unread, open_work]
    listed = (await client.get("/api/messages", params={"stuck": "true"})).json()
    assert [m["id"] for m in listed] == [open_work, unread]
    assert group_chat not in [m["id"] for m in listed]
    # reading it unsticks it: the list shows what is still stuck
    await _ack(client, unread, "bob")
    assert [m["id"] for m in (await client.get("/api/messages", params={"stuck": "true"})).json()] == [
        open_work
    ]
    assert (await _reap(client))["stuckMessageIds"] == []


async def test_task_in_a_final_status_completes_its_message(client: httpx.AsyncClient) -> None:
    for agent in ("w1", "w2"):
        await register(client, agent, label="backend")
    created = await client.post(
        "/api/integrations/events",
        json={"source": "ci", "externalId": "b-1", "title": "CI failed", "target": "label:backend"},
    )
    task = created.json()
    message_id = task["messageId"]
    assert (await client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": "w1"})).status_code == 200
    done = await client.post(f"/api/tasks/{task['id']}/status", json={"status": "done", "agentId": "w1"})
    assert done.status_code == 200
    message = (await client.get(f"/api/messages/{message_id}")).json()
    assert message["completedBy"] == "w1"
    assert await _inbox_ids(client, "w2") == []
    refused = await _claim(client, message_id, "w2")
    assert refused.status_code == 409 and refused.json() == {"error": "message already completed"}
