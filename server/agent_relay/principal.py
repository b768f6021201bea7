"""Who is calling. The one token parser, the one place tokens are compared, and the
`Principal` every route can depend on (`PrincipalDep`); the auth middleware identifies each
request once and refuses what no route would accept.

Roles (contract §2, §14): `admin` holds AGENT_RELAY_TOKEN; `integration` holds one of
AGENT_RELAY_INTEGRATION_TOKENS (only `/api/integrations/*` accepts it); `open` is a relay
with no AGENT_RELAY_TOKEN (loopback only, everything allowed); `anonymous` presented no
valid token to a relay that needs one."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import Depends, Request

from agent_relay.settings import Settings

Role = Literal["admin", "integration", "open", "anonymous"]
EVENTS_PATH = "/api/events"  # EventSource cannot set headers: its token may come as ?token=


@dataclass(frozen=True, slots=True)
class Principal:
    role: Role
    integration: str | None = None  # the integration's name, for integration tokens
    rate_key: str | None = None  # a stable key for the integration's rate limit (its token's hash)

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "open")


ADMIN = Principal("admin")
OPEN = Principal("open")
ANONYMOUS = Principal("anonymous")


def presented_token(scope: dict[str, Any]) -> str | None:
    """`X-Agent-Relay-Token`, else `Authorization: Bearer`, else (SSE only) `?token=`."""
    bearer: str | None = None
    for name, value in scope["headers"]:
        if name == b"x-agent-relay-token":
            return value.decode("latin-1") or None
        if name == b"authorization" and bearer is None:
            raw = value.decode("latin-1")
            if raw[:7].lower() == "bearer ":
                bearer = raw[7:].strip() or None
    if bearer is not None:
        return bearer
    if scope["path"] == EVENTS_PATH and scope.get("query_string"):
        values = parse_qs(scope["query_string"].decode("latin-1")).get("token")
        if values:
            return values[0]
    return None


class Authenticator:
    """Maps a presented token to a Principal, comparing in constant time."""

    def __init__(self, settings: Settings) -> None:
        self.admin_token = settings.token.encode() if settings.token else None
        self.integration_tokens = [(t.encode(), name) for t, name in settings.integration_token_map.items()]

    @property
    def open(self) -> bool:
        return self.admin_token is None

    def identify(self, token: str | None) -> Principal:
        if token is not None:
            presented = token.encode()
            if self.admin_token is not None and hmac.compare_digest(presented, self.admin_token):
                return ADMIN
            match: str | None = None
            for candidate, name in self.integration_tokens:  # every token compared: constant time
                if hmac.compare_digest(presented, candidate):
                    match = name
            if match is not None:
                return Principal("integration", match, hashlib.sha256(presented).hexdigest())
        return OPEN if self.open else ANONYMOUS


def principal_of(scope: dict[str, Any]) -> Principal:
    return scope.get("state", {}).get("principal", OPEN)


async def get_principal(request: Request) -> Principal:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return principal_of(request.scope)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
