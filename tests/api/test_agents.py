from __future__ import annotations

import httpx


async def register(client: httpx.AsyncClient, agent_id: str, **extra) -> httpx.Response:
    return await client.post("/api/agents", json={"id": agent_id, "name": agent_id.title(), **extra})


async def test_register_creates_then_updates(client: httpx.AsyncClient) -> None:
    first = await register(client, "a1", label="rev", tags=["py"], capabilities=["review"], meta={"x": 1})
    assert first.status_code == 201
    card = first.json()
    assert card["id"] == "a1" and card["kind"] == "provider" and card["status"] == "online"
    assert card["label"] == "rev" and card["tags"] == ["py"] and card["capabilities"] == ["review"]
    assert (
        card["meta"] == {"x": 1}
        and isinstance(card["lastSeen"], int)
        and card["createdAt"] == card["lastSeen"]
    )

    second = await register(client, "a1", label="other")
    assert second.status_code == 200
    assert second.json()["label"] == "other"
    assert second.json()["tags"] == ["py"], "fields not sent are kept"

    listed = (await client.get("/api/agents")).json()
    assert [a["id"] for a in listed] == ["a1"]
    assert (await client.get("/api/agents/a1")).json()["label"] == "other"


async def test_unknown_agent_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/agents/nobody")
    assert response.status_code == 404
    assert response.json() == {"error": "agent not found"}
    assert (await client.post("/api/agents/nobody/heartbeat")).status_code == 404
    assert (await client.delete("/api/agents/nobody")).status_code == 404


async def test_session_fencing(client: httpx.AsyncClient) -> None:
    assert (await register(client, "a1", instanceId="one", epoch=1)).status_code == 201
    # a newer process takes over
    assert (await register(client, "a1", instanceId="two", epoch=2)).status_code == 200
    # the old one is fenced off: on heartbeat, by header or body
    old = await client.post(
        "/api/agents/a1/heartbeat", headers={"X-Agent-Instance-Id": "one", "X-Agent-Epoch": "1"}
    )
    assert old.status_code == 409 and old.json() == {"error": "agent session superseded"}
    old_body = await client.post("/api/agents/a1/heartbeat", json={"instanceId": "one", "epoch": 1})
    assert old_body.status_code == 409
    # another instance at the same epoch is fenced too
    same_epoch = await client.post("/api/agents/a1/heartbeat", json={"instanceId": "three", "epoch": 2})
    assert same_epoch.status_code == 409
    # re-registering with a lower epoch is refused, and changes nothing
    assert (await register(client, "a1", instanceId="one", epoch=1)).status_code == 409
    assert (await client.get("/api/agents/a1")).json()["instanceId"] == "two"
    # the current session works, and a registration without guard fields keeps it
    assert (
        await client.post("/api/agents/a1/heartbeat", json={"instanceId": "two", "epoch": 2})
    ).status_code == 200
    assert (await register(client, "a1")).json()["epoch"] == 2
    # guarded reads are fenced as well
    inbox = await client.get("/api/inbox/a1", headers={"X-Agent-Instance-Id": "one", "X-Agent-Epoch": "1"})
    assert inbox.status_code == 409


async def test_heartbeat_sets_status_and_ready(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    response = await client.post("/api/agents/a1/heartbeat", json={"status": "busy", "ready": False})
    assert response.status_code == 200
    agent = response.json()["agent"]
    assert agent["status"] == "busy" and agent["ready"] is False
    bad = await client.post("/api/agents/a1/heartbeat", json={"status": "sleeping"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "status must be one of: online, idle, busy, offline"
    bad_epoch = await client.post("/api/agents/a1/heartbeat", headers={"X-Agent-Epoch": "soon"})
    assert bad_epoch.status_code == 400 and "X-Agent-Epoch" in bad_epoch.json()["error"]


async def test_action_sends_control_message(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    response = await client.post("/api/agents/a1/actions", json={"action": "restart"})
    assert response.status_code == 202
    message = response.json()["message"]
    assert message["from"] == "system" and message["to"] == "a1" and message["kind"] == "control"
    assert message["payload"]["agentControl"]["action"] == "restart"
    assert message["payload"]["agentControl"]["requestedBy"] == "dashboard"
    assert message["meta"] == {"delivery": "interrupt", "priority": "urgent"}
    inbox = (await client.get("/api/inbox/a1")).json()
    assert [m["id"] for m in inbox] == [message["id"]]
    bad = await client.post("/api/agents/a1/actions", json={"action": "explode"})
    assert bad.status_code == 400 and bad.json()["error"] == "action must be one of: restart, shutdown"


async def test_delete_agent(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    assert (await client.delete("/api/agents/a1")).json() == {"ok": True}
    assert (await client.get("/api/agents/a1")).status_code == 404


async def test_stale_agents_go_offline_on_reap(client: httpx.AsyncClient, app) -> None:
    await register(client, "a1")
    app.state.relay.settings.agent_stale_after_ms = 1000
    # nothing is stale yet
    assert (await client.post("/api/system/reap")).json()["reapedAgentIds"] == []

    def age(uow):
        from agent_relay.agents import repository

        repository.update(uow.conn, "a1", {"last_seen": uow.now - 5000})

    await app.state.relay.db.write(age)
    result = (await client.post("/api/system/reap")).json()
    assert result["reapedAgentIds"] == ["a1"]
    assert (await client.get("/api/agents/a1")).json()["status"] == "offline"
    # a second reaper finds nothing more to do
    assert (await client.post("/api/system/reap")).json()["reapedAgentIds"] == []
    # a heartbeat brings it back
    assert (await client.post("/api/agents/a1/heartbeat")).json()["agent"]["status"] == "online"
