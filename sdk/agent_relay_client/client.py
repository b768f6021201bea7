"""RelayClient / AsyncRelayClient: a thin layer over the generated operations.

Every operation in the spec is callable by its operation id, with the generated
signature (`client.get_agent("a1")`, `client.list_messages(to="b")`, …); a body may be
the generated model or a plain dict of wire (camelCase) fields. Answers are the generated
models; error statuses raise `RelayError` subclasses carrying the server's message. New
server routes become callable after `make sdk` with no edit here. The few helpers below
(`send`, `inbox`, `claim`, …) only add keyword conveniences for the common calls."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import pkgutil
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, cast

import httpx

from agent_relay_client import events as _events
from agent_relay_client._generated import api as _api
from agent_relay_client._generated.client import Client
from agent_relay_client._generated.models import (
    AckOut,
    AgentCard,
    HealthOut,
    HeartbeatOut,
    MessageOut,
)
from agent_relay_client._generated.types import Response
from agent_relay_client.errors import RelayConnectionError, RelayError, error_for

DEFAULT_URL = "http://127.0.0.1:4850"
VERSION = "0.7.0"


@functools.cache
def operations() -> dict[str, types.ModuleType]:
    """operation id -> generated module (found by walking `_generated.api`)."""
    found: dict[str, types.ModuleType] = {}
    for group in pkgutil.iter_modules(_api.__path__):
        package = importlib.import_module(f"{_api.__name__}.{group.name}")
        for op in pkgutil.iter_modules(package.__path__):
            found[op.name] = importlib.import_module(f"{package.__name__}.{op.name}")
    return found


def _operation(name: str) -> types.ModuleType:
    try:
        return operations()[name]
    except KeyError:
        raise AttributeError(f"the relay API has no operation {name!r}") from None


def _coerce_body(fn: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    """Turn a dict body into the generated model the operation expects."""
    body = kwargs.get("body")
    if not isinstance(body, Mapping):
        return
    annotation = inspect.signature(fn).parameters["body"].annotation
    candidates = getattr(annotation, "__args__", (annotation,))
    for candidate in candidates:
        if isinstance(candidate, type) and hasattr(candidate, "from_dict"):
            kwargs["body"] = candidate.from_dict(dict(body))
            return
    raise TypeError(f"cannot build a request body of type {annotation} from a dict")


def _unwrap(response: Response[Any]) -> Any:
    status = int(response.status_code)
    if status >= 400:
        raise error_for(status, response.content, response.headers)
    if response.parsed is None and response.content:
        return json.loads(response.content)
    return response.parsed


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


class _Base:
    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = (url or os.environ.get("AGENT_RELAY_URL") or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else (os.environ.get("AGENT_RELAY_TOKEN") or None)
        all_headers = {"User-Agent": f"agent-relay-client/{VERSION}", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        # Long polls (`wait` up to 60 s) must not hit the read timeout.
        self.timeout = httpx.Timeout(timeout, read=timeout + 60)
        self.raw = Client(base_url=self.url, headers=all_headers, timeout=self.timeout)
        """The generated client, for calling `_generated.api.*` modules directly."""

    def _connection_error(self, exc: httpx.TransportError) -> RelayConnectionError:
        return RelayConnectionError(0, f"cannot reach the relay at {self.url}: {exc or type(exc).__name__}")

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        _operation(name)
        return functools.partial(self.call, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(operations()))

    # keyword conveniences shared by both clients: (operation, args, kwargs)
    @staticmethod
    def _send_call(
        to: str,
        body: str,
        sender: str,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        return _drop_none({"from": sender, "to": to, "body": body, **extra})

    @staticmethod
    def _register_body(agent_id: str, name: str | None, fields: dict[str, Any]) -> dict[str, Any]:
        return _drop_none({"id": agent_id, "name": name or agent_id, **fields})


class RelayClient(_Base):
    """Synchronous client. `RelayClient()` reads AGENT_RELAY_URL / AGENT_RELAY_TOKEN."""

    def call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """Call any operation by id; returns the parsed answer or raises RelayError."""
        fn = _operation(operation).sync_detailed
        _coerce_body(fn, kwargs)
        try:
            return _unwrap(fn(*args, client=self.raw, **kwargs))
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc

    def close(self) -> None:
        self.raw.get_httpx_client().close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conveniences -------------------------------------------------------------
    def health(self) -> HealthOut:
        return cast(HealthOut, self.call("get_health"))

    def agents(self, **filters: Any) -> list[AgentCard]:
        return cast(list[AgentCard], self.call("list_agents", **filters))

    def register(self, agent_id: str, name: str | None = None, **fields: Any) -> AgentCard:
        """Register or update an agent; `fields` are wire names (`instanceId`, `label`, …)."""
        return cast(AgentCard, self.call("register_agent", body=self._register_body(agent_id, name, fields)))

    def heartbeat(self, agent_id: str, **fields: Any) -> HeartbeatOut:
        return cast(HeartbeatOut, self.call("heartbeat_agent", agent_id, body=_drop_none(fields)))

    def send(self, to: str, body: str, *, sender: str = "user", **extra: Any) -> MessageOut:
        """Send `body` to an agent id, `label:X`, `tag:X`, `cap:X` or `broadcast`.
        `extra` are wire fields: kind, subject, replyTo, claimable, idempotencyKey, meta, payload."""
        return cast(MessageOut, self.call("send_message", body=self._send_call(to, body, sender, extra)))

    def inbox(
        self, agent_id: str, *, wait: float = 0, after: int = 0, unread: bool = False, limit: int = 100
    ) -> list[MessageOut]:
        """Oldest first; with `wait` (seconds, ≤ 60) the call long-polls for something new."""
        return cast(
            list[MessageOut],
            self.call("list_inbox", agent_id, wait=wait, after=after, unread=unread, limit=limit),
        )

    def claim(self, message_id: int, agent_id: str, lease_ms: int | None = None) -> MessageOut:
        body = _drop_none({"agentId": agent_id, "leaseMs": lease_ms})
        return cast(MessageOut, self.call("claim_message", message_id, body=body))

    def release(self, message_id: int, agent_id: str) -> MessageOut:
        return cast(MessageOut, self.call("release_message", message_id, body={"agentId": agent_id}))

    def ack(self, message_id: int, agent_id: str) -> AckOut:
        return cast(AckOut, self.call("ack_message", message_id, body={"agentId": agent_id}))

    def events(
        self,
        *,
        agent_id: str | None = None,
        last_event_id: int | None = None,
        reconnect: bool = True,
        reconnect_delay: float = 0.5,
    ) -> Iterator[_events.RelayEvent]:
        """Live events; reconnects on its own and resumes with Last-Event-ID (no gaps)."""
        return _events.iter_events(
            self.raw.get_httpx_client(),
            agent_id=agent_id,
            last_event_id=last_event_id,
            reconnect=reconnect,
            reconnect_delay=reconnect_delay,
            url=self.url,
        )


class AsyncRelayClient(_Base):
    """Asynchronous client; the same operations, awaited."""

    async def call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        fn = _operation(operation).asyncio_detailed
        _coerce_body(fn, kwargs)
        try:
            return _unwrap(await fn(*args, client=self.raw, **kwargs))
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc

    async def aclose(self) -> None:
        await self.raw.get_async_httpx_client().aclose()

    async def __aenter__(self) -> AsyncRelayClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def health(self) -> HealthOut:
        return cast(HealthOut, await self.call("get_health"))

    async def agents(self, **filters: Any) -> list[AgentCard]:
        return cast(list[AgentCard], await self.call("list_agents", **filters))

    async def register(self, agent_id: str, name: str | None = None, **fields: Any) -> AgentCard:
        body = self._register_body(agent_id, name, fields)
        return cast(AgentCard, await self.call("register_agent", body=body))

    async def heartbeat(self, agent_id: str, **fields: Any) -> HeartbeatOut:
        return cast(HeartbeatOut, await self.call("heartbeat_agent", agent_id, body=_drop_none(fields)))

    async def send(self, to: str, body: str, *, sender: str = "user", **extra: Any) -> MessageOut:
        return cast(MessageOut, await self.call("send_message", body=self._send_call(to, body, sender, extra)))

    async def inbox(
        self, agent_id: str, *, wait: float = 0, after: int = 0, unread: bool = False, limit: int = 100
    ) -> list[MessageOut]:
        return cast(
            list[MessageOut],
            await self.call("list_inbox", agent_id, wait=wait, after=after, unread=unread, limit=limit),
        )

    async def claim(self, message_id: int, agent_id: str, lease_ms: int | None = None) -> MessageOut:
        body = _drop_none({"agentId": agent_id, "leaseMs": lease_ms})
        return cast(MessageOut, await self.call("claim_message", message_id, body=body))

    async def release(self, message_id: int, agent_id: str) -> MessageOut:
        return cast(MessageOut, await self.call("release_message", message_id, body={"agentId": agent_id}))

    async def ack(self, message_id: int, agent_id: str) -> AckOut:
        return cast(AckOut, await self.call("ack_message", message_id, body={"agentId": agent_id}))

    def events(
        self,
        *,
        agent_id: str | None = None,
        last_event_id: int | None = None,
        reconnect: bool = True,
        reconnect_delay: float = 0.5,
    ) -> AsyncIterator[_events.RelayEvent]:
        return _events.aiter_events(
            self.raw.get_async_httpx_client(),
            agent_id=agent_id,
            last_event_id=last_event_id,
            reconnect=reconnect,
            reconnect_delay=reconnect_delay,
            url=self.url,
        )


__all__ = ["AsyncRelayClient", "RelayClient", "RelayError", "operations"]
