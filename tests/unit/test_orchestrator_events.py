"""A daemon follows `GET /api/events?agentId=orchestrator:<id>`: it must see its own
orchestrator events and control messages, and not another orchestrator's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from agent_relay.db import PendingEvent
from agent_relay.events.filters import AgentFilter
from agent_relay.migrations import upgrade
from agent_relay.orchestrators.repository import orchestrators

ORCH = {"id": "o1", "agentId": "orchestrator:o1", "status": "online", "managedAgents": []}


def test_orchestrator_inbox_agent_sees_its_events() -> None:
    mine = AgentFilter("orchestrator:o1", {"id": "orchestrator:o1", "kind": "orchestrator"})
    other = AgentFilter("orchestrator:o2", {"id": "orchestrator:o2", "kind": "orchestrator"})
    status = PendingEvent("orchestrator.status", ORCH)
    removed = PendingEvent("orchestrator.removed", {"id": "o1", "agentId": "orchestrator:o1"})
    control = PendingEvent(
        "message.new", {"id": 7, "from": "system", "to": "orchestrator:o1", "kind": "control"}
    )
    for ev in (status, removed, control):
        assert mine.accept(ev), ev.name
        assert not other.accept(ev), ev.name


def test_cli_reap_runs_the_orchestrator_step(tmp_path: Path) -> None:
    """`agent-relay reap` outside the server still runs every domain's reap step."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(orchestrators).values(
                id="o1", hostname="h", base_dir="/b", providers=["codex"], env_keys=[], meta={},
                agent_id="orchestrator:o1", status="online", last_heartbeat=1, managed_agents=[],
                created_at=1, updated_at=1,
            )
        )  # fmt: skip
    engine.dispose()
    env = {**os.environ, "AGENT_RELAY_DATABASE_URL": url, "AGENT_RELAY_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "agent_relay.cli", "reap"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["reapedOrchestratorIds"] == ["o1"]
