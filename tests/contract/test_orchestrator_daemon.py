"""End to end: a real relay (with a token), the real `relay orchestrator` daemon as a
subprocess, real tmux on a private socket, and fake agents that register through the SDK.

spawn (both routes) -> the agent registers and is a managed agent -> restart (new pid,
new registration epoch) -> daemon SIGKILLed and restarted keeps its sessions (from the
state file, then from the tmux session options alone) -> shutdown (sessions gone, list
empty); traversal refused by the relay (400) and, for a forged control message, by the
daemon (reported as a failure, acked, nothing started)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import ROOT, ServerProcess

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

TOKEN = "daemon-test-token"
FAKE_AGENT = str(ROOT / "tests" / "fixtures" / "fake_agent.py")
ORCH = "test-host"
INBOX = f"orchestrator:{ORCH}"


def wait_for(check: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Daemon:
    """`python -m agent_relay_client.cli --url … orchestrator …` in a child process."""

    def __init__(
        self, relay: ServerProcess, tmp: Path, socket: str, config: dict[str, Any], token: str = TOKEN
    ) -> None:
        self.relay = relay
        self.token = token
        self.base = tmp / "base"
        self.state = tmp / "state" / "orch.json"
        self.config_path = tmp / "orchestrator.json"
        self.config_path.write_text(json.dumps(config))
        self.socket = socket
        self.log = tmp / "daemon.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Daemon:
        argv = [
            sys.executable, "-m", "agent_relay_client.cli", "--url", self.relay.url,
            "orchestrator", "--id", ORCH, "--base-dir", str(self.base), "--providers", "claude,codex",
            "--hostname", "test-host.lan", "--config", str(self.config_path), "--tmux-socket", self.socket,
            "--state-file", str(self.state), "--poll-interval", "0.5", "--heartbeat-interval", "2",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENT_RELAY_", "TMUX"))}
        env["AGENT_RELAY_TOKEN"] = self.token  # not --token: `ps` would show it
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def tmux_sessions(socket: str) -> set[str]:
    out = subprocess.run(
        ["tmux", "-L", socket, "list-sessions", "-F", "#{session_name}"], capture_output=True, text=True
    )
    return set(out.stdout.split()) if out.returncode == 0 else set()


def fake_config(codex_command: list[str] | None = None) -> dict[str, Any]:
    return {
        "providers": {
            # claude keeps its default approval flags: the fake agent records its argv.
            "claude": {"command": [sys.executable, FAKE_AGENT]},
            "codex": {
                "command": codex_command or [sys.executable, FAKE_AGENT],
                "env": {"FAKE_PROVIDER": "codex"},
            },
        }
    }


@pytest.fixture
def relay(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, tmp_path / "server-home", env={"AGENT_RELAY_TOKEN": TOKEN}).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def api(relay: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=relay.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10) as c:
        yield c


@pytest.fixture
def socket_name() -> Iterator[str]:
    name = f"relay-test-{uuid.uuid4().hex[:10]}"
    try:
        yield name
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)
        Path(f"/tmp/tmux-{os.getuid()}/{name}").unlink(missing_ok=True)  # the socket file, unless TMUX_TMPDIR


def make_daemon(
    relay: ServerProcess, tmp_path: Path, socket_name: str, config: dict[str, Any], token: str = TOKEN
) -> Daemon:
    daemon = Daemon(relay, tmp_path, socket_name, config, token)
    (daemon.base / "proj").mkdir(parents=True)
    (daemon.base / "proj2").mkdir()
    return daemon


def orchestrator(api: httpx.Client) -> dict[str, Any] | None:
    r = api.get(f"/api/orchestrators/{ORCH}")
    return r.json() if r.status_code == 200 else None


def managed(api: httpx.Client) -> dict[str, dict[str, Any]]:
    orch = orchestrator(api) or {"managedAgents": []}
    return {a["agentId"]: a for a in orch["managedAgents"]}


def started(api: httpx.Client) -> dict[str, dict[str, Any]]:
    """The managed agents once all are running (the daemon reports an agent as managed just
    before starting it, without a pid: its token may be minted only for a managed agent)."""
    agents = managed(api)
    return agents if all(a.get("pid") for a in agents.values()) else {}


def agent_card(api: httpx.Client, agent_id: str) -> dict[str, Any] | None:
    r = api.get(f"/api/agents/{agent_id}")
    return r.json() if r.status_code == 200 else None


def registered_with_pid(api: httpx.Client, agent_id: str, pid: int) -> dict[str, Any] | None:
    card = agent_card(api, agent_id)
    return card if card and card["meta"].get("pid") == pid else None


def results(api: httpx.Client) -> dict[int, dict[str, Any]]:
    """The daemon's result messages to `system`, by the control message they answer."""
    msgs = api.get("/api/messages", params={"from": INBOX, "to": "system"}).json()
    return {m["replyTo"]: m for m in msgs}


