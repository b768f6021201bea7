"""Channels: summaries, bindings, route resolution and its explanation, events."""

from __future__ import annotations

import httpx

from tests.api.channel_helpers import (
    CHANNEL_ID,
    GUARD,
    bind,
    envelope,
    post_event,
    register_agent,
    register_channel,
)


async def test_channel_summaries_follow_the_seed(client: httpx.AsyncClient) -> None:
    await register_channel(client)  # kind channel, meta.channelType
    await register_agent(
        client, "telegram:bot7", name="Zed", tags=["channel", "channel:telegram"], ready=False
    )
    await register_agent(
        client,
        "hook-1",
        name="alpha hook",
        meta={
            "kind": "communication-channel",
            "type": "webhook",
            "channelId": "hooks",
            "accountId": "acct",
            "transport": "http",
            "direction": "inbound",
            "topicChannels": ["ops", 3, "dev"],
        },
    )
    await register_agent(client, "cap-1", name="Beta", capabilities=["channel"])
    await register_agent(client, "plain", name="Not a channel", tags=["python"])
    channels = (await client.get("/api/channels")).json()
    # ready first, then by name (case-insensitive); the unready Zed last
    assert [c["id"] for c in channels] == ["hooks", "cap-1", "slack:T1", "telegram:bot7"]
    by_id = {c["id"]: c for c in channels}
    assert by_id["slack:T1"] == {
        "id": "slack:T1",
        "name": "Slack bridge",
        "type": "slack",
        "transport": "slack",
        "agentId": "slack:T1",
        "accountId": "T1",
        "status": "online",
        "ready": True,
        "direction": "bidirectional",
        "topicChannels": [],
    }
    assert by_id["telegram:bot7"]["type"] == "telegram" and by_id["telegram:bot7"]["accountId"] == "bot7"
    hooks = by_id["hooks"]
    assert (hooks["agentId"], hooks["type"], hooks["transport"], hooks["accountId"]) == (
        "hook-1",
        "webhook",
        "http",
        "acct",
    )
    assert hooks["direction"] == "inbound" and hooks["topicChannels"] == ["ops", "dev"]
    assert by_id["cap-1"]["type"] == "custom" and by_id["cap-1"]["accountId"] == "cap-1"


