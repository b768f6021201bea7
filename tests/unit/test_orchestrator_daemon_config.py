"""The orchestrator daemon's pure parts: provider config, argv building, cwd confinement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from agent_relay_client.orchestrator import Managed, OrchestratorDaemon, SpawnError, load_config, parse_config
from agent_relay_client.orchestrator.config import ConfigError


def test_defaults_are_real_claude_and_codex_with_approval_flags() -> None:
    config = parse_config({})
    claude, codex = config.providers["claude"], config.providers["codex"]
    assert claude.argv("open", "fix it") == ["claude", "--dangerously-skip-permissions", "--", "fix it"]
    assert claude.argv("read-only", None) == ["claude", "--permission-mode", "plan"]
    assert codex.argv("guarded", None) == [
        "codex", "--ask-for-approval", "on-request", "--sandbox", "workspace-write",
    ]  # fmt: skip


def test_overrides_merge_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "orch.toml"
    path.write_text(
        '[providers.claude]\ncommand = "my-claude --model opus"\npromptFlag = ["-p"]\n'
        '[providers.claude.approvalFlags]\nguarded = ["--careful"]\n'
    )
    claude = load_config(path).providers["claude"]
    assert claude.argv("guarded", "hi") == ["my-claude", "--model", "opus", "--careful", "-p", "hi"]
    assert claude.argv("open", None) == ["my-claude", "--model", "opus", "--dangerously-skip-permissions"]


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"providers": {"claude": {"command": []}}}, "providers.claude.command is empty"),
        ({"providers": {"codex": {"approvalFlags": {"yolo": []}}}}, "unknown mode 'yolo'"),
        ({"providers": {"codex": {"command": ["codex", 1]}}}, "must be a list of strings"),
        ({"providers": []}, "providers must be an object"),
    ],
)
def test_bad_config_is_refused(raw: dict, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        parse_config(raw)


def test_cwd_is_confined_with_realpath(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "app").mkdir(parents=True)
    (tmp_path / "base-other").mkdir()
    (base / "out").symlink_to(tmp_path / "base-other")
    (base / "file").write_text("x")
    daemon = OrchestratorDaemon(
        orchestrator_id="h", base_dir=str(base), config=parse_config({}), url="http://127.0.0.1:9"
    )
    real = os.path.realpath(base)
    assert daemon.confine(None) == real
    assert daemon.confine("app") == os.path.join(real, "app")
    assert daemon.confine(str(base / "app" / "..")) == real
    for escape in ("..", "../base-other", str(tmp_path / "base-other"), "out", "app/../../base-other", "/"):
        with pytest.raises(SpawnError, match="cwd must be within orchestrator base directory"):
            daemon.confine(escape)
    with pytest.raises(SpawnError, match="cwd is not a directory"):
        daemon.confine("file")
    daemon.close()


def test_unknown_provider_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown provider 'gemini'"):
        OrchestratorDaemon(
            orchestrator_id="h", base_dir=str(tmp_path), config=parse_config({}), providers=["gemini"]
        )


def test_managed_wire_leaves_out_missing_fields() -> None:
    m = Managed("claude-1", "claude", "relay-orch-h-claude-1", "/b", "guarded", 5)
    assert m.wire() == {
        "agentId": "claude-1", "provider": "claude", "tmuxSession": "relay-orch-h-claude-1",
        "cwd": "/b", "approvalMode": "guarded", "startedAt": 5,
    }  # fmt: skip
    assert Managed.from_saved(m.saved()) == m
    assert Managed.from_saved({"agent_id": "x"}) is None
