"""Serves the dashboard: `/` is its page, `/dashboard/<file>` its scripts, styles and icons.

The files are read once, at import, from the package's `static/` folder into a table keyed by
their relative path: a request names a key or gets a 404, so no path can leave the folder.
Every answer carries a strict Content-Security-Policy (scripts, styles, images and
connections from this origin only; no inline script, no framing), `nosniff` and no referrer.
None of it is in the OpenAPI schema: it is not part of the API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from agent_relay.context import RelayDep
from agent_relay.dashboard import service
from agent_relay.principal import PrincipalDep
from agent_relay.wire import json_response

STATIC = Path(__file__).parent / "static"
PREFIX = "/dashboard/"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",  # revalidate (ETag): a relay upgrade is seen on the next load
}


def _load() -> dict[str, tuple[bytes, str, str]]:
    files: dict[str, tuple[bytes, str, str]] = {}
    for path in sorted(STATIC.rglob("*")):
        kind = CONTENT_TYPES.get(path.suffix)
        if path.is_file() and kind:
            data = path.read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            files[path.relative_to(STATIC).as_posix()] = (data, kind, etag)
    return files


FILES = _load()
router = APIRouter(include_in_schema=False)


def _serve(name: str, request: Request) -> Response:
    found = FILES.get(name)
    if found is None:
        return json_response({"error": "not found"}, 404, SECURITY_HEADERS)
    data, kind, etag = found
    headers = {**SECURITY_HEADERS, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=kind, headers=headers)


@router.get("/")
async def dashboard_page(request: Request) -> Response:
    return _serve("index.html", request)


@router.get(PREFIX + "{name:path}")
async def dashboard_file(name: str, request: Request) -> Response:
    return _serve(name, request)


@router.get("/api/dashboard/agent-stats")
async def dashboard_agent_stats(principal: PrincipalDep, relay: RelayDep) -> Response:
    """{agentId: {unread, openClaims}} (admin): the agents view's counts. Not in the API
    schema: it is the dashboard's own and may change with it."""
    principal.require_admin()
    return json_response(await relay.db.read(service.agent_stats))
