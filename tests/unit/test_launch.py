"""The spawn launchers (the relay's agent_relay/launch.py for direct spawns, the SDK's copy
for the orchestrator daemon): the agent's environment comes from a 0600 file that is
deleted once read, never from argv, and inherited AGENT_RELAY_* variables (the admin token
in a long-lived tmux server's environment) do not reach the agent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import agent_relay.launch as server_launch
import agent_relay_client.orchestrator.launch as sdk_launch
import pytest

COPIES = [pytest.param(server_launch, id="server"), pytest.param(sdk_launch, id="sdk")]

PRINT_ENV = "import os; print(os.environ.get('AGENT_RELAY_TOKEN'), os.environ.get('AGENT_RELAY_DATABASE_URL'), os.environ.get('KEEP'))"


def run(launch: ModuleType, env_file: Path) -> subprocess.CompletedProcess[str]:
    inherited = {
        **os.environ,
        "AGENT_RELAY_TOKEN": "admin-secret",
        "AGENT_RELAY_DATABASE_URL": "x",
        "KEEP": "k",
    }
    argv = [sys.executable, "-I", launch.__file__, str(env_file), "--", sys.executable, "-c", PRINT_ENV]
    return subprocess.run(argv, env=inherited, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("launch", COPIES)
def test_the_agent_gets_the_file_s_variables_and_the_file_is_gone(launch: ModuleType, tmp_path: Path) -> None:
    env_file = tmp_path / "a.env"
    launch.write_env_file(str(env_file), {"AGENT_RELAY_TOKEN": "art_own"})
    assert env_file.stat().st_mode & 0o777 == 0o600
    done = run(launch, env_file)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["art_own", "None", "k"]
    assert not env_file.exists()


@pytest.mark.parametrize("launch", COPIES)
def test_a_file_others_may_read_is_refused(launch: ModuleType, tmp_path: Path) -> None:
    env_file = tmp_path / "b.env"
    env_file.write_text('{"AGENT_RELAY_TOKEN": "art_x"}')
    env_file.chmod(0o644)
    done = run(launch, env_file)
    assert done.returncode == 2 and "mode 0600" in done.stderr and done.stdout == ""
    assert not env_file.exists(), "deleted even when refused"
    missing = run(launch, tmp_path / "none.env")
    assert missing.returncode == 2 and "launch:" in missing.stderr