def unread(api: httpx.Client) -> list[dict[str, Any]]:
    return api.get(f"/api/inbox/{INBOX}", params={"unread": "true"}).json()


def tokens_of(api: httpx.Client, agent_id: str) -> list[dict[str, Any]]:
    return api.get(f"/api/agents/{agent_id}/tokens").json()


def holds_its_own_token(api: httpx.Client, card: dict[str, Any], pid: int) -> int:
    """§14: the spawned agent (process `pid`) holds an agent token for its own id, minted by
    the daemon (never the daemon's token), and no process's argv shows either token.
    Returns the token's id."""
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    env = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
    token = env["AGENT_RELAY_TOKEN"]
    assert token.startswith("art_") and token != TOKEN
    who = api.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).json()
    assert who == card["meta"]["whoami"] == {"role": "agent", "agentId": card["id"]}
    [listed] = tokens_of(api, card["id"])
    assert listed["label"] == f"orchestrator {ORCH}"
    args = subprocess.run(
        ["ps", "-e", "-ww", "-o", "args"], capture_output=True, text=True, check=True
    ).stdout
    assert token not in args and TOKEN not in args, "no token in any process's argv"
    return listed["id"]


def test_spawn_restart_rediscover_shutdown(relay, api, tmp_path, socket_name):
    daemon = make_daemon(relay, tmp_path, socket_name, fake_config()).start()
    try:
        online = wait_for(
            lambda: (o := orchestrator(api)) and o["status"] == "online" and o, what="registration"
        )
        assert online["baseDir"] == os.path.realpath(daemon.base)
        assert online["hostname"] == "test-host.lan"
        assert online["providers"] == ["claude", "codex"]

        # -- spawn via the orchestrator route: cwd relative to baseDir, prompt, approval mode
        r = api.post(
            f"/api/orchestrators/{ORCH}/spawn",
            json={
                "provider": "claude",
                "cwd": "proj",
                "label": "backend",
                "approvalMode": "open",
                "prompt": "fix the tests",
            },
        )
        assert r.status_code == 202, r.text
        spawn_msg = r.json()["message"]["id"]
        agents = wait_for(lambda: started(api) or None, what="managed agent")
        ((a_id, a),) = agents.items()
        assert a_id.startswith("claude-backend-")
        assert a["provider"] == "claude" and a["label"] == "backend" and a["approvalMode"] == "open"
        assert a["cwd"] == os.path.realpath(daemon.base / "proj")
        assert a["tmuxSession"] in tmux_sessions(socket_name)
        card = wait_for(lambda: registered_with_pid(api, a_id, a["pid"]), what="fake agent registration")
        assert card["label"] == "backend"
        assert card["meta"]["argv"] == ["--dangerously-skip-permissions", "--", "fix the tests"]
        assert card["meta"]["cwd"] == a["cwd"]
        assert card["meta"]["approvalMode"] == "open" and card["meta"]["orchestratorId"] == ORCH
        a_token = holds_its_own_token(api, card, a["pid"])
        assert not list((daemon.state.parent / "spawn").iterdir()), "env files are gone once read"
        result = wait_for(lambda: results(api).get(spawn_msg), what="spawn result")
        assert result["payload"]["orchestratorResult"] == {
            "action": "spawn", "ok": True, "orchestratorId": ORCH, "agentId": a_id,
            "tmuxSession": a["tmuxSession"], "pid": a["pid"],
        }  # fmt: skip
        assert wait_for(lambda: unread(api) == [], what="control message acked")

        # -- spawn via POST /api/agents/spawn (routed to this orchestrator)
        r = api.post(
            "/api/agents/spawn",
            json={"provider": "codex", "cwd": str(daemon.base / "proj2"), "label": "second"},
        )
        assert r.status_code == 202, r.text
        assert r.json()["orchestratorId"] == ORCH
        agents = wait_for(lambda: len(m := started(api)) == 2 and m, what="second managed agent")
        b_id = next(k for k in agents if k != a_id)
        b = agents[b_id]
        assert b["provider"] == "codex" and b["approvalMode"] == "guarded"
        card_b = wait_for(lambda: registered_with_pid(api, b_id, b["pid"]), what="codex agent registration")
        assert card_b["meta"]["argv"] == ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"]

        # -- restart one agent: same id and config, new process, newer registration
        old_epoch, old_pid = card["epoch"], a["pid"]
        r = api.post(f"/api/orchestrators/{ORCH}/actions", json={"action": "restart", "agentId": a_id})
        assert r.status_code == 202
        a2 = wait_for(
            lambda: (x := managed(api).get(a_id)) and x["pid"] != old_pid and x, what="restarted agent"
        )
        assert (
            a2["tmuxSession"] == a["tmuxSession"]
            and a2["cwd"] == a["cwd"]
            and a2["startedAt"] > a["startedAt"]
        )
        card2 = wait_for(lambda: registered_with_pid(api, a_id, a2["pid"]), what="re-registration")
        assert card2["epoch"] > old_epoch and card2["meta"]["argv"] == card["meta"]["argv"]
        assert holds_its_own_token(api, card2, a2["pid"]) != a_token, (
            "a restart mints a new token, revokes the old"
        )
        assert managed(api)[b_id]["pid"] == b["pid"]  # the other agent was left alone

        # -- daemon SIGKILLed: sessions survive; a restarted daemon reports them again
        daemon.kill()
        assert {a["tmuxSession"], b["tmuxSession"]} <= tmux_sessions(socket_name)
        assert api.patch(f"/api/orchestrators/{ORCH}/agents", json={"agents": []}).status_code == 200
        daemon.start()
        back = wait_for(lambda: len(m := managed(api)) == 2 and m, what="re-discovered agents")
        assert back[a_id]["pid"] == a2["pid"] and back[b_id]["pid"] == b["pid"]
        assert back[a_id]["label"] == "backend" and back[a_id]["startedAt"] == a2["startedAt"]

        # the re-discovered agents are fully managed: shut one down
        r = api.post(f"/api/orchestrators/{ORCH}/actions", json={"action": "shutdown", "agentId": a_id})
        assert r.status_code == 202
        wait_for(lambda: set(managed(api)) == {b_id}, what="agent a shut down")
        assert a["tmuxSession"] not in tmux_sessions(socket_name)
        assert tokens_of(api, a_id) == [], "a stopped agent's token is revoked"

        # -- again, with the state file gone: the tmux session option still describes b
        daemon.kill()
        daemon.state.unlink()
        api.patch(f"/api/orchestrators/{ORCH}/agents", json={"agents": []})
        daemon.start()
        again = wait_for(lambda: managed(api) or None, what="re-discovery from tmux options")
        assert set(again) == {b_id} and again[b_id]["pid"] == b["pid"] and again[b_id]["label"] == "second"

        # -- shutdown all: sessions gone, managed list empty
        r = api.post(f"/api/orchestrators/{ORCH}/actions", json={"action": "shutdown"})
        assert r.status_code == 202
        shut = r.json()["message"]["id"]
        wait_for(lambda: managed(api) == {} and results(api).get(shut), what="shutdown all")
        assert results(api)[shut]["payload"]["orchestratorResult"]["agentIds"] == [b_id]
        assert not {s for s in tmux_sessions(socket_name) if s.startswith("relay-orch-")}
        assert wait_for(lambda: unread(api) == [], what="all control messages acked")
    finally:
        daemon.stop()


