from __future__ import annotations

import httpx


async def test_activity_is_idempotent_by_client_id(client: httpx.AsyncClient) -> None:
    body = {"clientId": "deploy-1", "kind": "state", "title": "Deployed", "body": "v1", "metadata": {"v": 1}}
    first = await client.post("/api/activity", json=body)
    assert first.status_code == 201
    again = await client.post("/api/activity", json={**body, "title": "changed"})
    assert again.status_code == 200 and again.json() == first.json()
    await client.post("/api/activity", json={"kind": "note", "title": "n", "agentId": "a1", "view": "agents"})
    feed = (await client.get("/api/activity")).json()
    assert [item["kind"] for item in feed] == ["note", "state"]
    assert feed[1]["metadata"] == {"v": 1} and feed[0]["clientId"].startswith("server-")
    assert [i["kind"] for i in (await client.get("/api/activity", params={"agentId": "a1"})).json()] == [
        "note"
    ]
    assert [i["kind"] for i in (await client.get("/api/activity", params={"kind": "state"})).json()] == [
        "state"
    ]
    assert (await client.get("/api/activity", params={"before": feed[0]["id"]})).json()[0]["id"] == feed[1][
        "id"
    ]
    assert (await client.post("/api/activity", json={"kind": "x"})).json() == {"error": "title required"}


async def test_health(client: httpx.AsyncClient) -> None:
    await client.post("/api/agents", json={"id": "a1", "name": "A"})
    health = (await client.get("/api/health")).json()
    assert health["ok"] is True and health["status"] == "ok"
    assert health["database"]["ok"] is True and health["database"]["kind"] in ("sqlite", "postgresql")
    assert health["counts"]["agents"] == 1 and health["counts"]["onlineAgents"] == 1
    assert isinstance(health["uptimeMs"], int) and health["version"]
