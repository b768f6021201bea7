"""The HTTP/1.1 protocol the relay is served with: uvicorn's httptools protocol plus the
connection limits of contract §12, which neither uvicorn nor httptools has:

- a request head (request line + headers) over `max_header_bytes` is answered 431 and the
  connection closed, and is never buffered whole (httptools would hold any size);
- a connection the client leaves silent for `header_timeout_ms` while the relay waits for
  a request or reads one (head or body) is closed; a head must also be complete that long
  after its first byte, and a body `body_timeout_ms` after its head (else 408 and closed),
  so a trickle cannot hold a connection either. While the app answers a complete request
  nothing is timed: an SSE stream or a long-poll hears nothing from its client. (uvicorn's
  keep-alive timer stops at the first byte and never covers a body.)
- past `max_connections` open connections (per process), a new connection's request is
  answered 503 with Retry-After and the connection closed, so the ones already open keep
  their service.

`agent-relay serve` passes it to uvicorn as `http=`; every worker process builds its own.
So do the access log's config and the filter that keeps credentials out of it.
"""

from __future__ import annotations

import asyncio
import copy
import enum
import logging
import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any
from urllib.parse import unquote, unquote_plus

import httptools
import orjson
from uvicorn.config import LOG_LEVELS, LOGGING_CONFIG
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from agent_relay import logs
from agent_relay.settings import Settings

PROTOCOL = "agent_relay.http_server:RelayHttpProtocol"
RETRY_AFTER_S = 1


@cache
def _settings() -> Settings:
    """Read once per process (workers get the settings through the environment)."""
    return Settings()


_open_connections: set[Any] | None = None  # uvicorn's set of this process's open connections


def open_connection_count() -> int:
    """Open HTTP connections in this process (0 when served otherwise, e.g. in-process tests)."""
    return len(_open_connections) if _open_connections is not None else 0


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a request that was already answered."""


class _Phase(enum.Enum):
    WAITING = "waiting for a request (a new connection, or the last response sent)"
    HEAD = "reading a request head"
    BODY = "reading a request body"
    SERVING = "the request is complete; the app answers it (for as long as an SSE stream lasts)"


class RelayHttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _settings()
        self.max_head_bytes = settings.max_header_bytes
        self.idle_timeout_s = settings.header_timeout_ms / 1000
        self.body_timeout_s = settings.body_timeout_ms / 1000
        self.max_connections = settings.max_connections
        self.phase = _Phase.WAITING
        # One timer per connection, always armed, never re-armed per request or per chunk
        # (a TimerHandle per request showed in the send profile): bytes and phases only move
        # `last_read` and `deadline`; when the timer fires it closes the connection or
        # re-arms itself for the time left (while SERVING, for another idle period).
        self.read_timer: asyncio.TimerHandle | None = None
        self.last_read = 0.0  # loop time of the last bytes of a request (or of waiting's start)
        self.deadline = math.inf  # loop time by which the head or body being read must be complete
        self.requests_begun = 0  # tells a head that began in this chunk from the one before
        self.head_bytes = 0  # bytes of an unfinished head fed so far
        self.over_capacity = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        global _open_connections
        super().connection_made(transport)
        _open_connections = self.connections
        # Answered once its request head arrives: a response written before the client
        # sends could be lost to a reset when it then does.
        self.over_capacity = len(self.connections) > self.max_connections
        self._start_waiting()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_read_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # uvicorn's data_received, plus the read timer and counting an incomplete head.
        self._unset_keepalive_if_required()
        phase, begun = self.phase, self.requests_begun
        if phase is _Phase.HEAD or phase is _Phase.BODY:
            # Only bytes of a request count as activity: a client dribbling CRLFs
            # between requests does not keep an idle connection (on_message_begin does).
            self.last_read = self.loop.time()
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
        if self.phase is _Phase.HEAD and phase is _Phase.HEAD and self.requests_begun == begun:
            self.head_bytes += len(data)  # the same head, still incomplete
            if self.head_bytes > self.max_head_bytes:
                self._refuse(431, "request header too large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.phase = _Phase.HEAD
        self.requests_begun += 1
        self.head_bytes = 0
        self.last_read = now = self.loop.time()
        self.deadline = now + self.idle_timeout_s  # a head trickling in is cut off too
        if self.read_timer is None:  # a pipelined request while another is served
            self._arm_read_timer(self.deadline)

    def on_headers_complete(self) -> None:
        self.phase = _Phase.BODY
        self.deadline = self.loop.time() + self.body_timeout_s
        timer = self.read_timer
        if timer is None or timer.when() > self.deadline:  # the body's limit comes first
            self._cancel_read_timer()
            self._arm_read_timer(self.deadline)
        if self.over_capacity:
            self._refuse(503, "too many connections, retry later", retry_after=True)
            raise _Refused
        size = len(self.url) + sum(len(name) + len(value) for name, value in self.headers)
        if size > self.max_head_bytes:
            self._refuse(431, "request header too large")
            raise _Refused
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        if self.cycle is None or self.cycle.response_complete:  # answered before its body was read
            self._start_waiting()
        else:
            self.phase = _Phase.SERVING

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request
        if self.phase is _Phase.SERVING and self.cycle.response_complete and not self.transport.is_closing():
            self._start_waiting()

    def handle_websocket_upgrade(self) -> None:
        self.phase = _Phase.SERVING  # the connection is the websocket protocol's from now on
        self._cancel_read_timer()
        super().handle_websocket_upgrade()

    def _start_waiting(self) -> None:
        self.phase = _Phase.WAITING
        self.last_read = self.loop.time()
        self.deadline = math.inf
        if self.read_timer is None:  # else it fires early and re-arms for the time left
            self._arm_read_timer(self.last_read + self.idle_timeout_s)

    def _arm_read_timer(self, when: float) -> None:
        self.read_timer = self.loop.call_at(when, self._read_timer_fired)

    def _cancel_read_timer(self) -> None:
        if self.read_timer is not None:
            self.read_timer.cancel()
            self.read_timer = None

    def _read_timer_fired(self) -> None:
        self.read_timer = None
        if self.transport.is_closing():
            return
        now = self.loop.time()
        if self.phase is _Phase.SERVING:  # the app's turn: nothing to time until it answers
            self._arm_read_timer(now + self.idle_timeout_s)
            return
        if self.flow.read_paused:
            # We stopped reading (a pipelined request waits its turn, or the app has not
            # taken the body so far): the silence is ours, not the client's.
            self.last_read = now
            self.deadline = max(self.deadline, now + self.idle_timeout_s)
            self._arm_read_timer(now + self.idle_timeout_s)
            return
        due = min(self.last_read + self.idle_timeout_s, self.deadline)
        if now < due:
            self._arm_read_timer(due)
        elif self.phase is _Phase.BODY and self.deadline <= now and not self.cycle.response_started:
            self._refuse(408, "request body not received in time")
            self._abandon_request()
        else:
            self.transport.close()  # silent too long, or a head too slow: close without a word
            self._abandon_request()

    def _abandon_request(self) -> None:
        """The app may be reading the body we gave up on: it gets a disconnect, and nothing
        it then sends is written (uvicorn would otherwise write after our answer)."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()

    def _refuse(self, status: int, message: str, *, retry_after: bool = False) -> None:
        """Answer in the app's place, and close the connection."""
        self._cancel_read_timer()
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
    """Keeps credentials out of the access log (uvicorn prints each request's target):
    the value of any query parameter named like a token (`token=`, `access_token=`, however
    spelled or separated), and the relay's own secrets (AGENT_RELAY_TOKEN, integration
    tokens and secrets) wherever they appear in a line, percent-encoded or not."""

    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        super().__init__()
        if secrets is None:
            secrets = configured_secrets(_settings())
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)  # longest first

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.redact(a) if isinstance(a, str) else a for a in record.args)
        return True

    def redact(self, text: str) -> str:
        if "?" in text:
            text = _redact_query(text)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        if self.secrets and ("%" in text or "+" in text) and self._holds_secret(text):
            # Encoded (`%73%33cret`): redact each piece that decodes to one, and the whole
            # text if a secret still shows (one spelled across separators).
            text = _PIECE.sub(lambda m: "***" if self._holds_secret(m[0]) else m[0], text)
            if self._holds_secret(text):
                return "***"
        return text

    def _holds_secret(self, text: str) -> bool:
        decoded = (unquote(text), unquote_plus(text))
        return any(secret in form for secret in self.secrets for form in decoded)


