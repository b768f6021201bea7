"""Task callbacks cannot be aimed inward (docs/security.md, Outbound requests): a callback
URL on loopback, a private network or a metadata address is refused after DNS resolution,
no request is made, and the delivery records why; AGENT_RELAY_OUTBOUND_ALLOW opens a host
or a CIDR; redirects are not followed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.api.task_helpers import receiver, relay_client
from tests.api.test_callbacks import FAST, post_event, settled, wait_for

REFUSED = "refused: 127.0.0.1 is a loopback address, not listed in AGENT_RELAY_OUTBOUND_ALLOW"


async def test_a_callback_to_loopback_is_refused_unless_allowed(db_url: str, tmp_path: Path) -> None:
    with receiver() as hook:
        async with relay_client(db_url, tmp_path / "h", **{**FAST, "outbound_allow": ""}) as client:
            task = await post_event(client, hook.url)
            [delivery] = await wait_for(client, task["id"], settled())
            # a name is judged by what it resolves to
            named = hook.url.replace("127.0.0.1", "localhost")
            other = await post_event(client, named, external_id="named")
            [by_name] = await wait_for(client, other["id"], settled())
        assert hook.requests == [], "no request is made to a refused destination"
        # refused is final: no retries (the destination would be refused again)
        assert delivery["status"] == "dead" and delivery["attemptCount"] == 1, delivery
        assert delivery["lastError"] == REFUSED and delivery["lastStatusCode"] is None
        assert by_name["status"] == "dead", by_name
        assert by_name["lastError"].startswith("refused: localhost (")
        assert "is a loopback address" in by_name["lastError"]

        async with relay_client(
            db_url, tmp_path / "h2", **{**FAST, "outbound_allow": "127.0.0.0/8"}
        ) as client:
            task = await post_event(client, hook.url, external_id="allowed")
            [allowed] = await wait_for(client, task["id"], settled())
        assert allowed["status"] == "delivered", allowed
        assert len(hook.requests) == 1


@contextmanager
def redirecting(location: str) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(307)
            self.send_header("location", location)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_redirect_is_not_followed(db_url: str, tmp_path: Path) -> None:
    """An allowed receiver cannot bounce the relay to an address it would refuse."""
    with receiver() as inner, redirecting(inner.url.replace("127.0.0.1", "localhost")) as outer:
        settings = {**FAST, "outbound_allow": "127.0.0.1", "callback_max_attempts": 1}
        async with relay_client(db_url, tmp_path / "h", **settings) as client:
            task = await post_event(client, outer)
            [delivery] = await wait_for(client, task["id"], settled())
    assert delivery["lastStatusCode"] == 307 and delivery["lastError"] == "HTTP 307", delivery
    assert inner.requests == []
