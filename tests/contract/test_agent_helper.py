"""RelayAgent / AsyncRelayAgent against a real server, and the example agent."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from agent_relay_client import AsyncRelayAgent, ConflictError, RelayAgent, RelayClient, SessionSupersededError

from tests.support import ServerProcess

ROOT = Path(__file__).resolve().parents[2]


def test_agent_registers_heartbeats_and_works(relay: RelayClient) -> None:
    with RelayAgent("w1", url=relay.url, token="", label="workers", heartbeat_interval=0.2) as agent:
        card = relay.get_agent("w1")
        assert (card.instance_id, card.epoch, card.label) == (agent.instance_id, agent.epoch, "workers")
        first_seen = card.last_seen
        time.sleep(0.5)
        assert relay.get_agent("w1").last_seen > first_seen, "the background heartbeat refreshed lastSeen"

        task = relay.send("label:workers", "do it", sender="boss", claimable=True)
        relay.send("w1", "fyi", sender="boss")
        stream = agent.messages(wait=5)
        got = next(stream)
        assert got.id == task.id
        claimed = agent.claim(got)
        assert claimed is not None and claimed.claimed_by == "w1"
        assert relay.claim(task.id, "w1").claimed_by == "w1"
        reply = agent.reply(got, "done")
        assert (reply.from_, reply.to, reply.reply_to) == ("w1", "boss", task.id)
        agent.ack(got)
        assert relay.get_message(task.id).completed_by == "w1", "the holder's ack completes it (§15)"
        assert next(stream).body == "fyi"
        with pytest.raises(ConflictError):
            agent.release(task.id)
        assert agent.claim(task.id) is None, "completed work is not claimable again"
        other = relay.send("label:workers", "more", sender="boss", claimable=True)
        relay.claim(other.id, "someone-else")
        assert agent.claim(other.id) is None, "a message held by another agent is not ours"
    assert relay.get_agent("w1").status == "offline", "stop() says goodbye"


def test_agent_stops_when_superseded(relay: RelayClient) -> None:
    old = RelayAgent("w1", url=relay.url, token="", heartbeat_interval=0.1)
    old.start()
    new = RelayAgent("w1", url=relay.url, token="", epoch=old.epoch + 1)  # a restart, a moment later
    new.start()
    try:
        deadline = time.monotonic() + 5
        while not old.superseded and time.monotonic() < deadline:
            time.sleep(0.05)
        assert old.superseded and not old.running
        assert list(old.messages(wait=1)) == [], "a superseded agent reads nothing"
        with pytest.raises(SessionSupersededError):
            old.send("x", "stale")
        card = relay.get_agent("w1")
        assert (card.instance_id, card.epoch) == (new.instance_id, new.epoch)
        assert new.send("x", "fresh").from_ == "w1"
    finally:
        old.stop()
        new.stop()
    assert relay.get_agent("w1").status == "offline"


def test_messages_iterator_wakes_on_new_work(relay: RelayClient) -> None:
    with RelayAgent("w1", url=relay.url, token="") as agent:
        threading.Timer(0.3, lambda: relay.send("w1", "late", sender="b")).start()
        started = time.monotonic()
        assert next(agent.messages(wait=10)).body == "late"
        assert time.monotonic() - started < 5


async def test_async_agent(relay: RelayClient) -> None:
    async with AsyncRelayAgent("w2", url=relay.url, token="", heartbeat_interval=0.1) as agent:
        assert relay.get_agent("w2").instance_id == agent.instance_id
        task = relay.send("w2", "job", sender="boss", claimable=True)
        stream = agent.messages(wait=5)
        got = await stream.__anext__()
        assert got.id == task.id
        assert (await agent.claim(got)).claimed_by == "w2"
        assert (await agent.reply(got, "ok")).reply_to == task.id
        await stream.aclose()
        newer = RelayAgent("w2", url=relay.url, token="", epoch=agent.epoch + 1)
        newer.start()
        try:
            with pytest.raises(SessionSupersededError):
                await agent.send("boss", "stale")
            assert agent.superseded
        finally:
            newer.stop()


def test_echo_example(shared_server: ServerProcess, relay: RelayClient) -> None:
    env = {**os.environ, "AGENT_RELAY_URL": shared_server.url, "AGENT_RELAY_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "sdk" / "examples" / "echo_agent.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while not any(a.id == "echo" for a in relay.agents()):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the example did not register"
            time.sleep(0.1)
        work = relay.send("label:echo", "ping", sender="tester", claimable=True)
        replies = relay.inbox("tester", wait=15)
        assert [(m.from_, m.body, m.reply_to) for m in replies] == [("echo", "echo: ping", work.id)]
        assert relay.get_message(work.id).claimed_by == "echo"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_sdk_page_shows_the_tested_example() -> None:
    example = (ROOT / "sdk" / "examples" / "echo_agent.py").read_text()
    code = example.split('"""', 2)[2].strip()
    page = ROOT / "docs" / "sdk.md"
    assert code in page.read_text(), "docs/sdk.md's example drifted from sdk/examples/echo_agent.py"
    assert len(code.splitlines()) <= 10
