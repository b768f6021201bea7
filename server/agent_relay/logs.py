"""Log lines (contract §17): one format for every logger, and the request id they carry.

`AGENT_RELAY_LOG_FORMAT`: `json` (one object per line: `ts`, `level`, `logger`, `msg`,
`requestId`, and for request lines `method`, `path`, `status`, `durationMs`, `role`,
`agentId`) or `text` (`LEVEL logger: message`, plus ` requestId=…` inside a request).
Unset: text when stderr is a terminal (a developer watching), JSON otherwise (a service
manager or container collecting lines for a log store).

The request id of the request being served lives in a context variable, so every line
logged while serving it (a callback failure, a spawn, a database error) carries it.
"""

from __future__ import annotations

import contextvars
import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Attributes a request line sets through `extra=` (in this order in JSON).
REQUEST_FIELDS = ("method", "path", "status", "durationMs", "role", "agentId")
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def _on_a_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def resolve_format(value: str | None) -> str:
    """The format to use: the setting, else text on a terminal and JSON elsewhere."""
    return value or ("text" if _on_a_terminal() else "json")


def resolve_access_log(value: bool | None) -> bool:
    """Whether to log every request: the flag or setting, else only on a terminal. A developer
    running `make run` sees each request; a service writing to a file or a journal pays for
    the line (~45 µs of CPU per request on the send path, docs/benchmarks.md) only when asked."""
    return _on_a_terminal() if value is None else value


def _ts(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Fields a caller passed with `extra=` are kept (those of a
    request line first); values that are not JSON are written as their str()."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": _ts(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "requestId": getattr(record, "requestId", None) or request_id.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        return orjson.dumps(out, default=str).decode()


class TextFormatter(logging.Formatter):
    """`LEVEL logger: message` (the relay's format so far), with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "requestId", None) or request_id.get()
        return f"{line} requestId={rid}" if rid else line


def lighten_records() -> None:
    """Skip what no relay format shows (caller's file and line, thread, process): each costs
    every log record a lookup; the request log makes one record per request. (The logging
    HOWTO's "Optimization" section; process-wide, so called by `agent-relay serve` only.)"""
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


FORMATTERS = {"json": f"{__name__}.JsonFormatter", "text": f"{__name__}.TextFormatter"}
