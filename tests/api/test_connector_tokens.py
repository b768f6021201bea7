"""Relay-run connectors hold an agent token for their own channel agent, never the relay
token (§14): a one-off command's token is revoked when it ends; a supervised bridge keeps
its token until it is stopped; no token is in any argv."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.connectors.service import connector_agent_id
from agent_relay.settings import Settings

from tests.api.test_connectors_actions import fake

ADMIN = {"X-Agent-Relay-Token": "admin-tok"}
AGENT = "fakechat:acme"


@pytest.fixture
async def client(db_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=db_url,
        home=tmp_path / "home",
        reap_interval_ms=0,
        token="admin-tok",
        connector_start_check_ms=200,
        connector_stop_grace_ms=3_000,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay", headers=ADMIN) as c:
            yield c


async def register(client: httpx.AsyncClient, commands: dict[str, list[str]]) -> None:
    manifest = {
        "id": "fake", "name": "Fake", "version": "0.1.0", "description": "test",
        "channelType": "fakechat", "commands": commands,
    }  # fmt: skip
    response = await client.post(
        "/api/connectors", json={"manifest": manifest, "config": {"accountId": "acme"}}
    )
    assert response.status_code == 201, response.text


async def whoami(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/whoami", headers={"X-Agent-Relay-Token": token})


def test_the_connector_agent_id() -> None:
    assert connector_agent_id("c", {"channelType": "webhook"}, {"channelId": "hooks"}) == "hooks"
    assert connector_agent_id("c", {"channelType": "webhook"}, {"accountId": "e2e"}) == "webhook:e2e"
    assert connector_agent_id("c", {"channelType": "webhook"}, {}) == "webhook:default"
    assert connector_agent_id("c", {}, None) == "connector:c"


async def test_a_command_gets_a_token_revoked_when_it_ends(client: httpx.AsyncClient) -> None:
    await register(client, {"install": fake("env")})
    response = await client.post("/api/connectors/fake/actions", json={"action": "install"})
    assert response.status_code == 200, response.text
    env = dict(line.split("=", 1) for line in response.json()["output"].splitlines() if "=" in line)
    token = env["AGENT_RELAY_TOKEN"]
    assert token.startswith("art_") and env["AGENT_RELAY_AGENT_ID"] == AGENT
    assert (await whoami(client, token)).status_code == 401, "revoked once the command ended"
    assert (await client.get(f"/api/agents/{AGENT}/tokens")).json() == []


async def test_a_supervised_bridge_keeps_its_token_until_stopped(client: httpx.AsyncClient) -> None:
    await register(client, {"start": fake("bridge")})
    started = await client.post("/api/connectors/fake/actions", json={"action": "start"})
    assert started.status_code == 200, started.text
    pid = started.json()["process"]["pid"]
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        env = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
        token = env["AGENT_RELAY_TOKEN"]
        assert token.startswith("art_") and env["AGENT_RELAY_AGENT_ID"] == AGENT
        assert (await whoami(client, token)).json() == {"role": "agent", "agentId": AGENT}
        [listed] = (await client.get(f"/api/agents/{AGENT}/tokens")).json()
        assert listed["label"] == "connector fake"
        args = subprocess.run(
            ["ps", "-e", "-ww", "-o", "args"], capture_output=True, text=True, check=True
        ).stdout
        assert token not in args and "admin-tok" not in args
        again = await client.post("/api/connectors/fake/actions", json={"action": "start"})
        assert again.status_code == 200 and "already running" in again.json()["output"]
        assert (await whoami(client, token)).status_code == 200, "a second start keeps the running token"
        assert len((await client.get(f"/api/agents/{AGENT}/tokens")).json()) == 1
    finally:
        stopped = await client.post("/api/connectors/fake/actions", json={"action": "stop"})
    assert stopped.status_code == 200
    assert (await whoami(client, token)).status_code == 401, "stopping revokes it"
    assert (await client.get(f"/api/agents/{AGENT}/tokens")).json() == []
