"""Identity (contract §14): agent tokens act as their agent only, admin-only routes refuse
them, visibility follows identity. Every client here is in-process over one app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

ADMIN = "s3cret-admin"


@pytest.fixture
async def relay(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An admin client of a relay with an admin token and one integration token."""
    app = create_app(settings.model_copy(update={"token": ADMIN, "integration_tokens": "ci=ci-token"}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://relay", headers={"X-Agent-Relay-Token": ADMIN}
        ) as c,
    ):
        yield c


def as_token(client: httpx.AsyncClient, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=client._transport, base_url="http://relay", headers={"X-Agent-Relay-Token": token}
    )


async def register(admin: httpx.AsyncClient, agent_id: str, **extra: object) -> dict:
    r = await admin.post("/api/agents", json={"id": agent_id, "name": agent_id, **extra})
    assert r.status_code in (200, 201), r.text
    return r.json()


async def mint(admin: httpx.AsyncClient, agent_id: str, label: str | None = None) -> str:
    r = await admin.post(f"/api/agents/{agent_id}/tokens", json={"label": label} if label else None)
    assert r.status_code == 201, r.text
    return r.json()["token"]


async def test_mint_list_use_and_revoke(relay: httpx.AsyncClient) -> None:
    await register(relay, "alice")
    r = await relay.post("/api/agents/alice/tokens", json={"label": "laptop"})
    assert r.status_code == 201
    issued = r.json()
    assert set(issued) == {"id", "agentId", "label", "token", "createdAt"}
    assert issued["agentId"] == "alice" and issued["label"] == "laptop"
    assert issued["token"].startswith("art_") and len(issued["token"]) >= 4 + 43
    listed = (await relay.get("/api/agents/alice/tokens")).json()
    assert listed == [
        {
            "id": issued["id"],
            "agentId": "alice",
            "label": "laptop",
            "createdAt": issued["createdAt"],
            "lastUsedAt": None,
        }
    ]
    async with as_token(relay, issued["token"]) as alice:
        assert (await alice.get("/api/whoami")).json() == {"role": "agent", "agentId": "alice"}
        assert (await alice.delete(f"/api/agents/alice/tokens/{issued['id']}")).json() == {"ok": True}
        gone = await alice.get("/api/whoami")
        assert gone.status_code == 401 and gone.json() == {"error": "unauthorized"}
    assert (await relay.get("/api/agents/alice/tokens")).json() == []
    missing = await relay.delete(f"/api/agents/alice/tokens/{issued['id']}")
    assert missing.status_code == 404 and missing.json() == {"error": "token not found"}


async def test_whoami_for_each_role(relay: httpx.AsyncClient, settings: Settings) -> None:
    assert (await relay.get("/api/whoami")).json() == {"role": "admin", "agentId": None}
    token = await mint(relay, "bob")
    async with as_token(relay, token) as bob:
        assert (await bob.get("/api/whoami")).json() == {"role": "agent", "agentId": "bob"}
    async with as_token(relay, "ci-token") as ci:
        assert (await ci.get("/api/whoami")).json() == {"role": "integration", "agentId": None}
        assert (await ci.get("/api/agents")).status_code == 401
    async with as_token(relay, "art_not-a-real-token") as nobody:
        assert (await nobody.get("/api/whoami")).status_code == 401
    app = create_app(settings)  # no admin token: open
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://relay") as open_client,
    ):
        assert (await open_client.get("/api/whoami")).json() == {"role": "open", "agentId": None}


FORBIDDEN_ADMIN = {"error": "admin token required"}


def forbidden_for(agent_id: str) -> dict[str, str]:
    return {"error": f"token is for agent {agent_id}"}


