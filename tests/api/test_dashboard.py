"""The dashboard's server side (§17): `/` and `/dashboard/*` are served by the relay with a
strict CSP, outside the API schema, with no way out of the static folder; the agents view's
counts (`/api/dashboard/agent-stats`) are admin only and read nothing into the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.dashboard.router import FILES
from agent_relay.settings import Settings

ADMIN = "dash-admin"


@pytest.fixture
async def relay(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"token": ADMIN}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://relay",
            headers={"X-Agent-Relay-Token": ADMIN},
        ) as c,
    ):
        yield c


async def test_the_page_and_its_files_are_served_with_a_strict_policy(relay: httpx.AsyncClient) -> None:
    anonymous = httpx.AsyncClient(transport=relay._transport, base_url="http://relay")
    page = await anonymous.get("/")  # no token needed to load the page: it asks for one
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp  # no CDN, no inline script
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="/dashboard/app.js">' in page.text
    script = await anonymous.get("/dashboard/app.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["content-security-policy"] == csp
    for name in ("style.css", "lib/api.js", "lib/live.js", "views/agents.js", "views/messages.js"):
        assert name in FILES, name
    again = await anonymous.get("/dashboard/app.js", headers={"If-None-Match": script.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/dashboard/../router.py", "/dashboard/%2e%2e/router.py", "/dashboard/nope.js", "/dashboard/"]
)
async def test_nothing_outside_the_static_files_is_served(relay: httpx.AsyncClient, path: str) -> None:
    r = await relay.get(path)
    assert r.status_code == 404
    assert r.json() == {"error": "not found"}


async def test_the_dashboard_is_not_in_the_api_schema(relay: httpx.AsyncClient) -> None:
    paths = (await relay.get("/openapi.json")).json()["paths"]
    assert "/" not in paths
    assert not [p for p in paths if p.startswith(("/dashboard", "/api/dashboard"))]


async def test_agent_stats_count_unread_and_live_claims_without_delivering(relay: httpx.AsyncClient) -> None:
    for agent in ("ann", "bob"):
        r = await relay.post("/api/agents", json={"id": agent, "name": agent, "tags": ["crew"]})
        assert r.status_code == 201
    send = lambda **m: relay.post("/api/messages", json={"from": "ann", **m})  # noqa: E731
    direct = (await send(to="bob", body="one")).json()
    await send(to="tag:crew", body="to the crew")  # reaches bob; a sender never sees its own
    job = (await send(to="bob", body="job", claimable=True)).json()
    assert (await relay.post(f"/api/messages/{job['id']}/claim", json={"agentId": "bob"})).status_code == 200
    done = (await send(to="bob", body="done job", claimable=True)).json()
    await relay.post(f"/api/messages/{done['id']}/claim", json={"agentId": "bob"})
    await relay.post(f"/api/messages/{done['id']}/ack", json={"agentId": "bob"})  # completes it
    stats = (await relay.get("/api/dashboard/agent-stats")).json()
    assert stats["bob"] == {"unread": 3, "openClaims": 1}  # one, to the crew, job
    assert stats["ann"] == {"unread": 0, "openClaims": 0}
    # Counting is not reading: the ledger still shows the direct message as pending.
    ledger = (await relay.get(f"/api/messages/{direct['id']}/deliveries")).json()
    assert [row["state"] for row in ledger] == ["pending"]


async def test_agent_stats_are_admin_only(relay: httpx.AsyncClient) -> None:
    await relay.post("/api/agents", json={"id": "eve", "name": "eve"})
    token = (await relay.post("/api/agents/eve/tokens", json={})).json()["token"]
    as_eve = httpx.AsyncClient(
        transport=relay._transport, base_url="http://relay", headers={"X-Agent-Relay-Token": token}
    )
    r = await as_eve.get("/api/dashboard/agent-stats")
    assert r.status_code == 403 and r.json() == {"error": "admin token required"}
    anonymous = httpx.AsyncClient(transport=relay._transport, base_url="http://relay")
    assert (await anonymous.get("/api/dashboard/agent-stats")).status_code == 401
