"""Orchestrator routes (contract §8): seed texts and order, inbox agent, heartbeats,
reaper, managed agents, spawn/action control messages."""

from __future__ import annotations

from typing import Any

import httpx
import sqlalchemy as sa
from agent_relay.events.log import events_after
from agent_relay.orchestrators.repository import orchestrators
from agent_relay.orchestrators.schemas import (
    OrchestratorActionOut,
    OrchestratorOut,
    OrchestratorSpawnOut,
)


async def register(client: httpx.AsyncClient, orch_id: str = "o1", **extra: Any) -> httpx.Response:
    body = {"id": orch_id, "hostname": f"{orch_id}.lan", "baseDir": "/srv/work", **extra}
    return await client.post("/api/orchestrators", json=body)


async def events(app, name: str) -> list[dict[str, Any]]:
    evs = await app.state.relay.db.read(lambda conn: events_after(conn, 0, 10_000))
    return [e.data for e in evs if e.name == name]


async def test_register_upserts_and_registers_inbox_agent(client: httpx.AsyncClient, app) -> None:
    first = await register(client, envKeys=["ANTHROPIC_API_KEY"], meta={"zone": "a"})
    assert first.status_code == 201
    orch = first.json()
    assert orch["id"] == "o1" and orch["hostname"] == "o1.lan" and orch["baseDir"] == "/srv/work"
    assert orch["providers"] == ["claude", "codex"], "default: both providers"
    assert orch["envKeys"] == ["ANTHROPIC_API_KEY"] and orch["meta"] == {"zone": "a"}
    assert orch["agentId"] == "orchestrator:o1" and orch["status"] == "online"
    assert orch["managedAgents"] == [] and orch["lastHeartbeat"] == orch["createdAt"] == orch["updatedAt"]

    agent = (await client.get("/api/agents/orchestrator:o1")).json()
    assert agent["kind"] == "orchestrator" and agent["status"] == "online"
    assert agent["meta"]["orchestratorId"] == "o1"

    again = await register(client, providers=["codex"], hostname="moved.lan")
    assert again.status_code == 201, "the seed answers 201 on every registration"
    assert again.json()["providers"] == ["codex"] and again.json()["hostname"] == "moved.lan"
    assert again.json()["envKeys"] == ["ANTHROPIC_API_KEY"], "omitted envKeys are kept"
    assert again.json()["createdAt"] == orch["createdAt"]
    listed = (await client.get("/api/orchestrators")).json()
    assert [o["id"] for o in listed] == ["o1"]
    assert (await client.get("/api/orchestrators/o1")).json()["hostname"] == "moved.lan"
    assert len(await events(app, "orchestrator.status")) == 2
    activity = (await client.get("/api/activity", params={"view": "orchestrators"})).json()
    assert activity and activity[0]["title"] == "Orchestrator registered"


async def test_register_validation_texts(client: httpx.AsyncClient) -> None:
    bad = await register(client, providers=["claude", "gpt"])
    assert bad.status_code == 400
    assert bad.json() == {"error": "invalid provider: gpt. Must be one of: claude, codex"}
    missing = await client.post("/api/orchestrators", json={"id": "x", "hostname": "h"})
    assert missing.status_code == 400 and missing.json() == {"error": "baseDir required"}
    long_id = await client.post(
        "/api/orchestrators", json={"id": "x" * 121, "hostname": "h", "baseDir": "/b"}
    )
    assert long_id.status_code == 400 and long_id.json()["error"] == "id must be at most 120 characters"
    long_dir = await register(client, baseDir="/" + "d" * 500)
    assert (
        long_dir.status_code == 400 and long_dir.json()["error"] == "baseDir must be at most 500 characters"
    )
    assert (await client.get("/api/orchestrators")).json() == []


async def test_not_found_everywhere(client: httpx.AsyncClient) -> None:
    nf = {"error": "orchestrator not found"}
    assert (await client.get("/api/orchestrators/nope")).json() == nf
    for method, path, body in [
        ("POST", "/api/orchestrators/nope/heartbeat", None),
        # 404 comes before any body check, as in the seed
        ("PATCH", "/api/orchestrators/nope/agents", {"agents": "not-a-list"}),
        ("POST", "/api/orchestrators/nope/spawn", {"provider": "gpt"}),
        ("POST", "/api/orchestrators/nope/actions", {"action": "dance"}),
        ("DELETE", "/api/orchestrators/nope", None),
    ]:
        response = await client.request(method, path, json=body)
        assert response.status_code == 404, path
        assert response.json() == nf, path


