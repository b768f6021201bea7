"""MCP vs plain HTTP (issue 16): the size of the tool list, and the latency of
`send_message` and `check_inbox` through /mcp against POST /api/messages and
GET /api/inbox/{agent} on the same live relay, one call at a time, keep-alive, interleaved
so machine noise hits both. Starts its own relay (SQLite in a temp home, or --database-url)
unless --url is given.

    python scripts/bench_mcp.py [-n 300] [--url http://127.0.0.1:4850 --token ...]

Prints a markdown table (p50/p99 in ms) and the tool list's JSON size."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_relay(
    database_url: str | None,
) -> tuple[subprocess.Popen[bytes], str, tempfile.TemporaryDirectory[str]]:
    home = tempfile.TemporaryDirectory(prefix="bench-mcp-")
    port = free_port()
    env = {
        **os.environ,
        "AGENT_RELAY_HOME": home.name,
        "AGENT_RELAY_PORT": str(port),
        "AGENT_RELAY_LOG_LEVEL": "warning",
    }
    if database_url:
        env["AGENT_RELAY_DATABASE_URL"] = database_url
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent_relay.cli", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return proc, url, home
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the relay did not start")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await fn()
    return (time.perf_counter() - start) * 1000


async def run(url: str, token: str | None, n: int) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, headers=auth, timeout=60) as http:
        for agent in ("bench-a", "bench-b"):
            r = await http.post("/api/agents", json={"id": agent, "name": agent})
            r.raise_for_status()
        mcp_headers = {**auth, "X-Agent-Id": "bench-a"}
        async with (
            httpx2.AsyncClient(headers=mcp_headers, timeout=60) as http2,
            Client(streamable_http_client(f"{url}/mcp", http_client=http2)) as mcp,
        ):
            tools = await mcp.list_tools()
            tool_json = json.dumps(
                [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools.tools]
            )
            samples: dict[str, list[float]] = {
                k: [] for k in ("send_http", "send_mcp", "inbox_http", "inbox_mcp")
            }
            send_body = {"from": "bench-a", "to": "bench-b", "body": "benchmark message"}
            for _ in range(20):  # warm-up
                await http.post("/api/messages", json=send_body)
                await mcp.call_tool("send_message", {"to": "bench-b", "body": "benchmark message"})
            for _ in range(n):
                samples["send_http"].append(await timed(lambda: http.post("/api/messages", json=send_body)))
                samples["send_mcp"].append(
                    await timed(
                        lambda: mcp.call_tool("send_message", {"to": "bench-b", "body": "benchmark message"})
                    )
                )
                # bench-a's inbox is empty: the polling case (nothing new)
                samples["inbox_http"].append(
                    await timed(
                        lambda: http.get("/api/inbox/bench-a", params={"unread": "true", "limit": 20})
                    )
                )
                samples["inbox_mcp"].append(await timed(lambda: mcp.call_tool("check_inbox", {})))
    return {"tool_list_chars": len(tool_json), "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=300, help="calls per measurement (default 300)")
    parser.add_argument("--url", help="a running relay (default: start one)")
    parser.add_argument("--token", default=os.environ.get("AGENT_RELAY_TOKEN"), help="admin token of --url")
    parser.add_argument("--database-url", help="for the relay this starts (default SQLite in a temp home)")
    args = parser.parse_args()
    proc = home = None
    url = args.url
    if url is None:
        proc, url, home = start_relay(args.database_url)
    try:
        result = asyncio.run(run(url, args.token, args.n))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)
        if home is not None:
            home.cleanup()
    s = result["samples"]
    print(f"tool list: {result['tool_list_chars']} characters of JSON (limit 8000)\n")
    print(f"| call ({args.n} each, sequential) | HTTP p50 | MCP p50 | HTTP p99 | MCP p99 | MCP/HTTP p50 |")
    print("|---|---|---|---|---|---|")
    for name, label in (
        ("send", "send_message vs POST /api/messages"),
        ("inbox", "check_inbox vs GET /api/inbox (empty)"),
    ):
        h, m = s[f"{name}_http"], s[f"{name}_mcp"]
        print(
            f"| {label} | {pct(h, 0.5):.2f} ms | {pct(m, 0.5):.2f} ms | {pct(h, 0.99):.2f} ms | "
            f"{pct(m, 0.99):.2f} ms | {statistics.median(m) / statistics.median(h):.1f}x |"
        )


if __name__ == "__main__":
    main()
