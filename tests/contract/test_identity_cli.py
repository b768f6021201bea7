"""Agent tokens from the SDK and the `relay` command line, against a real server (§14)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from agent_relay_client import RelayAgent, RelayClient
from agent_relay_client.errors import RelayError

from tests.contract.test_cli import run
from tests.support import ServerProcess

ADMIN = "cli-admin"


# Each `relay` call is a Python start-up: on a loaded 2-core box a dozen of them take a while.
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def secured(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server per backend for the module (the tests use distinct agent ids)."""
    home = tmp_path_factory.mktemp("identity-cli")
    server = ServerProcess(database, home, env={"AGENT_RELAY_TOKEN": ADMIN}).start()
    try:
        yield server
    finally:
        server.stop()


def relay(url: str, token: str, *args: str) -> str:
    done = run(url, *args, env={"AGENT_RELAY_TOKEN": token})
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def test_token_create_whoami_and_send_as_the_agent(secured: ServerProcess) -> None:
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


def test_token_list_plain_create_and_revoke(secured: ServerProcess) -> None:
    url = secured.url
    # printed plainly, the secret alone goes to stdout (a script can capture it)
    env = {"AGENT_RELAY_TOKEN": ADMIN}
    plain = run(url, "token", "create", "carl", "--label", "laptop", "--no-json", env=env)
    assert plain.returncode == 0 and "shown once" in plain.stderr
    secret = plain.stdout.strip()
    assert secret.startswith("art_") and "\n" not in secret
    listed = relay(url, secret, "token", "list", "carl", "--no-json")  # its own tokens, as the agent
    assert "laptop" in listed and secret not in listed
    token_id = json.loads(relay(url, ADMIN, "token", "list", "carl", "--json"))[0]["id"]
    relay(url, ADMIN, "token", "revoke", "carl", str(token_id))
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
