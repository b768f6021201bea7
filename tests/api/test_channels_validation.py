"""Every seed validation path of the channel routes, with its exact message, in order."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.channel_helpers import (
    CHANNEL_ID,
    DROP,
    GUARD,
    bind,
    envelope,
    post_event,
    register_agent,
    register_channel,
)

ORCH = "orchestrator channel targets are not supported yet"
ATTACH_TYPE = "payload.attachments[0].ref.type must be relay-blob, external-url, or channel-file"
CONTENT = "channel payload must include message, attachments, reaction, interaction, or activity"


async def _expect(response: httpx.Response, status: int, message: str, case: Any) -> None:
    assert response.status_code == status, (case, response.status_code, response.text)
    assert response.json() == {"error": message}, case


async def test_binding_input_errors(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    ok = {"channelId": CHANNEL_ID, "target": "agent-1"}
    cases: list[tuple[Any, str]] = [
        ([1, 2], "JSON object body required"),
        ({"target": "a"}, "channelId required"),
        ({**ok, "channelId": "   "}, "channelId required"),
        ({**ok, "channelId": 7}, "channelId must be a string"),
        ({**ok, "channelId": "c" * 201}, "channelId must be at most 200 characters"),
        ({**ok, "conversationId": "x" * 301}, "conversationId must be at most 300 characters"),
        ({**ok, "conversationId": 3}, "conversationId must be a string"),
        ({**ok, "mode": "loud"}, "mode must be one of: exclusive, claimable, broadcast"),
        (
            {**ok, "target": {"type": "robot", "id": "x"}},
            "target.type must be one of: agent, label, tag, capability, broadcast, orchestrator",
        ),
        ({**ok, "target": {"type": "label"}}, "target.id required"),
        ({**ok, "target": {"type": "tag", "id": "t" * 241}}, "target.id must be at most 240 characters"),
        ({**ok, "target": {"type": "orchestrator", "id": "o1"}}, ORCH),
        ({**ok, "target": "orchestrator:o1"}, ORCH),
        ({"channelId": CHANNEL_ID}, "target required"),
        ({**ok, "target": 5}, "target required"),
        ({**ok, "target": ""}, "target required"),
        # seed order: mode is checked before target
        (
            {**ok, "mode": "loud", "target": "orchestrator:o1"},
            "mode must be one of: exclusive, claimable, broadcast",
        ),
    ]
    for body, message in cases:
        response = await client.post("/api/channel-bindings", json=body, headers=GUARD)
        await _expect(response, 400, message, body)
    bad_json = await client.post(
        "/api/channel-bindings", content=b"{nope", headers={**GUARD, "Content-Type": "application/json"}
    )
    await _expect(bad_json, 400, "invalid JSON body", "bad json")


async def test_binding_channel_and_guard(client: httpx.AsyncClient) -> None:
    missing = await client.post(
        "/api/channel-bindings", json={"channelId": "nope", "target": "a"}, headers=GUARD
    )
    await _expect(missing, 404, "channel not found", "unknown channel")
    await register_channel(client)
    body = {"channelId": CHANNEL_ID, "target": "a"}
    await _expect(
        await client.post("/api/channel-bindings", json=body), 400, "channel session guard required", 1
    )
    # a newer bridge process takes over; the old one is fenced off (headers or body)
    await register_channel(client, instanceId="bridge-2", epoch=2)
    stale = await client.post("/api/channel-bindings", json=body, headers=GUARD)
    await _expect(stale, 409, "agent session superseded", "stale header guard")
    stale_body = await client.post(
        "/api/channel-bindings", json={**body, "instanceId": "bridge-1", "epoch": 1}
    )
    await _expect(stale_body, 409, "agent session superseded", "stale body guard")
    fresh = await client.post("/api/channel-bindings", json={**body, "instanceId": "bridge-2", "epoch": 2})
    assert fresh.status_code == 201


async def test_event_channel_and_guard(client: httpx.AsyncClient) -> None:
    await _expect(await post_event(client, envelope(), "nope"), 404, "channel not found", "unknown")
    await register_channel(client)
    no_guard = await client.post(f"/api/channels/{CHANNEL_ID}/events", json=envelope())
    await _expect(no_guard, 400, "channel session guard required", "no guard")
    await register_channel(client, instanceId="bridge-2", epoch=2)
    await _expect(await post_event(client, envelope()), 409, "agent session superseded", "stale")


async def test_event_envelope_errors_in_seed_order(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    await register_agent(client, "worker")
    await bind(client, "worker")
    long_text = "x" * 301
    cases: list[tuple[Any, str]] = [
        # normalizeChannelEventBody
        ([], "JSON object body required"),
        ({"payload": envelope(), "body": 5}, "body must be a string"),
        (envelope(message={"text": 5}), "payload.message.text must be a string"),
        ({"payload": envelope(), "conversationId": 9}, "conversationId must be a string"),
        (
            envelope(conversation={"id": long_text, "type": "dm"}),
            "payload.conversation.id must be at most 300 characters",
        ),
        (
            {"payload": envelope(), "idempotencyKey": "k" * 241},
            "idempotencyKey must be at most 240 characters",
        ),
        (envelope(dedupe={"key": "k" * 241}), "payload.dedupe.key must be at most 240 characters"),
        # validateChannelEnvelope
        (envelope(schema=DROP), "payload.schema required"),
        (envelope(schema="agent-relay.channel.v2"), "payload.schema must be agent-relay.channel.v1"),
        (envelope(schema="s" * 81), "payload.schema must be at most 80 characters"),
        (envelope(channel="slack"), "payload.channel must be an object"),
        (envelope(channel={"accountId": "T1", "agentId": CHANNEL_ID}), "payload.channel.provider required"),
        (
            envelope(channel={"provider": "slack", "agentId": CHANNEL_ID}),
            "payload.channel.accountId required",
        ),
        (envelope(channel={"provider": "slack", "accountId": "T1"}), "payload.channel.agentId required"),
        (
            envelope(channel={"provider": "discord", "accountId": "T1", "agentId": CHANNEL_ID}),
            "payload.channel does not match channel identity",
        ),
        (
            envelope(channel={"provider": "slack", "accountId": "T2", "agentId": CHANNEL_ID}),
            "payload.channel does not match channel identity",
        ),
        (
            envelope(channel={"provider": "slack", "accountId": "T1", "agentId": "other"}),
            "payload.channel does not match channel identity",
        ),
        (envelope(direction=DROP), "payload.direction required"),
        (envelope(direction="sideways"), "payload.direction must be inbound or outbound"),
        (envelope(conversation=DROP), "payload.conversation must be an object"),
        (envelope(conversation={"type": "dm"}), "payload.conversation.id required"),
        (envelope(conversation={"id": "C1"}), "payload.conversation.type required"),
        (envelope(actor=["U1"]), "payload.actor must be an object"),
        (envelope(actor={"kind": "user"}), "payload.actor.id required"),
        (envelope(actor={"id": "U1"}), "payload.actor.kind required"),
        (envelope(event=DROP), "payload.event must be an object"),
        (envelope(event={}), "payload.event.type required"),
        (envelope(event={"type": "e" * 81}), "payload.event.type must be at most 80 characters"),
        # validateChannelAttachmentRefs
        (envelope(attachments={"ref": {}}), "payload.attachments must be an array"),
        (envelope(attachments=["file"]), "payload.attachments[0] must be an object"),
        (envelope(attachments=[{"name": "a.png"}]), "payload.attachments[0].ref must be an object"),
        (envelope(attachments=[{"ref": {}}]), "payload.attachments[0].ref.type required"),
        (envelope(attachments=[{"ref": {"type": "ftp"}}]), ATTACH_TYPE),
        (
            envelope(attachments=[{"ref": {"type": "external-url"}}]),
            "payload.attachments[0].ref.url required",
        ),
        (
            envelope(attachments=[{"ref": {"type": "external-url", "url": "u" * 2049}}]),
            "payload.attachments[0].ref.url must be at most 2048 characters",
        ),
        (
            envelope(
                attachments=[
                    {"ref": {"type": "external-url", "url": "https://x"}},
                    {"ref": {"type": "relay-blob"}},
                ]
            ),
            "payload.attachments[1].ref.id required",
        ),
        (envelope(attachments=[{"ref": {"type": "channel-file"}}]), "payload.attachments[0].ref.id required"),
        # validateChannelPayloadContent
        (envelope(message=DROP), CONTENT),
        (envelope(activity={"kind": "typing"}), "channel activity must use /api/channels/:id/activities"),
        # ephemeral refusal
        (
            envelope(event={"type": "typing.started"}),
            "ephemeral channel activity must use /api/channels/:id/activities",
        ),
        (
            envelope(event={"type": "presence.updated"}),
            "ephemeral channel activity must use /api/channels/:id/activities",
        ),
        # relay-blob refs must name a stored blob
        (
            envelope(
                attachments=[
                    {"ref": {"type": "external-url", "url": "https://x"}},
                    {"ref": {"type": "relay-blob", "id": "f" * 64}},
                ]
            ),
            f"payload.attachments[1].ref.id names an unknown blob: {'f' * 64}",
        ),
        # several faults: the first in the seed's order wins
        (
            envelope(schema="v0", channel=None, direction="up"),
            "payload.schema must be agent-relay.channel.v1",
        ),
        (envelope(direction="up", actor=None, event=None), "payload.direction must be inbound or outbound"),
        (envelope(event={"type": "typing.started"}, message=DROP), CONTENT),
    ]
    for body, message in cases:
        await _expect(await post_event(client, body), 400, message, body)
    # nothing was stored by any of them
    assert (await client.get("/api/messages")).json() == []


async def test_event_without_binding_is_409(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    await _expect(await post_event(client, envelope()), 409, "channel has no binding", "no binding")


async def test_activity_errors(client: httpx.AsyncClient) -> None:
    url = f"/api/channels/{CHANNEL_ID}/activities"
    await _expect(
        await client.post("/api/channels/nope/activities", json=envelope(), headers=GUARD),
        404,
        "channel not found",
        1,
    )
    await register_channel(client)
    await _expect(await client.post(url, json=envelope()), 400, "channel session guard required", 2)
    cases: list[tuple[Any, str]] = [
        ([], "JSON object body required"),
        (envelope(schema="x"), "payload.schema must be agent-relay.channel.v1"),
        (envelope(event={"type": "typing.started"}, message=DROP), CONTENT),
        (envelope(), "channel activity payload must include an ephemeral event type or activity object"),
        (envelope(event={"type": "typing.started"}, actor=DROP), "payload.actor must be an object"),
    ]
    for body, message in cases:
        await _expect(await client.post(url, json=body, headers=GUARD), 400, message, body)


async def test_activity_object_or_ephemeral_type_is_accepted(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    url = f"/api/channels/{CHANNEL_ID}/activities"
    # an `activity` object makes any event type an activity ({} counts, as in the seed)
    custom = await client.post(url, json=envelope(event={"type": "custom.poke"}, activity={}), headers=GUARD)
    assert custom.status_code == 202 and custom.json()["activity"]["payload"]["activity"] == {}
    read = envelope(event={"type": "message.read"}, message={"id": "m1"})
    wrapped = await client.post(url, json={"payload": read, "conversationId": "C7"}, headers=GUARD)
    assert wrapped.status_code == 202 and wrapped.json()["activity"]["conversationId"] == "C7"
    assert (await client.get("/api/messages")).json() == []