def test_traversal_and_failed_spawns_are_refused_and_reported(relay, api, tmp_path, socket_name):
    daemon = make_daemon(relay, tmp_path, socket_name, fake_config(codex_command=["/nonexistent/codex"]))
    outside = tmp_path / "base-other"
    outside.mkdir()
    (daemon.base / "escape").symlink_to(outside)
    daemon.start()
    try:
        wait_for(lambda: (o := orchestrator(api)) and o["status"] == "online", what="registration")
        base = os.path.realpath(daemon.base)
        expected = f"cwd must be within orchestrator base directory: {base}"

        # the relay refuses: .., absolute outside, sibling prefix, symlink out
        for cwd in (
            "../base-other",
            "/etc",
            str(outside),
            f"{base}/../base-other",
            "escape",
            "proj/../../base-other",
        ):
            r = api.post(f"/api/orchestrators/{ORCH}/spawn", json={"provider": "claude", "cwd": cwd})
            assert (r.status_code, r.json()) == (400, {"error": expected}), cwd
        r = api.post("/api/agents/spawn", json={"provider": "claude", "cwd": "/etc"})
        assert (r.status_code, r.json()) == (400, {"error": expected})

        # a forged control message (straight to the inbox, no relay check): the daemon
        # refuses it on its own, reports it (result message + activity), and acks it
        forged = api.post(
            "/api/messages",
            json={
                "from": "system", "to": INBOX, "kind": "control", "body": "spawn",
                "payload": {"orchestratorControl": {"action": "spawn", "provider": "claude", "cwd": str(daemon.base / "escape")}},
            },
        )  # fmt: skip
        assert forged.status_code == 201, forged.text
        forged_id = forged.json()["id"]
        result = wait_for(lambda: results(api).get(forged_id), what="refusal")
        assert result["payload"]["orchestratorResult"]["ok"] is False
        assert result["payload"]["orchestratorResult"]["error"] == expected
        # the activity entry is posted right after the result message: wait for it too
        wait_for(
            lambda: any(
                e.get("messageId") == forged_id and e["body"] == expected
                for e in api.get("/api/activity", params={"kind": "error"}).json()
            ),
            what="failure activity entry",
        )

        # a provider command that does not exist: reported, not swallowed
        r = api.post(f"/api/orchestrators/{ORCH}/spawn", json={"provider": "codex", "cwd": "proj"})
        assert r.status_code == 202
        failed_id = r.json()["message"]["id"]
        failed = wait_for(lambda: results(api).get(failed_id), what="failed spawn report")
        assert (
            failed["payload"]["orchestratorResult"]["error"] == "codex command not found: /nonexistent/codex"
        )

        # restart of an agent it does not manage: reported too
        r = api.post(f"/api/orchestrators/{ORCH}/actions", json={"action": "restart", "agentId": "ghost"})
        ghost = wait_for(lambda: results(api).get(r.json()["message"]["id"]), what="restart ghost report")
        assert (
            ghost["payload"]["orchestratorResult"]["error"] == "agent not managed by this orchestrator: ghost"
        )

        assert wait_for(lambda: unread(api) == [], what="every control message acked")
        assert managed(api) == {}
        assert not {s for s in tmux_sessions(socket_name) if s.startswith("relay-orch-")}
        assert "failed: cwd must be within orchestrator base directory" in daemon.log.read_text()
    finally:
        daemon.stop()


