from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

from tests.support import POSTGRES_ENV, ServerProcess, backends, fresh_database, postgres_admin_url, wipe

# In-process tests address the app as http://relay. The relay refuses Host names it was not
# told about (§13, DNS rebinding), so the tests list that one, as a deployment would.
os.environ["AGENT_RELAY_ALLOWED_HOSTS"] = "relay"
# Test receivers (callbacks, webhook outbound) listen on loopback, which outbound requests
# refuse unless allowed (outbound.py); tests of the refusal override this.
os.environ["AGENT_RELAY_OUTBOUND_ALLOW"] = "127.0.0.1"


def pytest_report_header(config: pytest.Config) -> str:
    if postgres_admin_url():
        return f"database backends: sqlite, postgres ({POSTGRES_ENV} is set)"
    return f"database backends: sqlite only (PostgreSQL tests skipped: {POSTGRES_ENV} is not set)"


@pytest.fixture(scope="session", params=backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One fresh, migrated database per backend for the whole run."""
    with fresh_database(request.param, tmp_path_factory.mktemp(f"db-{request.param}")) as url:
        yield url


@pytest.fixture
def db_url(database: str) -> str:
    wipe(database)
    return database


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, home=tmp_path / "home", reap_interval_ms=0, sse_heartbeat_ms=500)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://relay") as c:
        yield c


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, tmp_path / "server-home").start()
    try:
        yield server
    finally:
        server.stop()