async def test_heartbeat_reaper_and_delete(client: httpx.AsyncClient, app) -> None:
    await register(client)
    relay = app.state.relay

    def age(uow) -> None:
        uow.conn.execute(sa.update(orchestrators).values(last_heartbeat=1))

    await relay.db.write(age)
    reaped = (await client.post("/api/system/reap")).json()
    assert reaped["reapedOrchestratorIds"] == ["o1"]
    assert (await client.get("/api/orchestrators/o1")).json()["status"] == "offline"
    status_events = await events(app, "orchestrator.status")
    assert status_events[-1]["id"] == "o1" and status_events[-1]["status"] == "offline"
    assert (await client.post("/api/system/reap")).json()["reapedOrchestratorIds"] == [], "reaped once"

    # offline: spawning is refused with the seed's 409
    spawn = await client.post("/api/orchestrators/o1/spawn", json={"provider": "claude"})
    assert spawn.status_code == 409 and spawn.json() == {"error": "orchestrator is offline"}

    hb = await client.post("/api/orchestrators/o1/heartbeat")
    assert hb.status_code == 200 and hb.json() == {"ok": True}
    orch = (await client.get("/api/orchestrators/o1")).json()
    assert orch["status"] == "online" and orch["lastHeartbeat"] > 1
    assert (await events(app, "orchestrator.status"))[-1]["status"] == "online"
    agent = (await client.get("/api/agents/orchestrator:o1")).json()
    assert agent["lastSeen"] >= orch["lastHeartbeat"]

    # the inbox agent was removed by someone: a heartbeat brings it back
    assert (await client.delete("/api/agents/orchestrator:o1")).status_code == 200
    await client.post("/api/orchestrators/o1/heartbeat")
    assert (await client.get("/api/agents/orchestrator:o1")).json()["kind"] == "orchestrator"

    deleted = await client.delete("/api/orchestrators/o1")
    assert deleted.status_code == 200 and deleted.json() == {"ok": True}
    assert (await client.get("/api/orchestrators/o1")).status_code == 404
    assert (await client.get("/api/agents/orchestrator:o1")).status_code == 404
    assert await events(app, "orchestrator.removed") == [{"id": "o1", "agentId": "orchestrator:o1"}]


async def test_managed_agents_replace(client: httpx.AsyncClient, app) -> None:
    await register(client)
    agents = [
        {"agentId": "claude-1", "provider": "claude", "tmuxSession": "relay-claude-1", "cwd": "/srv/work/a",
         "label": "backend", "approvalMode": "open", "pid": 4242, "startedAt": 1700000000000},
        {"provider": "codex", "tmuxSession": "relay-codex-2", "cwd": "/srv/work/b", "pid": "not-a-number"},
    ]  # fmt: skip
    response = await client.patch("/api/orchestrators/o1/agents", json={"agents": agents})
    assert response.status_code == 200
    OrchestratorOut.model_validate(response.json())
    managed = response.json()["managedAgents"]
    assert managed[0] == {**agents[0]}
    assert managed[1]["agentId"] == "" and managed[1]["approvalMode"] == "guarded"
    assert "pid" not in managed[1], "a pid that is not a safe integer is dropped (seed)"
    assert isinstance(managed[1]["startedAt"], int) and managed[1]["startedAt"] > 1700000000000
    assert (await events(app, "orchestrator.status"))[-1]["managedAgents"] == managed

    emptied = await client.patch("/api/orchestrators/o1/agents", json={"agents": []})
    assert emptied.json()["managedAgents"] == []

    async def bad(body: Any) -> str:
        r = await client.patch("/api/orchestrators/o1/agents", json=body)
        assert r.status_code == 400
        return r.json()["error"]

    assert await bad({"agents": "x"}) == "agents must be an array"
    assert await bad({}) == "agents required"
    assert await bad({"agents": [{"provider": "codex", "cwd": "/x"}]}) == "agents[0].tmuxSession required"
    assert await bad({"agents": [{"provider": "gpt", "tmuxSession": "t", "cwd": "/x"}]}) == (
        "agents[0].provider must be one of: claude, codex"
    )
    assert await bad({"agents": [{"provider": "codex", "tmuxSession": "t"}]}) == "agents[0].cwd required"
    assert await bad(
        {"agents": [{"provider": "codex", "tmuxSession": "t", "cwd": "/x", "approvalMode": "yolo"}]}
    ) == ("agents[0].approvalMode must be one of: open, guarded, read-only")


