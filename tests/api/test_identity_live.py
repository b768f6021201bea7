"""Identity against real server processes: an agent token's SSE stream carries only what
concerns it, and a revoked token stops working in every worker process (PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agent_relay.principal import TOKEN_CACHE_TTL_S

from tests.api.test_events_stream import read_events
from tests.support import ServerProcess, fresh_database, postgres_admin_url

ADMIN = {"X-Agent-Relay-Token": "live-admin"}


@pytest.fixture
def secured_server(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, tmp_path / "home", env={"AGENT_RELAY_TOKEN": "live-admin"}).start()
    try:
        yield server
    finally:
        server.stop()


def call(url: str, method: str, path: str, token: dict[str, str], body: dict | None = None) -> httpx.Response:
    return httpx.request(method, url + path, json=body, headers=token, timeout=20)


def mint(url: str, agent_id: str) -> dict[str, str]:
    call(url, "POST", "/api/agents", ADMIN, {"id": agent_id, "name": agent_id})
    r = call(url, "POST", f"/api/agents/{agent_id}/tokens", ADMIN)
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_an_agent_token_s_stream_carries_only_what_concerns_it(secured_server: ServerProcess) -> None:
    url = secured_server.url
    bob = mint(url, "bob")
    for agent in ("carol", "dave"):
        call(url, "POST", "/api/agents", ADMIN, {"id": agent, "name": agent})
    send = {"from": "carol", "body": "x"}
    assert call(url, "POST", "/api/messages", ADMIN, {**send, "to": "dave"}).status_code == 201
    assert call(url, "POST", "/api/messages", ADMIN, {**send, "to": "bob"}).status_code == 201
    assert (
        call(url, "POST", "/api/messages", ADMIN, {**send, "to": "bob", "subject": "last"}).status_code == 201
    )
    # another agent's stream: refused before it opens
    refused = httpx.get(f"{url}/api/events", params={"agentId": "dave"}, headers=bob, timeout=10)
    assert refused.status_code == 403 and refused.json() == {"error": "token is for agent bob"}
    seen: list[dict] = []
    # EventSource style (?token=), no agentId: still only bob's events, replayed from the start
    token = bob["Authorization"].removeprefix("Bearer ")
    with httpx.stream(
        "GET", f"{url}/api/events", params={"after": "0", "token": token}, timeout=10
    ) as response:
        assert response.status_code == 200
        for item in read_events(response):
            if "event" in item:
                seen.append(item)
                if item["data"].get("subject") == "last":
                    break
    messages = [e["data"] for e in seen if e["event"] == "message.new"]
    assert [(m["from"], m["to"]) for m in messages] == [("carol", "bob"), ("carol", "bob")]
    statuses = {e["data"]["id"] for e in seen if e["event"] == "agent.status"}
    assert statuses <= {"bob"}
    with httpx.stream(
        "GET", f"{url}/api/events", params={"after": "0"}, headers=ADMIN, timeout=10
    ) as response:
        admin_seen = []
        for item in read_events(response):
            if "event" in item:
                admin_seen.append(item)
                if item["data"].get("subject") == "last":
                    break
    assert any(e["data"].get("to") == "dave" for e in admin_seen)  # the admin sees everything


@pytest.mark.skipif(
    postgres_admin_url() is None, reason="needs PostgreSQL: set AGENT_RELAY_TEST_POSTGRES_URL"
)
def test_a_revoked_token_stops_working_in_every_worker(tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("revoke")
    with fresh_database("postgres", home) as db:
        server = ServerProcess(db, home / "s", env={"AGENT_RELAY_TOKEN": "live-admin"}, workers=2).start()
        try:
            url = server.url
            alice = mint(url, "alice")
            # warm both workers' caches (new connections land on either worker)
            for _ in range(20):
                assert httpx.get(f"{url}/api/whoami", headers=alice, timeout=10).status_code == 200
            token_id = call(url, "GET", "/api/agents/alice/tokens", ADMIN).json()[0]["id"]
            assert call(url, "DELETE", f"/api/agents/alice/tokens/{token_id}", ADMIN).status_code == 200
            time.sleep(TOKEN_CACHE_TTL_S + 0.5)
            codes = {httpx.get(f"{url}/api/whoami", headers=alice, timeout=10).status_code for _ in range(20)}
            assert codes == {401}
        finally:
            server.stop()
