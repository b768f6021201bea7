"""The `relay` command line against a real server."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from enum import Enum
from pathlib import Path

from agent_relay_client import ChannelConnector, RelayClient
from agent_relay_client.cli import CHOICES
from agent_relay_client.client import VERSION

from tests.support import ServerProcess, free_port

RELAY = [sys.executable, "-m", "agent_relay_client.cli"]


def run(
    url: str, *args: str, timeout: float = 20, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGENT_RELAY_URL": url, "AGENT_RELAY_TOKEN": "", **(env or {})}
    return subprocess.run(
        [*RELAY, *args], env=env, capture_output=True, text=True, timeout=timeout, input=stdin
    )


def ok(url: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    done = run(url, *args, stdin=stdin, env=env)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("relay")
    assert script.exists()
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True).stdout
    for word in ("agents", "send", "inbox", "claim", "tail", "AGENT_RELAY_URL", "exit codes"):
        assert word in help_text
    for word in ("register", "ack", "release", "tasks", "pairs", "channels", "orchestrators", "spawn"):
        assert word in help_text
    for word in ("connectors", "api", "orchestrator", "--json", "--install-completion", "--version"):
        assert word in help_text


def test_choices_match_the_spec() -> None:
    """The CLI's choice lists are the spec's enums (a new status in the spec fails here)."""
    for module_name, choice in CHOICES.items():
        module = importlib.import_module(f"agent_relay_client._generated.models.{module_name}")
        spec_values = getattr(module, f"{module_name.upper()}_VALUES")
        assert issubclass(choice, Enum)
        assert {c.value for c in choice} == spec_values, module_name


def test_agents_send_inbox_claim(relay: RelayClient, shared_server: ServerProcess) -> None:
    url = shared_server.url
    assert run(url, "agents", "--no-json").stdout.strip() == "no agents"
    relay.register("worker-1", label="workers")
    listed = run(url, "agents", "--no-json")
    assert listed.returncode == 0 and "worker-1" in listed.stdout and "online" in listed.stdout
    assert [a["id"] for a in json.loads(run(url, "agents", "--json").stdout)] == ["worker-1"]

    sent = run(
        url,
        *("send", "--to", "label:workers", "--from", "boss", "--claimable", "--subject", "Job", "build it"),
        "--no-json",
    )
    assert sent.returncode == 0, sent.stderr
    message_id = int(sent.stdout.split("#")[1].split()[0])
    inbox = run(url, "inbox", "worker-1", "--no-json")
    assert (
        f"#{message_id}" in inbox.stdout
        and "boss -> label:workers" in inbox.stdout
        and "[Job] build it" in inbox.stdout
    )
    assert json.loads(run(url, "inbox", "worker-1", "--json").stdout)[0]["claimable"] is True

    claimed = run(url, "claim", str(message_id), "--as", "worker-1", "--no-json")
    assert claimed.returncode == 0 and f"claimed #{message_id} as worker-1" in claimed.stdout
    assert relay.get_message(message_id).claimed_by == "worker-1"

    lost = run(url, "claim", str(message_id), "--as", "worker-2")
    assert lost.returncode == 1
    assert lost.stderr.strip() == "relay: 409 message already claimed by worker-1"

    waited = run(url, "inbox", "nobody", "--wait", "0.2", "--no-json")
    assert waited.stdout.strip() == "inbox empty (waited 0.2s)"


def test_errors_and_exit_codes(relay: RelayClient, shared_server: ServerProcess) -> None:
    bad = run(shared_server.url, "send", "--to", "x", "")
    assert bad.returncode == 1 and bad.stderr.strip() == "relay: 400 body must not be empty"
    usage = run(shared_server.url, "claim", "12")
    assert usage.returncode == 2 and "--as" in usage.stderr
    down = run(f"http://127.0.0.1:{free_port()}", "agents")
    assert down.returncode == 3 and "cannot reach the relay" in down.stderr
    missing = run(shared_server.url, "claim", "999999", "--as", "a")
    assert missing.returncode == 1 and "404" in missing.stderr
    bad_choice = run(shared_server.url, "agents", "--status", "asleep")
    assert bad_choice.returncode == 2 and "asleep" in bad_choice.stderr


def test_tail(relay: RelayClient, shared_server: ServerProcess) -> None:
    env = {**os.environ, "AGENT_RELAY_URL": shared_server.url, "AGENT_RELAY_TOKEN": ""}
    human = subprocess.Popen([*RELAY, "tail", "--no-json"], env=env, stdout=subprocess.PIPE, text=True)
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


# -- the new commands ---------------------------------------------------------------------
def test_json_is_the_default_into_a_pipe(relay: RelayClient, shared_server: ServerProcess) -> None:
    url = shared_server.url
    relay.register("piped")
    assert [a["id"] for a in json.loads(ok(url, "agents"))] == ["piped"]
    health = json.loads(ok(url, "health"))
    assert health["ok"] is True and health["version"]
    assert ok(url, "health", "--no-json").startswith("ok: relay ")
    assert json.loads(ok(url, "orchestrators")) == [] and json.loads(ok(url, "channels", "--json")) == []


def test_register_and_the_agent_loop(relay: RelayClient, shared_server: ServerProcess) -> None:
    url = shared_server.url
    card = json.loads(ok(url, "register", "w1", "--label", "crew", "--tag", "py", "--cap", "review"))
    assert card["id"] == "w1" and card["label"] == "crew" and card["tags"] == ["py"]
    assert card["capabilities"] == ["review"] and card["status"] == "online"
    assert ok(url, "register", "w2", "--kind", "user", "--status", "busy", "--no-json").strip() == (
        "registered w2 (user, busy)"
    )

    # text from stdin; the message as JSON (the default into a pipe)
    sent = json.loads(
        ok(url, "send", "--to", "cap:review", "--from", "boss", "--claimable", "-", stdin="fix it\n")
    )
    assert sent["to"] == "cap:review" and sent["body"] == "fix it\n" and sent["claimable"] is True
    mid = sent["id"]
    other = json.loads(ok(url, "send", "--to", "w1", "--kind", "task", "--reply-to", str(mid), "ping"))
    assert other["kind"] == "task" and other["replyTo"] == mid

    unread = json.loads(ok(url, "inbox", "w1", "--unread"))
    assert [m["id"] for m in unread] == [mid, other["id"]]

    claimed = json.loads(ok(url, "claim", str(mid), "--as", "w1", "--lease-ms", "60000"))
    assert claimed["claimedBy"] == "w1" and claimed["claimExpiresAt"] > claimed["createdAt"]
    acked = ok(url, "ack", str(other["id"]), "--as", "w1", "--no-json").strip()
    assert acked == f"acked #{other['id']} as w1"
    assert [m["id"] for m in json.loads(ok(url, "inbox", "w1", "--unread"))] == [mid]
    assert ok(url, "release", str(mid), "--as", "w1", "--no-json").strip() == f"released #{mid}"
    assert relay.get_message(mid).claimed_by is None
    # released: another member of the address can claim it now
    assert json.loads(ok(url, "claim", str(mid), "--as", "w2"))["claimedBy"] == "w2"
    assert json.loads(ok(url, "inbox", "w1", "--after", str(mid))) == []  # unread by default: acked
    assert json.loads(ok(url, "inbox", "w1", "--after", str(mid), "--all"))[0]["id"] == other["id"]
    wrong = run(url, "release", str(mid), "--as", "w1")
    assert wrong.returncode == 1 and wrong.stderr.startswith("relay: 409 ")


def test_global_options_anywhere(relay: RelayClient, shared_server: ServerProcess) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    relay.register("anywhere")
    # --url before or after the subcommand; the one after it wins
    for args in (
        ("--url", shared_server.url, "agents"),
        ("agents", "--url", shared_server.url),
        ("--url", down, "agents", "--url", shared_server.url),
        ("--json", "agents", "--url", shared_server.url),
    ):
        done = run(down, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert [a["id"] for a in json.loads(done.stdout)] == ["anywhere"], args
    human = run(down, "--no-json", "--url", shared_server.url, "agents")
    assert human.returncode == 0 and human.stdout.startswith("ID ") and "anywhere" in human.stdout
    overridden = run(down, "--no-json", "agents", "--json", "--url", shared_server.url)
    assert json.loads(overridden.stdout)[0]["id"] == "anywhere"
    # in a nested command too
    assert json.loads(ok(down, "tasks", "--url", shared_server.url)) == []
    assert json.loads(ok(down, "--url", shared_server.url, "tasks", "--json")) == []
    assert run(shared_server.url, "agents", "--url", down).returncode == 3


def test_token_anywhere(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'token.db'}"
    server = ServerProcess(database, tmp_path / "home", env={"AGENT_RELAY_TOKEN": "s3cret"}).start()
    try:
        refused = run(server.url, "agents")
        assert refused.returncode == 1 and refused.stderr.startswith("relay: 401 ")
        assert json.loads(ok(server.url, "agents", "--token", "s3cret")) == []
        assert json.loads(ok(server.url, "--token", "s3cret", "agents")) == []
        assert ok(server.url, "api", "/api/agents", "--token", "s3cret").strip() == "[]"
    finally:
        server.stop()


def test_tail_event_filter_and_ids(relay: RelayClient, shared_server: ServerProcess) -> None:
    url = shared_server.url
    relay.register("tailer")
    first = relay.send("tailer", "one", sender="boss", claimable=True)
    relay.claim(first.id, "tailer")
    relay.send("tailer", "two", sender="boss")
    # --last-event-id 0 replays the log; --timeout ends the command (exit 0) when the stream is quiet
    start = time.monotonic()
    docs = [
        json.loads(line)
        for line in ok(
            url,
            "tail",
            "--agent",
            "tailer",
            "--last-event-id",
            "0",
            "--event",
            "message.*",
            "--timeout",
            "1.5",
        ).splitlines()
    ]
    assert time.monotonic() - start < 15
    assert [(d["event"], d["data"]["id"]) for d in docs] == [
        ("message.new", first.id),
        ("message.claimed", first.id),
        ("message.new", first.id + 1),
    ]
    claimed_only = ok(
        url, "tail", "--agent", "tailer", "--last-event-id", "0", "-e", "message.claimed", "--timeout", "1.5"
    )
    assert [json.loads(line)["event"] for line in claimed_only.splitlines()] == ["message.claimed"]

    # human lines: the event id first, the message id (#N) separately
    human = ok(
        url,
        *("tail", "--agent", "tailer", "--last-event-id", "0", "--event", "message.new,message.claimed"),
        *("--count", "2", "--timeout", "10", "--no-json"),
    ).splitlines()
    assert len(human) == 2
    for line, doc in zip(human, docs[:2], strict=True):
        event_id, _time, name, message, *_rest = line.split()
        assert (int(event_id), name, message) == (doc["id"], doc["event"], f"#{first.id}")
    assert " ".join(human[0].split()[4:]) == "boss -> tailer chat (claimable): one"
    assert " ".join(human[1].split()[4:]).startswith("claimed by tailer until ")
    assert docs[0]["id"] != first.id or docs[1]["id"] != first.id  # two event ids, one message id


def test_tail_ctrl_c_exits_130(relay: RelayClient, shared_server: ServerProcess) -> None:
    env = {**os.environ, "AGENT_RELAY_URL": shared_server.url, "AGENT_RELAY_TOKEN": ""}
    proc = subprocess.Popen([*RELAY, "tail"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 130


def test_api_passthrough(relay: RelayClient, shared_server: ServerProcess, tmp_path: Path) -> None:
    url = shared_server.url
    relay.register("api-1", label="apis")
    assert [a["id"] for a in json.loads(ok(url, "api", "GET", "/api/agents"))] == ["api-1"]
    assert json.loads(ok(url, "api", "api/agents/api-1"))["label"] == "apis"  # GET, leading / optional
    # fields go into the query string of a GET
    assert json.loads(ok(url, "api", "GET", "/api/agents", "-f", "status=offline")) == []
    assert len(json.loads(ok(url, "api", "-X", "GET", "/api/agents", "-f", "label=apis"))) == 1

    # POST with string (-f) and typed (-F) fields
    posted = json.loads(
        ok(
            url,
            "api",
            "POST",
            "/api/messages",
            "-f",
            "from=a",
            "-f",
            "to=api-1",
            "-f",
            "body=hi",
            "-F",
            "claimable=true",
        )
    )
    assert posted["body"] == "hi" and posted["claimable"] is True and posted["from"] == "a"
    assert relay.get_message(posted["id"]).body == "hi"
    typed = json.loads(
        ok(
            url,
            "api",
            "/api/messages",
            "-f",
            "from=a",
            "-f",
            "to=api-1",
            "-f",
            "body=2",
            "-F",
            'meta={"n": 1}',
        )
    )  # fields without a method: POST
    assert typed["body"] == "2" and typed["meta"] == {"n": 1}

    # a body from a file and from stdin
    body = tmp_path / "message.json"
    body.write_text(json.dumps({"from": "f", "to": "api-1", "body": "from a file"}))
    assert json.loads(ok(url, "api", "POST", "/api/messages", "--input", str(body)))["body"] == "from a file"
    piped = ok(
        url,
        "api",
        "-X",
        "POST",
        "/api/messages",
        "--input",
        "-",
        stdin='{"from":"s","to":"api-1","body":"stdin"}',
    )
    assert json.loads(piped)["body"] == "stdin"

    # errors: the answer on stdout, the message on stderr, exit 1
    missing = run(url, "api", "/api/messages/999999")
    assert missing.returncode == 1 and json.loads(missing.stdout) == {"error": "message not found"}
    assert missing.stderr.strip() == "relay: 404 message not found"
    refused = run(url, "api", "POST", "/api/messages", "-f", "from=a", "-f", "to=b")
    assert refused.returncode == 1 and refused.stderr.startswith("relay: 400 ")
    deleted = json.loads(ok(url, "api", "DELETE", f"/api/messages/{posted['id']}"))
    assert deleted["ok"] is True
    headers = ok(url, "api", "-i", "/api/health")
    assert headers.startswith("HTTP/1.1 200 OK") and "content-type: application/json" in headers.lower()
    assert run(url, "api", "FETCH", "/api/agents").returncode == 2
    assert run(url, "api", "POST", "/api/messages", "-f", "novalue").returncode == 2
    assert run(f"http://127.0.0.1:{free_port()}", "api", "/api/health").returncode == 3


def test_operator_commands(relay: RelayClient, shared_server: ServerProcess, tmp_path: Path) -> None:
    url = shared_server.url
    relay.register("op-1")
    relay.register("op-2")

    # tasks: list, claim, move, show
    task = relay.post_integration_event(
        body={"source": "ci", "externalId": "build-7", "title": "Build broke"}
    )
    listed = ok(url, "tasks", "--no-json")
    assert "ci:build-7" in listed and "Build broke" in listed and "open" in listed
    claimed = json.loads(ok(url, "tasks", "claim", str(task.id), "--as", "op-1"))
    assert claimed["status"] == "claimed" and claimed["claimedBy"] == "op-1"
    moved = ok(
        url, "tasks", "status", str(task.id), "in_progress", "--as", "op-1", "--note", "on it", "--no-json"
    )
    assert moved.startswith(f"task {task.id} in_progress 'Build broke' claimed by op-1")
    assert json.loads(ok(url, "tasks", "show", str(task.id)))["note"] == "on it"
    assert [t["id"] for t in json.loads(ok(url, "tasks", "--status", "in_progress"))] == [task.id]
    assert json.loads(ok(url, "tasks", "--status", "done")) == []
    illegal = run(url, "tasks", "status", str(task.id), "open", "--as", "op-2")
    assert illegal.returncode == 1 and illegal.stderr.startswith("relay: ")

    # pairs
    pair = relay.create_pair(body={"from": "op-1", "to": "op-2", "topic": "review"})
    assert [p["id"] for p in json.loads(ok(url, "pairs", "--agent", "op-2", "--status", "pending"))] == [
        pair.id
    ]
    assert (
        "op-1" in ok(url, "pairs", "--no-json") and json.loads(ok(url, "pairs", "--status", "active")) == []
    )

    # orchestrators and spawn through one
    relay.register_orchestrator(body={"id": "orch-1", "hostname": "build.lan", "baseDir": str(tmp_path)})
    assert "build.lan" in ok(url, "orchestrators", "--no-json")
    spawned = ok(
        url, "spawn", "codex", "--orchestrator", "orch-1", "--label", "fixers", "--prompt", "go", "--no-json"
    )
    assert spawned.startswith("asked orchestrator orch-1 to spawn codex (message #")
    control = relay.inbox("orchestrator:orch-1")[-1].to_dict()
    assert control["kind"] == "control" and control["payload"]["orchestratorControl"]["action"] == "spawn"
    picked = json.loads(ok(url, "spawn", "claude"))  # the relay picks the orchestrator
    assert picked["orchestratorId"] == "orch-1"
    assert run(url, "spawn", "codex", "--prompt", "go").returncode == 2  # --prompt needs --orchestrator

    # channels: list and explain
    with ChannelConnector("webhook", "acme", url=url, name="Acme") as channel:
        default = channel.bind("op-1", mode="claimable", priority=5)
        vip = channel.bind({"type": "label", "id": "vip"}, conversation_id="C9")
        assert "webhook:acme" in ok(url, "channels", "--no-json")
        routes = json.loads(ok(url, "channels", "explain", "webhook:acme", "--conversation", "C9"))
        assert routes["tier"] == "conversation" and [b["id"] for b in routes["bindings"]] == [vip["id"]]
        explained = ok(url, "channels", "explain", "webhook:acme", "--conversation", "C9", "--no-json")
        assert (
            explained.splitlines()[0]
            == "channel webhook:acme, conversation C9: tier conversation, 1 binding(s)"
        )
        chosen = [line.split() for line in explained.splitlines()[2:]]
        assert [(row[0], row[1]) for row in chosen] == [(str(vip["id"]), "yes"), (str(default["id"]), "no")]
    assert run(url, "channels", "explain", "nope:none").returncode == 1

    # connectors: list, an action that works and one that fails
    manifest = {
        "id": "hook",
        "name": "Hook",
        "version": "1.0.0",
        "description": "cli test",
        "commands": {
            "doctor": [sys.executable, "-c", "print('all good')"],
            "status": [sys.executable, "-c", "import sys; print('broken'); sys.exit(3)"],
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    ok(url, "api", "POST", "/api/connectors", "--input", str(tmp_path / "manifest.json"))
    assert [c["id"] for c in json.loads(ok(url, "connectors"))] == ["hook"]
    assert ok(url, "connectors", "action", "hook", "doctor", "--no-json").splitlines()[1] == "all good"
    failed = run(url, "connectors", "action", "hook", "status", "--no-json")
    assert failed.returncode == 1 and failed.stdout.startswith("hook status: failed (exit 3)")
    assert "broken" in failed.stdout
    failed_json = run(url, "connectors", "action", "hook", "status")
    assert failed_json.returncode == 1 and json.loads(failed_json.stdout)["exitCode"] == 3
    assert "doctor ok" in ok(url, "connectors", "--no-json") or "status failed" in ok(
        url, "connectors", "--no-json"
    )
    undeclared = run(url, "connectors", "action", "hook", "start")
    assert undeclared.returncode == 1 and "not declared" in undeclared.stderr


def test_version_and_shell_completion() -> None:
    assert ok("http://127.0.0.1:1", "--version").strip() == f"relay {VERSION}"
    no_detection = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    bash = ok("http://127.0.0.1:1", "--show-completion", "bash", env=no_detection)
    assert "_RELAY_COMPLETE=complete_bash" in bash and "complete " in bash
    zsh = ok("http://127.0.0.1:1", "--show-completion", "zsh", env=no_detection)
    assert zsh.startswith("#compdef relay")
    fish = ok("http://127.0.0.1:1", "--show-completion", "fish", env=no_detection)
    assert "complete --command relay" in fish

    # what the shell asks for while the user types `relay ta<TAB>` / `relay tasks cl<TAB>`
    def complete(words: str) -> list[str]:
        env = {
            "_RELAY_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        return ok("http://127.0.0.1:1", env=env).split()

    assert complete("relay ta") == ["tail", "tasks"]
    assert complete("relay tasks cl") == ["claim"]
    assert "channel.event" in complete("relay send --kind ")


def test_orchestrator_subcommand_keeps_its_options() -> None:
    helped = run("http://127.0.0.1:1", "orchestrator", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: relay orchestrator")
    assert "--base-dir" in helped.stdout and "--tmux-socket" in helped.stdout
    missing = run("http://127.0.0.1:1", "orchestrator", "--id", "o1")
    assert missing.returncode == 2 and "--base-dir" in missing.stderr
