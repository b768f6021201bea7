"""CPU cost per request of the observability middleware (observe.py: X-Request-Id, metrics,
request log), measured in-process on a do-nothing ASGI app so machine load hardly matters:

    PYTHONPATH=server .venv/bin/python scripts/bench_observe.py [--n 200000]

Prints µs per request for the bare app, with Observe (request log off, the default), and with
the request log on (JSON lines to /dev/null): compare with the send path's server CPU per
request (scripts/bench.py) to get the share."""

from __future__ import annotations

import argparse
import asyncio
import logging
import time

from agent_relay import logs
from agent_relay.http_server import RedactTokens
from agent_relay.observe import Observe


class _Route:
    path = "/api/messages"


async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    scope["route"] = _Route
    await send(
        {"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": b"{}"})


async def run(handler, n: int) -> float:  # type: ignore[no-untyped-def]
    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        return None

    headers = [
        (b"host", b"127.0.0.1:4850"),
        (b"content-type", b"application/json"),
        (b"content-length", b"40"),
    ]
    start = time.process_time()
    for _ in range(n):
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/api/messages",
            "query_string": b"",
            "headers": headers,
        }
        await handler(scope, receive, send)
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logs.lighten_records()  # as `agent-relay serve` does
    observed = Observe(app, redact=RedactTokens(["secret-token"]).redact)
    request_log = logging.getLogger("agent_relay.request")
    handler = logging.FileHandler("/dev/null")
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(RedactTokens(["secret-token"]))
    request_log.addHandler(handler)
    request_log.propagate = False
    rows = []
    for _ in range(args.repeat):
        request_log.setLevel(logging.WARNING)
        bare = asyncio.run(run(app, args.n))
        off = asyncio.run(run(observed, args.n))
        request_log.setLevel(logging.INFO)
        on = asyncio.run(run(observed, args.n // 4))
        rows.append((bare, off, on))
    for bare, off, on in rows:
        print(
            f"bare app {bare:.2f} µs/req | + Observe {off - bare:.2f} µs | + Observe and JSON request log {on - bare:.2f} µs"
        )
    rows.sort(key=lambda r: r[1] - r[0])
    bare, off, on = rows[len(rows) // 2]
    print(f"median: Observe {off - bare:.2f} µs/req, with the request log {on - bare:.2f} µs/req")


if __name__ == "__main__":
    main()
