"""Agent tokens (contract §14): minted for one agent id, shown once, stored only as a hash,
revocable, with lastUsedAt. The only door to the `agent_tokens` table.

Other domains and the spawners call `issue_token` and `revoke_all`; the app wires
`TokenStore` into the authenticator (principal.py), which caches what it reads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from functools import partial

from sqlalchemy.engine import Connection

from agent_relay.agents import repository as repo
from agent_relay.agents.schemas import (
    AGENT_TOKEN_WIRE,
    AgentTokenRecord,
    IssuedTokenRecord,
)
from agent_relay.db import Database, UnitOfWork
from agent_relay.errors import BadRequest, NotFound
from agent_relay.principal import StoredToken, forget_tokens, hash_token, new_agent_secret

log = logging.getLogger("agent_relay")
MAX_AGENT_ID = 200
MAX_LABEL = 120


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just minted. `token` is the secret: hand it to its agent, it is not kept."""

    id: int
    agent_id: str
    label: str | None
    token: str
    created_at: int

    def record(self) -> IssuedTokenRecord:
        return {
            "id": self.id,
            "agentId": self.agent_id,
            "label": self.label,
            "token": self.token,
            "createdAt": self.created_at,
        }


def issue_token(uow: UnitOfWork, agent_id: str, label: str | None) -> IssuedToken:
    """Mint a token for `agent_id` (registered or not yet: a spawned agent gets its token
    before it starts). Authorization is the caller's business."""
    if not agent_id or len(agent_id) > MAX_AGENT_ID:
        raise BadRequest(f"agentId must be 1 to {MAX_AGENT_ID} characters")
    if label is not None and len(label) > MAX_LABEL:
        raise BadRequest(f"label must be at most {MAX_LABEL} characters")
    secret = new_agent_secret()
    token_id = repo.insert_token(
        uow.conn,
        {"agent_id": agent_id, "label": label, "token_hash": hash_token(secret), "created_at": uow.now},
    )
    return IssuedToken(token_id, agent_id, label, secret, uow.now)


def list_tokens(conn: Connection, agent_id: str) -> list[AgentTokenRecord]:
    """The agent's tokens, newest first, without secrets."""
    return [AGENT_TOKEN_WIRE.build(row) for row in repo.tokens_of(conn, agent_id)]


def revoke(uow: UnitOfWork, agent_id: str, token_id: int) -> None:
    """The token gets 401 from the commit on (in other processes within the cache's TTL)."""
    row = repo.delete_token(uow.conn, agent_id, token_id)
    if row is None:
        raise NotFound("token not found")
    hashes = [row["token_hash"]]
    uow.after_commit.append(lambda: forget_tokens(hashes))


def revoke_all(uow: UnitOfWork, agent_id: str) -> int:
    """Revoke every token of the agent (its deletion does); returns how many there were."""
    hashes = repo.delete_tokens_of(uow.conn, agent_id)
    if hashes:
        uow.after_commit.append(lambda: forget_tokens(hashes))
    return len(hashes)


def find(conn: Connection, token_hash: str) -> StoredToken | None:
    row = repo.token_by_hash(conn, token_hash)
    if row is None:
        return None
    return StoredToken(row["id"], row["agent_id"], row["token_hash"], row["last_used_at"])


def touch(uow: UnitOfWork, used: dict[int, int]) -> None:
    repo.touch_tokens(uow.conn, used)


class TokenStore:
    """principal.TokenStore over the database: lookups are reads; lastUsedAt is collected and
    written in one writer job (at most once a minute per token, see principal.py)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: dict[int, int] = {}
        self._flush: asyncio.Task[None] | None = None

    async def find(self, token_hash: str) -> StoredToken | None:
        return await self.db.read(lambda conn: find(conn, token_hash))

    def used(self, token_id: int, when_ms: int) -> None:
        self._pending[token_id] = when_ms
        if self._flush is None or self._flush.done():
            self._flush = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        await asyncio.sleep(0)  # let the request that noticed the use go first
        while self._pending:
            used, self._pending = self._pending, {}
            try:
                await self.db.write(partial(touch, used=used))
            except Exception:  # a lost lastUsedAt is no reason to fail anything
                log.warning("recording tokens' lastUsedAt failed", exc_info=True)

    async def close(self) -> None:
        if self._flush is not None:
            with contextlib.suppress(Exception):
                await self._flush
