"""Helpers for the tasks / integrations / callbacks / pairs tests: extra relays on the same
database (each with its own writer, like separate server processes) and a scripted HTTP
receiver for callbacks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from agent_relay.app import create_app
from agent_relay.settings import Settings


@asynccontextmanager
async def relay_client(db_url: str, home: Path, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A relay app (lifespan running: writer, callback worker) and an in-process client."""
    settings = Settings(database_url=db_url, home=home, reap_interval_ms=0, sse_heartbeat_ms=500, **overrides)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            yield client


def logged_events(db_url: str, name_prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """The durable event log (what SSE clients receive and replay), oldest first."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name, data FROM events ORDER BY id").all()
    finally:
        engine.dispose()
    return [(name, json.loads(data)) for name, data in rows if name.startswith(name_prefix)]


def execute(db_url: str, sql: str, **params: Any) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next scripted step: an int status, or ("sleep", s, status).
    After the script runs out it answers `then`."""

    url: str
    script: list[Any] = field(default_factory=list)
    then: Any = 200
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_step(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else self.then


@contextmanager
def receiver(script: list[Any] | None = None, then: Any = 200) -> Iterator[Receiver]:
    state: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with state.lock:
                state.requests.append(
                    Received(time.monotonic(), {k.lower(): v for k, v in self.headers.items()}, body)
                )
            step = state.next_step()
            if isinstance(step, tuple):
                _, seconds, step = step
                time.sleep(seconds)
            try:
                self.send_response(step)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # the relay gave up waiting (timeout) and closed the connection
                pass

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", list(script or []), then)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