@pytest.fixture
async def alice(relay: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """alice (label ops, tag py) and bob registered; alice's agent token."""
    await register(relay, "alice", label="ops", tags=["py"])
    await register(relay, "bob")
    async with as_token(relay, await mint(relay, "alice")) as client:
        yield client


async def send(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/api/messages", json={"body": "hi", **body})


async def test_send_defaults_from_to_the_token_and_refuses_another(
    relay: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    sent = await send(alice, to="bob")
    assert sent.status_code == 201 and sent.json()["from"] == "alice"
    assert (await send(alice, to="bob", **{"from": "alice"})).status_code == 201
    as_bob = await send(alice, to="alice", **{"from": "bob"})
    assert as_bob.status_code == 403 and as_bob.json() == forbidden_for("alice")
    # `system` is the relay's own sender: the orchestrator daemon trusts its control messages
    as_system = await send(alice, to="orchestrator:x", kind="control", **{"from": "system"})
    assert as_system.status_code == 403 and as_system.json() == forbidden_for("alice")
    # the admin must still say who sends
    missing = await send(relay, to="bob")
    assert missing.status_code == 400 and missing.json() == {"error": "from required"}
    assert (await send(relay, to="bob", **{"from": "system"})).status_code == 201


async def test_no_token_for_system(relay: httpx.AsyncClient) -> None:
    refused = await relay.post("/api/agents/system/tokens")
    assert refused.status_code == 400 and refused.json() == {"error": "agentId system is reserved"}
    issued = await relay.post("/api/agents", json={"id": "system", "name": "s", "issueToken": True})
    assert issued.status_code == 400 and issued.json() == {"error": "agentId system is reserved"}


async def test_inbox_ack_claim_release_and_drafts_only_for_itself(
    relay: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    to_bob = (await send(relay, **{"from": "carol"}, to="bob", claimable=True)).json()
    to_alice = (await send(relay, **{"from": "carol"}, to="alice", claimable=True)).json()
    for method, path, body in [
        ("GET", "/api/inbox/bob", None),
        ("GET", "/api/inbox/bob/draft", None),
        ("PUT", "/api/inbox/bob/draft", {"body": "x"}),
        ("DELETE", "/api/inbox/bob/draft", None),
        ("POST", f"/api/messages/{to_bob['id']}/ack", {"agentId": "bob"}),
        ("POST", f"/api/messages/{to_bob['id']}/claim", {"agentId": "bob"}),
        ("POST", f"/api/messages/{to_bob['id']}/release", {"agentId": "bob"}),
        ("POST", "/api/agents/bob/heartbeat", {}),
        ("POST", "/api/agents", {"id": "bob", "name": "bob", "epoch": 10**15}),
        ("DELETE", "/api/agents/bob", None),
        ("POST", "/api/agents/bob/tokens", {}),
        ("GET", "/api/agents/bob/tokens", None),
        ("DELETE", "/api/agents/bob/tokens/1", None),
        ("GET", "/api/events?agentId=bob", None),
        ("GET", "/api/pairs?agentId=bob", None),
        ("GET", "/api/activity?agentId=bob", None),
        ("POST", "/api/activity", {"kind": "note", "title": "t", "agentId": "bob"}),
    ]:
        r = await alice.request(method, path, json=body)
        assert (r.status_code, r.json()) == (403, forbidden_for("alice")), (method, path)
    # a message that does not concern alice cannot be claimed or acked as alice either: 404
    for action in ("ack", "claim"):
        r = await alice.post(f"/api/messages/{to_bob['id']}/{action}", json={"agentId": "alice"})
        assert (r.status_code, r.json()) == (404, {"error": "message not found"}), action
    # its own: all fine
    assert [m["id"] for m in (await alice.get("/api/inbox/alice")).json()] == [to_alice["id"]]
    assert (
        await alice.post(f"/api/messages/{to_alice['id']}/claim", json={"agentId": "alice"})
    ).status_code == 200
    assert (
        await alice.post(f"/api/messages/{to_alice['id']}/release", json={"agentId": "alice"})
    ).status_code == 200
    assert (
        await alice.post(f"/api/messages/{to_alice['id']}/ack", json={"agentId": "alice"})
    ).status_code == 200
    assert (await alice.put("/api/inbox/alice/draft", json={"body": "draft"})).status_code == 200
    assert (await alice.get("/api/inbox/alice/draft")).json()["body"] == "draft"
    assert (await alice.post("/api/agents/alice/heartbeat", json={"status": "busy"})).status_code == 200
    assert (await alice.post("/api/agents", json={"id": "alice", "name": "Alice"})).status_code == 200
    # bob's inbox is untouched
    assert [m["id"] for m in (await relay.get("/api/inbox/bob")).json()] == [to_bob["id"]]


async def test_admin_only_routes(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    message = (await send(alice, to="bob")).json()
    for method, path, body in [
        ("GET", "/api/connectors", None),
        ("POST", "/api/connectors", {"id": "hook", "name": "Hook", "version": "1.0.0", "commands": {}}),
        ("GET", "/api/connectors/hook", None),
        ("GET", "/api/connectors/hook/config", None),
        ("PUT", "/api/connectors/hook/config", {}),
        ("POST", "/api/connectors/hook/actions", {"action": "start"}),
        ("POST", "/api/system/reap", None),
        ("POST", "/api/system/broadcast", {"body": "all hands"}),
        ("POST", "/api/agents/spawn", {"provider": "codex"}),
        ("GET", "/api/host/directories", None),
        ("POST", "/api/agents/bob/actions", {"action": "restart"}),
        ("POST", "/api/orchestrators/o1/spawn", {"provider": "codex"}),
        ("POST", "/api/orchestrators/o1/actions", {"action": "restart"}),
        ("DELETE", "/api/orchestrators/o1", None),
        ("DELETE", f"/api/messages/{message['id']}", None),
        ("GET", "/api/tasks/1/deliveries", None),
        ("GET", "/api/integrations", None),
        ("POST", "/api/integrations/events", {"externalId": "x", "source": "ci"}),
        ("POST", "/api/agents", {"id": "alice", "name": "a", "issueToken": True}),
    ]:
        r = await alice.request(method, path, json=body)
        assert (r.status_code, r.json()) == (403, FORBIDDEN_ADMIN), (method, path)
    assert (await relay.get("/api/connectors")).status_code == 200  # the admin still may


async def test_messages_visibility(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    await register(relay, "carol")
    mine = [
        (await send(relay, **{"from": "bob"}, to="alice")).json(),
        (await send(relay, **{"from": "bob"}, to="label:ops")).json(),
        (await send(relay, **{"from": "bob"}, to="tag:py")).json(),
        (await send(relay, **{"from": "bob"}, to="broadcast")).json(),
        (await send(alice, to="carol")).json(),
    ]
    others = [
        (await send(relay, **{"from": "bob"}, to="carol")).json(),
        (await send(relay, **{"from": "carol"}, to="label:dev")).json(),
    ]
    listed = [m["id"] for m in (await alice.get("/api/messages")).json()]
    assert listed == sorted((m["id"] for m in mine), reverse=True)
    assert len((await relay.get("/api/messages")).json()) == len(mine) + len(others)
    for m in mine:
        assert (await alice.get(f"/api/messages/{m['id']}")).status_code == 200
    for m in others:
        r = await alice.get(f"/api/messages/{m['id']}")
        assert (r.status_code, r.json()) == (404, {"error": "message not found"})
    # filters narrow within what it may see, never beyond
    assert (await alice.get("/api/messages", params={"to": "carol", "from": "bob"})).json() == []
    # the directory stays readable
    assert {a["id"] for a in (await alice.get("/api/agents")).json()} >= {"alice", "bob", "carol"}
    assert (await alice.get("/api/agents/bob")).status_code == 200


async def test_tasks_visibility_and_work(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    async def task(external_id: str, target: str | None) -> dict:
        body = {"externalId": external_id, "source": "ci", "title": external_id}
        if target:
            body["target"] = target
        r = await relay.post("/api/integrations/events", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    for_alice, for_ops, for_bob, open_task = (
        await task("a", "alice"),
        await task("o", "label:ops"),
        await task("b", "bob"),
        await task("n", None),
    )
    listed = {t["id"] for t in (await alice.get("/api/tasks")).json()}
    assert listed == {for_alice["id"], for_ops["id"], open_task["id"]}
    r = await alice.get(f"/api/tasks/{for_bob['id']}")
    assert (r.status_code, r.json()) == (404, {"error": "task not found"})
    r = await alice.post(f"/api/tasks/{for_bob['id']}/claim", json={"agentId": "alice"})
    assert r.status_code == 404
    r = await alice.post(f"/api/tasks/{for_ops['id']}/claim", json={"agentId": "bob"})
    assert (r.status_code, r.json()) == (403, forbidden_for("alice"))
    claimed = await alice.post(f"/api/tasks/{for_ops['id']}/claim", json={"agentId": "alice"})
    assert claimed.status_code == 200 and claimed.json()["claimedBy"] == "alice"
    moved = await alice.post(f"/api/tasks/{for_ops['id']}/status", json={"status": "in_progress"})
    assert moved.status_code == 200 and moved.json()["claimedBy"] == "alice"
    # bob cannot cancel the task alice holds (the issue's "cancel a task someone else claimed")
    async with as_token(relay, await mint(relay, "bob")) as bob:
        r = await bob.post(f"/api/tasks/{for_ops['id']}/status", json={"status": "canceled"})
        assert r.status_code == 404  # not addressed to bob, not held by bob
        r = await bob.post(f"/api/tasks/{open_task['id']}/claim", json={"agentId": "bob"})
        assert r.status_code == 200
        r = await alice.post(f"/api/tasks/{open_task['id']}/status", json={"status": "canceled"})
        assert r.status_code == 409 and r.json() == {"error": "task is claimed by bob"}


async def test_pairs_visibility(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    await register(relay, "carol")
    mine = await alice.post("/api/pairs", json={"from": "alice", "to": "bob"})
    assert mine.status_code == 201
    r = await alice.post("/api/pairs", json={"from": "carol", "to": "bob"})
    assert (r.status_code, r.json()) == (403, forbidden_for("alice"))
    theirs = (await relay.post("/api/pairs", json={"from": "carol", "to": "bob"})).json()
    assert [p["id"] for p in (await alice.get("/api/pairs")).json()] == [mine.json()["id"]]
    r = await alice.get(f"/api/pairs/{theirs['id']}")
    assert (r.status_code, r.json()) == (404, {"error": "pair not found"})
    r = await alice.post(f"/api/pairs/{theirs['id']}/actions", json={"action": "accept", "agentId": "bob"})
    assert r.status_code == 403


async def test_activity_is_its_own(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    posted = await alice.post("/api/activity", json={"kind": "note", "title": "hello"})
    assert posted.status_code == 201 and posted.json()["agentId"] == "alice"
    await relay.post("/api/activity", json={"kind": "note", "title": "other", "agentId": "bob"})
    assert {a["agentId"] for a in (await alice.get("/api/activity")).json()} == {"alice"}


async def test_channel_agent_keeps_its_own_channel(relay: httpx.AsyncClient) -> None:
    from tests.api.channel_helpers import CHANNEL_ID, GUARD, envelope, register_channel

    await register_channel(relay)
    await register_channel(relay, "teams:T2", meta={"channelType": "teams"})
    await register(relay, "bob")
    async with (
        as_token(relay, await mint(relay, CHANNEL_ID)) as bridge,
        as_token(relay, await mint(relay, "bob")) as bob,
    ):
        bound = await bridge.post(
            "/api/channel-bindings", json={"channelId": CHANNEL_ID, "target": "bob"}, headers=GUARD
        )
        assert bound.status_code == 201, bound.text
        event = {"body": "hi", "payload": envelope()}
        posted = await bridge.post(f"/api/channels/{CHANNEL_ID}/events", json=event, headers=GUARD)
        assert posted.status_code == 201, posted.text
        assert posted.json()["messages"][0]["from"] == CHANNEL_ID
        other = await bridge.post(
            "/api/channel-bindings", json={"channelId": "teams:T2", "target": "bob"}, headers=GUARD
        )
        assert (other.status_code, other.json()) == (403, forbidden_for(CHANNEL_ID))
        for path in (f"/api/channels/{CHANNEL_ID}/events", f"/api/channels/{CHANNEL_ID}/activities"):
            r = await bob.post(path, json=event, headers=GUARD)
            assert (r.status_code, r.json()) == (403, forbidden_for("bob")), path
        r = await bob.delete(f"/api/channel-bindings/{bound.json()['id']}", headers=GUARD)
        assert (r.status_code, r.json()) == (403, forbidden_for("bob"))
        assert (
            await bridge.delete(f"/api/channel-bindings/{bound.json()['id']}", headers=GUARD)
        ).status_code == 200
        assert (await bob.get("/api/channels")).status_code == 200


async def test_orchestrator_agent_keeps_its_record_and_managed_agents(relay: httpx.AsyncClient) -> None:
    body = {"id": "o1", "hostname": "h", "baseDir": "/srv/work"}
    assert (await relay.post("/api/orchestrators", json=body)).status_code == 201
    assert (await relay.post("/api/orchestrators", json={**body, "id": "o2"})).status_code == 201
    async with as_token(relay, await mint(relay, "orchestrator:o1")) as daemon:
        assert (await daemon.post("/api/orchestrators", json=body)).status_code == 201
        assert (await daemon.post("/api/orchestrators/o1/heartbeat")).status_code == 200
        managed = {
            "agents": [{"agentId": "claude-7", "provider": "claude", "tmuxSession": "t", "cwd": "/srv/work"}]
        }
        assert (await daemon.patch("/api/orchestrators/o1/agents", json=managed)).status_code == 200
        for method, path, json_body in [
            ("POST", "/api/orchestrators", {**body, "id": "o2"}),
            ("POST", "/api/orchestrators/o2/heartbeat", None),
            ("PATCH", "/api/orchestrators/o2/agents", {"agents": []}),
            ("POST", "/api/agents/bob/tokens", None),
        ]:
            r = await daemon.request(method, path, json=json_body)
            assert (r.status_code, r.json()) == (403, forbidden_for("orchestrator:o1")), path
        # a managed agent: the daemon mints its token, and may revoke it
        issued = await daemon.post("/api/agents/claude-7/tokens", json={"label": "spawn"})
        assert issued.status_code == 201
        async with as_token(relay, issued.json()["token"]) as spawned:
            assert (await spawned.get("/api/whoami")).json() == {"role": "agent", "agentId": "claude-7"}
            assert (await daemon.get("/api/agents/claude-7/tokens")).json()[0]["label"] == "spawn"
            assert (
                await daemon.delete(f"/api/agents/claude-7/tokens/{issued.json()['id']}")
            ).status_code == 200
            assert (await spawned.get("/api/whoami")).status_code == 401
        assert (
            await daemon.post("/api/orchestrators/o1/actions", json={"action": "restart"})
        ).status_code == 403


async def test_deleting_an_agent_revokes_its_tokens(relay: httpx.AsyncClient) -> None:
    await register(relay, "temp")
    token = await mint(relay, "temp")
    async with as_token(relay, token) as temp:
        assert (await temp.get("/api/whoami")).status_code == 200
        assert (await relay.delete("/api/agents/temp")).status_code == 200
        assert (await temp.get("/api/whoami")).status_code == 401
    assert (await relay.get("/api/agents/temp/tokens")).json() == []


async def test_an_agent_may_mint_list_and_rotate_its_own_tokens(
    relay: httpx.AsyncClient, alice: httpx.AsyncClient
) -> None:
    old = (await alice.get("/api/agents/alice/tokens")).json()
    rotated = await alice.post("/api/agents/alice/tokens", json={"label": "rotated"})
    assert rotated.status_code == 201
    async with as_token(relay, rotated.json()["token"]) as fresh:
        assert (await fresh.delete(f"/api/agents/alice/tokens/{old[0]['id']}")).status_code == 200
        assert (await alice.get("/api/whoami")).status_code == 401
        assert (await fresh.get("/api/whoami")).json()["agentId"] == "alice"


async def test_register_with_issue_token(relay: httpx.AsyncClient) -> None:
    r = await relay.post("/api/agents", json={"id": "new", "name": "New", "issueToken": True})
    assert r.status_code == 201
    card = r.json()
    assert card["id"] == "new" and card["token"].startswith("art_")
    async with as_token(relay, card["token"]) as new:
        assert (await new.get("/api/whoami")).json() == {"role": "agent", "agentId": "new"}
    plain = (await relay.post("/api/agents", json={"id": "new", "name": "New"})).json()
    assert "token" not in plain


async def test_last_used_at_is_recorded(relay: httpx.AsyncClient, alice: httpx.AsyncClient) -> None:
    assert (await alice.get("/api/whoami")).status_code == 200
    for _ in range(50):  # written off the request path, by the writer
        listed = (await relay.get("/api/agents/alice/tokens")).json()
        if listed[0]["lastUsedAt"] is not None:
            break
        await asyncio.sleep(0.02)
    assert listed[0]["lastUsedAt"] >= listed[0]["createdAt"]


async def test_bad_token_input_is_a_400(relay: httpx.AsyncClient) -> None:
    r = await relay.post("/api/agents/a/tokens", json={"label": "x" * 121})
    assert r.status_code == 400 and "label" in r.json()["error"]
    r = await relay.delete("/api/agents/a/tokens/not-a-number")
    assert r.status_code == 400 and "tokenId" in r.json()["error"]