_PIECE = re.compile(r"[^?&;=/\s]+")


def configured_secrets(settings: Settings) -> list[str]:
    return [
        *([settings.token] if settings.token else []),
        *settings.integration_token_map,
        *settings.integration_secret_map.values(),
    ]


def _redact_query(target: str) -> str:
    """`/api/events?token=abc&x=1` -> `/api/events?token=***&x=1`. Names are compared
    decoded (`%74oken` is `token` to the query parser too); `;` separates pairs as well."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    parts = []
    for part in re.split(r"([&;])", query):
        name, eq, _value = part.partition("=")
        parts.append(f"{name}=***" if eq and "token" in unquote_plus(name).lower() else part)
    return f"{path}?{''.join(parts)}"


def log_config(level: str, access_log: bool, fmt: str = "text") -> dict[str, Any]:
    """The logging config of every process, at `level`, in `fmt` (`text` or `json`, see
    logs.py), every line passed through the token filter. `access_log` turns on the request
    log (observe.py: one line per request, in place of uvicorn's access line) whatever the
    level (its lines are INFO: `--log-level warning` would drop them all). Applied in every
    worker; uvicorn must then be given no log_level of its own, which would set the access
    logger's level too."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": f"{__name__}.RedactTokens"}}
    formatter = {"()": logs.FORMATTERS[fmt]}
    config["formatters"] = {"default": formatter, "access": formatter}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    number = LOG_LEVELS[level]
    shown = min(number, logging.INFO) if access_log else number
    loggers = config["loggers"]
    loggers["uvicorn"]["level"] = loggers["uvicorn.error"]["level"] = number
    loggers["uvicorn.asgi"] = {"level": number}
    loggers["uvicorn.access"]["level"] = shown
    loggers["uvicorn.access"]["filters"] = ["redact_tokens"]
    # The relay's own lines: its lifecycle lines (start, connectors, orchestrators, spawns,
    # callback failures, the writer) are INFO and shown at the default `warning` too; only
    # `error`/`critical` hide them. The request log only when asked for.
    relay_level = number if number > logging.WARNING else min(number, logging.INFO)
    loggers["agent_relay"] = {"handlers": ["default"], "level": relay_level, "propagate": False}
    loggers["agent_relay.request"] = {"level": logging.INFO if access_log else max(number, logging.WARNING)}
    return config
