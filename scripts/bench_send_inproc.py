"""Server CPU per send, in-process: raw ASGI calls into the app on a fresh SQLite database
(no HTTP server, no load generator), 16 at a time, timed with process_time. For A/B runs of
two trees on a busy machine, interleaved:

    PYTHONPATH=/path/to/tree/server .venv/bin/python scripts/bench_send_inproc.py 6000
"""

import asyncio
import json
import os
import shutil
import sys
import tempfile
import time

os.environ["AGENT_RELAY_ALLOWED_HOSTS"] = "relay"
from agent_relay.app import create_app
from agent_relay.migrations import upgrade
from agent_relay.settings import Settings

HOME = tempfile.mkdtemp(prefix="bench-send-")


async def main(n: int) -> float:
    s = Settings(home=HOME, reap_interval_ms=0)
    s.ensure_home()
    upgrade(s.resolved_database_url)
    app = create_app(s)
    body = json.dumps({"from": "a", "to": "b", "body": "hello there"}).encode()
    headers = [
        (b"host", b"relay"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    async with app.router.lifespan_context(app):

        async def one():
            sent = False

            async def receive():
                nonlocal sent
                if sent:
                    await asyncio.sleep(3600)
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            status = []

            async def send(m):
                if m["type"] == "http.response.start":
                    status.append(m["status"])

            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "POST",
                "scheme": "http",
                "path": "/api/messages",
                "raw_path": b"/api/messages",
                "query_string": b"",
                "headers": headers,
                "server": ("127.0.0.1", 4850),
                "client": ("127.0.0.1", 5555),
                "root_path": "",
            }
            await app(scope, receive, send)
            assert status == [201], status

        for _ in range(300):
            await one()
        t = time.process_time()
        conc = 16
        for _ in range(n // conc):
            await asyncio.gather(*(one() for _ in range(conc)))
        return (time.process_time() - t) / (n // conc * conc) * 1e6


if __name__ == "__main__":
    try:
        print(round(asyncio.run(main(int(sys.argv[1]))), 1))
    finally:
        shutil.rmtree(HOME, ignore_errors=True)
