"""Who is calling. The one token parser, the one place tokens are compared, and the
`Principal` every route can depend on (`PrincipalDep`); the auth middleware identifies each
request once and refuses what no route would accept.

Roles (contract §2, §14): `admin` holds AGENT_RELAY_TOKEN; `agent` holds a token minted for
one agent id (agents/tokens.py stores them, hashed); `integration` holds one of
AGENT_RELAY_INTEGRATION_TOKENS (only `/api/integrations/*` accepts it); `open` is a relay
with no AGENT_RELAY_TOKEN (loopback only, everything allowed); `anonymous` presented no
valid token to a relay that needs one.

The authorization rules of §14 that need only the caller live here, once: `act_as` (an agent
token acts as its own agent only) and `require_admin`. Rules that need stored data (whose
channel, whose orchestrator, which messages reach an agent) are the services', which take
the Principal."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import weakref
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol
from urllib.parse import parse_qs

from fastapi import Depends, Request

from agent_relay.errors import Forbidden
from agent_relay.settings import Settings

Role = Literal["admin", "agent", "integration", "open", "anonymous"]
EVENTS_PATH = "/api/events"  # EventSource cannot set headers: its token may come as ?token=
AGENT_TOKEN_PREFIX = "art_"  # recognisable, so secret scanners can find a leaked token
ADMIN_REQUIRED = "admin token required"
# How long a process trusts what it read about an agent token. A revocation reaches this
# process at once (forget_tokens, after the commit) and every other process within this.
TOKEN_CACHE_TTL_S = 5.0
TOKEN_CACHE_MAX = 10_000  # entries (unknown tokens included) before the cache starts over
LAST_USED_EVERY_MS = 60_000  # lastUsedAt is written at most this often per token and process


@dataclass(frozen=True, slots=True)
class Principal:
    role: Role
    integration: str | None = None  # the integration's name, for integration tokens
    rate_key: str | None = None  # a stable key for the integration's rate limit (its token's hash)
    agent_id: str | None = None  # the agent an agent token was minted for

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "open")

    @property
    def own_agent(self) -> str | None:
        """The agent whose view this caller gets (None: the whole relay's, admin or open)."""
        return self.agent_id if self.role == "agent" else None

    def may_act_as(self, agent_id: str) -> bool:
        return self.is_admin or (self.role == "agent" and agent_id == self.agent_id)

    def act_as(self, agent_id: str) -> None:
        """An agent token acts as its own agent only (403 `token is for agent <id>`)."""
        if not self.may_act_as(agent_id):
            self._refuse()

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden(ADMIN_REQUIRED)

    def _refuse(self) -> None:
        if self.role == "agent":
            raise Forbidden(f"token is for agent {self.agent_id}")
        raise Forbidden(ADMIN_REQUIRED)


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


def new_agent_secret() -> str:
    """A fresh agent token: the prefix and 32 random bytes (43 URL-safe characters)."""
    return AGENT_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored of an agent token: its sha256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredToken:
    id: int
    agent_id: str
    token_hash: str
    last_used_at: int | None


class TokenStore(Protocol):
    """Where agent tokens are kept (agents/tokens.py, wired by the app)."""

    async def find(self, token_hash: str) -> StoredToken | None: ...

    def used(self, token_id: int, when_ms: int) -> None:
        """Record lastUsedAt (off the request path, through the writer)."""


@dataclass(slots=True)
class _Cached:
    principal: Principal | None  # None: no such token (yet): a negative entry
    token: StoredToken | None
    expires: float  # time.monotonic()
    last_used_ms: int  # the lastUsedAt this process last wrote (or read)


_AUTHENTICATORS: weakref.WeakSet[Authenticator] = weakref.WeakSet()


def forget_tokens(token_hashes: list[str]) -> None:
    """Drop revoked tokens from every cache in this process (called after the commit;
    other processes' caches expire within TOKEN_CACHE_TTL_S)."""
    for authenticator in list(_AUTHENTICATORS):
        for token_hash in token_hashes:
            authenticator.cache.pop(token_hash, None)


class Authenticator:
    """Maps a presented token to a Principal, comparing in constant time. Agent tokens are
    looked up by hash in the token store and kept in memory for TOKEN_CACHE_TTL_S: the send
    path reads no database to know who is calling."""

    def __init__(self, settings: Settings) -> None:
        self.admin_token = settings.token.encode() if settings.token else None
        self.integration_tokens = [(t.encode(), name) for t, name in settings.integration_token_map.items()]
        self.store: TokenStore | None = None  # attached once the database is up (app lifespan)
        self.cache: dict[str, _Cached] = {}
        _AUTHENTICATORS.add(self)

    @property
    def open(self) -> bool:
        return self.admin_token is None

    async def identify(self, token: str | None) -> Principal:
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
            if token.startswith(AGENT_TOKEN_PREFIX) and self.store is not None:
                agent = await self._agent(token)
                if agent is not None:
                    return agent
        return OPEN if self.open else ANONYMOUS

    async def _agent(self, token: str) -> Principal | None:
        token_hash = hash_token(token)
        now = time.monotonic()
        cached = self.cache.get(token_hash)
        if cached is None or cached.expires <= now:
            assert self.store is not None
            stored = await self.store.find(token_hash)
            if len(self.cache) >= TOKEN_CACHE_MAX:
                self.cache.clear()
            if stored is None or not hmac.compare_digest(stored.token_hash, token_hash):
                cached = _Cached(None, None, now + TOKEN_CACHE_TTL_S, 0)
            else:
                principal = Principal("agent", agent_id=stored.agent_id)
                cached = _Cached(principal, stored, now + TOKEN_CACHE_TTL_S, stored.last_used_at or 0)
            self.cache[token_hash] = cached
        if cached.token is not None:
            now_ms = int(time.time() * 1000)
            if now_ms - cached.last_used_ms >= LAST_USED_EVERY_MS:
                cached.last_used_ms = now_ms
                assert self.store is not None
                self.store.used(cached.token.id, now_ms)
        return cached.principal


def principal_of(scope: dict[str, Any]) -> Principal:
    return scope.get("state", {}).get("principal", OPEN)


async def get_principal(request: Request) -> Principal:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return principal_of(request.scope)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
