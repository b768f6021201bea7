"""Cheap denial of service against a real server (contract §12): oversized and unfinished
request heads are closed, connections past the cap get 503 + Retry-After while the ones
already open keep working; and `?token=` never reaches the access log."""

from __future__ import annotations

import contextlib
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ServerProcess, fresh_database

MAX_CONNECTIONS = 8
HEAD_TIMEOUT_S = 1.0  # the idle timeout: no bytes for this long while a request is awaited or read
BODY_TIMEOUT_S = 2.5  # a whole body, however steadily it trickles


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    # HTTP-level limits: the database backend does not matter, SQLite is enough.
    tmp = tmp_path_factory.mktemp("dos")
    with fresh_database("sqlite", tmp) as url:
        env = {
            "AGENT_RELAY_HEADER_TIMEOUT_MS": str(int(HEAD_TIMEOUT_S * 1000)),
            "AGENT_RELAY_BODY_TIMEOUT_MS": str(int(BODY_TIMEOUT_S * 1000)),
            "AGENT_RELAY_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        }
        process = ServerProcess(url, tmp / "home", env=env).start()
        try:
            yield process
        finally:
            process.stop()


def connect(server: ServerProcess) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as closed);
    fails if it is still open after `timeout` seconds."""
    sock.settimeout(timeout)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"connection still open after {timeout} s; received {received[:200]!r}")
    return received


def read_response(sock: socket.socket) -> bytes:
    """One whole response with a Content-Length body (head and body may arrive apart)."""
    sock.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or pytest.fail(f"closed mid-response: {data!r}")
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536) or pytest.fail(f"closed mid-body: {data!r}")
    return head + b"\r\n\r\n" + body


def healthy(server: ServerProcess) -> bool:
    return httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200


def test_oversized_header_is_refused_and_closed(server: ServerProcess) -> None:
    sock = connect(server)
    big = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20 * 1024 + b"\r\n\r\n"
    sock.sendall(big)
    answer = read_until_closed(sock, 5)
    sock.close()
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b"200 OK" not in answer
    assert healthy(server)


def test_endless_header_is_cut_off_early(server: ServerProcess) -> None:
    """A header that never ends is not buffered: the server closes the connection long
    before 50 MB have been sent."""
    sock = connect(server)
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
    sent = 0
    chunk = b"a" * 64 * 1024
    with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
        while sent < 50 * 1024 * 1024:
            sock.sendall(chunk)
            sent += len(chunk)
    sock.close()
    assert sent < 10 * 1024 * 1024, f"the server kept reading: {sent} bytes of one header"
    assert healthy(server)


@pytest.mark.parametrize("first_bytes", [b"", b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"])
def test_silent_or_unfinished_head_is_closed(server: ServerProcess, first_bytes: bytes) -> None:
    sock = connect(server)
    started = time.monotonic()
    sock.sendall(first_bytes)
    assert read_until_closed(sock, HEAD_TIMEOUT_S + 4) == b""
    sock.close()
    assert time.monotonic() - started >= HEAD_TIMEOUT_S * 0.9
    assert healthy(server)


def test_unfinished_second_request_on_a_kept_alive_connection_is_closed(server: ServerProcess) -> None:
    sock = connect(server)
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    first = read_response(sock)
    assert first.startswith(b"HTTP/1.1 200 "), first[:200]
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0")  # ... and then nothing
    assert read_until_closed(sock, HEAD_TIMEOUT_S + 4) == b""
    sock.close()


STALLED_SEND = (
    b"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100\r\n\r\n{"
)


def test_stalled_body_is_closed(server: ServerProcess) -> None:
    """The head is complete, the body stops after one byte: closed after the idle timeout
    (the head timer used to stop at the head, and such connections stayed open for good)."""
    sock = connect(server)
    started = time.monotonic()
    sock.sendall(STALLED_SEND)
    answer = read_until_closed(sock, HEAD_TIMEOUT_S + 4)
    sock.close()
    assert answer == b"", answer[:200]
    assert HEAD_TIMEOUT_S * 0.9 <= time.monotonic() - started < HEAD_TIMEOUT_S + 2
    assert healthy(server)


def test_body_bytes_keep_a_connection_only_until_the_body_deadline(server: ServerProcess) -> None:
    """Every byte comes within the idle timeout, yet the body may not take longer than
    BODY_TIMEOUT_S: 408 and closed."""
    sock = connect(server)
    started = time.monotonic()
    sock.sendall(STALLED_SEND)
    answer = b""
    sock.settimeout(HEAD_TIMEOUT_S / 2)
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        while time.monotonic() - started < BODY_TIMEOUT_S + 4:
            sock.sendall(b" ")
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            answer += chunk
            if not chunk:
                break
    elapsed = time.monotonic() - started
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert answer.endswith(b'{"error":"request body not received in time"}')
    assert BODY_TIMEOUT_S * 0.9 <= elapsed < BODY_TIMEOUT_S + 2
    assert healthy(server)


def test_a_stream_that_hears_nothing_from_its_client_stays_open(server: ServerProcess) -> None:
    """SSE clients send nothing after their request: the idle timeout never applies while
    a response is being sent (heartbeats keep arriving past it)."""
    sock = connect(server)
    sock.sendall(b"GET /api/events?agentId=dos-sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(1)
    received = b""
    deadline = time.monotonic() + HEAD_TIMEOUT_S * 3
    while time.monotonic() < deadline:
        chunk = sock.recv(65536)
        assert chunk, f"the stream was closed: {received[-300:]!r}"
        received += chunk
    sock.close()
    assert received.startswith(b"HTTP/1.1 200 ")
    assert received.count(b"\r\n") > 6  # heartbeats kept coming after the timeout


def test_a_kept_alive_connection_waiting_for_a_request_is_closed(server: ServerProcess) -> None:
    """After a response, CRLFs between requests do not count as a request being sent."""
    sock = connect(server)
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert read_response(sock).startswith(b"HTTP/1.1 200 ")
    started = time.monotonic()
    sock.settimeout(HEAD_TIMEOUT_S / 3)
    closed = False
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        while time.monotonic() - started < HEAD_TIMEOUT_S * 6:
            sock.sendall(b"\r\n")
            try:
                if sock.recv(65536) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
    sock.close()
    assert closed, "CRLFs kept the connection open"


def test_stalled_bodies_past_the_cap_do_not_lock_clients_out(server: ServerProcess) -> None:
    """The reported attack, scaled to the cap: connections with stalled bodies fill it, and
    once the idle timeout has closed them every client is served again."""
    held = [connect(server) for _ in range(MAX_CONNECTIONS)]
    for sock in held:
        sock.sendall(STALLED_SEND)
    try:
        time.sleep(0.3)
        assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 503
        deadline = time.monotonic() + HEAD_TIMEOUT_S + 3
        while (status := httpx.get(f"{server.url}/api/health", timeout=5).status_code) != 200:
            assert time.monotonic() < deadline, f"health still answers {status}: stalled bodies hold the cap"
            time.sleep(0.1)
    finally:
        for sock in held:
            sock.close()


def test_connections_past_the_cap_get_503_and_the_others_keep_working(server: ServerProcess) -> None:
    # Fill the cap with long-polls: requests in progress, past the head timeout's reach.
    held = []
    for i in range(MAX_CONNECTIONS):
        sock = connect(server)
        wait = 1 if i == 0 else 30
        sock.sendall(b"GET /api/inbox/dos-%d?wait=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % (i, wait))
        held.append(sock)
    try:
        time.sleep(0.3)  # the server has accepted them all
        refused = httpx.get(f"{server.url}/api/health", timeout=5)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.headers["content-type"] == "application/json"
        assert refused.json() == {"error": "too many connections, retry later"}
        # the connections already open are still served, request after request
        first = held[0]
        assert read_response(first).startswith(b"HTTP/1.1 200 ")  # its long-poll ended: []
        first.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(first).startswith(b"HTTP/1.1 200 ")
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 10
    while (status := httpx.get(f"{server.url}/api/health", timeout=5).status_code) != 200:
        assert time.monotonic() < deadline, f"health still answers {status} after the connections closed"
        time.sleep(0.1)


def test_token_in_the_query_never_reaches_the_access_log(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        process = ServerProcess(
            url,
            tmp_path / "home",
            env={"AGENT_RELAY_TOKEN": "s3cret-token"},
            args=["--access-log", "--log-level", "info"],
        ).start()
        try:
            with httpx.stream(
                "GET", f"{process.url}/api/events?agentId=a&token=s3cret-token", timeout=5
            ) as r:
                assert r.status_code == 200
                next(r.iter_raw())
            denied = httpx.get(f"{process.url}/api/events?token=wrong-token&x=1", timeout=5)
            assert denied.status_code == 401
            encoded = httpx.get(f"{process.url}/api/events?%74oken=encoded-token", timeout=5)
            assert encoded.status_code == 401
        finally:
            process.stop()
        log = process.log_path.read_text()
    assert "/api/events?agentId=a&token=*** " in log, log[-2000:]
    assert "token=***&x=1" in log
    assert "%74oken=***" in log
    for secret in ("s3cret-token", "wrong-token", "encoded-token"):
        assert secret not in log


def test_access_log_flag_shows_requests_at_the_default_level_without_secrets(tmp_path: Path) -> None:
    """`--access-log` alone (level warning) used to print nothing; and the relay's token and
    integration tokens are redacted wherever a client puts them in the target."""
    targets = [
        "/api/events?x=1;token=s3cret-token",
        "/api/events?token%3Ds3cret-token",
        "/api/events%3Ftoken=s3cret-token",
        "/api/events?access_token=s3cret-token",
        "/api/health?from=integ-tok-9",
        "/api/health?q=%73%33cret-token",
    ]
    with fresh_database("sqlite", tmp_path) as url:
        env = {"AGENT_RELAY_TOKEN": "s3cret-token", "AGENT_RELAY_INTEGRATION_TOKENS": "ci=integ-tok-9"}
        process = ServerProcess(url, tmp_path / "home", env=env, args=["--access-log"]).start()
        try:
            for target in targets:
                sock = connect(process)
                sock.sendall(
                    f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
                )
                assert read_until_closed(sock, 5).startswith(b"HTTP/1.1 ")
                sock.close()
        finally:
            process.stop()
        log = process.log_path.read_text()
    access_lines = [line for line in log.splitlines() if '"GET /api/' in line]
    assert len(access_lines) >= len(targets), log[-2000:]
    for secret in ("s3cret-token", "integ-tok-9", "s3cret"):
        assert secret not in log, log[-2000:]


def test_no_request_lines_by_default_off_a_terminal(tmp_path: Path) -> None:
    """The server's output here is a file, not a terminal: no line per request unless asked."""
    with fresh_database("sqlite", tmp_path) as url:
        process = ServerProcess(url, tmp_path / "home").start()
        try:
            assert httpx.get(f"{process.url}/api/health?probe=1", timeout=5).status_code == 200
        finally:
            process.stop()
        log = process.log_path.read_text()
    assert "writer started" in log  # lifecycle lines still come
    assert "/api/health?probe=1" not in log, log[-2000:]


