"""Pure ASGI middleware (cheaper than BaseHTTPMiddleware on every request): the token
check and the request size cap."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.exceptions import HTTPException

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]

# Routes that need no relay token. The integration intake checks its own tokens.
OPEN_PATHS = {"/api/health"}
SELF_AUTHENTICATING_PATHS = {"/api/integrations/events"}


async def _send_error(send: Any, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = orjson.dumps({"error": message})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _presented_token(scope: dict[str, Any]) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-agent-relay-token":
            return value.decode("latin-1")
        if name == b"authorization":
            raw = value.decode("latin-1")
            if raw[:7].lower() == "bearer ":
                return raw[7:].strip()
    if scope["path"] == "/api/events" and scope.get("query_string"):
        values = parse_qs(scope["query_string"].decode("latin-1")).get("token")
        if values:
            return values[0]
    return None


class TokenAuth:
    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            self.token is not None
            and scope["type"] == "http"
            and scope["path"].startswith("/api/")
            and scope["path"] not in OPEN_PATHS
        ):
            presented = _presented_token(scope)
            ok = presented is not None and hmac.compare_digest(presented.encode(), self.token)
            if not ok and scope["path"] not in SELF_AUTHENTICATING_PATHS:
                await _send_error(send, 401, "unauthorized", [(b"www-authenticate", b"Bearer")])
                return
            scope.setdefault("state", {})["relay_token_ok"] = ok
        await self.app(scope, receive, send)


class BodySizeLimit:
    """413 for a request over the cap, whether it declares Content-Length or streams
    (chunked bodies are counted as they arrive)."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(scope["path"], self.max_bytes)
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "invalid Content-Length")
                    return
                if declared > limit:
                    await _send_error(send, 413, f"request body too large (max {limit} bytes)")
                    return
                # The HTTP server reads no more than the declared length: nothing to count.
                await self.app(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body parsing (which turns
                    # other errors into 400) and is rendered by the app's handler as 413.
                    raise HTTPException(413, f"request body too large (max {limit} bytes)")
            return message

        await self.app(scope, limited_receive, send)


def _nul_in_url(scope: dict[str, Any]) -> str | None:
    """The name of the URL part holding a NUL character, if any."""
    if "\x00" in scope["path"]:
        return "path"
    query = scope.get("query_string") or b""
    if b"%00" in query:
        for name, values in parse_qs(query.decode("latin-1"), keep_blank_values=True).items():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "") or "query"
    return None


class NormalizeRequest:
    """Two compatibility and safety fixes before routing:
    - the original relay read every body as JSON whatever its Content-Type, so clients that
      post with curl's default form type or none at all keep working (raw uploads excepted);
    - a NUL character in the URL is refused: PostgreSQL text cannot hold one."""

    RAW_PATHS = ("/api/blobs",)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nul_field = _nul_in_url(scope)
        if nul_field:
            await _send_error(send, 400, f"{nul_field} must not contain NUL characters")
            return
        if scope["method"] in ("POST", "PUT", "PATCH") and not scope["path"].startswith(self.RAW_PATHS):
            headers = scope["headers"]
            content_type = next((v for k, v in headers if k == b"content-type"), None)
            if content_type is None or content_type.startswith(
                (b"application/x-www-form-urlencoded", b"text/plain")
            ):
                scope = dict(scope)
                scope["headers"] = [(k, v) for k, v in headers if k != b"content-type"] + [
                    (b"content-type", b"application/json")
                ]
        await self.app(scope, receive, send)
