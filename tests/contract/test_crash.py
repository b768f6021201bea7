"""kill -9 under load: a send the relay acknowledged survives the crash, once.

Eight senders post distinct messages with idempotency keys against a real server; the whole
server process group is SIGKILLed mid-load and restarted on the same database. Every send
that got a 2xx must be there with its body, no key may be stored twice, a retried key must
answer with the message it already made, and new messages get ids above every id handed
out before, even after the newest message is deleted."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.support import ServerProcess

SENDERS = 8
LOAD_SECONDS = 1.5  # of sends before the kill; each sender keeps going until the server is gone
SINK = "crash-sink"


def _sender(
    url: str, n: int, stop: threading.Event, acked: dict[str, tuple[int, str]], lock: threading.Lock
) -> None:
    with httpx.Client(base_url=url, timeout=5) as client:
        i = 0
        while not stop.is_set():
            key, body = f"crash-{n}-{i}", f"sender {n} message {i}"
            i += 1
            try:
                reply = client.post(
                    "/api/messages",
                    json={"from": f"crash-{n}", "to": SINK, "body": body, "idempotencyKey": key},
                )
            except httpx.HTTPError:
                return  # the server is gone: this send's outcome is unknown, which is allowed
            if reply.is_success:
                with lock:
                    acked[key] = (reply.json()["id"], body)


def _all_messages(client: httpx.Client) -> list[dict]:
    """Every message, newest first, following the `before` cursor."""
    found: list[dict] = []
    query: dict[str, int] = {"limit": 1000}
    while page := client.get("/api/messages", params=query).raise_for_status().json():
        found += page
        query["before"] = page[-1]["id"]
    return found


def test_kill_9_mid_load_loses_no_acknowledged_send(db_url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = ServerProcess(db_url, home).start()
    try:
        httpx.post(
            f"{server.url}/api/agents", json={"id": SINK, "name": "sink"}, timeout=5
        ).raise_for_status()
        acked: dict[str, tuple[int, str]] = {}
        lock, stop = threading.Lock(), threading.Event()
        threads = [
            threading.Thread(target=_sender, args=(server.url, n, stop, acked, lock), daemon=True)
            for n in range(SENDERS)
        ]
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        assert server.proc is not None
        os.killpg(server.proc.pid, signal.SIGKILL)  # the server and every child, no shutdown hooks
        server.proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=10)
        assert not any(t.is_alive() for t in threads)
    finally:
        server.stop()
    assert len(acked) >= SENDERS, f"too little load before the kill: {len(acked)} acked sends"

    restarted = ServerProcess(db_url, home).start()
    try:
        with httpx.Client(base_url=restarted.url, timeout=10) as client:
            stored = _all_messages(client)
            by_key: dict[str, list[dict]] = {}
            for message in stored:
                by_key.setdefault(message["idempotencyKey"], []).append(message)
            duplicated = {key: [m["id"] for m in ms] for key, ms in by_key.items() if len(ms) > 1}
            assert not duplicated, f"idempotency keys stored twice: {duplicated}"
            lost = {key for key in acked if key not in by_key}
            assert not lost, f"{len(lost)} of {len(acked)} acknowledged sends lost: {sorted(lost)[:10]}"
            for key, (message_id, body) in acked.items():
                assert (by_key[key][0]["id"], by_key[key][0]["body"]) == (message_id, body), key

            # A client retrying after the crash gets the message it already made, not a second one.
            key = next(iter(acked))
            message_id, body = acked[key]
            retry = client.post(
                "/api/messages",
                json={"from": key.rsplit("-", 1)[0], "to": SINK, "body": body, "idempotencyKey": key},
            )
            assert (retry.status_code, retry.json()["id"]) == (200, message_id)

            # New sends work, and ids keep growing, even past a deleted newest message.
            newest = max(m["id"] for m in stored)
            fresh = client.post(
                "/api/messages", json={"from": "after", "to": SINK, "body": "after the crash"}
            )
            assert fresh.status_code == 201, fresh.text
            assert fresh.json()["id"] > newest
            client.delete(f"/api/messages/{fresh.json()['id']}").raise_for_status()
            again = client.post(
                "/api/messages", json={"from": "after", "to": SINK, "body": "after the delete"}
            )
            assert again.status_code == 201, again.text
            assert again.json()["id"] > fresh.json()["id"]
    finally:
        restarted.stop()
