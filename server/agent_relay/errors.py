"""Domain errors. Each carries its HTTP status; one handler renders {"error": message}."""

from __future__ import annotations


class RelayError(Exception):
    status_code = 400

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers


class BadRequest(RelayError):
    status_code = 400


class Unauthorized(RelayError):
    status_code = 401


class Forbidden(RelayError):
    status_code = 403


class NotFound(RelayError):
    status_code = 404


class Conflict(RelayError):
    status_code = 409


class PayloadTooLarge(RelayError):
    status_code = 413


class RateLimited(RelayError):
    status_code = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after_s))})


class BadGateway(RelayError):
    status_code = 502


class ServiceUnavailable(RelayError):
    """A capacity limit was reached (§12): the client should retry after a moment."""

    status_code = 503

    def __init__(self, message: str, retry_after_s: int = 1) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after_s))})
