from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings


@pytest.fixture
async def secured(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"token": "s3cret"}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://relay") as c,
    ):
        yield c


async def test_token_required_except_health(secured: httpx.AsyncClient) -> None:
    assert (await secured.get("/api/health")).status_code == 200
    denied = await secured.get("/api/agents")
    assert denied.status_code == 401 and denied.json() == {"error": "unauthorized"}
    assert (await secured.get("/api/agents", headers={"X-Agent-Relay-Token": "wrong"})).status_code == 401
    assert (await secured.get("/api/agents", headers={"X-Agent-Relay-Token": "s3cret"})).status_code == 200
    assert (await secured.get("/api/agents", headers={"Authorization": "Bearer s3cret"})).status_code == 200
    # ?token= is only for the SSE stream
    assert (await secured.get("/api/agents?token=s3cret")).status_code == 401


async def test_open_relay_needs_no_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/agents")).status_code == 200
