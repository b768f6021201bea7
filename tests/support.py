"""Test databases (SQLite always, PostgreSQL when configured) and real server processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import sqlalchemy as sa
from agent_relay.migrations import upgrade
from agent_relay.models import metadata

POSTGRES_ENV = "AGENT_RELAY_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parents[1]


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        return None
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def backends() -> list[str]:
    return ["sqlite", "postgres"] if postgres_admin_url() else ["sqlite"]


@contextmanager
def fresh_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """A new, migrated database for this test run; dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / f'relay-{uuid.uuid4().hex[:8]}.db'}"
        upgrade(url)
        yield url
        return
    admin_url = postgres_admin_url()
    assert admin_url, f"{POSTGRES_ENV} is not set"
    name = f"relay_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def wipe(url: str) -> None:
    """Empty every table between tests (much faster than a new database each time)."""
    engine = sa.create_engine(url)
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    try:
        if engine.dialect.name != "postgresql":
            with engine.begin() as conn:
                for table in tables:
                    conn.exec_driver_sql(f'DELETE FROM "{table}"')
                conn.exec_driver_sql("DELETE FROM sqlite_sequence")  # ids start at 1 again (AUTOINCREMENT)
            return
        truncate = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
                conn.exec_driver_sql(truncate)
        except sa.exc.OperationalError:
            # A connection left over from an earlier test holds a lock: end it and retry.
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            with engine.begin() as conn:
                conn.exec_driver_sql(truncate)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A real `agent-relay serve` in a child process."""

    def __init__(
        self,
        database_url: str,
        home: Path,
        env: dict[str, str] | None = None,
        workers: int = 1,
        args: list[str] | None = None,  # more `agent-relay serve` options
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = home
        self.env = {
            **os.environ,
            "AGENT_RELAY_DATABASE_URL": database_url,
            "AGENT_RELAY_HOME": str(home),
            "AGENT_RELAY_PORT": str(self.port),
            "AGENT_RELAY_REAP_INTERVAL_MS": "0",
            "AGENT_RELAY_SSE_HEARTBEAT_MS": "300",
            **(env or {}),
        }
        self.workers = workers
        self.args = args or []
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = home / f"server-{self.port}.log"

    def start(self, timeout: float = 30) -> ServerProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agent_relay.cli", "serve", "--workers", str(self.workers), *self.args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
