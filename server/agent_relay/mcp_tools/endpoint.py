"""`/mcp`: the official SDK's low-level MCP server behind the relay's own middleware (browser
guard, token check, body size). This app adds who is calling: the principal the token
check found, the agent (an agent token's own; for the admin, the one `X-Agent-Id` names)
and the session fence of `X-Agent-Instance-Id` / `X-Agent-Epoch`.

Stateless streamable HTTP with JSON answers: every POST stands alone, so any process of a
relay (PostgreSQL, several workers) serves any call, and nothing is kept per client."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.routing import Route

from agent_relay import __version__
from agent_relay.errors import BadRequest, RelayError
from agent_relay.mcp_tools import service
from agent_relay.mcp_tools.tools import INSTRUCTIONS, TOOLS
from agent_relay.middleware import send_error
from agent_relay.principal import principal_of
from agent_relay.session import guard_from_headers

PATH = "/mcp"
CALLER = "mcp_caller"  # the scope["state"] key this app leaves for the tool handler
MAX_AGENT_ID = 200


def max_request_bytes(max_body_bytes: int) -> int:
    """A message body of up to max_body_bytes inside its JSON-RPC envelope (JSON-escaped)."""
    return 2 * max_body_bytes + 65536


async def _list_tools(
    _ctx: ServerRequestContext[Any, Any], _params: types.PaginatedRequestParams | None
) -> types.ListToolsResult:
    return types.ListToolsResult(tools=TOOLS)


async def _call_tool(
    ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
) -> types.CallToolResult:
    request = ctx.request
    state = request.scope.get("state", {}) if request is not None else {}
    caller = state.get(CALLER)
    relay = request.app.state.relay if request is not None else None
    if caller is None or relay is None:  # only reachable through McpApp
        outcome = service.Outcome("This tool is served over the relay's /mcp endpoint only.", error=True)
    else:
        outcome = await service.call(relay, caller, params.name, params.arguments)
    return types.CallToolResult(
        content=[types.TextContent(text=outcome.text)],
        structured_content=outcome.data,
        is_error=outcome.error,
    )


def build_server() -> Server[Any]:
    server: Server[Any] = Server(
        "agent-relay",
        version=__version__,
        title="Agent Relay",
        instructions=INSTRUCTIONS,
        on_list_tools=_list_tools,
        on_call_tool=_call_tool,
    )
    server.middleware = []  # no OpenTelemetry spans: the relay measures its own requests
    return server


SERVER = build_server()


@contextlib.asynccontextmanager
async def serving(state: Any, max_body_bytes: int) -> AsyncIterator[None]:
    """Run in the app's lifespan: the SDK's session manager for `/mcp`. Its task group lives
    in a task of its own, so a host that enters and leaves the lifespan from different
    tasks (test fixtures do) leaves it cleanly."""
    manager = StreamableHTTPSessionManager(
        app=SERVER, stateless=True, json_response=True, max_request_body_size=max_body_bytes
    )
    ready, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        async with manager.run():
            ready.set()
            await stop.wait()

    task = asyncio.create_task(run(), name="mcp-sessions")
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():  # it failed to start: say why
        waiting.cancel()
        task.result()
    state.mcp_manager = manager
    try:
        yield
    finally:
        state.mcp_manager = None
        stop.set()
        await task


class McpApp:
    """The ASGI app at PATH: refuses a caller that is nobody (401), any method but POST (405),
    an agent token naming another agent (403) or a malformed header (400), the way the HTTP
    routes do; then hands the request to the SDK."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        principal = principal_of(scope)
        if principal.role in ("anonymous", "integration"):
            await send_error(send, 401, "unauthorized", [(b"www-authenticate", b"Bearer")])
            return
        if scope["method"] != "POST":
            # stateless: no stream for the server to speak unasked (a GET would be held open with
            # nothing on it for the client's lifetime) and no session to end (DELETE)
            await send_error(send, 405, "method not allowed", [(b"allow", b"POST")])
            return
        named: str | None = None
        for name, value in scope["headers"]:
            if name == b"x-agent-id":
                named = value.decode("latin-1").strip() or None
        try:
            if named is not None and len(named) > MAX_AGENT_ID:
                raise BadRequest(f"X-Agent-Id must be at most {MAX_AGENT_ID} characters")
            if principal.role == "agent":
                if named is not None:
                    principal.act_as(named)  # 403 `token is for agent <id>`
                named = principal.agent_id
            guard = guard_from_headers(scope["headers"])
        except RelayError as exc:  # 400 a bad header, 403 another agent's id
            await send_error(send, exc.status_code, exc.message)
            return
        manager = getattr(scope["app"].state, "mcp_manager", None)
        if manager is None:
            await send_error(send, 503, "MCP is not running")
            return
        scope.setdefault("state", {})[CALLER] = service.Caller(principal, named, guard)
        await manager.handle_request(scope, receive, send)


def route() -> Route:
    return Route(PATH, endpoint=McpApp(), methods=["GET", "POST", "DELETE"])