def _long_polls_waiting(server: ServerProcess) -> float:
    text = httpx.get(f"{server.url}/metrics", timeout=5).text
    return float(re.search(r"^agent_relay_long_polls_waiting (\S+)$", text, re.M).group(1))


def test_a_long_poll_whose_client_hangs_up_gives_its_slot_back(tmp_path: Path) -> None:
    """One waiting slot; a client opens a 60 s long-poll and hangs up. Its slot is free at
    once (not when its wait runs out), and the next long-poll is served, not refused 503."""
    with fresh_database("sqlite", tmp_path) as url:
        env = {"AGENT_RELAY_MAX_LONG_POLLS": "1"}
        process = ServerProcess(url, tmp_path / "home", env=env).start()
        try:
            sock = connect(process)
            sock.sendall(b"GET /api/inbox/gone?wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            deadline = time.monotonic() + 10
            while _long_polls_waiting(process) != 1:
                assert time.monotonic() < deadline, "the long-poll never started waiting"
                time.sleep(0.05)
            sock.close()
            deadline = time.monotonic() + 5
            while _long_polls_waiting(process) != 0:
                assert time.monotonic() < deadline, "the slot is still held 5 s after its client hung up"
                time.sleep(0.05)
            assert httpx.get(f"{process.url}/api/inbox/other?wait=0.2", timeout=5).status_code == 200
        finally:
            process.stop()
