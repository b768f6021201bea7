"""POST /api/agents/spawn (orchestrator routing, direct codex spawn in tmux or a process
group, dry run) and GET /api/host/directories (confined to the host root)."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from agent_relay import launch
from agent_relay.orchestrators import direct_spawn
from agent_relay.orchestrators.repository import orchestrators
from agent_relay.orchestrators.schemas import AgentSpawnOut, HostDirectoriesOut
from agent_relay.settings import Settings

TOKEN = "s3cret-token"
AUTH = {"X-Agent-Relay-Token": TOKEN}
GUARDED = ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"]

FAKE_CODEX = """#!/bin/sh
{{
  echo "cwd=$(pwd)"
  echo "url=$AGENT_RELAY_URL"
  echo "token=$AGENT_RELAY_TOKEN"
  echo "agent=$AGENT_RELAY_AGENT_ID"
  echo "label=$AGENT_RELAY_AGENT_LABEL"
  echo "mode=$AGENT_RELAY_APPROVAL_MODE"
  echo "db=${{AGENT_RELAY_DATABASE_URL:-unset}}"
  echo "trace=${{TRACEPARENT:-unset}}"
  echo "args=$*"
}} > "{out}.tmp" && mv "{out}.tmp" "{out}"
sleep 30
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The host root: work/app, work/lib, a hidden dir, a file, symlinks in and out."""
    base = tmp_path / "root"
    (base / "work" / "app").mkdir(parents=True)
    (base / "work" / "lib").mkdir()
    (base / ".hidden").mkdir()
    (base / "notes.txt").write_text("x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (base / "escape").symlink_to(outside)
    (base / "shortcut").symlink_to(base / "work")
    return base


@pytest.fixture
def fake_codex(tmp_path: Path) -> tuple[str, Path]:
    """A harmless stand-in for codex in a directory with a space (so only argv works)."""
    bin_dir = tmp_path / "fake bin"
    bin_dir.mkdir()
    out = tmp_path / "spawned.txt"
    script = bin_dir / "codex"
    script.write_text(FAKE_CODEX.format(out=out))
    script.chmod(0o755)
    return f"{shlex.quote(str(script))} --fake-flag", out


@pytest.fixture
def settings(db_url: str, tmp_path: Path, root: Path, fake_codex: tuple[str, Path]) -> Settings:
    return Settings(
        database_url=db_url,
        home=tmp_path / "home",
        reap_interval_ms=0,
        token=TOKEN,
        host_root=root,
        codex_command=fake_codex[0],
        public_url="http://relay.test:9999",
    )


@pytest.fixture
def private_tmux(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A tmux server of our own (TMUX_TMPDIR), killed afterwards."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required (.ci/run installs it)")
    sock_dir = tmp_path_factory.mktemp("tmux")
    monkeypatch.setenv("TMUX_TMPDIR", str(sock_dir))
    monkeypatch.delenv("TMUX", raising=False)
    yield str(sock_dir)
    subprocess.run(
        ["tmux", "kill-server"],
        env={**os.environ, "TMUX_TMPDIR": str(sock_dir)},
        capture_output=True,
    )


def wait_for(path: Path, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


def lines(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines())


async def spawn(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/api/agents/spawn", json=body, headers=AUTH)


async def test_spawn_validation(client: httpx.AsyncClient) -> None:
    async def err(body: Any) -> str:
        r = await client.post("/api/agents/spawn", json=body, headers=AUTH)
        assert r.status_code == 400, body
        return r.json()["error"]

    assert await err({}) == "provider required"
    assert await err({"provider": "gpt"}) == "provider must be one of: codex, claude"
    assert await err({"provider": "codex", "approvalMode": "yolo"}) == (
        "approvalMode must be one of: open, guarded, read-only"
    )
    assert await err({"provider": "codex", "cwd": "/" + "c" * 500}) == "cwd must be at most 500 characters"
    assert await err({"provider": "codex", "label": "l" * 121}) == "label must be at most 120 characters"
    assert await err({"provider": "claude"}) == "no orchestrator available for provider: claude"


async def test_dry_run_shows_the_exact_command(
    client: httpx.AsyncClient, app, root: Path, fake_codex, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.state.relay.settings.spawn_dry_run = True
    command, out = fake_codex
    response = await spawn(client, provider="codex", cwd="work/app", label="my bot.v2")
    assert response.status_code == 202
    result = response.json()
    AgentSpawnOut.model_validate(result)
    cwd = os.path.realpath(root / "work" / "app")
    assert result["ok"] is True and result["direct"] is True and result["dryRun"] is True
    assert result["mode"] == "tmux" and result["cwd"] == cwd and result["pid"] is None
    name = result["tmuxSession"]
    assert name.startswith("relay-codex-my-bot-v2-") and "." not in name and ":" not in name
    cmd = result["command"]
    agent_argv = [*shlex.split(command), *GUARDED]
    assert cmd["agentArgv"] == agent_argv and cmd["cwd"] == cwd
    assert cmd["envKeys"] == sorted(
        [
            "AGENT_RELAY_URL",
            "AGENT_RELAY_AGENT_ID",
            "AGENT_RELAY_TOKEN",
            "AGENT_RELAY_AGENT_LABEL",
            "AGENT_RELAY_APPROVAL_MODE",
        ]
    )
    # no variable in the argv (`ps` shows it): the launcher reads them from a 0600 file
    env_file = str(app.state.relay.settings.home_dir / "spawn" / f"{name}.env")
    assert cmd["argv"] == [
        shutil.which("tmux"), "new-session", "-d", "-s", name, "-c", cwd,
        sys.executable, "-I", launch.__file__, env_file, "--",
        *agent_argv,
    ]  # fmt: skip
    assert TOKEN not in response.text, "the token is never shown"
    assert not os.path.exists(env_file)
    time.sleep(0.2)
    assert not out.exists(), "a dry run runs nothing"
    activity = (await client.get("/api/activity", params={"view": "agents"}, headers=AUTH)).json()
    assert activity[0]["title"] == "Codex agent spawn requested (direct)" and activity[0]["meta"] == "dry run"

    # where tmux is missing, the agent argv itself runs as a process group
    app.state.relay.settings.spawn_dry_run = True
    monkeypatch.setattr(direct_spawn, "find_tmux", lambda: None)
    plain = (await spawn(client, provider="codex", approvalMode="open")).json()
    assert plain["mode"] == "process" and plain["tmuxSession"] is None
    assert plain["command"]["argv"] == [
        *shlex.split(command),
        "--dangerously-bypass-approvals-and-sandbox",
    ]
    assert plain["cwd"] == os.path.realpath(root), "default cwd: the host root"


async def test_real_spawn_in_tmux(
    client: httpx.AsyncClient,
    tmp_path: Path,
    root: Path,
    fake_codex,
    private_tmux: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, out = fake_codex
    monkeypatch.setenv("AGENT_RELAY_DATABASE_URL", "sqlite:////must/not/leak.db")
    ran: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(argv: list[str], *args: Any, **kwargs: Any) -> Any:
        ran.append(list(argv))
        return real_run(argv, *args, **kwargs)

    monkeypatch.setattr(direct_spawn.subprocess, "run", recording_run)
    response = await spawn(client, provider="codex", cwd=str(root / "work" / "lib"), label="lib bot")
    assert response.status_code == 202, response.text
    result = response.json()
    assert result["mode"] == "tmux" and result["dryRun"] is False
    seen = lines(wait_for(out))
    assert seen["cwd"] == os.path.realpath(root / "work" / "lib")
    assert seen["url"] == "http://relay.test:9999" and seen["label"] == "lib bot"
    assert seen["mode"] == "guarded" and seen["args"] == " ".join(["--fake-flag", *GUARDED])
    assert seen["db"] == "unset", "the relay's own AGENT_RELAY_* settings are not passed on"
    has = subprocess.run(["tmux", "has-session", "-t", result["tmuxSession"]], capture_output=True)
    assert has.returncode == 0, "the agent lives on in a detached tmux session"
    [tmux_argv] = [argv for argv in ran if "new-session" in argv]  # (the module is shared: ours too)
    assert tmux_argv[:2] == [shutil.which("tmux"), "new-session"]
    assert not any(seen["token"] in arg or TOKEN in arg for arg in tmux_argv), "no token in tmux's argv"
    await holds_its_own_token(client, seen, result["tmuxSession"], label="lib bot")
    assert list((tmp_path / "home" / "spawn").iterdir()) == [], "the env file is gone once read"


def ps_args() -> str:
    return subprocess.run(
        ["ps", "-e", "-ww", "-o", "args"], capture_output=True, text=True, check=True
    ).stdout


async def holds_its_own_token(
    client: httpx.AsyncClient, seen: dict[str, str], tmux_session: str | None, label: str | None
) -> None:
    """§14: the spawned agent's environment holds an agent token for its own id (never the
    relay token), no process's argv shows a token, and deleting the agent revokes it."""
    agent_id, token = seen["agent"], seen["token"]
    assert token.startswith("art_") and token != TOKEN
    assert agent_id.startswith(f"codex-{label.replace(' ', '-')}-" if label else "codex-")
    if tmux_session is not None:
        assert tmux_session == f"relay-{agent_id}"
    who = await client.get("/api/whoami", headers={"X-Agent-Relay-Token": token})
    assert who.json() == {"role": "agent", "agentId": agent_id}
    listed = (await client.get(f"/api/agents/{agent_id}/tokens", headers=AUTH)).json()
    assert [t["label"] for t in listed] == ["direct spawn"]
    card = (await client.get(f"/api/agents/{agent_id}", headers=AUTH)).json()
    assert card["kind"] == "provider" and card["status"] == "offline" and card["meta"]["spawnedBy"] == "relay"
    args = ps_args()
    assert "sleep 30" in args or "codex" in args, "the agent is running while ps is read"
    assert token not in args and TOKEN not in args, "no token in any process's argv"
    assert (await client.delete(f"/api/agents/{agent_id}", headers=AUTH)).status_code == 200
    revoked = await client.get("/api/whoami", headers={"X-Agent-Relay-Token": token})
    assert revoked.status_code == 401, "deleting the agent revokes its token"


