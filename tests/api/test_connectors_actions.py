"""Connector actions: real child processes (tests/fixtures/fake_connector.py), no shell,
timeouts, output cap, and supervision of a long-running bridge."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

FAKE = str(Path(__file__).resolve().parents[1] / "fixtures" / "fake_connector.py")


def fake(*args: str) -> list[str]:
    return [sys.executable, FAKE, *args]


@pytest.fixture
def settings(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    # A test may ask for a longer start check (indirect parametrize): on a loaded machine a
    # crashing child can take longer than 200 ms to start and die.
    start_check_ms = getattr(request, "param", 200)
    return Settings(
        database_url=db_url,
        home=tmp_path / "home",
        reap_interval_ms=0,
        connector_action_timeout_ms=30_000,
        connector_start_check_ms=start_check_ms,
        connector_backoff_initial_ms=100,
        connector_backoff_max_ms=400,
        connector_stop_grace_ms=3_000,
    )


async def register(
    client: httpx.AsyncClient, commands: dict[str, list[str]], cid: str = "fake", **extra: Any
):
    manifest = {"id": cid, "name": "Fake", "version": "0.1.0", "description": "test", "commands": commands}
    response = await client.post("/api/connectors", json={"manifest": manifest, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def act(client: httpx.AsyncClient, action: str, cid: str = "fake") -> httpx.Response:
    return await client.post(f"/api/connectors/{cid}/actions", json={"action": action})


def alive(pid: int) -> bool:
    """Running and not a zombie (orphans may never be reaped without an init)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in ("Z", "X")


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_action_succeeds_and_is_recorded(client: httpx.AsyncClient) -> None:
    await register(client, {"install": fake("echo", "installed")})
    response = await act(client, "install")
    assert response.status_code == 200
    result = response.json()
    assert result["ok"] is True and result["action"] == "install" and result["exitCode"] == 0
    assert result["output"] == "'installed'\n" and isinstance(result["durationMs"], int)
    connector = (await client.get("/api/connectors/fake")).json()
    assert connector["lastAction"]["ok"] is True and connector["lastAction"]["action"] == "install"
    assert connector["lastAction"]["output"] == "'installed'\n"
    feed = (await client.get("/api/activity", params={"kind": "connector"})).json()
    assert feed[0]["title"] == "Connector fake: install ok"
    assert feed[0]["metadata"]["exitCode"] == 0 and feed[0]["view"] == "connectors"


async def test_failing_action_is_502_with_exit_code(client: httpx.AsyncClient) -> None:
    await register(client, {"doctor": fake("exit", "7")})
    response = await act(client, "doctor")
    assert response.status_code == 502
    result = response.json()
    assert result["ok"] is False and result["exitCode"] == 7 and "about to fail" in result["output"]
    assert (await client.get("/api/connectors/fake")).json()["lastAction"]["exitCode"] == 7
    feed = (await client.get("/api/activity", params={"kind": "connector"})).json()
    assert feed[0]["title"] == "Connector fake: doctor failed"


async def test_missing_executable_is_502(client: httpx.AsyncClient) -> None:
    await register(client, {"install": ["/nonexistent/bin/tool", "x"]})
    response = await act(client, "install")
    assert response.status_code == 502
    assert (
        response.json()["exitCode"] is None
        and "cannot run /nonexistent/bin/tool" in response.json()["output"]
    )


async def test_timeout_kills_the_process_group(client: httpx.AsyncClient, app, settings: Settings) -> None:
    app.state.relay.settings.connector_action_timeout_ms = 500
    await register(client, {"install": fake("hang")})
    started = time.monotonic()
    response = await act(client, "install")
    assert time.monotonic() - started < 5
    assert response.status_code == 502
    result = response.json()
    assert result["ok"] is False and result["timedOut"] is True and result["exitCode"] is None
    assert "hanging" in result["output"] and "timed out after 500 ms" in result["output"]
    pids = json.loads((settings.home_dir / "connectors" / "fake" / "hang.json").read_text())
    await eventually(lambda: asyncio.sleep(0, not alive(pids["pid"]) and not alive(pids["child"])), timeout=5)


