"""The authenticator's agent-token cache (principal.py): no store read per request, a
revocation is seen at once in this process and within the TTL elsewhere, lastUsedAt is
recorded at most once a minute."""

from __future__ import annotations

import asyncio

import pytest
from agent_relay import principal as p
from agent_relay.principal import Authenticator, StoredToken, forget_tokens, hash_token, new_agent_secret
from agent_relay.settings import Settings


class FakeStore:
    def __init__(self) -> None:
        self.tokens: dict[str, StoredToken] = {}
        self.finds = 0
        self.used_calls: list[tuple[int, int]] = []
        self.gate: asyncio.Event | None = None  # hold a lookup mid-read

    def add(self, agent_id: str) -> str:
        secret = new_agent_secret()
        self.tokens[hash_token(secret)] = StoredToken(
            len(self.tokens) + 1, agent_id, hash_token(secret), None
        )
        return secret

    async def find(self, token_hash: str) -> StoredToken | None:
        self.finds += 1
        found = self.tokens.get(token_hash)
        if self.gate is not None:
            await self.gate.wait()
        return found

    def used(self, token_id: int, when_ms: int) -> None:
        self.used_calls.append((token_id, when_ms))


@pytest.fixture
def auth() -> tuple[Authenticator, FakeStore]:
    authenticator = Authenticator(Settings(token="admin", database_url="sqlite://"))
    store = FakeStore()
    authenticator.store = store
    return authenticator, store


def test_secrets_are_prefixed_random_and_hashed() -> None:
    a, b = new_agent_secret(), new_agent_secret()
    assert a.startswith("art_") and len(a) == 4 + 43 and a != b
    assert hash_token(a) != a and len(hash_token(a)) == 64


async def test_one_store_read_then_the_cache(auth: tuple[Authenticator, FakeStore]) -> None:
    authenticator, store = auth
    secret = store.add("alice")
    for _ in range(100):
        who = await authenticator.identify(secret)
        assert who.role == "agent" and who.agent_id == "alice"
    assert store.finds == 1
    assert len(store.used_calls) == 1  # lastUsedAt: once, not per request
    assert (await authenticator.identify("art_unknown")).role == "anonymous"
    assert (await authenticator.identify("art_unknown")).role == "anonymous"
    assert store.finds == 2  # unknown tokens are cached too
    assert (await authenticator.identify("admin")).role == "admin"


async def test_a_revocation_is_seen_at_once_here_and_after_the_ttl_elsewhere(
    auth: tuple[Authenticator, FakeStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    authenticator, store = auth
    secret = store.add("alice")
    assert (await authenticator.identify(secret)).role == "agent"
    del store.tokens[hash_token(secret)]  # revoked by another process: only the TTL tells us
    assert (await authenticator.identify(secret)).role == "agent"
    now = p.time.monotonic()
    monkeypatch.setattr(p.time, "monotonic", lambda: now + p.TOKEN_CACHE_TTL_S + 0.1)
    assert (await authenticator.identify(secret)).role == "anonymous"
    monkeypatch.undo()
    other = store.add("bob")
    assert (await authenticator.identify(other)).role == "agent"
    forget_tokens([hash_token(other)])  # revoked in this process: at once
    del store.tokens[hash_token(other)]
    assert (await authenticator.identify(other)).role == "anonymous"


async def test_a_lookup_racing_a_revocation_is_not_cached(auth: tuple[Authenticator, FakeStore]) -> None:
    authenticator, store = auth
    secret = store.add("alice")
    store.gate = asyncio.Event()
    lookup = asyncio.create_task(authenticator.identify(secret))
    await asyncio.sleep(0)  # the lookup has read the (still valid) row and waits
    del store.tokens[hash_token(secret)]
    forget_tokens([hash_token(secret)])  # the revocation commits meanwhile
    store.gate.set()
    assert (await lookup).role == "agent"  # that request was already in flight
    store.gate = None
    assert (await authenticator.identify(secret)).role == "anonymous"  # but nothing stale was kept


def test_act_as_and_require_admin() -> None:
    agent = p.Principal("agent", agent_id="alice")
    agent.act_as("alice")
    with pytest.raises(p.Forbidden, match="token is for agent alice"):
        agent.act_as("bob")
    with pytest.raises(p.Forbidden, match="admin token required"):
        agent.require_admin()
    assert agent.sender(None) == "alice" and agent.narrow(None) == "alice"
    p.ADMIN.act_as("bob")
    p.OPEN.require_admin()
    assert p.ADMIN.narrow(None) is None and p.ADMIN.sender("bob") == "bob"
    with pytest.raises(p.BadRequest, match="from required"):
        p.ADMIN.sender(None)
