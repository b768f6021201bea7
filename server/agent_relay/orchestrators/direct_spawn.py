"""Direct codex spawn on the relay's own host (POST /api/agents/spawn when no orchestrator
supports the provider). No shell anywhere: the configured command is split with shlex
into an argv; tmux gets that argv as separate arguments (so it execs it directly), or,
where tmux is missing, the argv runs as its own process group (start_new_session).

The agent's environment is the relay's minus every AGENT_RELAY_* variable (the relay's
database URL and other settings are not the agent's business) plus AGENT_RELAY_URL,
AGENT_RELAY_TOKEN (when the relay has one), AGENT_RELAY_AGENT_LABEL (when given) and
AGENT_RELAY_APPROVAL_MODE.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any

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


def session_name(label: str | None) -> str:
    """tmux session names may not contain `.` or `:`; keep them short and unique."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", label or "").strip("-")[:40]
    return f"relay-codex-{slug + '-' if slug else ''}{uuid.uuid4().hex[:8]}"


def agent_env(settings: Settings, label: str | None, approval_mode: str) -> dict[str, str]:
    env = {"AGENT_RELAY_URL": settings.relay_url, "AGENT_RELAY_APPROVAL_MODE": approval_mode}
    if settings.token:
        env["AGENT_RELAY_TOKEN"] = settings.token
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


def build(settings: Settings, *, cwd: str, label: str | None, approval_mode: str) -> dict[str, Any]:
    """The exact command a direct spawn runs: {mode, argv, agentArgv, cwd, env, tmuxSession}."""
    try:
        agent_argv = shlex.split(settings.codex_command)
    except ValueError as exc:
        raise BadRequest(f"AGENT_RELAY_CODEX_COMMAND cannot be parsed: {exc}") from None
    if not agent_argv:
        raise BadRequest("AGENT_RELAY_CODEX_COMMAND is empty")
    agent_argv += APPROVAL_FLAGS[approval_mode]
    env = agent_env(settings, label, approval_mode)
    tmux = find_tmux()
    if tmux:
        name = session_name(label)
        argv = [tmux, "new-session", "-d", "-s", name, "-c", cwd]
        for key, value in env.items():
            argv += ["-e", f"{key}={value}"]
        # Several arguments after the options: tmux execs them directly, without a shell.
        argv += agent_argv
        return {
            "mode": "tmux",
            "argv": argv,
            "agentArgv": agent_argv,
            "cwd": cwd,
            "env": env,
            "tmuxSession": name,
        }
    return {
        "mode": "process",
        "argv": agent_argv,
        "agentArgv": agent_argv,
        "cwd": cwd,
        "env": env,
        "tmuxSession": None,
    }


def run(settings: Settings, plan: dict[str, Any]) -> dict[str, Any]:
    """Start the planned command, detached. Blocking (call it from a worker thread).
    A command that cannot be started is a 502 (like a failing connector command)."""
    base = _base_env()
    program = plan["agentArgv"][0]
    if shutil.which(program, path=base.get("PATH")) is None:
        raise BadGateway(f"codex command not found: {program}")
    if plan["mode"] == "tmux":
        try:
            done = subprocess.run(
                plan["argv"], env=base, capture_output=True, text=True, timeout=15, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BadGateway(f"tmux failed: {exc}") from None
        if done.returncode != 0:
            raise BadGateway(f"tmux failed: {(done.stderr or done.stdout).strip()[:500]}")
        return {"tmuxSession": plan["tmuxSession"], "pid": None}
    log_dir = Path(settings.home_dir) / "spawn"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / f"codex-{uuid.uuid4().hex[:8]}.log").open("ab") as log:
        try:
            proc = subprocess.Popen(
                plan["argv"],
                cwd=plan["cwd"],
                env={**base, **plan["env"]},
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


SECRET_KEYS = ("AGENT_RELAY_TOKEN",)


def describe(plan: dict[str, Any]) -> dict[str, Any]:
    """The command as the API shows it, with the token's value masked in tmux's `-e`
    arguments; env is listed by key only."""
    argv = [
        f"{arg.split('=', 1)[0]}=***" if arg.split("=", 1)[0] in SECRET_KEYS and "=" in arg else arg
        for arg in plan["argv"]
    ]
    return {
        "argv": argv,
        "agentArgv": plan["agentArgv"],
        "cwd": plan["cwd"],
        "envKeys": sorted(plan["env"]),
    }
