"""The dashboard stays live (§11, §17): after its event stream drops, it reconnects and
replays what it missed (Last-Event-ID), showing the connection state meanwhile; on an open
relay (no token) it works without logging in; the keyboard drives the lists."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.browser.conftest import ADMIN_TOKEN, WAIT_MS
from tests.support import ServerProcess, wipe


def _server(
    database: str, home: Path, port: int | None = None, token: str | None = ADMIN_TOKEN
) -> ServerProcess:
    server = ServerProcess(database, home, env={"AGENT_RELAY_TOKEN": token} if token else None)
    if port is not None:
        server.port = port
        server.url = f"http://127.0.0.1:{port}"
        server.env["AGENT_RELAY_PORT"] = str(port)
    return server.start()


def test_events_missed_while_disconnected_are_replayed(browser: Any, database: str, tmp_path: Path) -> None:
    wipe(database)
    first = _server(database, tmp_path / "a")
    port = first.port
    context = browser.new_context(base_url=first.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    others: list[ServerProcess] = [first]
    try:
        page.goto(f"/#token={ADMIN_TOKEN}")
        page.wait_for_selector(".app")
        page.evaluate("() => { location.hash = '#/agents' }")
        page.wait_for_selector("section[data-view=agents]")
        page.wait_for_selector(".conn[data-state=live]")
        first.stop()  # the stream drops; the page says so and keeps retrying
        page.wait_for_selector(".conn:not([data-state=live])")
        # Meanwhile another relay process on the same database records an agent.
        side = _server(database, tmp_path / "b")
        others.append(side)
        missed = f"missed-{uuid.uuid4().hex[:6]}"
        r = httpx.post(
            f"{side.url}/api/agents",
            json={"id": missed, "name": missed},
            headers={"X-Agent-Relay-Token": ADMIN_TOKEN},
        )
        assert r.status_code == 201
        side.stop()
        others.append(_server(database, tmp_path / "c", port=port))  # the relay is back
        page.wait_for_selector(".conn[data-state=live]")
        # No reload and no refetch of the list: the agent arrives as a replayed event.
        page.locator(f"tr[data-key='{missed}']").wait_for()
    finally:
        context.close()
        for server in others:
            server.stop()


def test_an_open_relay_needs_no_login(browser: Any, database: str, tmp_path: Path) -> None:
    wipe(database)
    server = _server(database, tmp_path / "open", token=None)
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        page.goto("/#/agents")
        page.wait_for_selector(".app .badge:text('open mode')")
        assert page.locator("button:text('Log out')").count() == 0
        httpx.post(f"{server.url}/api/agents", json={"id": "open-1", "name": "open-1"}).raise_for_status()
        page.locator("tr[data-key='open-1']").wait_for()
    finally:
        context.close()
        server.stop()
