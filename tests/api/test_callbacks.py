from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.api.task_helpers import execute, receiver, relay_client

FAST = {
    "integration_tokens": "ci=tok-ci",
    "integration_secrets": "ci=s3cret",
    "callback_backoff_base_ms": 100,
    "callback_timeout_ms": 300,
    "callback_poll_interval_ms": 50,
}
CI = {"X-Agent-Relay-Token": "tok-ci"}


async def post_event(
    client: httpx.AsyncClient, callback_url: str, external_id: str = "build-1", **extra: Any
) -> dict:
    body = {"externalId": external_id, "title": "CI failed", "callbackUrl": callback_url, **extra}
    response = await client.post("/api/integrations/events", json=body, headers=CI)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def wait_for(client: httpx.AsyncClient, task_id: int, done: Any, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        deliveries = (await client.get(f"/api/tasks/{task_id}/deliveries")).json()
        if done(deliveries):
            return deliveries
        assert time.monotonic() < deadline, f"deliveries never got there: {deliveries}"
        await asyncio.sleep(0.03)


def settled(n: int = 1):
    return lambda ds: len(ds) >= n and all(d["status"] != "pending" for d in ds)


def valid_signature(secret: str, headers: dict[str, str], body: bytes) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["x-agent-relay-signature"], expected)


async def test_fails_then_times_out_then_delivers_signed(db_url: str, tmp_path: Path) -> None:
    with receiver([500, ("sleep", 1.6, 200)], then=200) as hook:
        async with relay_client(db_url, tmp_path / "h", **{**FAST, "callback_timeout_ms": 1000}) as client:
            task = await post_event(client, hook.url)
            [delivery] = await wait_for(client, task["id"], settled())
    assert delivery["status"] == "delivered" and delivery["event"] == "task.created", delivery
    assert delivery["attemptCount"] == 3, delivery
    assert delivery["lastStatusCode"] == 200 and delivery["lastError"] is None
    attempts = delivery["attempts"]
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert [a["statusCode"] for a in attempts] == [500, None, 200]
    assert attempts[0]["error"] == "HTTP 500"
    assert attempts[1]["error"] == "timeout after 1000 ms" and attempts[1]["durationMs"] >= 900
    assert attempts[2]["error"] is None and all(isinstance(a["durationMs"], int) for a in attempts)

    assert len(hook.requests) == 3
    bodies = {r.body for r in hook.requests}
    assert len(bodies) == 1, "every attempt sends the same bytes"
    sent = json.loads(hook.requests[0].body)
    assert sent == task, "the body is the task JSON"
    for n, request in enumerate(hook.requests, start=1):
        assert valid_signature("s3cret", request.headers, request.body)
        assert request.headers["x-agent-relay-delivery"] == str(delivery["id"])
        assert request.headers["x-agent-relay-attempt"] == str(n)
        assert request.headers["x-agent-relay-event"] == "task.created"
        assert request.headers["content-type"] == "application/json"
    assert not valid_signature("wrong", hook.requests[0].headers, hook.requests[0].body)


async def test_backoff_schedule_then_dead(db_url: str, tmp_path: Path) -> None:
    settings = {**FAST, "callback_max_attempts": 4, "callback_backoff_base_ms": 100}
    with receiver(then=503) as hook:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, hook.url)
            [delivery] = await wait_for(client, task["id"], settled())
            activity = (await client.get("/api/activity", params={"kind": "task"})).json()
    assert (
        delivery["status"] == "dead" and delivery["attemptCount"] == 4 and delivery["nextAttemptAt"] is None
    )
    assert [a["statusCode"] for a in delivery["attempts"]] == [503] * 4
    assert len(hook.requests) == 4, "no attempt after the last"
    gaps = [b.at - a.at for a, b in zip(hook.requests, hook.requests[1:], strict=False)]
    # delay after attempt n: base * 2^(n-1), half of it fixed, half jitter; never earlier
    # (a constant or linear backoff fails the last bound: 400 ms / 2)
    for n, gap in enumerate(gaps, start=1):
        assert gap >= 0.100 * 2 ** (n - 1) / 2 - 0.01, gaps
    assert any(a["title"] == f"Callback delivery {delivery['id']} failed for good" for a in activity)


