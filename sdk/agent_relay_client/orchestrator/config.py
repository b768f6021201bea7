"""Provider commands for the orchestrator daemon.

A config file (JSON, or TOML by its `.toml` suffix) may override any provider:

    {"providers": {
        "claude": {"command": ["claude"],
                   "approvalFlags": {"open": ["--dangerously-skip-permissions"],
                                     "guarded": ["--permission-mode", "default"],
                                     "read-only": ["--permission-mode", "plan"]},
                   "promptFlag": [],          # [] = the prompt is the last argument, after `--`
                   "env": {"FOO": "bar"}},
        "codex": {"command": ["codex"], ...}},
     "tmuxSocket": "agent-relay", "heartbeatInterval": 30, "pollInterval": 5,
     "wakeNotice": "New relay messages: run `relay inbox {agentId}`"}

Fields left out keep the defaults below. `command` may also be a string (split with
shlex, never run through a shell)."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APPROVAL_MODES = ("open", "guarded", "read-only")
# Typed into an agent's terminal on a `wake` action (§15): one line, which a Claude Code or
# Codex session takes as input. {agentId} and {count} (unread messages) are filled in.
DEFAULT_WAKE_NOTICE = "New relay messages: run `relay inbox {agentId}`"

DEFAULT_PROVIDERS: dict[str, dict[str, Any]] = {
    # Claude Code: bypass all prompts / ask before acting / plan mode (no edits).
    "claude": {
        "command": ["claude"],
        "approvalFlags": {
            "open": ["--dangerously-skip-permissions"],
            "guarded": ["--permission-mode", "default"],
            "read-only": ["--permission-mode", "plan"],
        },
        "promptFlag": [],
    },
    # Codex CLI: the same flags the relay's direct spawn uses.
    "codex": {
        "command": ["codex"],
        "approvalFlags": {
            "open": ["--dangerously-bypass-approvals-and-sandbox"],
            "guarded": ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"],
            "read-only": ["--ask-for-approval", "on-request", "--sandbox", "read-only"],
        },
        "promptFlag": [],
    },
}


class ConfigError(ValueError):
    pass


@dataclass
class ProviderConfig:
    name: str
    command: list[str]
    approval_flags: dict[str, list[str]]
    prompt_flag: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def argv(self, approval_mode: str, prompt: str | None) -> list[str]:
        """The agent's argv: command + approval flags (+ prompt flag + prompt). A positional
        prompt comes after `--` (claude and codex accept it), so a prompt like
        `--dangerously-skip-permissions` or `-rf` stays text and never becomes an option;
        with a promptFlag the prompt is that flag's value (the daemon refuses one that
        starts with `-`)."""
        argv = [*self.command, *self.approval_flags.get(approval_mode, [])]
        if prompt:
            argv += [*self.prompt_flag, prompt] if self.prompt_flag else ["--", prompt]
        return argv


@dataclass
class DaemonConfig:
    providers: dict[str, ProviderConfig]
    tmux_socket: str | None = None
    heartbeat_interval: float | None = None
    poll_interval: float | None = None
    wake_notice: str = DEFAULT_WAKE_NOTICE

    def notice_for(self, agent_id: str, count: int) -> str:
        return self.wake_notice.replace("{agentId}", agent_id).replace("{count}", str(count))


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return list(value)


def _provider(name: str, raw: dict[str, Any]) -> ProviderConfig:
    base = DEFAULT_PROVIDERS.get(name, {"command": [], "approvalFlags": {}, "promptFlag": []})
    merged = {**base, **raw}
    command = _str_list(merged.get("command"), f"providers.{name}.command")
    if not command:
        raise ConfigError(f"providers.{name}.command is empty")
    flags_raw = merged.get("approvalFlags") or {}
    if not isinstance(flags_raw, dict):
        raise ConfigError(f"providers.{name}.approvalFlags must be an object")
    flags = {**base.get("approvalFlags", {}), **flags_raw}
    for mode in list(flags):
        if mode not in APPROVAL_MODES:
            raise ConfigError(f"providers.{name}.approvalFlags: unknown mode {mode!r}")
        flags[mode] = _str_list(flags[mode], f"providers.{name}.approvalFlags.{mode}")
    env = merged.get("env") or {}
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise ConfigError(f"providers.{name}.env must map names to strings")
    return ProviderConfig(
        name=name,
        command=command,
        approval_flags=flags,
        prompt_flag=_str_list(merged.get("promptFlag") or [], f"providers.{name}.promptFlag"),
        env=dict(env),
    )


def parse_config(raw: dict[str, Any]) -> DaemonConfig:
    if not isinstance(raw, dict):
        raise ConfigError("the config must be an object")
    overrides = raw.get("providers", {})
    overrides = {} if overrides is None else overrides
    if not isinstance(overrides, dict):
        raise ConfigError("providers must be an object")
    providers = {name: _provider(name, {}) for name in DEFAULT_PROVIDERS}
    for name, value in overrides.items():
        if not isinstance(value, dict):
            raise ConfigError(f"providers.{name} must be an object")
        providers[name] = _provider(name, value)
    notice = raw.get("wakeNotice", DEFAULT_WAKE_NOTICE)
    if not isinstance(notice, str) or not notice.strip() or "\n" in notice or "\r" in notice:
        raise ConfigError("wakeNotice must be one non-empty line")
    return DaemonConfig(
        wake_notice=notice,
        providers=providers,
        tmux_socket=raw.get("tmuxSocket"),
        heartbeat_interval=raw.get("heartbeatInterval"),
        poll_interval=raw.get("pollInterval"),
    )


def load_config(path: str | Path | None) -> DaemonConfig:
    if path is None:
        return parse_config({})
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config {p}: {exc.strerror}") from None
    try:
        if p.suffix == ".toml":
            import tomllib  # Python ≥ 3.11

            raw = tomllib.loads(text)
        else:
            raw = json.loads(text)
    except (ValueError, ImportError) as exc:
        raise ConfigError(f"cannot parse config {p}: {exc}") from None
    return parse_config(raw)
