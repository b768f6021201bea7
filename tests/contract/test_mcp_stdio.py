"""`relay mcp --agent ID` (contract §16) against a real relay: MCP clients (the official
SDK's) spawn it over stdio; it registers the agent with a fresh session, forwards the tools
to the relay's /mcp, and stops when a newer process registers as the same agent."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters, stdio_client

from tests.contract.conftest import wipe_keeping_events
from tests.support import ServerProcess

ADMIN = "stdio-admin-token"
RELAY = [sys.executable, "-m", "agent_relay_client.cli"]
EIGHT = {
    "whoami",
    "list_agents",
    "send_message",
    "check_inbox",
    "claim_message",
    "ack_message",
    "release_message",
    "get_thread",
}


@pytest.fixture(scope="module")
def server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(database, tmp_path_factory.mktemp("mcp-server"), env={"AGENT_RELAY_TOKEN": ADMIN})
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def admin(server: ServerProcess, database: str) -> Iterator[httpx.Client]:
    wipe_keeping_events(database)
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30
    ) as client:
        yield client


def mint(admin: httpx.Client, agent_id: str) -> str:
    assert admin.post("/api/agents", json={"id": agent_id, "name": agent_id}).status_code in (200, 201)
    r = admin.post(f"/api/agents/{agent_id}/tokens", json={"label": "stdio"})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def env_for(server: ServerProcess, token: str) -> dict[str, str]:
    """What the MCP client passes to the command: the relay's URL and a token, never in argv."""
    return {
        "AGENT_RELAY_URL": server.url,
        "AGENT_RELAY_TOKEN": token,
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }


@asynccontextmanager
async def stdio(server: ServerProcess, token: str, *args: str, errlog: Path) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=RELAY[0], args=[*RELAY[1:], "mcp", *args], env=env_for(server, token)
    )
    with errlog.open("w") as err:
        async with Client(stdio_client(params, errlog=err)) as client:
            yield client


def text(result: Any) -> str:
    return result.content[0].text


async def test_two_stdio_agents_race_for_work_and_complete_it(
    server: ServerProcess, admin: httpx.Client, tmp_path: Path
) -> None:
    w1_token = mint(admin, "w1")  # w1 holds its own agent token; w2 runs with the admin token
    async with (
        stdio(server, w1_token, "--agent", "w1", "--label", "workers", errlog=tmp_path / "w1.log") as w1,
        stdio(server, ADMIN, "--agent", "w2", "--label", "workers", errlog=tmp_path / "w2.log") as w2,
    ):
        listed = await w1.list_tools()
        assert {t.name for t in listed.tools} == EIGHT
        wire = json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in listed.tools])
        assert len(wire) < 8000
        handshake = w1.session.initialize_result or w1.session.discover_result
        assert "claim_message" in (handshake.instructions or "")  # type: ignore[union-attr]

        # each registered itself with a fresh session
        for agent_id in ("w1", "w2"):
            card = admin.get(f"/api/agents/{agent_id}").json()
            assert card["label"] == "workers" and card["status"] == "online"
            assert card["instanceId"] and card["epoch"] > 0

        sent = await w2.call_tool(
            "send_message",
            {"to": "label:workers", "body": "ship it", "subject": "Release", "claimable": True},
        )
        assert not sent.is_error, text(sent)
        mid = sent.structured_content["message"]["id"]
        assert sent.structured_content["message"]["from"] == "w2"

        inbox = await w1.call_tool("check_inbox", {"waitSeconds": 5})
        assert f"#{mid} from w2 to label:workers" in text(inbox) and "Subject: Release" in text(inbox)

        first = await w1.call_tool("claim_message", {"messageId": mid})
        assert not first.is_error and first.structured_content["message"]["claimedBy"] == "w1"
        second = await w2.call_tool("claim_message", {"messageId": mid})
        assert second.is_error and "already claimed by w1" in text(second) and "check_inbox" in text(second)

        reply = await w1.call_tool("send_message", {"to": "w2", "body": "shipped", "replyTo": mid})
        done = await w1.call_tool("ack_message", {"messageId": mid})
        assert done.structured_content["ack"]["completed"] is True
        assert admin.get(f"/api/messages/{mid}").json()["completedBy"] == "w1"

        thread = await w2.call_tool("get_thread", {"messageId": reply.structured_content["message"]["id"]})
        assert [m["id"] for m in thread.structured_content["messages"]] == [
            mid,
            reply.structured_content["message"]["id"],
        ]
        assert "1 unread message: call check_inbox" in text(thread)  # the reply waits in w2's inbox