async def test_one_delivery_per_reported_change(db_url: str, tmp_path: Path) -> None:
    settings = {**FAST, "integration_secrets": ""}  # falls back to signing with the token
    with receiver() as hook:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, hook.url)
            await wait_for(client, task["id"], settled(1))
            await post_event(client, hook.url, title="CI failed again")  # no status change: no callback
            await client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": "a1"})
            await client.post(
                f"/api/tasks/{task['id']}/status", json={"status": "in_progress", "agentId": "a1"}
            )
            await client.post(f"/api/tasks/{task['id']}/status", json={"status": "done", "agentId": "a1"})
            deliveries = await wait_for(client, task["id"], settled(4))
    assert [d["event"] for d in deliveries] == ["task.updated"] * 3 + ["task.created"]
    assert all(d["status"] == "delivered" and d["attemptCount"] == 1 for d in deliveries)
    statuses = sorted(json.loads(r.body)["status"] for r in hook.requests)
    assert statuses == ["claimed", "done", "in_progress", "open"]
    assert all(valid_signature("tok-ci", r.headers, r.body) for r in hook.requests)
    assert len(hook.requests) == 4


async def test_restart_resumes_pending_deliveries(db_url: str, tmp_path: Path) -> None:
    settings = {**FAST, "callback_backoff_base_ms": 1500}
    with receiver([500], then=200) as hook:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, hook.url)
            [pending] = await wait_for(
                client,
                task["id"],
                lambda ds: ds and ds[0]["attemptCount"] == 1 and ds[0]["attempts"][0]["statusCode"],
            )
        # the server is gone between attempts; the delivery waits in the database
        assert pending["status"] == "pending" and pending["nextAttemptAt"] is not None
        assert len(hook.requests) == 1
        execute(db_url, "UPDATE callback_deliveries SET next_attempt_at = 0")  # time passes
        async with relay_client(db_url, tmp_path / "h2", **settings) as client:
            [delivery] = await wait_for(client, task["id"], settled())
    assert delivery["status"] == "delivered" and delivery["attemptCount"] == 2
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 200]
    assert [r.headers["x-agent-relay-attempt"] for r in hook.requests] == ["1", "2"]


async def test_attempt_cut_off_by_a_crash_is_retried_as_the_next_attempt(db_url: str, tmp_path: Path) -> None:
    settings = {**FAST, "callback_timeout_ms": 5000}
    with receiver([("sleep", 1.0, 200)], then=200) as hook:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, hook.url)
            deadline = time.monotonic() + 10
            while not hook.requests:  # the first attempt is in flight
                assert time.monotonic() < deadline
                await asyncio.sleep(0.02)
        # the relay stopped mid-attempt: attempt 1 never finished, its lease is still held
        async with relay_client(db_url, tmp_path / "h2", **settings) as client:
            await asyncio.sleep(0.3)
            [held] = (await client.get(f"/api/tasks/{task['id']}/deliveries")).json()
            assert held["status"] == "pending" and held["attemptCount"] == 1, (
                "nobody re-sends a leased attempt"
            )
            execute(db_url, "UPDATE callback_deliveries SET lease_expires_at = 1")  # the lease runs out
            [delivery] = await wait_for(client, task["id"], settled())
    assert delivery["status"] == "delivered" and delivery["attemptCount"] == 2
    first, second = delivery["attempts"]
    assert first["finishedAt"] is None and first["statusCode"] is None
    assert second["statusCode"] == 200
    assert [r.headers["x-agent-relay-attempt"] for r in hook.requests] == ["1", "2"]


