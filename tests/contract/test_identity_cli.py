"""Agent tokens from the SDK and the `relay` command line, against a real server (§14)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from agent_relay_client import RelayAgent, RelayClient
from agent_relay_client.errors import RelayError

from tests.contract.test_cli import run
from tests.support import ServerProcess

ADMIN = "cli-admin"


@pytest.fixture
def secured(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, tmp_path / "home", env={"AGENT_RELAY_TOKEN": ADMIN}).start()
    try:
        yield server
    finally:
        server.stop()


def relay(url: str, token: str, *args: str) -> str:
    done = run(url, *args, env={"AGENT_RELAY_TOKEN": token})
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def test_token_create_list_revoke_and_whoami(secured: ServerProcess) -> None:
    url = secured.url
    assert relay(url, ADMIN, "whoami", "--no-json").strip() == "admin"
    relay(url, ADMIN, "register", "alice")
    issued = json.loads(relay(url, ADMIN, "token", "create", "alice", "--label", "laptop", "--json"))
    assert issued["agentId"] == "alice" and issued["token"].startswith("art_")
    secret = issued["token"]
    assert relay(url, secret, "whoami", "--no-json").strip() == "agent alice"
    assert json.loads(relay(url, secret, "whoami", "--json")) == {"role": "agent", "agentId": "alice"}
    # `relay send` without --from sends as the token's agent
    sent = json.loads(relay(url, secret, "send", "--to", "bob", "hello", "--json"))
    assert sent["from"] == "alice"
    refused = run(url, "send", "--to", "bob", "--from", "bob", "hi", env={"AGENT_RELAY_TOKEN": secret})
    assert refused.returncode == 1 and "403 token is for agent alice" in refused.stderr
    listed = relay(url, ADMIN, "token", "list", "alice", "--no-json")
    assert "laptop" in listed and secret not in listed
    assert [t["id"] for t in json.loads(relay(url, secret, "token", "list", "alice", "--json"))] == [
        issued["id"]
    ]
    # printed plainly, the secret alone goes to stdout (a script can capture it)
    plain = run(url, "token", "create", "alice", "--no-json", env={"AGENT_RELAY_TOKEN": ADMIN})
    assert plain.returncode == 0 and plain.stdout.strip().startswith("art_") and "shown once" in plain.stderr
    relay(url, ADMIN, "token", "revoke", "alice", str(issued["id"]))
    gone = run(url, "whoami", env={"AGENT_RELAY_TOKEN": secret})
    assert gone.returncode == 1 and "401" in gone.stderr


def test_sdk_with_an_agent_token(secured: ServerProcess) -> None:
    with RelayClient(secured.url, token=ADMIN) as admin:
        admin.register("bob")
        token = admin.create_agent_token("alice", body={"label": "sdk"}).token
        with RelayClient(secured.url, token=token) as alice:
            assert alice.has_agent_token and alice.get_whoami().agent_id == "alice"
            assert alice.send("bob", "hi").from_ == "alice"
            with pytest.raises(RelayError) as refused:
                alice.inbox("bob")
            assert refused.value.status == 403
        assert admin.send("bob", "from the operator").from_ == "user"  # the admin's default, as before
        card = admin.register_agent(body={"id": "carol", "name": "Carol", "issueToken": True})
        assert card.id == "carol" and card["token"].startswith("art_")  # an extra key of the card
        with RelayAgent("alice", url=secured.url, token=token, heartbeat_interval=60) as agent:
            agent.send("bob", "as the agent")
            admin.send("alice", "ping")
            got = next(agent.messages(wait=5))
            assert got.body == "ping"
