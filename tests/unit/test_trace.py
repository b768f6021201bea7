"""W3C traceparent parsing (trace.py): what is kept, what is ignored."""

from __future__ import annotations

import pytest
from agent_relay import trace

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_valid_version_00_header_is_kept_as_is() -> None:
    assert trace.parse(VALID) == VALID
    assert trace.parse(VALID.encode()) == VALID
    assert trace.parse(f" {VALID}\t") == VALID  # optional whitespace around the value


def test_a_later_version_is_read_and_passed_on_as_00() -> None:
    later = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future-field"
    assert trace.parse(later) == VALID
    assert trace.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == VALID


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        VALID + "-extra",  # version 00 has exactly four fields
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # short trace id
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  # later version, no dash
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "0" * 600,
    ],
)
def test_an_invalid_header_is_ignored(value: str | None) -> None:
    assert trace.parse(value) is None


def test_from_headers_finds_it_and_refuses_a_repeat() -> None:
    assert trace.from_headers([(b"host", b"x"), (b"traceparent", VALID.encode())]) == VALID
    assert trace.from_headers([(b"host", b"x")]) is None
    two = [(b"traceparent", VALID.encode()), (b"traceparent", VALID.encode())]
    assert trace.from_headers(two) is None