async def test_two_relays_never_send_the_same_attempt(db_url: str, tmp_path: Path) -> None:
    with receiver() as hook:
        async with (
            relay_client(db_url, tmp_path / "a", **FAST) as one,
            relay_client(db_url, tmp_path / "b", **FAST) as two,
        ):
            tasks = await asyncio.gather(
                *(post_event(one if i % 2 else two, hook.url, external_id=f"b{i}") for i in range(8))
            )
            for task in tasks:
                await wait_for(one, task["id"], settled())
            await asyncio.sleep(0.2)  # room for a duplicate to show up
    keys = [(r.headers["x-agent-relay-delivery"], r.headers["x-agent-relay-attempt"]) for r in hook.requests]
    assert len(keys) == 8 and len(set(keys)) == 8, keys


def test_server_killed_mid_retry_resumes_on_start(db_url: str, tmp_path: Path) -> None:
    """A real server process, SIGKILLed while a delivery waits for its retry."""
    from tests.support import ServerProcess

    env = {
        "AGENT_RELAY_INTEGRATION_TOKENS": "ci=tok-ci",
        "AGENT_RELAY_CALLBACK_BACKOFF_BASE_MS": "1500",
        "AGENT_RELAY_CALLBACK_POLL_INTERVAL_MS": "50",
    }
    with receiver([500], then=200) as hook:
        server = ServerProcess(db_url, tmp_path / "one", env=env).start()
        try:
            body = {"externalId": "b1", "title": "CI failed", "callbackUrl": hook.url}
            task = httpx.post(f"{server.url}/api/integrations/events", json=body, headers=CI).json()
            deadline = time.monotonic() + 15
            while not hook.requests:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            time.sleep(0.2)  # let it record the failed attempt
            assert server.proc is not None
            server.proc.kill()  # no shutdown, no cleanup
            server.proc.wait()
        finally:
            server.stop()
        assert len(hook.requests) == 1
        second = ServerProcess(db_url, tmp_path / "two", env=env).start()
        try:
            deadline = time.monotonic() + 15
            while True:
                [delivery] = httpx.get(f"{second.url}/api/tasks/{task['id']}/deliveries").json()
                if delivery["status"] != "pending":
                    break
                assert time.monotonic() < deadline, delivery
                time.sleep(0.05)
        finally:
            second.stop()
    assert delivery["status"] == "delivered" and delivery["attemptCount"] == 2
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 200]
    assert [r.headers["x-agent-relay-attempt"] for r in hook.requests] == ["1", "2"]


class SlowReceiver:
    """Answers every POST after `delay` seconds; records how many were in flight at once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.count = 0
        self.url = ""


@contextmanager
def slow_receiver(delay: float) -> Iterator[SlowReceiver]:
    state = SlowReceiver(delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            with state.lock:
                state.count += 1
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                time.sleep(state.delay)
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()
            except OSError:
                pass
            finally:
                with state.lock:
                    state.in_flight -= 1

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


async def test_a_slow_receiver_delays_only_itself(db_url: str, tmp_path: Path) -> None:
    """12 callback URLs that hang, then a healthy one: it is delivered at once (before:
    it waited for batches of 8 to time out, one after the other)."""
    settings = {
        **FAST,
        "callback_timeout_ms": 3000,
        "callback_concurrency": 8,
        "callback_backoff_base_ms": 60_000,  # a timed-out delivery does not come back here
    }
    with slow_receiver(delay=6) as slow, receiver() as healthy:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            for i in range(12):
                await post_event(client, f"{slow.url}/hook/{i}", external_id=f"slow-{i}")
            await asyncio.sleep(0.3)  # the slow ones are in flight
            started = time.monotonic()
            task = await post_event(client, healthy.url, external_id="healthy")
            [delivery] = await wait_for(client, task["id"], settled(), timeout=15)
            elapsed = time.monotonic() - started
            assert delivery["status"] == "delivered", delivery
            assert elapsed < 1.5, f"the healthy callback waited {elapsed:.1f} s behind slow ones"
            await asyncio.sleep(0.2)
            # one receiver gets at most a quarter of the slots, and the slots are honoured
            assert 1 <= slow.max_in_flight <= 2, slow.max_in_flight


@contextmanager
def trickling_receiver(byte_every: float) -> Iterator[str]:
    """Sends a valid 200 answer one byte at a time: every read is quick, the whole is slow."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n":
                    self.request.sendall(bytes([byte]))
                    time.sleep(byte_every)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


