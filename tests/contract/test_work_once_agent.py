"""§15 for agents: RelayAgent reads unread messages only, acks after its handler returns,
releases a claim when the handler raises, and a restarted agent redoes no acked work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from agent_relay_client import RelayAgent, RelayClient

from tests.support import ROOT, ServerProcess

ONCE_AGENT = str(ROOT / "tests" / "fixtures" / "once_agent.py")


def _start(server: ServerProcess, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AGENT_RELAY_URL": server.url, "AGENT_RELAY_TOKEN": ""}
    return subprocess.Popen([sys.executable, ONCE_AGENT, str(out)], env=env)


def _handled(out: Path) -> list[str]:
    return out.read_text().splitlines() if out.exists() else []


def _wait(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return value


def test_a_killed_and_restarted_agent_handles_each_message_once(
    shared_server: ServerProcess, relay: RelayClient, tmp_path: Path
) -> None:
    out = tmp_path / "handled.txt"
    first = [relay.send("once", f"job {n}", sender="boss").id for n in range(3)]
    work = relay.send("label:once", "claimable job", sender="boss", claimable=True).id
    proc = _start(shared_server, out)
    try:
        _wait(lambda: len(_handled(out)) == 4, "the first run to handle 4 messages")
        # the last one is acked when the handler returned: nothing unread is left
        _wait(lambda: relay.inbox("once", unread=True) == [], "the acks")
        assert relay.get_message(work).completed_by == "once"
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no clean stop
        proc.wait(10)
    later = [relay.send("once", f"job {n}", sender="boss").id for n in range(3, 5)]
    proc = _start(shared_server, out)
    try:
        _wait(lambda: len(_handled(out)) == 6, "the second run to handle the 2 new messages")
        time.sleep(1.0)  # and nothing else: no acked message comes back
    finally:
        proc.terminate()
        proc.wait(10)
    ids = [int(line.split()[0]) for line in _handled(out)]
    assert sorted(ids) == sorted([*first, work, *later])
    assert len(ids) == len(set(ids)), f"a message was handled twice: {ids}"


def test_a_raising_handler_leaves_it_unacked_and_releases_its_claim(relay: RelayClient) -> None:
    boom = relay.send("label:once", "boom", sender="boss", claimable=True)
    fine = relay.send("once", "fine", sender="boss")
    handled: list[int] = []

    def handle(message) -> None:
        if message.body == "boom":
            raise RuntimeError("failed")
        handled.append(message.id)
        agent.stop()

    agent = RelayAgent("once", label="once", url=relay.url, token="")
    agent.start()
    try:
        agent.run(handle, wait=1)
    finally:
        agent.stop()
    assert handled == [fine.id]
    failed = relay.get_message(boom.id)
    assert failed.claimed_by is None and failed.completed_at is None and failed.delivery_count == 1
    assert [m.id for m in relay.inbox("once", unread=True)] == [boom.id]  # there for the next run


def test_breaking_out_of_messages_gives_the_claim_back(relay: RelayClient) -> None:
    work = relay.send("label:once", "job", sender="boss", claimable=True)
    with RelayAgent("once", label="once", url=relay.url, token="") as agent:
        for message in agent.messages(wait=1):
            assert agent.claim(message) is not None
            break  # not done with it
        assert relay.get_message(work.id).claimed_by is None
        assert relay.inbox("once", unread=True)[0].id == work.id
        # the next body that finishes acks it, completing the claim
        for message in agent.messages(wait=1, after=0):
            agent.claim(message)
            agent.stop()
    assert relay.get_message(work.id).completed_by == "once"
