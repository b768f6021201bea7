"""Pure ASGI middleware (cheaper than BaseHTTPMiddleware on every request): the browser
guard (Host and Origin), the token check, the request size cap and the JSON content type."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
from starlette.exceptions import HTTPException

from agent_relay.principal import ANONYMOUS, OPEN, Authenticator, presented_token

ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]],
    Awaitable[None],
]

# Routes that need no relay token. The integration intake checks its own tokens.
OPEN_PATHS = {"/api/health"}
SELF_AUTHENTICATING_PATHS = {"/api/integrations/events"}
UNGUARDED_PATHS = OPEN_PATHS | SELF_AUTHENTICATING_PATHS
# Outside /api/ but guarded the same way: no or a wrong token is a 401 (§17).
GUARDED_PATHS = {"/metrics"}
# Where an integration token is accepted: its intake, and whoami (§14).
INTEGRATION_PATHS = SELF_AUTHENTICATING_PATHS | {"/api/whoami"}


async def send_error(
    send: Any, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
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


class TokenAuth:
    """Identifies every request once (principal.Authenticator) and refuses, with 401, an
    `/api/*` request no route would accept: no valid token on a relay that needs one, or an
    integration token outside the integration intake. Routes read the result through
    `PrincipalDep`."""

    def __init__(self, app: ASGIApp, authenticator: Authenticator) -> None:
        self.app = app
        self.authenticator = authenticator

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        principal = await self.authenticator.identify(presented_token(scope))
        path = scope["path"]
        if principal.role == "integration" and path not in INTEGRATION_PATHS:
            # An open relay lets anyone in, integration token or not.
            principal = OPEN if self.authenticator.open else ANONYMOUS
        if principal.role == "anonymous" and (
            (path.startswith("/api/") and path not in UNGUARDED_PATHS) or path in GUARDED_PATHS
        ):
            await send_error(send, 401, "unauthorized", [(b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})["principal"] = principal
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
                    await send_error(send, 400, "invalid Content-Length")
                    return
                if declared > limit:
                    await send_error(send, 413, f"request body too large (max {limit} bytes)")
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


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value) > 0
            except ValueError:
                return True  # BodySizeLimit answers 400
        if name == b"transfer-encoding":
            return True
    return False


def _is_json(content_type: bytes | None) -> bool:
    """application/json or any `+json` type; parameters (charset …) are fine."""
    if content_type is None:
        return False
    media = content_type.partition(b";")[0].strip().lower()
    return media == b"application/json" or (media.endswith(b"+json") and b"/" in media)


class NormalizeRequest:
    """Two safety checks before routing:
    - a body sent to a JSON route must say `Content-Type: application/json` (§12): a web page
      can post `text/plain` or a form to any site without a CORS preflight, so reading those
      as JSON would let it drive the relay. Raw uploads keep their own types; a request with
      no body (e.g. a heartbeat) needs no type;
    - a NUL character in the URL is refused: PostgreSQL text cannot hold one."""

    RAW_PATHS = ("/api/blobs",)
    BODY_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nul_field = _nul_in_url(scope)
        if nul_field:
            await send_error(send, 400, f"{nul_field} must not contain NUL characters")
            return
        if scope["method"] in self.BODY_METHODS and not scope["path"].startswith(self.RAW_PATHS):
            headers = scope["headers"]
            content_type = next((v for k, v in headers if k == b"content-type"), None)
            if not _is_json(content_type) and _has_body(headers):
                await send_error(send, 415, "content type must be application/json")
                return
        await self.app(scope, receive, send)


STATE_CHANGING = frozenset(("POST", "PUT", "PATCH", "DELETE"))


@lru_cache(maxsize=512)
def _host_name(host_header: bytes) -> str | None:
    """The name in a Host header (`[::1]:4850` -> `::1`), lower case; None if malformed."""
    try:
        name = urlsplit("//" + host_header.decode("latin-1")).hostname
    except ValueError:
        return None
    return name.rstrip(".") if name else None


class BrowserGuard:
    """§13: a relay on a developer's machine must not be driven by the web pages its
    browser opens.
    - Host must be a name the relay answers to: a loopback name or address, the local
      address the request arrived at, or a configured name. A DNS-rebinding page reaches
      127.0.0.1 under its own name, so its requests fail here (421).
    - A state-changing request with an Origin that is neither the relay's own nor listed in
      AGENT_RELAY_CORS_ORIGINS is refused (403). Browsers send Origin on every cross-site
      POST, even ones without a CORS preflight; other clients send none."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str], allowed_origins: frozenset[str]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.allowed_origins = allowed_origins

    def _host_ok(self, name: str | None, server: tuple[str, int | None] | None) -> bool:
        if name is None:
            return False
        if name in self.allowed_hosts:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False  # a name nobody configured: DNS rebinding, or a misdirected request
        # An address literal cannot be rebound: loopback, or the address this request came in on.
        return address.is_loopback or (server is not None and name == server[0])

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = origin = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
        if host is not None and not self._host_ok(_host_name(host), scope.get("server")):
            await send_error(send, 421, "host not allowed")
            return
        if origin is not None and scope["method"] in STATE_CHANGING:
            claimed = origin.decode("latin-1").lower()
            own = f"{scope.get('scheme', 'http')}://{(host or b'').decode('latin-1').lower()}"
            if claimed != own and claimed not in self.allowed_origins:
                await send_error(send, 403, "origin not allowed")
                return
        await self.app(scope, receive, send)