async def test_timeout_covers_the_whole_exchange(db_url: str, tmp_path: Path) -> None:
    """httpx's timeout is per read: a receiver trickling bytes kept an attempt for ~15 s."""
    settings = {**FAST, "callback_timeout_ms": 1000, "callback_max_attempts": 1}
    with trickling_receiver(byte_every=0.25) as url:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, url)
            [delivery] = await wait_for(client, task["id"], settled(), timeout=20)
    [attempt] = delivery["attempts"]
    assert delivery["status"] == "dead", delivery
    assert attempt["error"] == "timeout after 1000 ms" and attempt["statusCode"] is None, attempt
    assert attempt["durationMs"] < 2500, attempt


@contextmanager
def hanging_listeners(n: int) -> Iterator[list[str]]:
    """n local ports that accept connections (the kernel's backlog completes the handshake)
    and never answer: every attempt to them runs into the callback timeout."""
    socks = [socket.create_server(("127.0.0.1", 0), backlog=64) for _ in range(n)]
    try:
        yield [f"http://127.0.0.1:{s.getsockname()[1]}/hook" for s in socks]
    finally:
        for s in socks:
            s.close()


async def test_hanging_receivers_on_many_ports_delay_only_themselves(db_url: str, tmp_path: Path) -> None:
    """The outside attack scaled down: 5 hanging receivers (different ports) x 10 tasks, then
    one healthy callback. Before: each receiver had a quarter of the slots, 5 of them took
    every slot, and the healthy one waited behind ~50 first attempts (~6 s here). Now a
    receiver not yet heard from, or one that timed out, has one attempt in flight; the
    others' deliveries wait for its retry schedule instead of queuing for slots."""
    settings = {
        **FAST,
        "callback_timeout_ms": 1000,
        "callback_concurrency": 8,
        "callback_backoff_base_ms": 20_000,  # the hanging ones are not probed again in this test
    }
    with hanging_listeners(5) as slow_urls, receiver() as healthy:
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            slow_tasks = [
                await post_event(client, url, external_id=f"slow-{port}-{i}")
                for port, url in enumerate(slow_urls)
                for i in range(10)
            ]
            await asyncio.sleep(0.3)  # the first attempts hang
            started = time.monotonic()
            task = await post_event(client, healthy.url, external_id="healthy")
            [delivery] = await wait_for(client, task["id"], settled(), timeout=15)
            elapsed = time.monotonic() - started
            assert delivery["status"] == "delivered", delivery
            assert elapsed < 1.5, f"the healthy callback waited {elapsed:.1f} s behind hanging receivers"

            await asyncio.sleep(1.2)  # the first attempts have timed out
            slow = [(await client.get(f"/api/tasks/{t['id']}/deliveries")).json()[0] for t in slow_tasks]
    # one attempt per hanging receiver, not a burst of its queued deliveries; the rest wait
    # (durably, in their rows) for the receiver's next probe, per the backoff schedule
    tried = [d for d in slow if d["attemptCount"]]
    assert len(tried) == 5, [(d["url"], d["attemptCount"]) for d in tried]
    assert {d["url"] for d in tried} == set(slow_urls)
    assert all(d["attempts"][0]["error"] == "timeout after 1000 ms" for d in tried), tried
    waiting = [d for d in slow if not d["attemptCount"]]
    assert all(d["status"] == "pending" and d["nextAttemptAt"] > d["createdAt"] + 5_000 for d in waiting), (
        waiting
    )
