"""Identity (contract §14): agent tokens act as their agent only, admin-only routes refuse
them, visibility follows identity. Every client here is in-process over one app."""

from __future__ import annotations

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
