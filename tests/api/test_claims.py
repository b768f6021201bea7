from __future__ import annotations

import asyncio

import httpx

from tests.api.test_agents import register
from tests.api.test_messages import send


async def test_claim_release_and_visibility(client: httpx.AsyncClient) -> None:
    for agent in ("a1", "a2"):
        await register(client, agent, label="workers")
    message_id = (await send(client, to="label:workers", claimable=True, kind="task")).json()["id"]
    claimed = await client.post(
        f"/api/messages/{message_id}/claim", json={"agentId": "a1", "leaseMs": 60_000}
    )
    assert claimed.status_code == 200
    body = claimed.json()
    assert body["claimedBy"] == "a1" and body["claimExpiresAt"] >= body["createdAt"] + 59_000
    # the other worker no longer sees it; the claimer still does
    assert (await client.get("/api/inbox/a2")).json() == []
    assert [m["id"] for m in (await client.get("/api/inbox/a1")).json()] == [message_id]
    conflict = await client.post(f"/api/messages/{message_id}/claim", json={"agentId": "a2"})
    assert conflict.status_code == 409 and conflict.json() == {"error": "message already claimed by a1"}
    # only the holder releases
    wrong = await client.post(f"/api/messages/{message_id}/release", json={"agentId": "a2"})
    assert wrong.status_code == 409
    released = await client.post(f"/api/messages/{message_id}/release", json={"agentId": "a1"})
    assert released.status_code == 200 and released.json()["claimedBy"] is None
    assert [m["id"] for m in (await client.get("/api/inbox/a2")).json()] == [message_id]


async def test_claim_errors(client: httpx.AsyncClient) -> None:
    plain = (await send(client)).json()["id"]
    not_claimable = await client.post(f"/api/messages/{plain}/claim", json={"agentId": "a1"})
    assert not_claimable.status_code == 400 and not_claimable.json() == {"error": "message is not claimable"}
    missing = await client.post("/api/messages/424242/claim", json={"agentId": "a1"})
    assert missing.status_code == 404
    no_agent = await client.post(f"/api/messages/{plain}/claim", json={})
    assert no_agent.status_code == 400 and no_agent.json() == {"error": "agentId required"}
    bad_lease = await client.post(f"/api/messages/{plain}/claim", json={"agentId": "a", "leaseMs": -5})
    assert bad_lease.status_code == 400 and "leaseMs" in bad_lease.json()["error"]


async def test_concurrent_claimers_exactly_one_wins(client: httpx.AsyncClient) -> None:
    message_id = (await send(client, to="cap:build", claimable=True)).json()["id"]
    results = await asyncio.gather(
        *(client.post(f"/api/messages/{message_id}/claim", json={"agentId": f"w{i}"}) for i in range(40))
    )
    winners = [r for r in results if r.status_code == 200]
    assert len(winners) == 1
    assert sorted({r.status_code for r in results}) == [200, 409]
    holder = (await client.get(f"/api/messages/{message_id}")).json()["claimedBy"]
    assert holder == winners[0].json()["claimedBy"]


async def test_expired_claim_is_released_by_reaper_once(client: httpx.AsyncClient, app) -> None:
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    await client.post(f"/api/messages/{message_id}/claim", json={"agentId": "a1", "leaseMs": 1})
    await asyncio.sleep(0.02)
    # an expired claim is claimable again even before the reaper runs
    reaped = await asyncio.gather(client.post("/api/system/reap"), client.post("/api/system/reap"))
    released = [r.json()["releasedMessageIds"] for r in reaped]
    assert sorted(released, key=len) == [[], [message_id]]
    assert (await client.get(f"/api/messages/{message_id}")).json()["claimedBy"] is None
    again = await client.post(f"/api/messages/{message_id}/claim", json={"agentId": "a2"})
    assert again.status_code == 200


async def test_expired_claim_can_be_taken_over(client: httpx.AsyncClient) -> None:
    message_id = (await send(client, to="label:w", claimable=True)).json()["id"]
    await client.post(f"/api/messages/{message_id}/claim", json={"agentId": "a1", "leaseMs": 1})
    await asyncio.sleep(0.02)
    takeover = await client.post(f"/api/messages/{message_id}/claim", json={"agentId": "a2"})
    assert takeover.status_code == 200 and takeover.json()["claimedBy"] == "a2"
