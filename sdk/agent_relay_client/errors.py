"""Typed errors: every non-2xx answer becomes a RelayError subclass with the server's message."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SUPERSEDED_MESSAGE = "agent session superseded"


class RelayError(Exception):
    """The relay answered with an error (or could not be reached: status 0)."""

    status: int = 0

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status} {message}" if status else message)
        self.status = status
        self.message = message
        self.headers: dict[str, str] = dict(headers or {})


class RelayConnectionError(RelayError):
    """The relay could not be reached (refused, timed out, connection dropped)."""


class BadRequestError(RelayError):
    status = 400


class UnauthorizedError(RelayError):
    status = 401


class ForbiddenError(RelayError):
    status = 403


class NotFoundError(RelayError):
    status = 404


class ConflictError(RelayError):
    status = 409


class SessionSupersededError(ConflictError):
    """A newer process of the same agent registered (409 "agent session superseded")."""


class PayloadTooLargeError(RelayError):
    status = 413


class RateLimitedError(RelayError):
    status = 429

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after") or self.headers.get("Retry-After")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class ServerError(RelayError):
    status = 500


class BadGatewayError(ServerError):
    status = 502


_BY_STATUS: dict[int, type[RelayError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitedError,
    502: BadGatewayError,
}


def error_message(content: bytes) -> str:
    try:
        data: Any = json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace").strip() or "error"
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return json.dumps(data)


def error_for(status: int, content: bytes, headers: Mapping[str, str] | None = None) -> RelayError:
    message = error_message(content)
    if status == 409 and message == SUPERSEDED_MESSAGE:
        cls: type[RelayError] = SessionSupersededError
    else:
        cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else RelayError)
    return cls(status, message, headers)