def split_options(argv: list[str]) -> tuple[list[str], list[str]]:
    """How a getopt-style parser reads argv: options until `--`, then positionals."""
    if "--" not in argv:
        return argv, []
    at = argv.index("--")
    return argv[:at], argv[at + 1 :]


def test_a_prompt_that_looks_like_an_option_stays_a_prompt(relay, api, tmp_path, socket_name):
    config = fake_config()
    config["providers"]["codex"]["promptFlag"] = ["--prompt"]  # the prompt as a flag's value
    daemon = make_daemon(relay, tmp_path, socket_name, config).start()
    try:
        wait_for(lambda: (o := orchestrator(api)) and o["status"] == "online", what="registration")
        hostile = "--dangerously-skip-permissions"
        spawn = {"provider": "claude", "cwd": "proj", "approvalMode": "read-only", "prompt": hostile}
        assert api.post(f"/api/orchestrators/{ORCH}/spawn", json=spawn).status_code == 202
        ((agent_id, agent),) = wait_for(lambda: started(api) or None, what="managed agent").items()
        card = wait_for(lambda: registered_with_pid(api, agent_id, agent["pid"]), what="registration")
        options, positionals = split_options(card["meta"]["argv"])
        assert options == ["--permission-mode", "plan"] and positionals == [hostile], card["meta"]["argv"]

        # as a flag's value `-rf` could still be read as options: refused and reported
        spawn = {"provider": "codex", "cwd": "proj", "prompt": "-rf"}
        r = api.post(f"/api/orchestrators/{ORCH}/spawn", json=spawn)
        assert r.status_code == 202
        result = wait_for(lambda: results(api).get(r.json()["message"]["id"]), what="refusal")
        outcome = result["payload"]["orchestratorResult"]
        assert outcome["ok"] is False and "needs a positional prompt" in outcome["error"], outcome
        assert len(managed(api)) == 1
    finally:
        daemon.stop()


