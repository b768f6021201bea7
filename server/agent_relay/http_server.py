"""The HTTP/1.1 protocol the relay is served with: uvicorn's httptools protocol plus the
connection limits of contract §12, which neither uvicorn nor httptools has:

- a request head (request line + headers) over `max_header_bytes` is answered 431 and the
  connection closed, and is never buffered whole (httptools would hold any size);
- a connection whose request head is not complete `header_timeout_ms` after it opened, or
  after that request began, is closed (uvicorn's keep-alive timer stops at the first byte);
- past `max_connections` open connections (per process), a new connection's request is
  answered 503 with Retry-After and the connection closed, so the ones already open keep
  their service.

`agent-relay serve` passes it to uvicorn as `http=`; every worker process builds its own.
The access log filter that keeps `?token=` out of logs lives here too.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from functools import cache
from typing import Any
from urllib.parse import unquote_plus

import httptools
import orjson
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from agent_relay.settings import Settings

PROTOCOL = "agent_relay.http_server:RelayHttpProtocol"
RETRY_AFTER_S = 1


@cache
def _settings() -> Settings:
    """Read once per process (workers get the settings through the environment)."""
    return Settings()


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a request that was already answered."""


class RelayHttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _settings()
        self.max_head_bytes = settings.max_header_bytes
        self.head_timeout_s = settings.header_timeout_ms / 1000
        self.max_connections = settings.max_connections
        self.head_timer: asyncio.TimerHandle | None = None  # set while a request head is awaited
        self.head_bytes = 0  # bytes of an unfinished head fed so far
        self.over_capacity = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # Answered once its request head arrives: a response written before the client
        # sends could be lost to a reset when it then does.
        self.over_capacity = len(self.connections) > self.max_connections
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # uvicorn's data_received, plus counting the bytes of a head still incomplete.
        self._unset_keepalive_if_required()
        head = self.head_timer  # not None: this chunk starts inside a request head
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            if not self.transport.is_closing():  # else: a request we refused (_Refused)
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            return
        if head is not None and self.head_timer is head:  # the same head, still incomplete
            self.head_bytes += len(data)
            if self.head_bytes > self.max_head_bytes:
                self._refuse(431, "request header too large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.head_timer is None:
            self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._cancel_head_timer()
        self.head_bytes = 0
        if self.over_capacity:
            self._refuse(503, "too many connections, retry later", retry_after=True)
            raise _Refused
        size = len(self.url) + sum(len(name) + len(value) for name, value in self.headers)
        if size > self.max_head_bytes:
            self._refuse(431, "request header too large")
            raise _Refused
        super().on_headers_complete()

    def _arm_head_timer(self) -> None:
        self.head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, status: int, message: str, *, retry_after: bool = False) -> None:
        """Answer before the app sees the request, and close the connection."""
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        body = orjson.dumps({"error": message})
        head = [
            STATUS_LINE[status],
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"retry-after: %d\r\n" % RETRY_AFTER_S if retry_after else b"",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


class RedactTokens(logging.Filter):
    """The SSE route accepts `?token=` (EventSource cannot set headers); uvicorn's access
    log prints the query string. Replace the value before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, str) and "?" in a for a in record.args):
            record.args = tuple(_redact_query(a) if isinstance(a, str) else a for a in record.args)
        return True


def _redact_query(target: str) -> str:
    """`/api/events?token=abc&x=1` -> `/api/events?token=***&x=1`. Names are compared
    decoded (`%74oken` is `token` to the query parser too)."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    pairs = []
    for pair in query.split("&"):
        name, eq, _value = pair.partition("=")
        pairs.append(f"{name}=***" if eq and unquote_plus(name).lower() == "token" else pair)
    return f"{path}?{'&'.join(pairs)}"


def log_config() -> dict[str, Any]:
    """uvicorn's logging config with the access log redacted (applied in every worker)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": f"{__name__}.RedactTokens"}}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_tokens"]
    return config