async def test_a_superseded_stdio_session_says_so_and_stops(
    server: ServerProcess, admin: httpx.Client, tmp_path: Path
) -> None:
    errlog = tmp_path / "w.log"
    async with stdio(server, ADMIN, "--agent", "w", errlog=errlog) as w:
        assert not (await w.call_tool("check_inbox", {})).is_error
        newer = {
            "id": "w",
            "name": "w",
            "instanceId": "elsewhere",
            "epoch": time.time_ns() // 1_000_000 + 10**9,
        }
        assert admin.post("/api/agents", json=newer).status_code == 200
        refused = await w.call_tool("check_inbox", {})
        assert refused.is_error and "superseded" in text(refused) and "do not retry" in text(refused)
    log = errlog.read_text()
    assert "superseded" in log and "stopping" in log and "Traceback" not in log
    card = admin.get("/api/agents/w").json()
    assert (
        card["instanceId"] == "elsewhere" and card["status"] == "online"
    )  # the stale one did not say offline


def test_a_heartbeat_that_finds_itself_superseded_stops_the_command(
    server: ServerProcess, admin: httpx.Client
) -> None:
    proc = subprocess.Popen(
        [*RELAY, "mcp", "--agent", "beat", "--heartbeat", "0.2"],
        env={**os.environ, **env_for(server, ADMIN)},
        stdin=subprocess.PIPE,  # an MCP client that is still connected, saying nothing
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while admin.get("/api/agents/beat").status_code != 200:  # registered
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        newer = {
            "id": "beat",
            "name": "beat",
            "instanceId": "newer",
            "epoch": time.time_ns() // 1_000_000 + 10**9,
        }
        assert admin.post("/api/agents", json=newer).status_code == 200
        proc.wait(timeout=30)  # stdin stays open: only the heartbeat's 409 can end it
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, err
    assert b"beat: agent session superseded" in err and b"Traceback" not in err
    assert out == b""  # stdout is the protocol's: nothing else written there


def test_an_agent_token_cannot_serve_another_agent(server: ServerProcess, admin: httpx.Client) -> None:
    token = mint(admin, "mallory")
    run = subprocess.run(
        [*RELAY, "mcp", "--agent", "victim"],
        env={**os.environ, **env_for(server, token)},
        input=b"",
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert b"403 token is for agent mallory" in run.stderr and token.encode() not in run.stderr
    assert admin.get("/api/agents/victim").status_code == 404


def test_without_the_mcp_extra_the_command_says_how_to_install_it() -> None:
    blocked = (
        "import sys; sys.modules['mcp'] = None; "  # as if agent-relay-client[mcp] were not installed
        "from agent_relay_client.cli import main; main(['mcp', '--agent', 'x'])"
    )
    run = subprocess.run([sys.executable, "-c", blocked], capture_output=True, timeout=60)
    assert run.returncode == 2
    assert b"pip install 'agent-relay-client[mcp]'" in run.stderr


def test_a_line_that_is_no_message_gets_an_error_for_its_id_not_silence(
    server: ServerProcess, admin: httpx.Client
) -> None:
    """A request the bridge cannot read (a lone surrogate, nesting past the parser's depth,
    not JSON-RPC) is answered with an error under its id at once: a client waiting for
    that id is not left hanging until its own timeout. The next request is served."""
    token = mint(admin, "liner")
    proc = subprocess.Popen(
        [*RELAY, "mcp", "--agent", "liner"],
        env={**os.environ, **env_for(server, token)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def ask(line: str) -> dict[str, Any]:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(line.encode() + b"\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, f"no answer to {line[:80]!r}"
        return json.loads(proc.stdout.readline())

    try:
        hello = {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        }
        assert "result" in ask(
            json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": hello})
        )
        proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        call = (
            '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"send_message","arguments":%s}}'
        )
        surrogate = ask(call % (7, '{"to":"liner","body":"\\ud800"}'))
        assert surrogate["id"] == 7 and surrogate["error"]["code"] == -32700, surrogate
        deep = ask(call % ('"deep"', '{"to":"liner","body":' + "[" * 5000 + "]" * 5000 + "}"))
        assert deep["id"] == "deep" and deep["error"]["code"] == -32700, deep
        bad = ask('{"jsonrpc":"2.0","id":9,"method":7}')
        assert bad["id"] == 9 and bad["error"]["code"] == -32600, bad
        garbled = ask("{not json")
        assert garbled["id"] is None and garbled["error"]["code"] == -32700, garbled
        huge = ask(call % (11, json.dumps({"to": "liner", "body": "y" * 5_000_000})))  # over /mcp's cap
        assert huge["id"] == 11 and huge["result"]["isError"] is True, str(huge)[:300]
        said = huge["result"]["content"][0]["text"]
        assert "refused" in said and "413" in said and "could not be reached" not in said, said
        fine = ask(call % (10, '{"to":"liner","body":"ok"}'))
        assert fine["id"] == 10 and fine["result"]["isError"] is False, fine
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        err = proc.stderr.read() if proc.stderr else b""
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and b"Traceback" not in err, err
