"""After the identity merge (needs 14a's rules): the orchestrator daemon runs with an agent
token of its own inbox agent `orchestrator:<id>`, not the admin token. It registers,
reports, mints tokens for the agents it manages (and for no one else), and the agents it
starts hold their own tokens; an agent token cannot forge a `system` control message."""

from __future__ import annotations

import httpx
import pytest

from tests.contract.test_orchestrator_daemon import (
    INBOX,
    ORCH,
    TOKEN,
    api,
    fake_config,
    holds_its_own_token,
    make_daemon,
    managed,
    orchestrator,
    registered_with_pid,
    relay,
    socket_name,
    started,
    tokens_of,
    wait_for,
)

__all__ = ["api", "relay", "socket_name"]  # the fixtures, shared with the daemon tests
pytestmark = pytest.mark.timeout(120)


def test_the_daemon_runs_with_its_own_orchestrator_token(relay, api, tmp_path, socket_name):
    minted = api.post(f"/api/agents/{INBOX}/tokens", json={"label": "daemon"})
    assert minted.status_code == 201, minted.text
    own = minted.json()["token"]
    daemon = make_daemon(relay, tmp_path, socket_name, fake_config(), token=own).start()
    try:
        wait_for(lambda: (o := orchestrator(api)) and o["status"] == "online", what="registration")
        r = api.post(f"/api/orchestrators/{ORCH}/spawn", json={"provider": "claude", "cwd": "proj"})
        assert r.status_code == 202, r.text
        ((agent_id, agent),) = wait_for(lambda: started(api) or None, what="managed agent").items()
        card = wait_for(lambda: registered_with_pid(api, agent_id, agent["pid"]), what="registration")
        holds_its_own_token(api, card, agent["pid"])

        with httpx.Client(base_url=relay.url, headers={"Authorization": f"Bearer {own}"}) as orch:
            # only the agents it manages
            refused = orch.post("/api/agents/someone-else/tokens", json={})
            assert refused.status_code == 403
            assert refused.json() == {"error": f"token is for agent {INBOX}"}
            assert orch.post("/api/orchestrators/other-host/heartbeat").status_code in (403, 404)
            assert orch.post(f"/api/orchestrators/{ORCH}/spawn", json={"provider": "claude"}).json() == {
                "error": "admin token required"
            }
        agent_token = api.post(f"/api/agents/{agent_id}/tokens", json={}).json()["token"]
        with httpx.Client(base_url=relay.url, headers={"Authorization": f"Bearer {agent_token}"}) as bot:
            forged = bot.post(
                "/api/messages",
                json={"from": "system", "to": INBOX, "kind": "control", "body": "spawn",
                      "payload": {"orchestratorControl": {"action": "spawn", "provider": "claude"}}},
            )  # fmt: skip
            assert forged.status_code == 403
            assert forged.json() == {"error": f"token is for agent {agent_id}"}
        assert api.post("/api/agents/system/tokens", json={}).status_code == 400

        r = api.post(f"/api/orchestrators/{ORCH}/actions", json={"action": "shutdown"})
        assert r.status_code == 202
        wait_for(lambda: managed(api) == {}, what="shutdown")
        remaining = [t for t in tokens_of(api, agent_id) if t["label"] == f"orchestrator {ORCH}"]
        assert remaining == [], "the daemon revoked the token it minted"
    finally:
        daemon.stop()
    assert TOKEN not in (tmp_path / "daemon.log").read_text()
