"""The outermost middleware (pure ASGI): every response gets an `X-Request-Id`, every request
is counted and timed for /metrics by its route *template* (`/api/messages/{id}`, never the raw
path: bounded label sets), and, when the request log is on, one line is logged per request.

Cost per request: a clock read at each end, a context variable set, one wrapped `send`, and one
dict lookup for the (method, route, status) children; the log line only when it is enabled.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from itertools import count
from typing import Any

from agent_relay import logs, metrics

request_log = logging.getLogger("agent_relay.request")

REQUEST_ID_HEADER = b"x-request-id"
MAX_REQUEST_ID = 128
# A client's id is echoed only when it is short and plain (no spaces, quotes or control
# characters that could forge log lines or headers); anything else gets a fresh id.
_SANE_ID = re.compile(rb"[A-Za-z0-9._:/+=@-]{1,128}")
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
UNTIMED_PATHS = frozenset(("/api/events",))  # SSE streams last as long as the client stays

_PREFIX = os.urandom(6).hex()  # per process: ids are unique across workers and restarts
_counter = count(1)


def new_request_id() -> str:
    return f"{_PREFIX}{next(_counter):x}"


def client_request_id(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            return value if _SANE_ID.fullmatch(value) else None
    return None


class Observe:
    def __init__(self, app: Any, redact: Callable[[str], str] | None = None) -> None:
        self.app = app
        self.redact = redact or (lambda text: text)
        self.children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        given = client_request_id(scope["headers"])
        rid_bytes = given if given is not None else new_request_id().encode()
        rid = rid_bytes.decode("latin-1")
        logs.request_id.set(rid)
        status = 0

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, rid_bytes)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            status = status or 500
            raise
        finally:
            self._record(scope, status, start, rid)

    def _record(self, scope: dict[str, Any], status: int, start: float, rid: str) -> None:
        elapsed = time.perf_counter() - start
        method = scope["method"]
        route = scope.get("route")
        template = route.path if route is not None else metrics.UNMATCHED_ROUTE
        key = (method, template, status)
        children = self.children.get(key)
        if children is None:
            children = self._children(key)
        children[0].inc()
        if children[1] is not None:
            children[1].observe(elapsed)
        if request_log.isEnabledFor(logging.INFO):
            self._log(scope, method, status, elapsed, rid)

    def _children(self, key: tuple[str, str, int]) -> tuple[Any, Any]:
        method, template, status = key
        label = method if method in METHODS else "OTHER"  # any token is a method to HTTP
        timed = template not in UNTIMED_PATHS
        children = (
            metrics.http_requests.labels(label, template, str(status)),  # 0: no answer (client left)
            metrics.http_duration.labels(label, template) if timed else None,
        )
        if method in METHODS:  # else not cached: a client must not grow this dict
            self.children[key] = children
        return children

    def _log(self, scope: dict[str, Any], method: str, status: int, elapsed: float, rid: str) -> None:
        path = scope["path"]
        query = scope.get("query_string")
        target = self.redact(f"{path}?{query.decode('latin-1')}" if query else path)
        principal = scope.get("state", {}).get("principal")
        ms = round(elapsed * 1000, 2)
        request_log.info(
            "%s %s %d %.1fms",
            method,
            target,
            status,
            ms,
            extra={
                "requestId": rid,
                "method": method,
                "path": target,
                "status": status,
                "durationMs": ms,
                "role": getattr(principal, "role", None),
                "agentId": getattr(principal, "agent_id", None),
            },
        )
