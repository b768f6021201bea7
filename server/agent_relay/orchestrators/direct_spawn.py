"""Direct codex spawn on the relay's own host (POST /api/agents/spawn when no orchestrator
supports the provider). No shell anywhere: the configured command is split with shlex
into an argv; tmux gets that argv as separate arguments (so it execs it directly), or,
where tmux is missing, the argv runs as its own process group (start_new_session).

The agent gets an id of its own (`codex-<label>-<hex>`, its tmux session is `relay-<id>`)
and, on a relay with a token, an agent token minted for that id (never the relay token).
Its environment is the relay's minus every AGENT_RELAY_* variable (the relay's database
URL and other settings are not the agent's business) plus AGENT_RELAY_URL,
AGENT_RELAY_AGENT_ID, AGENT_RELAY_TOKEN (its own), AGENT_RELAY_AGENT_LABEL (when given) and
AGENT_RELAY_APPROVAL_MODE. No secret is ever in an argv: tmux starts `launch.py`, which
reads these variables from a 0600 file, deletes it and execs the agent.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from agent_relay import launch, trace
from agent_relay.errors import BadGateway, BadRequest
from agent_relay.paths import confine_local
from agent_relay.settings import Settings

# Codex CLI flags for each approval mode.
APPROVAL_FLAGS: dict[str, list[str]] = {
    "open": ["--dangerously-bypass-approvals-and-sandbox"],
    "guarded": ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"],
    "read-only": ["--ask-for-approval", "on-request", "--sandbox", "read-only"],
}


def host_root(settings: Settings) -> str:
    """AGENT_RELAY_HOST_ROOT, default the user's home: where direct spawns and the
    directory picker are confined."""
    return os.path.realpath(os.path.expanduser(str(settings.host_root) if settings.host_root else "~"))


def resolve_local_dir(root: str, path: str | None, field: str) -> str:
    """`path` (absolute or relative to root) resolved with realpath; must be an existing
    directory inside root."""
    resolved = confine_local(path or root, root)
    if resolved is None:
        raise BadRequest(f"{field} must be within host root: {root}")
    if not os.path.isdir(resolved):
        raise BadRequest(f"{field} is not a directory: {path}")
    return resolved


TOKEN_KEY = "AGENT_RELAY_TOKEN"


def new_agent_id(label: str | None) -> str:
    """`codex-<label>-<hex>`: also the tmux session's name after `relay-`, and tmux session
    names may not contain `.` or `:`; short and unique."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", label or "").strip("-")[:40]
    return f"codex-{slug + '-' if slug else ''}{uuid.uuid4().hex[:8]}"


def agent_env(settings: Settings, agent_id: str, label: str | None, approval_mode: str) -> dict[str, str]:
    """The agent's variables, its token aside (minted only when it really starts)."""
    env = {
        "AGENT_RELAY_URL": settings.relay_url,
        "AGENT_RELAY_AGENT_ID": agent_id,
        "AGENT_RELAY_APPROVAL_MODE": approval_mode,
    }
    if label:
        env["AGENT_RELAY_AGENT_LABEL"] = label
    return env


def _base_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AGENT_RELAY_") and k not in ("TMUX", "TMUX_PANE")
    }


def find_tmux() -> str | None:
    return shutil.which("tmux")


def build(
    settings: Settings, *, cwd: str, label: str | None, approval_mode: str, traceparent: str | None = None
) -> dict[str, Any]:
    """The exact command a direct spawn runs: {mode, argv, agentArgv, cwd, env, envKeys,
    envFile, agentId, tmuxSession}."""
    try:
        agent_argv = shlex.split(settings.codex_command)
    except ValueError as exc:
        raise BadRequest(f"AGENT_RELAY_CODEX_COMMAND cannot be parsed: {exc}") from None
    if not agent_argv:
        raise BadRequest("AGENT_RELAY_CODEX_COMMAND is empty")
    agent_argv += APPROVAL_FLAGS[approval_mode]
    agent_id = new_agent_id(label)
    env = agent_env(settings, agent_id, label, approval_mode)
    if traceparent:  # §17: the spawn request's trace continues in the agent
        env[trace.ENV] = traceparent
    plan = {
        "mode": "process",
        "argv": agent_argv,
        "agentArgv": agent_argv,
        "cwd": cwd,
        "env": env,
        "envKeys": sorted([*env, *([TOKEN_KEY] if settings.token else [])]),
        "envFile": None,
        "agentId": agent_id,
        "tmuxSession": None,
    }
    tmux = find_tmux()
    if tmux:
        name = f"relay-{agent_id}"
        env_file = str(Path(settings.home_dir) / "spawn" / f"{name}.env")
        # Several arguments after the options: tmux execs them directly, without a shell.
        # The launcher (by path, -I: no PYTHON* variables, no script directory on sys.path)
        # takes the environment from the 0600 file: `-e KEY=value` would show it in `ps`.
        launcher = [sys.executable, "-I", launch.__file__, env_file, "--"]
        argv = [tmux, "new-session", "-d", "-s", name, "-c", cwd, *launcher, *agent_argv]
        plan.update(mode="tmux", argv=argv, envFile=env_file, tmuxSession=name)
    return plan


def check_command(plan: dict[str, Any]) -> None:
    """502 when the agent's program is not there (before a token is minted for it)."""
    program = plan["agentArgv"][0]
    if shutil.which(program, path=_base_env().get("PATH")) is None:
        raise BadGateway(f"codex command not found: {program}")


def run(settings: Settings, plan: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    """Start the planned command, detached, with `token` as its AGENT_RELAY_TOKEN. Blocking
    (call it from a worker thread). A command that cannot be started is a 502 (like a
    failing connector command)."""
    base = _base_env()
    check_command(plan)
    env = {**plan["env"], **({TOKEN_KEY: token} if token else {})}
    if plan["mode"] == "tmux":
        env_file = Path(plan["envFile"])
        env_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        launch.write_env_file(str(env_file), env)
        try:
            done = subprocess.run(
                plan["argv"], env=base, capture_output=True, text=True, timeout=15, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            env_file.unlink(missing_ok=True)
            raise BadGateway(f"tmux failed: {exc}") from None
        if done.returncode != 0:
            env_file.unlink(missing_ok=True)
            raise BadGateway(f"tmux failed: {(done.stderr or done.stdout).strip()[:500]}")
        return {"tmuxSession": plan["tmuxSession"], "pid": None}
    log_dir = Path(settings.home_dir) / "spawn"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / f"codex-{uuid.uuid4().hex[:8]}.log").open("ab") as log:
        try:
            proc = subprocess.Popen(
                plan["argv"],
                cwd=plan["cwd"],
                env={**base, **env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise BadGateway(f"codex command failed to start: {exc}") from None
    # Reap the child when it exits so it never lingers as a zombie of the relay.
    threading.Thread(target=proc.wait, name=f"spawn-wait-{proc.pid}", daemon=True).start()
    return {"tmuxSession": None, "pid": proc.pid}


def describe(plan: dict[str, Any]) -> dict[str, Any]:
    """The command as the API shows it (no value in it is secret); env by key only."""
    return {
        "argv": plan["argv"],
        "agentArgv": plan["agentArgv"],
        "cwd": plan["cwd"],
        "envKeys": plan["envKeys"],
    }