async def test_real_spawn_as_process_group(
    client: httpx.AsyncClient, root: Path, fake_codex, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = fake_codex
    monkeypatch.setattr(direct_spawn, "find_tmux", lambda: None)  # as on a host without tmux
    response = await spawn(
        client, provider="codex", cwd=str(root / "shortcut" / "app"), approvalMode="read-only"
    )
    assert response.status_code == 202, response.text
    result = response.json()
    pid = result["pid"]
    assert result["mode"] == "process" and isinstance(pid, int)
    try:
        seen = lines(wait_for(out))
        assert seen["cwd"] == os.path.realpath(root / "work" / "app"), "symlinks inside the root are resolved"
        assert seen["mode"] == "read-only" and seen["label"] == ""
        assert os.getpgid(pid) == pid, "the agent leads its own process group (detached)"
        await holds_its_own_token(client, seen, None, label=None)
    finally:
        os.killpg(pid, signal.SIGTERM)
    activity = (await client.get("/api/activity", params={"view": "agents"}, headers=AUTH)).json()
    assert activity[0]["meta"] == f"pid {pid}"


async def test_direct_spawn_refuses_traversal(client: httpx.AsyncClient, app, root: Path) -> None:
    app.state.relay.settings.spawn_dry_run = True
    outside = f"cwd must be within host root: {os.path.realpath(root)}"
    for cwd in [
        "/etc",
        "..",
        "work/../../outside",
        str(root) + "-other",
        str(root / "escape"),
        "escape/x",
    ]:
        r = await spawn(client, provider="codex", cwd=cwd)
        assert r.status_code == 400 and r.json() == {"error": outside}, cwd
    not_dir = await spawn(client, provider="codex", cwd="notes.txt")
    assert not_dir.status_code == 400 and not_dir.json() == {"error": "cwd is not a directory: notes.txt"}


async def test_host_directories(client: httpx.AsyncClient, root: Path) -> None:
    real = os.path.realpath(root)
    top = await client.get("/api/host/directories", headers=AUTH)
    assert top.status_code == 200
    listing = top.json()
    HostDirectoriesOut.model_validate(listing)
    assert listing["root"] == real and listing["path"] == real and listing["parent"] is None
    # hidden entries, files and the symlink leading out are not offered; the one inside is
    assert [d["name"] for d in listing["directories"]] == ["shortcut", "work"]
    work = (await client.get("/api/host/directories", params={"path": "work"}, headers=AUTH)).json()
    assert work["parent"] == real
    assert work["directories"] == [
        {"name": "app", "path": os.path.join(real, "work", "app")},
        {"name": "lib", "path": os.path.join(real, "work", "lib")},
    ]
    via_link = (
        await client.get("/api/host/directories", params={"path": str(root / "shortcut")}, headers=AUTH)
    ).json()
    assert via_link["path"] == os.path.join(real, "work")
    for path in ["/etc", "..", "work/../..", "escape", str(root) + "-other", "/"]:
        r = await client.get("/api/host/directories", params={"path": path}, headers=AUTH)
        assert r.status_code == 400 and r.json() == {"error": f"path must be within host root: {real}"}, path
    file = await client.get("/api/host/directories", params={"path": "notes.txt"}, headers=AUTH)
    assert file.status_code == 400 and file.json() == {"error": "path is not a directory: notes.txt"}
    missing = await client.get("/api/host/directories", params={"path": "nope"}, headers=AUTH)
    assert missing.status_code == 400


async def register(client: httpx.AsyncClient, orch_id: str, providers: list[str], base: str = "/srv") -> None:
    body = {"id": orch_id, "hostname": orch_id, "baseDir": base, "providers": providers}
    assert (await client.post("/api/orchestrators", json=body, headers=AUTH)).status_code == 201


async def manage(client: httpx.AsyncClient, orch_id: str, count: int) -> None:
    agents = [
        {"agentId": f"{orch_id}-{i}", "provider": "codex", "tmuxSession": f"s{i}", "cwd": "/srv"}
        for i in range(count)
    ]
    r = await client.patch(f"/api/orchestrators/{orch_id}/agents", json={"agents": agents}, headers=AUTH)
    assert r.status_code == 200


async def test_routes_to_the_least_busy_orchestrator(client: httpx.AsyncClient, app, fake_codex) -> None:
    await register(client, "busy", ["claude", "codex"])
    await register(client, "idle", ["codex"])
    await manage(client, "busy", 2)

    codex = await spawn(client, provider="codex", label="c1", approvalMode="open")
    assert codex.status_code == 202
    body = codex.json()
    AgentSpawnOut.model_validate(body)
    assert body["ok"] is True and body["orchestratorId"] == "idle" and body["provider"] == "codex"
    message = body["message"]
    assert message["to"] == "orchestrator:idle" and message["kind"] == "control"
    assert message["meta"] == {"delivery": "interrupt", "priority": "urgent"}
    control = message["payload"]["orchestratorControl"]
    assert {k: v for k, v in control.items() if k != "requestedAt"} == {
        "action": "spawn",
        "provider": "codex",
        "cwd": "/srv",
        "label": "c1",
        "approvalMode": "open",
        "requestedBy": "dashboard",
    }
    assert (await spawn(client, provider="claude")).json()["orchestratorId"] == "busy", "the only claude host"

    await manage(client, "idle", 3)
    assert (await spawn(client, provider="codex")).json()["orchestratorId"] == "busy", "now the less busy one"

    # cwd narrows the choice to orchestrators whose baseDir contains it
    await register(client, "other", ["codex"], base="/data")
    assert (await spawn(client, provider="codex", cwd="/srv/x")).json()["orchestratorId"] == "busy"
    assert (await spawn(client, provider="codex", cwd="/data/y")).json()["orchestratorId"] == "other"
    refused = await spawn(client, provider="codex", cwd="/srv/../etc")
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("cwd must be within orchestrator base directory: ")

    # all orchestrators offline: claude cannot be spawned; codex falls back to a direct spawn
    await app.state.relay.db.write(
        lambda uow: uow.conn.execute(sa.update(orchestrators).values(last_heartbeat=1))
    )
    reaped = (await client.post("/api/system/reap", headers=AUTH)).json()["reapedOrchestratorIds"]
    assert sorted(reaped) == ["busy", "idle", "other"]
    none = await spawn(client, provider="claude")
    assert none.status_code == 400 and none.json() == {
        "error": "no orchestrator available for provider: claude"
    }
    app.state.relay.settings.spawn_dry_run = True
    direct = (await spawn(client, provider="codex")).json()
    assert direct["direct"] is True and direct.get("orchestratorId") is None
    activity = [
        a["title"]
        for a in (await client.get("/api/activity", params={"view": "agents"}, headers=AUTH)).json()
    ]
    assert "codex agent spawn requested (via idle)" in activity


async def test_a_command_that_cannot_start_is_502(client: httpx.AsyncClient, app) -> None:
    app.state.relay.settings.codex_command = "/nonexistent/codex-x --flag"
    r = await spawn(client, provider="codex")
    assert r.status_code == 502
    assert r.json() == {"error": "codex command not found: /nonexistent/codex-x"}
    activity = (await client.get("/api/activity", params={"view": "agents"}, headers=AUTH)).json()
    assert activity == [], "nothing was started, nothing recorded"
    app.state.relay.settings.codex_command = "'unbalanced"
    bad = await spawn(client, provider="codex")
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("AGENT_RELAY_CODEX_COMMAND cannot be parsed")


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_a_spawned_agent_gets_the_requests_traceparent(
    client: httpx.AsyncClient, app, root: Path, fake_codex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§17: the spawn request's W3C trace context reaches the agent as TRACEPARENT."""
    _, out = fake_codex
    monkeypatch.setattr(direct_spawn, "find_tmux", lambda: None)
    response = await client.post(
        "/api/agents/spawn",
        json={"provider": "codex", "cwd": str(root / "work" / "app")},
        headers={**AUTH, "traceparent": TRACEPARENT},
    )
    assert response.status_code == 202, response.text
    pid = response.json()["pid"]
    try:
        assert lines(wait_for(out))["trace"] == TRACEPARENT
    finally:
        os.killpg(pid, signal.SIGTERM)
    assert "TRACEPARENT" in response.json()["command"]["envKeys"]
    # an invalid header is ignored (W3C): the spawn goes on without one
    app.state.relay.settings.spawn_dry_run = True
    dry = await client.post(
        "/api/agents/spawn",
        json={"provider": "codex", "cwd": str(root / "work" / "app")},
        headers={**AUTH, "traceparent": "00-not-a-trace"},
    )
    assert dry.status_code == 202 and "TRACEPARENT" not in dry.json()["command"]["envKeys"]
