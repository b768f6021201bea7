"""`relay mcp --agent ID`: the relay's MCP tools over stdio, for MCP clients that start a
command instead of speaking HTTP.

One implementation of the tools: this process registers the agent with a fresh session
(a new instanceId and a rising epoch, as RelayAgent does), heartbeats while it runs, and
forwards every `tools/list` and `tools/call` to the relay's `/mcp` over streamable HTTP with
the token, `X-Agent-Id` and the session headers; the relay runs the tools fenced by that
session. When a newer process registers as the same agent (a heartbeat or a tool answers
"agent session superseded"), it stops: the client gets that tool result, then end of
stream, and the command exits with status 1.

Needs the `mcp` extra (`pip install 'agent-relay-client[mcp]'`); the rest of the SDK does
not import this module."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pydantic_core
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

from agent_relay_client.agent import AsyncRelayAgent
from agent_relay_client.client import DEFAULT_URL, VERSION
from agent_relay_client.errors import RelayConnectionError, RelayError, SessionSupersededError

log = logging.getLogger("agent_relay_client.mcp")
SUPERSEDED = "agent session superseded"
READ_TIMEOUT_S = 60.0  # check_inbox waits at most 20 s on the relay
FLUSH_GRACE_S = 0.5
MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSON-RPC message per line


def _say(text: str) -> None:
    """A line for the person who started the command (stderr: stdout carries the protocol)."""
    print(f"relay mcp: {text}", file=sys.stderr, flush=True)


def _error_result(text: str, error: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content={"error": error}, is_error=True
    )


async def serve(
    agent_id: str,
    *,
    url: str | None = None,
    token: str | None = None,
    name: str | None = None,
    label: str | None = None,
    tags: list[str] | None = None,
    capabilities: list[str] | None = None,
    heartbeat_interval: float = 30.0,
) -> int:
    """Serve until stdin closes (0), the session is superseded (1) or the relay refuses to
    start us (1; 3 when it cannot be reached). Never raises for those."""
    base = (url or os.environ.get("AGENT_RELAY_URL") or DEFAULT_URL).rstrip("/")
    token = token if token is not None else (os.environ.get("AGENT_RELAY_TOKEN") or None)
    agent = AsyncRelayAgent(
        agent_id,
        name,
        url=base,
        token=token,
        heartbeat_interval=heartbeat_interval,
        label=label,
        tags=tags,
        capabilities=capabilities,
    )
    try:
        await agent.start()  # registers with a fresh session; heartbeats from now on
    except RelayConnectionError as exc:
        _say(exc.message)  # "cannot reach the relay at URL: why"
        await agent.stop()
        return 3
    except RelayError as exc:
        _say(f"the relay refused to register {agent_id}: {exc.status} {exc.message}")
        await agent.stop()
        return 1
    headers = {"User-Agent": f"agent-relay-client/{VERSION} (relay mcp)", "X-Agent-Id": agent_id}
    headers.update(agent.session_headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    superseded = anyio.Event()
    try:
        async with (
            httpx2.AsyncClient(
                headers=headers, timeout=httpx2.Timeout(30.0, read=READ_TIMEOUT_S), transport=_Answers()
            ) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as upstream,
        ):
            session = upstream.session
            handshake = session.initialize_result or session.discover_result
            server = _bridge(upstream, agent, superseded, getattr(handshake, "instructions", None))
            async with anyio.create_task_group() as tg:

                async def watch() -> None:
                    await agent._stopped.wait()  # set by a heartbeat answered "superseded"
                    superseded.set()

                async def stop_when_superseded() -> None:
                    await superseded.wait()
                    await anyio.sleep(FLUSH_GRACE_S)  # the answer that said so reaches the client first
                    tg.cancel_scope.cancel()

                tg.start_soon(watch)
                tg.start_soon(stop_when_superseded)
                stdin, pipe = await _stdin_lines()
                async with stdio_server(stdin=stdin) as (read, write):  # type: ignore[arg-type]
                    if stdin is not None:
                        tg.start_soon(_answer_refused, stdin, write)
                    await server.run(read, write, server.create_initialization_options())
                tg.cancel_scope.cancel()  # stdin closed: the client is done with us
                if pipe is not None:
                    pipe.close()
    except Exception as exc:  # the relay went away mid-way, or refused the MCP connection
        if not superseded.is_set():
            _say(f"stopped: {exc!r}")
            await agent.stop()
            return 1
    if superseded.is_set() or agent.superseded:
        _say(f"{agent_id}: {SUPERSEDED} (a newer process registered as this agent); stopping")
        await agent.stop()
        return 1
    await agent.stop()  # says offline
    return 0


UNREACHABLE = "relay unreachable"


class _Answers(httpx2.AsyncBaseTransport):
    """Every POST to /mcp gets an answer the SDK's client turns into an error for that call:
    a relay that cannot be reached is a 503 (not an exception that would end the SDK's
    transport, and with it this process), and the relay's own HTTP errors (`{"error": …}`:
    413 too large, 401 a revoked token …) become JSON-RPC errors that keep their words."""

    def __init__(self) -> None:
        self.inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = await self.inner.handle_async_request(request)
        except httpx2.TransportError as exc:
            return _jsonrpc_error(503, f"{UNREACHABLE}: {exc or type(exc).__name__}")
        if request.method != "POST" or response.status_code < 400:
            return response
        body = await response.aread()
        await response.aclose()
        try:
            said = json.loads(body)
        except ValueError:
            said = None
        if isinstance(said, dict) and isinstance(said.get("error"), str):  # the relay's, not JSON-RPC's
            return _jsonrpc_error(response.status_code, f"{response.status_code} {said['error']}")
        return httpx2.Response(response.status_code, headers=response.headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _jsonrpc_error(status: int, message: str) -> httpx2.Response:
    error = {"jsonrpc": "2.0", "id": None, "error": {"code": -32000, "message": message}}
    return httpx2.Response(status, json=error)


class _Lines:
    """Standard input as lines read by the event loop: cancellable, unlike the SDK's default
    (a worker thread blocked in read(), which would keep a superseded process alive for as
    long as its client keeps stdin open).

    A line that is no JSON-RPC message (a lone surrogate, nesting past the parser's depth,
    not JSON) is not passed on, where the SDK would drop it unanswered and leave the client
    waiting for its id: its error goes to `refused`, which `_answer_refused` writes out."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader
        self.refused: asyncio.Queue[types.JSONRPCError] = asyncio.Queue()

    def __aiter__(self) -> _Lines:
        return self

    async def __anext__(self) -> str:
        while True:
            line = await self.reader.readline()
            if not line:
                raise StopAsyncIteration
            text = line.decode("utf-8", "replace")
            if not text.strip():
                continue
            try:
                types.jsonrpc_message_adapter.validate_json(text, by_name=False)  # as the SDK reads it
            except ValueError as exc:
                self.refused.put_nowait(_unreadable(text, exc))
                continue
            return text


