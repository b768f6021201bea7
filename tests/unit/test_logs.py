"""Log formats (logs.py, http_server.log_config): JSON lines with the request id, the text
format, the default by terminal, and the token filter on every handler."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys

import pytest
from agent_relay import logs
from agent_relay.http_server import log_config


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("agent_relay.test", logging.WARNING, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_json_lines_carry_the_fields_and_the_request_id() -> None:
    token = logs.request_id.set("rid-42")
    try:
        line = logs.JsonFormatter().format(record("hello %s", "world", method="GET", status=200))
    finally:
        logs.request_id.reset(token)
    data = json.loads(line)
    assert (
        data["msg"] == "hello world" and data["level"] == "warning" and data["logger"] == "agent_relay.test"
    )
    assert data["requestId"] == "rid-42" and data["method"] == "GET" and data["status"] == 200
    assert data["ts"].endswith("Z") and "T" in data["ts"]
    outside = json.loads(logs.JsonFormatter().format(record("no request")))
    assert outside["requestId"] is None


def test_json_keeps_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    data = json.loads(logs.JsonFormatter().format(rec))
    assert "ValueError: boom" in data["exc"]


def test_text_lines_add_the_request_id_when_there_is_one() -> None:
    assert logs.TextFormatter().format(record("plain")) == "WARNING agent_relay.test: plain"
    token = logs.request_id.set("rid-7")
    try:
        assert logs.TextFormatter().format(record("in a request")).endswith("in a request requestId=rid-7")
    finally:
        logs.request_id.reset(token)


def test_the_default_is_text_on_a_terminal_json_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    assert logs.resolve_format("json") == "json" and logs.resolve_format("text") == "text"

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Tty())
    assert logs.resolve_format(None) == "text"
    assert logs.resolve_access_log(None) is True  # a developer watching sees every request
    assert logs.resolve_access_log(False) is False
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert logs.resolve_format(None) == "json"
    assert logs.resolve_access_log(None) is False  # a file or journal: only when asked
    assert logs.resolve_access_log(True) is True


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_every_handler_redacts_tokens(fmt: str) -> None:
    config = log_config("warning", access_log=True, fmt=fmt)
    assert all("redact_tokens" in h["filters"] for h in config["handlers"].values())
    assert config["loggers"]["agent_relay.request"]["level"] == logging.INFO
    assert config["loggers"]["agent_relay"]["level"] == logging.INFO  # lifecycle lines at the default level
    assert log_config("error", access_log=False, fmt=fmt)["loggers"]["agent_relay"]["level"] == logging.ERROR
    assert (
        log_config("warning", access_log=False, fmt=fmt)["loggers"]["agent_relay.request"]["level"]
        > logging.INFO
    )
