"""Browser tests of the dashboard (§17): Debian's chromium driven by Playwright, never a
downloaded browser (`playwright install` is not used; `executable_path` points at the
system's). A real relay runs in a child process with an admin token, so every test logs in.

Skip rule: without chromium (or the playwright package) these tests skip with the reason,
unless AGENT_RELAY_TEST_REQUIRE_BROWSER=1 (as .ci/run sets), which makes that a failure.
Screenshots are saved under tests/browser/artifacts/ (gitignored; the path is printed in the
run's header), one per test at its end plus the light/dark ones the tests take on purpose."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import ServerProcess, wipe

CHROMIUM = os.environ.get("AGENT_RELAY_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE = os.environ.get("AGENT_RELAY_TEST_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(os.environ.get("AGENT_RELAY_TEST_ARTIFACTS") or Path(__file__).parent / "artifacts")
ADMIN_TOKEN = "browser-admin-token"
WAIT_MS = 20_000  # generous: a loaded 2-core machine


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright; no browser download needed)"
    return None


def pytest_report_header(config: pytest.Config) -> str:
    return f"browser tests: chromium {CHROMIUM}, screenshots in {ARTIFACTS}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None or REQUIRE:  # required: _require_browser fails each test instead
        return
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def _require_browser() -> None:
    reason = _missing()
    if reason and REQUIRE:
        pytest.fail(f"AGENT_RELAY_TEST_REQUIRE_BROWSER=1 but {reason}")


@pytest.fixture(scope="module")
def relay(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real relay per test module (tests use their own agent ids), token-protected."""
    wipe(database)
    server = ServerProcess(
        database,
        tmp_path_factory.mktemp("browser-relay"),
        # stuck after 1 s (the minimum): the stuck-work list is reachable by a test
        env={"AGENT_RELAY_TOKEN": ADMIN_TOKEN, "AGENT_RELAY_STUCK_AFTER_MS": "1000"},
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def admin(relay: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=relay.url, headers={"X-Agent-Relay-Token": ADMIN_TOKEN}, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module scope, not session: Playwright's sync API keeps an event loop running in this
    thread while it is started, and pytest-asyncio cannot run async tests (tests/contract,
    tests/unit) under it. Stopped at the end of each module, it leaves no loop behind."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def _name(request: pytest.FixtureRequest) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)


@pytest.fixture
def page(browser: Any, relay: ServerProcess, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (empty localStorage) on the relay. Page errors fail the test;
    a screenshot of the end state is saved whatever the outcome."""
    context = browser.new_context(base_url=relay.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{_name(request)}.png"), full_page=True)
        except Exception as exc:  # a screenshot must not hide the test's own outcome
            print(f"screenshot failed: {exc}")
        context.close()
    assert not errors, f"errors in the page: {errors}"


def login(pg: Any, hash_path: str = "#/agents") -> None:
    """Opens the dashboard with the `#token=` fragment (pre-fills the token) on a view."""
    pg.goto(f"/#token={ADMIN_TOKEN}")
    pg.wait_for_selector(".app")
    pg.evaluate("h => { location.hash = h }", hash_path)
    pg.wait_for_selector(f"section[data-view='{hash_path.split('/')[1]}']")


def shot(pg: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path))
    return path