async def test_arguments_are_never_interpreted_by_a_shell(client: httpx.AsyncClient, tmp_path: Path) -> None:
    marker_a, marker_b, marker_c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    args = [f"x; touch {marker_a}", f"$(touch {marker_b})", f"`touch {marker_c}`", "| cat", "$HOME", "*"]
    await register(client, {"install": fake("echo", *args)})
    response = await act(client, "install")
    assert response.status_code == 200
    assert response.json()["output"] == "".join(f"{a!r}\n" for a in args)
    assert not marker_a.exists() and not marker_b.exists() and not marker_c.exists()


async def test_environment_and_working_directory(
    client: httpx.AsyncClient, app, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_RELAY_DATABASE_URL", "postgresql://user:hunter2@db/relay")
    monkeypatch.setenv("SOME_API_KEY", "hunter3")
    app.state.relay.settings.token = "relay-token"
    await register(client, {"install": fake("env")}, config={"a": 1})
    response = await act(client, "install")
    output = response.json()["output"]
    assert response.status_code == 200
    assert f"AGENT_RELAY_URL={settings.relay_url}" in output
    assert "AGENT_RELAY_TOKEN=art_" in output and "AGENT_RELAY_CONNECTOR_ID=fake" in output
    assert "relay-token" not in output, "a connector gets an agent token, never the relay token"
    assert "AGENT_RELAY_AGENT_ID=connector:fake" in output
    assert f"cwd={settings.home_dir / 'connectors' / 'fake'}" in output
    assert 'config={"a": 1}' in output and "config mode=0o600" in output
    assert "hunter2" not in output and "leaked=\n" in output


async def test_output_is_capped(client: httpx.AsyncClient, app) -> None:
    app.state.relay.settings.connector_output_max_bytes = 1024
    await register(client, {"install": fake("echo", "x" * 5000 + "END")})
    output = (await act(client, "install")).json()["output"]
    assert output.startswith("[output truncated: first ")
    assert output.rstrip().endswith("END'") and len(output) < 1100


async def test_enable_disable(client: httpx.AsyncClient) -> None:
    await register(client, {"start": fake("bridge")})
    disabled = await act(client, "disable")
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    assert (await client.get("/api/connectors/fake")).json()["enabled"] is False
    refused = await act(client, "start")
    assert refused.status_code == 409 and refused.json() == {"error": "connector is disabled"}
    enabled = await act(client, "enable")
    assert enabled.status_code == 200 and enabled.json()["enabled"] is True


@pytest.mark.parametrize("settings", [10_000], indirect=True)  # returns as soon as it dies
async def test_start_that_dies_immediately_is_502(client: httpx.AsyncClient) -> None:
    await register(client, {"start": fake("crash")})
    response = await act(client, "start")
    assert response.status_code == 502
    assert response.json()["exitCode"] == 3 and "crashing" in response.json()["output"]
    assert response.json()["process"]["supervised"] is False


def read_pids(directory: Path, exclude: set[int] = frozenset()) -> dict[str, int] | None:  # type: ignore[assignment]
    for path in directory.glob("pids-*.json"):
        pids = json.loads(path.read_text())
        if pids["pid"] not in exclude:
            return pids
    return None


async def test_supervised_start_restart_after_crash_and_stop(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await register(client, {"start": fake("bridge")}, config={"k": "v"})
    directory = settings.home_dir / "connectors" / "fake"

    started = await act(client, "start")
    assert started.status_code == 200, started.text
    first_pid = started.json()["process"]["pid"]
    assert started.json()["process"]["running"] is True
    first = await eventually(lambda: asyncio.sleep(0, read_pids(directory)))
    assert first["pid"] == first_pid and alive(first["child"])

    status = await act(client, "status")
    assert status.status_code == 200
    process = status.json()["process"]
    assert process["running"] is True and process["pid"] == first_pid and process["restarts"] == 0
    assert process["uptimeMs"] >= 0 and status.json()["output"].startswith("running")
    assert (await client.get("/api/connectors/fake")).json()["running"] is True
    again = await act(client, "start")
    assert again.status_code == 200 and "already running" in again.json()["output"]

    # killed from outside: the supervisor kills what is left of the group and starts it again
    os.kill(first_pid, signal.SIGKILL)

    async def restarted() -> dict[str, Any] | None:
        state = (await client.get("/api/connectors/fake")).json()["process"]
        return state if state["running"] and state["pid"] != first_pid else None

    process = await eventually(restarted)
    assert process["restarts"] == 1 and process["lastExit"]["code"] == -signal.SIGKILL
    second = await eventually(lambda: asyncio.sleep(0, read_pids(directory, {first_pid})))
    assert second["pid"] == process["pid"] and alive(second["child"])
    await eventually(lambda: asyncio.sleep(0, not alive(first["child"])), timeout=5)
    assert "config_keys=['k']" in (directory / "connector.log").read_text()

    stopped = await act(client, "stop")
    assert stopped.status_code == 200 and stopped.json()["process"]["running"] is False
    assert f"stopped (pid {second['pid']})" in stopped.json()["output"]
    assert not alive(second["pid"]) and not alive(second["child"]), "the whole process group ended"
    status = (await act(client, "status")).json()
    assert status["process"]["running"] is False and status["output"].startswith("not running")
    assert (await act(client, "stop")).json()["output"] == "not running"


async def test_restart_and_uninstall_stop_the_process(client: httpx.AsyncClient, settings: Settings) -> None:
    await register(client, {"start": fake("bridge"), "uninstall": fake("echo", "bye")})
    first = (await act(client, "start")).json()["process"]["pid"]
    restarted = await act(client, "restart")
    assert restarted.status_code == 200
    second = restarted.json()["process"]["pid"]
    assert second != first and not alive(first)
    removed = await act(client, "uninstall")
    assert removed.status_code == 200 and "bye" in removed.json()["output"]
    assert not alive(second) and removed.json()["process"]["running"] is False


async def test_crash_loop_backs_off_with_a_cap(client: httpx.AsyncClient, app) -> None:
    app.state.relay.settings.connector_start_check_ms = 0  # let a crashing process be supervised
    await register(client, {"start": fake("crash")})
    assert (await act(client, "start")).status_code == 200

    async def crashed_often() -> dict[str, Any] | None:
        state = (await client.get("/api/connectors/fake")).json()["process"]
        return state if state["restarts"] >= 3 else None

    process = await eventually(crashed_often)
    assert process["supervised"] is True and process["lastExit"]["code"] == 3
    supervised = app.state.connector_supervisor._entries["fake"]
    assert supervised.backoff_ms == 400, "doubled from 100 ms up to the 400 ms cap"
    assert (await act(client, "stop")).status_code == 200
    assert (await client.get("/api/connectors/fake")).json()["process"]["supervised"] is False


async def test_server_shutdown_stops_connectors(settings: Settings) -> None:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            await register(client, {"start": fake("bridge")})
            assert (await act(client, "start")).status_code == 200
            pids = await eventually(
                lambda: asyncio.sleep(0, read_pids(settings.home_dir / "connectors" / "fake"))
            )
            assert alive(pids["pid"]) and alive(pids["child"])
    assert not alive(pids["pid"]) and not alive(pids["child"])


def test_real_server_stops_connectors_on_sigterm(live_server) -> None:
    """Under uvicorn (uvloop): start a bridge over HTTP, then SIGTERM the server."""
    manifest = {
        "id": "fake",
        "name": "Fake",
        "version": "0.1.0",
        "description": "t",
        "commands": {"start": fake("bridge")},
    }
    assert httpx.post(f"{live_server.url}/api/connectors", json=manifest).status_code == 201
    started = httpx.post(
        f"{live_server.url}/api/connectors/fake/actions", json={"action": "start"}, timeout=30
    )
    assert started.status_code == 200, started.text
    directory = live_server.home / "connectors" / "fake"
    deadline = time.monotonic() + 15
    while (pids := read_pids(directory)) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert alive(pids["pid"]) and alive(pids["child"])
    live_server.stop()
    assert not alive(pids["pid"]) and not alive(pids["child"])