async def test_binding_upsert_list_and_delete(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    first = await bind(client, "label:support", mode="claimable", priority=5)
    assert first["channelId"] == CHANNEL_ID and first["conversationId"] is None
    assert first["target"] == {"type": "label", "id": "support"} and first["mode"] == "claimable"
    assert first["priority"] == 5
    # the same (channel, conversation, target) updates; an object target is the same target
    again = await bind(client, {"type": "label", "id": "support"}, mode="broadcast")
    assert again["id"] == first["id"] and again["mode"] == "broadcast" and again["priority"] == 5
    conv = await bind(
        client, "cap:triage", conversationId="C1", priority=2.5
    )  # a non-integer priority is ignored
    assert conv["id"] != first["id"] and conv["conversationId"] == "C1" and conv["priority"] == 0
    assert conv["target"] == {"type": "capability", "id": "triage"}
    assert (await bind(client, "broadcast"))["target"] == {"type": "broadcast"}
    assert (await bind(client, {"type": "broadcast"}))["target"] == {"type": "broadcast"}
    listed = (await client.get("/api/channel-bindings", params={"channelId": CHANNEL_ID})).json()
    assert len(listed) == 3 and listed[0]["target"] == {"type": "broadcast"}, "newest first"
    assert (await client.get("/api/channel-bindings", params={"channelId": "other"})).json() == []
    # delete is guarded too
    unguarded = await client.delete(f"/api/channel-bindings/{first['id']}")
    assert unguarded.status_code == 400 and unguarded.json() == {"error": "channel session guard required"}
    deleted = await client.delete(f"/api/channel-bindings/{first['id']}", headers=GUARD)
    assert deleted.status_code == 200 and deleted.json()["id"] == first["id"]
    gone = await client.delete(f"/api/channel-bindings/{first['id']}", headers=GUARD)
    assert gone.status_code == 404 and gone.json() == {"error": "channel binding not found"}
    assert len((await client.get("/api/channel-bindings")).json()) == 2


async def _explain(client: httpx.AsyncClient, conversation: str | None = None) -> dict:
    params = {"conversationId": conversation} if conversation else {}
    response = await client.get(f"/api/channels/{CHANNEL_ID}/routes", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_route_resolution_tiers_priority_exclusive(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    for agent in ("a", "b", "c", "d"):
        await register_agent(client, agent)
    assert (await _explain(client))["tier"] is None
    # defaults without an exclusive binding: all of them
    b1 = await bind(client, "a", mode="broadcast")
    b2 = await bind(client, "b", mode="claimable")
    routes = await _explain(client, "C9")
    assert routes["tier"] == "default" and {b["id"] for b in routes["bindings"]} == {b1["id"], b2["id"]}
    assert all(c["chosen"] for c in routes["candidates"]) and routes["unreachable"] == []
    # an exclusive default wins alone, the highest priority first, then the newest
    low = await bind(client, "c", priority=1)
    high = await bind(client, "d", priority=9)
    routes = await _explain(client, "C9")
    assert [b["id"] for b in routes["bindings"]] == [high["id"]]
    reasons = {c["binding"]["id"]: (c["chosen"], c["tier"], c["reason"]) for c in routes["candidates"]}
    assert reasons[high["id"]][0] is True and "wins alone" in reasons[high["id"]][2]
    assert reasons[low["id"]][0] is False and f"exclusive binding {high['id']}" in reasons[low["id"]][2]
    assert reasons[b1["id"]][0] is False and "broadcast binding shadowed" in reasons[b1["id"]][2]
    assert {u["binding"]["id"] for u in routes["unreachable"]} == {low["id"], b1["id"], b2["id"]}
    tie = await bind(client, "e", priority=9)  # same priority, newer: wins
    assert [b["id"] for b in (await _explain(client))["bindings"]] == [tie["id"]]
    # conversation bindings take precedence over the defaults
    c1 = await bind(client, "a", conversationId="C1", mode="claimable")
    c2 = await bind(client, "b", conversationId="C1", mode="broadcast")
    routes = await _explain(client, "C1")
    assert routes["tier"] == "conversation"
    assert {b["id"] for b in routes["bindings"]} == {c1["id"], c2["id"]}
    defaults = [c for c in routes["candidates"] if c["tier"] == "default"]
    assert defaults and all(not c["chosen"] and "take precedence" in c["reason"] for c in defaults)
    assert all(c["to"] in ("a", "b", "c", "d", "e") for c in routes["candidates"])
    # the event path uses the same resolution
    sent = await post_event(client, envelope(conversation={"id": "C1", "type": "channel"}))
    assert sent.status_code == 201
    assert {b["id"] for b in sent.json()["bindings"]} == {c1["id"], c2["id"]}
    other = await post_event(client, envelope(conversation={"id": "C2", "type": "channel"}))
    assert [b["id"] for b in other.json()["bindings"]] == [tie["id"]]
    missing = await client.get("/api/channels/nope/routes")
    assert missing.status_code == 404 and missing.json() == {"error": "channel not found"}


async def test_event_reaches_bound_agents_inboxes(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    await register_agent(client, "solo")
    await register_agent(client, "r1", label="support")
    await register_agent(client, "r2", label="support")
    exclusive = await bind(client, "solo", conversationId="DM1")
    claimable = await bind(client, "label:support", mode="claimable")

    dm = await post_event(
        client, {"payload": envelope(conversation={"id": "DM1", "type": "dm"}), "body": "fallback"}
    )
    assert dm.status_code == 201, dm.text
    result = dm.json()
    assert result["created"] is True and [b["id"] for b in result["bindings"]] == [exclusive["id"]]
    (message,) = result["messages"]
    assert message["kind"] == "channel.event" and message["from"] == CHANNEL_ID and message["to"] == "solo"
    assert (
        message["channel"] == CHANNEL_ID and message["claimable"] is False and message["body"] == "fallback"
    )
    assert message["payload"]["conversation"]["id"] == "DM1"
    inbox = (await client.get("/api/inbox/solo")).json()
    assert [m["id"] for m in inbox] == [message["id"]]

    group = await post_event(client, envelope())  # conversation C1: no bindings there, defaults used
    assert group.status_code == 201
    (claim_msg,) = group.json()["messages"]
    assert claim_msg["to"] == "label:support" and claim_msg["claimable"] is True
    assert claim_msg["body"] == "hello agents", "message.text is the body"
    assert group.json()["bindings"][0]["id"] == claimable["id"]
    for reader in ("r1", "r2"):
        assert [m["id"] for m in (await client.get(f"/api/inbox/{reader}")).json()] == [claim_msg["id"]]
    won = await client.post(f"/api/messages/{claim_msg['id']}/claim", json={"agentId": "r1"})
    assert won.status_code == 200
    assert (await client.get("/api/inbox/r2")).json() == [], "a claimed event leaves the other inboxes"
    listed = (
        await client.get("/api/messages", params={"channel": CHANNEL_ID, "kind": "channel.event"})
    ).json()
    assert len(listed) == 2


async def test_event_idempotency_is_scoped_per_binding(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    for agent in ("a", "b"):
        await register_agent(client, agent)
    ba = await bind(client, "a", mode="broadcast")
    bb = await bind(client, "b", mode="broadcast")
    body = {"payload": envelope(dedupe={"key": "evt-1"})}
    first = await post_event(client, body)
    assert first.status_code == 201 and first.json()["created"] is True
    keys = sorted(m["idempotencyKey"] for m in first.json()["messages"])
    assert keys == sorted([f"evt-1:{ba['id']}", f"evt-1:{bb['id']}"])
    repeat = await post_event(client, body)
    assert repeat.status_code == 200 and repeat.json()["created"] is False
    assert sorted(m["id"] for m in repeat.json()["messages"]) == sorted(
        m["id"] for m in first.json()["messages"]
    )
    # an explicit idempotencyKey wins over payload.dedupe.key
    explicit = await post_event(client, {**body, "idempotencyKey": "evt-2"})
    assert explicit.status_code == 201
    assert all(m["idempotencyKey"].startswith("evt-2:") for m in explicit.json()["messages"])
    # a binding added later gets its own message for the same key; the others repeat
    await register_agent(client, "c")
    bc = await bind(client, "c", mode="broadcast")
    later = await post_event(client, body)
    assert later.status_code == 201 and later.json()["created"] is True
    created_for = [m for m in later.json()["messages"] if m["idempotencyKey"] == f"evt-1:{bc['id']}"]
    assert len(created_for) == 1 and created_for[0]["to"] == "c"
    assert len((await client.get("/api/messages")).json()) == 5
    # a key at the limit still fits the column once scoped
    long_key = await post_event(client, {**body, "idempotencyKey": "k" * 240})
    assert long_key.status_code == 201
    assert all(len(m["idempotencyKey"]) <= 240 for m in long_key.json()["messages"])
    assert (await post_event(client, {**body, "idempotencyKey": "k" * 240})).status_code == 200
    # without any key every post is new
    assert (await post_event(client, envelope())).status_code == 201
    assert (await post_event(client, envelope())).status_code == 201


async def test_wire_shapes_match_the_declared_models(client: httpx.AsyncClient) -> None:
    """The routes answer with hand-built dicts; the OpenAPI models must describe them."""
    from agent_relay.blobs.schemas import BlobOut
    from agent_relay.channels.schemas import (
        ChannelActivityOut,
        ChannelBindingOut,
        ChannelEventOut,
        ChannelRoutesOut,
        ChannelSummaryOut,
    )

    await register_channel(client)
    await register_agent(client, "a")
    binding = await bind(client, "a", conversationId="C1")
    await bind(client, "b", priority=3)
    await bind(client, "broadcast", mode="broadcast")
    ChannelBindingOut.model_validate(binding)
    for summary in (await client.get("/api/channels")).json():
        ChannelSummaryOut.model_validate(summary)
    routes = ChannelRoutesOut.model_validate((await client.get(f"/api/channels/{CHANNEL_ID}/routes")).json())
    assert routes.tier == "default" and len(routes.unreachable) == 1
    ChannelEventOut.model_validate((await post_event(client, envelope())).json())
    typing = envelope(event={"type": "typing.stopped"})
    activity = await client.post(f"/api/channels/{CHANNEL_ID}/activities", json=typing, headers=GUARD)
    ChannelActivityOut.model_validate(activity.json())
    BlobOut.model_validate((await client.post("/api/blobs", content=b"x")).json())
    spec = (await client.get("/openapi.json")).json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "list_channels",
        "explain_channel_routes",
        "post_channel_event",
        "post_channel_activity",
        "list_channel_bindings",
        "bind_channel",
        "unbind_channel",
        "upload_blob",
        "download_blob",
    } <= operations
    body = spec["paths"]["/api/channel-bindings"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["channelId", "target"]


async def test_delete_binding_guard_and_orphans(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    binding = await bind(client, "a")
    await register_channel(client, instanceId="bridge-2", epoch=2)
    stale = await client.delete(f"/api/channel-bindings/{binding['id']}", headers=GUARD)
    assert stale.status_code == 409 and stale.json() == {"error": "agent session superseded"}
    other = await bind_as(client, "b", {"X-Agent-Instance-Id": "bridge-2", "X-Agent-Epoch": "2"})
    # once the channel agent is gone, its bindings can still be cleaned up
    assert (await client.delete(f"/api/agents/{CHANNEL_ID}")).status_code == 200
    assert (await client.delete(f"/api/channel-bindings/{other['id']}")).status_code == 200
    assert [b["id"] for b in (await client.get("/api/channel-bindings")).json()] == [binding["id"]]
    assert (await client.delete("/api/channel-bindings/0")).status_code == 400


async def bind_as(client: httpx.AsyncClient, target: str, headers: dict[str, str]) -> dict:
    response = await client.post(
        "/api/channel-bindings", json={"channelId": CHANNEL_ID, "target": target}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_agent_reply_reaches_the_channel_agent(client: httpx.AsyncClient) -> None:
    """The loop a connector runs: inbound event -> bound agent's inbox -> reply addressed
    to the channel agent -> the channel agent's inbox."""
    await register_channel(client)
    await register_agent(client, "helper")
    await bind(client, "helper")
    event = (await post_event(client, envelope())).json()["messages"][0]
    (received,) = (await client.get("/api/inbox/helper", params={"unread": "true"})).json()
    assert received["id"] == event["id"] and received["payload"]["actor"]["id"] == "U1"
    reply = await client.post(
        "/api/messages",
        json={"from": "helper", "to": received["from"], "body": "on it", "replyTo": received["id"]},
    )
    assert reply.status_code == 201
    inbox = (await client.get(f"/api/inbox/{CHANNEL_ID}", headers=GUARD)).json()
    assert [(m["from"], m["body"], m["replyTo"]) for m in inbox] == [("helper", "on it", event["id"])]
