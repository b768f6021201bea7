"""The access log (http_server.RedactTokens, log_config): credentials never reach it, and
`--access-log` shows it whatever the level."""

from __future__ import annotations

import logging

import pytest
from agent_relay.http_server import RedactTokens, log_config

SECRETS = ["s3cret-token", "integ-tok-9", "hmac-secret-7"]


def logged(target: str) -> str:
    """What uvicorn's access line shows of a request target after the filter."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", target, "1.1", 200),
        None,
    )
    RedactTokens(SECRETS).filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    "target",
    [
        "/api/events?x=1;token=s3cret-token",
        "/api/events?token%3Ds3cret-token",
        "/api/events%3Ftoken=s3cret-token",
        "/api/events?access_token=s3cret-token",
        "/api/events?x=integ-tok-9",
        "/api/events/s3cret-token",
        "/api/events?q=%73%33cret-token",
        "/api/events?q=s3cret%2Dtoken&y=2",
        "/api/events?q=xx%2Fs3cret-token%2Fyy",
        "/api/tasks?cb=hmac-secret-7",
    ],
)
def test_configured_secrets_are_redacted_wherever_they_appear(target: str) -> None:
    line = logged(target)
    assert "/api/" in line and "***" in line, line
    for secret in SECRETS:
        assert secret not in line


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/api/events?agentId=a&token=other", "/api/events?agentId=a&token=***"),
        ("/api/events?x=1;token=other", "/api/events?x=1;token=***"),
        ("/api/events?%74oken=other&x=1", "/api/events?%74oken=***&x=1"),
        ("/api/events?access_token=other", "/api/events?access_token=***"),
        ("/api/messages?to=b&after=3", "/api/messages?to=b&after=3"),
    ],
)
def test_any_token_parameter_is_redacted_by_name(target: str, expected: str) -> None:
    assert f'"GET {expected} HTTP/1.1"' in logged(target)


@pytest.mark.parametrize("level", ["warning", "error", "info", "debug"])
def test_access_log_shows_whatever_the_level(level: str) -> None:
    config = log_config(level, access_log=True)
    assert config["loggers"]["uvicorn.access"]["level"] <= logging.INFO
    assert config["loggers"]["uvicorn.error"]["level"] == logging.getLevelName(level.upper())
    without = log_config(level, access_log=False)
    assert without["loggers"]["uvicorn.access"]["level"] == logging.getLevelName(level.upper())
