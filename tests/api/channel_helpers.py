"""Shared helpers for the channel tests: a registered channel agent and valid envelopes."""

from __future__ import annotations

import copy
from typing import Any

import httpx

CHANNEL_ID = "slack:T1"
GUARD = {"X-Agent-Instance-Id": "bridge-1", "X-Agent-Epoch": "1"}


async def register_channel(
    client: httpx.AsyncClient, agent_id: str = CHANNEL_ID, **extra: Any
) -> dict[str, Any]:
    body = {
        "id": agent_id,
        "name": "Slack bridge",
        "kind": "channel",
        "meta": {"channelType": "slack"},
        "instanceId": "bridge-1",
        "epoch": 1,
        **extra,
    }
    response = await client.post("/api/agents", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def register_agent(client: httpx.AsyncClient, agent_id: str, **extra: Any) -> None:
    response = await client.post("/api/agents", json={"id": agent_id, "name": agent_id, **extra})
    assert response.status_code in (200, 201), response.text


async def bind(client: httpx.AsyncClient, target: Any, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/channel-bindings", json={"channelId": CHANNEL_ID, "target": target, **extra}, headers=GUARD
    )
    assert response.status_code == 201, response.text
    return response.json()


def envelope(**overrides: Any) -> dict[str, Any]:
    """A valid inbound message envelope for the slack:T1 channel."""
    payload: dict[str, Any] = {
        "schema": "agent-relay.channel.v1",
        "channel": {"provider": "slack", "accountId": "T1", "agentId": CHANNEL_ID},
        "direction": "inbound",
        "conversation": {"id": "C1", "type": "channel"},
        "actor": {"id": "U1", "kind": "user"},
        "event": {"type": "message.created"},
        "message": {"text": "hello agents"},
    }
    for key, value in overrides.items():
        if value is DROP:
            payload.pop(key, None)
        else:
            payload[key] = copy.deepcopy(value)
    return payload


DROP: Any = object()  # envelope(field=DROP) leaves the field out


async def post_event(client: httpx.AsyncClient, body: Any, channel_id: str = CHANNEL_ID) -> httpx.Response:
    return await client.post(f"/api/channels/{channel_id}/events", json=body, headers=GUARD)
