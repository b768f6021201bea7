from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from agent_relay.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent_relay.cli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"AGENT_RELAY_PORT": "eighty"}, "AGENT_RELAY_PORT"),
        ({"AGENT_RELAY_DATABASE_URL": "mysql://x"}, "AGENT_RELAY_DATABASE_URL"),
        ({"AGENT_RELAY_INTEGRATION_TOKENS": "justatoken"}, "AGENT_RELAY_INTEGRATION_TOKENS"),
        ({"AGENT_RELAY_MAX_BODY_BYTES": "10"}, "AGENT_RELAY_MAX_BODY_BYTES"),
    ],
)
def test_bad_settings_stop_with_one_clear_line(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    result = run_cli("serve", env={"AGENT_RELAY_HOME": str(tmp_path), **env})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr


def test_workers_need_postgres(tmp_path: Path) -> None:
    result = run_cli("serve", "--workers", "2", env={"AGENT_RELAY_HOME": str(tmp_path)})
    assert result.returncode == 2 and "PostgreSQL" in result.stderr


def test_remote_bind_without_token_is_refused(tmp_path: Path) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", env={"AGENT_RELAY_HOME": str(tmp_path)})
    assert result.returncode == 2 and "AGENT_RELAY_TOKEN" in result.stderr


def test_migrate_reap_and_openapi(tmp_path: Path) -> None:
    env = {"AGENT_RELAY_HOME": str(tmp_path / "home")}
    migrated = run_cli("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "home" / "relay.db").exists(), "default SQLite file lives under AGENT_RELAY_HOME"
    reaped = run_cli("reap", env=env)
    assert reaped.returncode == 0, reaped.stderr
    assert json.loads(reaped.stdout)["ok"] is True
    spec = json.loads(run_cli("openapi", env=env).stdout)
    assert "/api/messages" in spec["paths"] and spec["info"]["title"] == "Agent Relay"


def test_default_database_is_sqlite_under_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'relay.db'}"
    assert Settings(database_url="postgresql://u@h/db").resolved_database_url == "postgresql+psycopg://u@h/db"
    assert Settings(integration_tokens="ci=abc, mon=def").integration_token_map == {"abc": "ci", "def": "mon"}