async def test_spawn_sends_control_message(client: httpx.AsyncClient, app) -> None:
    await register(client, providers=["claude"])
    response = await client.post(
        "/api/orchestrators/o1/spawn",
        json={
            "provider": "claude",
            "cwd": "/srv/work/app",
            "label": "backend",
            "prompt": "fix the tests",
        },
    )
    assert response.status_code == 202
    out = response.json()
    OrchestratorSpawnOut.model_validate(out)
    assert out["ok"] is True and out["orchestratorId"] == "o1"
    message = out["message"]
    assert message["from"] == "system" and message["to"] == "orchestrator:o1" and message["kind"] == "control"
    assert message["subject"] == "Spawn agent" and message["body"] == "Spawn claude agent (backend)"
    assert message["meta"] == {"delivery": "interrupt", "priority": "urgent"}
    control = message["payload"]["orchestratorControl"]
    assert control["requestedAt"] > 0
    assert {k: v for k, v in control.items() if k != "requestedAt"} == {
        "action": "spawn",
        "provider": "claude",
        "cwd": "/srv/work/app",
        "label": "backend",
        "approvalMode": "guarded",
        "prompt": "fix the tests",
        "requestedBy": "dashboard",
    }
    # it is in the orchestrator's inbox
    inbox = (await client.get("/api/inbox/orchestrator:o1")).json()
    assert [m["id"] for m in inbox] == [message["id"]]
    titles = [
        a["title"] for a in (await client.get("/api/activity", params={"view": "orchestrators"})).json()
    ]
    assert "Spawn claude agent requested" in titles

    # no cwd: the base directory; relative: under it
    plain = (await client.post("/api/orchestrators/o1/spawn", json={"provider": "claude"})).json()
    assert plain["message"]["payload"]["orchestratorControl"]["cwd"] == "/srv/work"
    assert "label" not in plain["message"]["payload"]["orchestratorControl"]
    assert plain["message"]["body"] == "Spawn claude agent"
    rel = (
        await client.post("/api/orchestrators/o1/spawn", json={"provider": "claude", "cwd": "sub/dir"})
    ).json()
    assert rel["message"]["payload"]["orchestratorControl"]["cwd"] == "/srv/work/sub/dir"


async def test_spawn_checks_in_seed_order(client: httpx.AsyncClient) -> None:
    await register(client, providers=["claude"])

    async def err(body: dict[str, Any]) -> str:
        r = await client.post("/api/orchestrators/o1/spawn", json=body)
        assert r.status_code == 400, body
        return r.json()["error"]

    outside = "cwd must be within orchestrator base directory: /srv/work"
    assert await err({"provider": "gpt"}) == "provider must be one of: claude, codex"
    assert await err({}) == "provider required"
    assert await err({"provider": "codex"}) == "orchestrator does not support provider: codex"
    # the support check comes before anything else in the body
    assert (
        await err({"provider": "codex", "label": "x" * 121})
        == "orchestrator does not support provider: codex"
    )
    for cwd in ["/srv/work-other", "/srv/work/../etc", "/srv/workspace", "../etc", "/etc", "/"]:
        assert await err({"provider": "claude", "cwd": cwd}) == outside, cwd
    # the cwd check comes before label/approvalMode/prompt, as in the seed
    assert await err({"provider": "claude", "cwd": "/etc", "prompt": "p" * 4001}) == outside
    assert (
        await err({"provider": "claude", "cwd": "/srv/work/" + "d" * 500})
        == "cwd must be at most 500 characters"
    )
    assert await err({"provider": "claude", "label": "x" * 121}) == "label must be at most 120 characters"
    assert await err({"provider": "claude", "approvalMode": "yolo"}) == (
        "approvalMode must be one of: open, guarded, read-only"
    )
    assert await err({"provider": "claude", "prompt": "p" * 4001}) == "prompt must be at most 4000 characters"
    ok = await client.post("/api/orchestrators/o1/spawn", json={"provider": "claude", "prompt": "p" * 4000})
    assert ok.status_code == 202
    assert (await client.get("/api/inbox/orchestrator:o1")).json()[-1]["id"] == ok.json()["message"]["id"]
    assert len((await client.get("/api/inbox/orchestrator:o1")).json()) == 1, "refused spawns sent nothing"


async def test_actions(client: httpx.AsyncClient) -> None:
    await register(client)
    one = await client.post(
        "/api/orchestrators/o1/actions", json={"action": "restart", "agentId": "claude-1"}
    )
    assert one.status_code == 202
    body = one.json()
    OrchestratorActionOut.model_validate(body)
    assert body["ok"] is True and body["action"] == "restart"
    message = body["message"]
    assert message["to"] == "orchestrator:o1" and message["kind"] == "control"
    assert message["subject"] == "Restart agent" and message["body"] == "restart claude-1"
    assert message["meta"] == {"delivery": "interrupt", "priority": "urgent"}
    control = message["payload"]["orchestratorControl"]
    assert (
        control["action"] == "restart"
        and control["agentId"] == "claude-1"
        and control["requestedBy"] == "dashboard"
    )

    every = (await client.post("/api/orchestrators/o1/actions", json={"action": "shutdown"})).json()[
        "message"
    ]
    assert every["subject"] == "Shutdown agent" and every["body"] == "shutdown all managed agents"
    assert "agentId" not in every["payload"]["orchestratorControl"]

    bad = await client.post("/api/orchestrators/o1/actions", json={"action": "dance"})
    assert bad.status_code == 400 and bad.json() == {"error": "action must be one of: restart, shutdown"}
    missing = await client.post("/api/orchestrators/o1/actions", json={})
    assert missing.status_code == 400 and missing.json() == {"error": "action required"}
    titles = [
        a["title"] for a in (await client.get("/api/activity", params={"view": "orchestrators"})).json()
    ]
    assert "Agent restart requested" in titles and "Agent shutdown requested" in titles
