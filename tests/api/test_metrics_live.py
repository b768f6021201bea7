"""/metrics and the logs of a real `agent-relay serve` (§17): levels sampled in the serving
process, JSON request lines on its output, and several workers on PostgreSQL adding up in one
scrape (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from tests.api.test_events_stream import read_events
from tests.api.test_observability import value
from tests.support import ServerProcess, fresh_database, postgres_admin_url

TOKEN = "metrics-admin-token"
ADMIN = {"X-Agent-Relay-Token": TOKEN}


def wait_for(check, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def scrape(server: ServerProcess) -> str:
    got = httpx.get(f"{server.url}/metrics", headers=ADMIN, timeout=20)
    assert got.status_code == 200, got.text
    return got.text


def test_live_levels_and_json_request_lines(db_url: str, tmp_path: Path) -> None:
    server = ServerProcess(
        db_url,
        tmp_path / "home",
        env={"AGENT_RELAY_TOKEN": TOKEN, "AGENT_RELAY_LOG_FORMAT": "json"},
        args=["--access-log"],
    ).start()
    try:
        connected = threading.Event()
        done = threading.Event()

        def listen() -> None:
            with httpx.stream("GET", f"{server.url}/api/events?token={TOKEN}", timeout=30) as response:
                for item in read_events(response):
                    if item.get("comment") == "connected":
                        connected.set()
                    if done.is_set():
                        return

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        assert connected.wait(30)
        text = scrape(server)
        assert value(text, "agent_relay_sse_subscribers") == 1
        assert value(text, "agent_relay_open_connections") >= 2  # the stream and the scrape
        assert value(text, "agent_relay_build_info", version=_version(), database=_db_kind(db_url)) == 1
        sent = httpx.post(
            f"{server.url}/api/messages",
            json={"from": "a", "to": "b", "body": "x"},
            headers={**ADMIN, "X-Request-Id": "live-req-1"},
            timeout=20,
        )
        assert sent.status_code == 201 and sent.headers["x-request-id"] == "live-req-1"
        done.set()
        httpx.post(f"{server.url}/api/messages", json={"from": "a", "to": "z", "body": "wake"}, headers=ADMIN)
        thread.join(20)

        def send_line() -> dict | None:
            for line in server.log_path.read_text().splitlines():
                if line.startswith("{") and '"live-req-1"' in line:
                    return json.loads(line)
            return None

        line = wait_for(send_line)
        assert line is not None, server.log_path.read_text()[-2000:]
        assert line["requestId"] == "live-req-1" and line["level"] == "info"
        assert (line["method"], line["path"], line["status"]) == ("POST", "/api/messages", 201)
        assert isinstance(line["durationMs"], float | int) and line["ts"].endswith("Z")
        # the stream's line is written when the server sees the client gone (its next heartbeat)
        assert wait_for(lambda: "/api/events?token=***" in server.log_path.read_text())
        log = server.log_path.read_text()
        assert TOKEN not in log  # ?token= on the stream's line is redacted
        for raw in log.splitlines():  # every line the relay wrote is one JSON object
            if raw.strip():
                assert isinstance(json.loads(raw), dict), raw
    finally:
        server.stop()


def _version() -> str:
    from agent_relay import __version__

    return __version__


def _db_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sent_by_worker(metrics_dir: Path) -> dict[int, float]:
    """agent_relay_messages_sent_total per worker process, read from each worker's own file."""
    out: dict[int, float] = {}
    for path in metrics_dir.glob("counter_*.db"):
        pid = int(path.name.rsplit("_", 1)[1][:-3])
        for family in MultiProcessCollector.merge([str(path)], accumulate=False):
            for sample in family.samples:
                if sample.name == "agent_relay_messages_sent_total" and sample.value:
                    out[pid] = out.get(pid, 0) + sample.value
    return out


@pytest.mark.skipif(
    postgres_admin_url() is None, reason="needs PostgreSQL: set AGENT_RELAY_TEST_POSTGRES_URL"
)
def test_two_workers_add_up_in_one_scrape(tmp_path: Path) -> None:
    with fresh_database("postgres", tmp_path) as url:
        server = ServerProcess(url, tmp_path / "home", env={"AGENT_RELAY_TOKEN": TOKEN}, workers=2).start()
        try:
            metrics_dir = tmp_path / "home" / "metrics" / str(server.port)
            # New connections land on either worker: send until both have stored sends.
            sent = 0
            per_worker: dict[int, float] = {}
            deadline = time.monotonic() + 60
            while (len(per_worker) < 2 or sent < 10) and time.monotonic() < deadline:
                with httpx.Client(timeout=20) as c:  # a fresh connection each time
                    got = c.post(
                        f"{server.url}/api/messages",
                        json={"from": "a", "to": "b", "body": "x"},
                        headers=ADMIN,
                    )
                assert got.status_code == 201
                sent += 1
                per_worker = sent_by_worker(metrics_dir)
            assert len(per_worker) == 2, f"the sends never reached the second worker: {per_worker}"
            assert sum(per_worker.values()) == sent
            total = None
            for _ in range(3):  # whichever worker answers the scrape, it sees both workers' counts
                text = scrape(server)
                counted = value(text, "agent_relay_messages_sent_total", kind="chat")
                requests = value(
                    text,
                    "agent_relay_http_requests_total",
                    method="POST",
                    route="/api/messages",
                    status="201",
                )
                assert counted == sent and requests == sent
                total = counted
            assert total == sent
            assert "agent_relay_claims_outstanding 0.0" in text
            assert value(text, "agent_relay_writer_stalled") == 0
        finally:
            server.stop()