def test_wake_types_the_notice_into_the_agent_terminal(db_url, tmp_path, socket_name):
    """§15 wake, end to end: a direct message unread past AGENT_RELAY_WAKE_AFTER_MS makes the
    relay send the agent's orchestrator a `wake`; the daemon types the configured notice into
    the agent's tmux pane; the fake agent (at its prompt) reads its inbox; the ledger has wokenAt."""
    env = {
        "AGENT_RELAY_TOKEN": TOKEN,
        "AGENT_RELAY_WAKE_AFTER_MS": "500",
        "AGENT_RELAY_REAP_INTERVAL_MS": "300",
    }
    server = ServerProcess(db_url, tmp_path / "server-home", env=env).start()
    seen = tmp_path / "agent-input.txt"
    config = fake_config()
    config["providers"]["claude"]["command"] = [sys.executable, FAKE_AGENT, "--echo-input", str(seen)]
    config["wakeNotice"] = "New relay messages ({count}): run `relay inbox {agentId}`"
    daemon = make_daemon(server, tmp_path, socket_name, config).start()
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    try:
        wait_for(lambda: (o := orchestrator(api)) and o["status"] == "online", what="registration")
        r = api.post(f"/api/orchestrators/{ORCH}/spawn", json={"provider": "claude", "cwd": "proj"})
        assert r.status_code == 202, r.text
        ((agent_id, a),) = wait_for(lambda: started(api) or None, what="managed agent").items()
        wait_for(lambda: registered_with_pid(api, agent_id, a["pid"]), what="fake agent registration")
        sent = api.post(
            "/api/messages", json={"from": "boss", "to": agent_id, "body": "please rebase"}
        ).json()

        text = wait_for(
            lambda: (t := seen.read_text() if seen.exists() else "") and "read #" in t and t,
            timeout=20,
            what="the agent to be woken and read its inbox",
        )
        assert f"input: New relay messages (1): run `relay inbox {agent_id}`" in text
        assert f"read #{sent['id']}: please rebase" in text
        (row,) = api.get(f"/api/messages/{sent['id']}/deliveries").json()
        assert row["agentId"] == agent_id and row["wokenAt"] is not None and row["state"] == "read"
        # one wake per message: later sweeps send no second one
        time.sleep(1.0)
        wakes = [
            m
            for m in api.get("/api/messages", params={"to": INBOX}).json()
            if (m.get("payload") or {}).get("orchestratorControl", {}).get("action") == "wake"
        ]
        assert len(wakes) == 1 and wakes[0]["payload"]["orchestratorControl"]["messageIds"] == [sent["id"]]
        assert wait_for(lambda: wakes[0]["id"] in results(api), what="the wake result")
        assert results(api)[wakes[0]["id"]]["payload"]["orchestratorResult"]["ok"] is True
    finally:
        daemon.stop()
        api.close()
        server.stop()