_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,18}|"(?:[^"\\]|\\.){0,200}")')


def _unreadable(text: str, exc: ValueError) -> types.JSONRPCError:
    """The error for a line the SDK cannot read: -32700 for no JSON, -32600 for JSON that is
    no JSON-RPC message; under the line's id when one can be found, else null."""
    try:
        parsed: Any = pydantic_core.from_json(text)
    except ValueError:
        parsed, code, what = None, types.PARSE_ERROR, "Parse error"
    else:
        code, what = types.INVALID_REQUEST, "Invalid request"
    request_id: int | str | None = None
    if isinstance(parsed, dict):
        found = parsed.get("id")
        if isinstance(found, str) or (isinstance(found, int) and not isinstance(found, bool)):
            request_id = found
    elif parsed is None and (match := _ID.search(text.encode("utf-8", "replace"))):
        raw = match.group(1)
        request_id = int(raw) if raw[:1] != b'"' else json.loads(raw)
    reason = str(exc).splitlines()[0][:200]
    return types.JSONRPCError(
        jsonrpc="2.0", id=request_id, error=types.ErrorData(code=code, message=f"{what}: {reason}")
    )


async def _answer_refused(lines: _Lines, write: Any) -> None:
    """Write the errors for unreadable lines, through the SDK's own writer (one line each)."""
    while True:
        error = await lines.refused.get()
        await write.send(SessionMessage(error))


async def _stdin_lines() -> tuple[_Lines | None, asyncio.BaseTransport | None]:
    """(lines, transport) over a duplicate of fd 0; (None, None) where the event loop cannot
    watch it (a regular file): the SDK's reader then serves it."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_LINE_BYTES)
    fd = os.dup(0)
    try:
        pipe, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
        )
    except (ValueError, OSError):
        os.close(fd)
        return None, None
    return _Lines(reader), pipe


def _bridge(
    upstream: Client, agent: AsyncRelayAgent, superseded: anyio.Event, instructions: str | None
) -> Server[Any]:
    async def list_tools(
        _ctx: ServerRequestContext[Any, Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return await upstream.list_tools()

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if superseded.is_set() or agent.superseded:
            return _error_result(
                f"Refused: this session of {agent.id} was superseded by a newer process. Stop working as this agent.",
                SUPERSEDED,
            )
        try:
            result = await upstream.call_tool(params.name, params.arguments or {})
        except MCPError as exc:  # an HTTP error (too large, token revoked …) or no relay (_Answers)
            if exc.message.startswith(UNREACHABLE):
                return _error_result(
                    "The relay could not be reached. Try again in a few seconds.", "unreachable"
                )
            return _error_result(
                f"The relay refused this call ({exc.message}). If it carried a very large body, "
                "send a shorter one (the relay caps a message's size); do not retry it unchanged.",
                "refused",
            )
        except Exception as exc:  # the relay is unreachable or broke the connection
            return _error_result(
                f"The relay could not be reached ({type(exc).__name__}). Try again in a few seconds.",
                "unreachable",
            )
        data = result.structured_content
        if result.is_error and isinstance(data, dict) and data.get("error") == SUPERSEDED:
            agent._mark_superseded()
            superseded.set()  # this answer goes out, then we stop
        return result

    return Server(
        "agent-relay",
        version=VERSION,
        title="Agent Relay",
        instructions=instructions,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


__all__ = ["SessionSupersededError", "serve"]
