"""/api/health tells when writes are not completing (contract §17): 503, not ok."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from agent_relay.settings import Settings

from tests.api.test_messages import send


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path / "home", reap_interval_ms=0, writer_stall_ms=200)


async def test_health_is_503_while_the_writer_is_stalled(client: httpx.AsyncClient, app) -> None:
    db = app.state.relay.db
    healthy = await client.get("/api/health")
    assert healthy.status_code == 200 and healthy.json()["writer"] == {"ok": True, "error": None}

    with db._write_lock:  # held, as a stuck checkpointer or batch would hold it
        sending = asyncio.ensure_future(send(client, body="waits"))
        await asyncio.sleep(0.35)
        stalled = await client.get("/api/health")
        assert stalled.status_code == 503
        body = stalled.json()
        assert body["ok"] is False and body["status"] == "unavailable"
        assert body["writer"]["ok"] is False and "ms" in body["writer"]["error"]
        assert body["database"]["ok"] is True  # reads still work: only writes are stuck

    assert (await asyncio.wait_for(sending, 10)).status_code == 201
    for _ in range(100):
        recovered = await client.get("/api/health")
        if recovered.status_code == 200:
            break
        await asyncio.sleep(0.01)
    assert recovered.status_code == 200 and recovered.json()["ok"] is True
