"""W3C trace context (contract §17): the `traceparent` header a send or an integration event
arrives with is kept and passed on (task callbacks, webhook connectors, spawned processes'
`TRACEPARENT`).

Validation follows the W3C Trace Context recommendation: a header that does not parse is
*ignored* (the request goes on as if it had none), never a 400. Version `00` must be exactly
`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lower case, with neither id all
zeros; a higher version is read for those four fields and passed on as version `00` (the
version this relay speaks); `ff` is invalid.
"""

from __future__ import annotations

import re

HEADER = b"traceparent"
ENV = "TRACEPARENT"  # what spawned processes get (the OpenTelemetry environment carrier)
_FIELDS = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_ZERO_TRACE = "0" * 32
_ZERO_PARENT = "0" * 16


def parse(value: str | bytes | None) -> str | None:
    """The traceparent to keep (version 00), or None for a missing or invalid one."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip(" \t")
    if len(text) < 55 or len(text) > 512:
        return None
    match = _FIELDS.match(text)
    if match is None:
        return None
    version, trace_id, parent_id, flags = match.groups()
    if version == "ff" or trace_id == _ZERO_TRACE or parent_id == _ZERO_PARENT:
        return None
    if version == "00":
        return text if len(text) == 55 else None
    if len(text) > 55 and text[55] != "-":  # a later version may add fields, after a dash
        return None
    return f"00-{trace_id}-{parent_id}-{flags}"


def from_headers(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The request's traceparent (ASGI raw headers), if valid; repeated headers: invalid."""
    found: bytes | None = None
    for name, value in headers:
        if name == HEADER:
            if found is not None:
                return None
            found = value
    return parse(found)
