"""The `relay` command line against a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from agent_relay_client import RelayClient

from tests.support import ServerProcess, free_port

RELAY = [sys.executable, "-m", "agent_relay_client.cli"]


def run(url: str, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGENT_RELAY_URL": url, "AGENT_RELAY_TOKEN": ""}
    return subprocess.run([*RELAY, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("relay")
    assert script.exists()
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True).stdout
    for word in ("agents", "send", "inbox", "claim", "tail", "AGENT_RELAY_URL", "exit codes"):
        assert word in help_text


def test_agents_send_inbox_claim(relay: RelayClient, shared_server: ServerProcess) -> None:
    url = shared_server.url
    assert run(url, "agents").stdout.strip() == "no agents"
    relay.register("worker-1", label="workers")
    listed = run(url, "agents")
    assert listed.returncode == 0 and "worker-1" in listed.stdout and "online" in listed.stdout
    assert [a["id"] for a in json.loads(run(url, "agents", "--json").stdout)] == ["worker-1"]

    sent = run(
        url, "send", "--to", "label:workers", "--from", "boss", "--claimable", "--subject", "Job", "build it"
    )
    assert sent.returncode == 0, sent.stderr
    message_id = int(sent.stdout.split("#")[1].split()[0])
    inbox = run(url, "inbox", "worker-1")
    assert (
        f"#{message_id}" in inbox.stdout
        and "boss -> label:workers" in inbox.stdout
        and "[Job] build it" in inbox.stdout
    )
    assert json.loads(run(url, "inbox", "worker-1", "--json").stdout)[0]["claimable"] is True

    claimed = run(url, "claim", str(message_id), "--as", "worker-1")
    assert claimed.returncode == 0 and f"claimed #{message_id} as worker-1" in claimed.stdout
    assert relay.get_message(message_id).claimed_by == "worker-1"

    lost = run(url, "claim", str(message_id), "--as", "worker-2")
    assert lost.returncode == 1
    assert lost.stderr.strip() == "relay: 409 message already claimed by worker-1"

    assert run(url, "inbox", "nobody", "--wait", "0.2").stdout.strip() == "inbox empty (waited 0.2s)"


def test_errors_and_exit_codes(relay: RelayClient, shared_server: ServerProcess) -> None:
    bad = run(shared_server.url, "send", "--to", "x", "")
    assert bad.returncode == 1 and bad.stderr.strip() == "relay: 400 body must not be empty"
    usage = run(shared_server.url, "claim", "12")
    assert usage.returncode == 2 and "--as" in usage.stderr
    down = run(f"http://127.0.0.1:{free_port()}", "agents")
    assert down.returncode == 3 and "cannot reach the relay" in down.stderr
    missing = run(shared_server.url, "claim", "999999", "--as", "a")
    assert missing.returncode == 1 and "404" in missing.stderr


def test_tail(relay: RelayClient, shared_server: ServerProcess) -> None:
    env = {**os.environ, "AGENT_RELAY_URL": shared_server.url, "AGENT_RELAY_TOKEN": ""}
    human = subprocess.Popen([*RELAY, "tail"], env=env, stdout=subprocess.PIPE, text=True)
    machine = subprocess.Popen(
        [*RELAY, "tail", "--json", "--agent", "a1"], env=env, stdout=subprocess.PIPE, text=True
    )
    relay.register("a1")
    done = threading.Event()

    def keep_sending() -> None:  # the streams open asynchronously: send until both saw one
        while not done.wait(0.3):
            relay.send("a1", "hello there", sender="b")

    sender = threading.Thread(target=keep_sending, daemon=True)
    sender.start()
    try:
        assert human.stdout and machine.stdout
        line = human.stdout.readline()
        while "message.new" not in line:
            line = human.stdout.readline()
        assert "b -> a1 chat: hello there" in line
        doc = json.loads(machine.stdout.readline())
        while doc["event"] != "message.new":
            doc = json.loads(machine.stdout.readline())
        assert (
            doc["data"]["to"] == "a1" and doc["data"]["body"] == "hello there" and isinstance(doc["id"], int)
        )
    finally:
        done.set()
        sender.join()
        for proc in (human, machine):
            proc.terminate()
            proc.wait(timeout=10)
