"""RelayClient / AsyncRelayClient: the generated typed operations plus a few conveniences.

Every operation in the spec is a real method named by its operation id, generated from the
spec into `_generated/api/__init__.py` (`Operations` / `AsyncOperations`): real parameters
(`client.get_agent("a1")`, `client.list_messages(to="b")`), its success type as the return
type, so a misspelled operation is an AttributeError and an unknown keyword a TypeError, at
run time and under mypy. A body may be the generated model or a mapping of wire
(camelCase) fields. Every call goes through `_call` below: the one HTTP path (transport
errors -> RelayConnectionError, error statuses -> RelayError subclasses with the server's
message). New server routes become methods after `make sdk` with no edit here. The few
helpers (`send`, `inbox`, `claim`, …) add keyword conveniences for the common calls."""

from __future__ import annotations

import difflib
import os
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

from agent_relay_client import events as _events
from agent_relay_client._generated.api import OPERATIONS, AsyncOperations, Operations
from agent_relay_client._generated.client import Client
from agent_relay_client._generated.models import (
    AckOut,
    AgentCard,
    HealthOut,
    HeartbeatOut,
    MessageOut,
)
from agent_relay_client._generated.models.agent_register_kind_type_0 import AgentRegisterKindType0
from agent_relay_client._generated.models.agent_register_status_type_0 import AgentRegisterStatusType0
from agent_relay_client._generated.models.list_agents_kind_type_0 import ListAgentsKindType0
from agent_relay_client._generated.models.list_agents_status_type_0 import ListAgentsStatusType0
from agent_relay_client._generated.models.send_message_kind import SendMessageKind
from agent_relay_client._generated.types import UNSET, File, Unset
from agent_relay_client.errors import RelayConnectionError, RelayError, error_for

if TYPE_CHECKING:
    from typing_extensions import Unpack

DEFAULT_URL = "http://127.0.0.1:4850"
AGENT_TOKEN_PREFIX = "art_"
VERSION = "0.7.0"

AgentKind = AgentRegisterKindType0
AgentStatus = AgentRegisterStatusType0
MessageKind = SendMessageKind


def operations() -> dict[str, types.ModuleType]:
    """operation id -> generated module, for every operation that is a method."""
    return dict(OPERATIONS)


def _operation(name: str) -> types.ModuleType:
    try:
        return OPERATIONS[name]
    except KeyError:
        close = difflib.get_close_matches(name, OPERATIONS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttributeError(f"the relay API has no operation {name!r}{hint}") from None


class _WireBody(dict):  # type: ignore[type-arg]
    """A dict body sent verbatim (wire names), so the server, not a client-side copy of its
    rules, judges it and its error message comes back. Quacks like a generated model."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


def _drop_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and not isinstance(v, Unset)}


# The older spelling of a few helper keywords (wire names), still accepted and type-checked.
class RegisterWire(TypedDict, total=False):
    instanceId: str | None


class SendWire(TypedDict, total=False):
    replyTo: int | None
    idempotencyKey: str | None
    instanceId: str | None


def _wire_aliases(given: Mapping[str, Any], allowed: type, helper: str) -> dict[str, Any]:
    """TypedDicts are not checked at run time: an unknown keyword must still be a TypeError."""
    unknown = set(given) - set(allowed.__annotations__)
    if unknown:
        raise TypeError(f"{helper}() got an unexpected keyword argument {sorted(unknown)[0]!r}")
    return dict(given)


def _prepare(operation: types.ModuleType, params: dict[str, Any]) -> dict[str, Any]:
    """The httpx request for one operation, built by its generated module."""
    body = params.get("body")
    if isinstance(body, Mapping):
        params = {**params, "body": _WireBody(body)}
    request: dict[str, Any] = operation._get_kwargs(**params)
    if isinstance(body, File):
        request["content"] = body.payload.read()  # bytes, so the request has a Content-Length
        if body.mime_type:  # the relay keeps a blob's Content-Type
            request["headers"]["Content-Type"] = body.mime_type
    return request


def _check(response: httpx.Response) -> None:
    """The one place an error status becomes a RelayError (with the server's message)."""
    if response.status_code >= 400:
        raise error_for(response.status_code, response.content, response.headers)


def _answer(operation: types.ModuleType, client: Client, response: httpx.Response) -> Any:
    _check(response)
    parsed = operation._parse_response(client=client, response=response)
    # An answer without a schema (a blob download) is its bytes, as the facade declares.
    return response.content if parsed is None else parsed


def _register_body(agent_id: str, name: str | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    return _drop_none({"id": agent_id, "name": name or agent_id, **fields})


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

    @property
    def has_agent_token(self) -> bool:
        """Whether the token is an agent token (contract §14: they start with `art_`)."""
        return bool(self.token and self.token.startswith(AGENT_TOKEN_PREFIX))

    def _sender(self, sender: str | None) -> str | None:
        """A send's `from`: as given; else the relay fills in an agent token's own agent
        (None: no `from` sent), and the admin sends as `user`, as before."""
        if sender is not None:
            return sender
        return None if self.has_agent_token else "user"

    def url_for(self, operation: str, **params: Any) -> str:
        """The absolute URL of an operation (path from the spec), e.g. a blob's download link:
        `url_for("download_blob", id=blob_id)`."""
        path: str = _operation(operation)._get_kwargs(**params)["url"]
        return self.url + path

    def _connection_error(self, exc: httpx.TransportError) -> RelayConnectionError:
        return RelayConnectionError(0, f"cannot reach the relay at {self.url}: {exc or type(exc).__name__}")

    if not TYPE_CHECKING:  # hidden from type checkers, so `client.get_agnet` stays an error there

        def __getattr__(self, name: str) -> Any:
            """Only reached for a missing attribute: name the nearest operation."""
            if name.startswith("_"):
                raise AttributeError(name)
            _operation(name)
            raise AttributeError(name)  # pragma: no cover - every operation is a method


def _register_fields(
    kind: str | None,
    label: str | None,
    tags: list[str] | None,
    capabilities: list[str] | None,
    meta: Mapping[str, Any] | None,
    status: str | None,
    ready: bool | None,
    instance_id: str | None,
    epoch: int | None,
    wire: Mapping[str, Any],
) -> dict[str, Any]:
    fields = {
        "kind": kind,
        "label": label,
        "tags": tags,
        "capabilities": capabilities,
        "meta": dict(meta) if meta is not None else None,
        "status": status,
        "ready": ready,
        "instanceId": instance_id,
        "epoch": epoch,
    }
    return {**fields, **{k: v for k, v in wire.items() if v is not None}}


def _send_body(
    to: str, body: str, sender: str | None, fields: Mapping[str, Any], wire: Mapping[str, Any]
) -> dict[str, Any]:
    return _drop_none({"from": sender, "to": to, "body": body, **fields, **wire})


def _heartbeat_body(
    status: str | None,
    ready: bool | None,
    instance_id: str | None,
    epoch: int | None,
    wire: Mapping[str, Any],
) -> dict[str, Any]:
    return _drop_none({"status": status, "ready": ready, "instanceId": instance_id, "epoch": epoch, **wire})


class RelayClient(_Base, Operations):
    """Synchronous client. `RelayClient()` reads AGENT_RELAY_URL / AGENT_RELAY_TOKEN."""

    def _call(self, operation: types.ModuleType, params: dict[str, Any]) -> Any:
        request = _prepare(operation, params)
        try:
            response = self.raw.get_httpx_client().request(**request)
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc
        return _answer(operation, self.raw, response)

    def call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """Call an operation by its id (the same typed method, looked up by name)."""
        _operation(operation)
        return getattr(self, operation)(*args, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """A route by path, for one the spec does not describe (every described route is a
        typed method): the decoded JSON answer, or a RelayError as for any call."""
        try:
            response = self.raw.get_httpx_client().request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc
        _check(response)
        return response.json() if response.content else None

    def close(self) -> None:
        self.raw.get_httpx_client().close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conveniences -------------------------------------------------------------
    def health(self) -> HealthOut:
        return self.get_health()

    def agents(
        self,
        *,
        status: ListAgentsStatusType0 | None = None,
        kind: ListAgentsKindType0 | None = None,
        label: str | None = None,
    ) -> list[AgentCard]:
        return self.list_agents(status=status, kind=kind, label=label)

    def register(
        self,
        agent_id: str,
        name: str | None = None,
        *,
        kind: AgentKind | None = None,
        label: str | None = None,
        tags: list[str] | None = None,
        capabilities: list[str] | None = None,
        meta: Mapping[str, Any] | None = None,
        status: AgentStatus | None = None,
        ready: bool | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[RegisterWire],
    ) -> AgentCard:
        """Register or update an agent (a newer `epoch` supersedes an older session)."""
        aliases = _wire_aliases(wire, RegisterWire, "register")
        fields = _register_fields(
            kind, label, tags, capabilities, meta, status, ready, instance_id, epoch, aliases
        )
        return self.register_agent(body=_register_body(agent_id, name, fields))

    def heartbeat(
        self,
        agent_id: str,
        *,
        status: AgentStatus | None = None,
        ready: bool | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[RegisterWire],
    ) -> HeartbeatOut:
        aliases = _wire_aliases(wire, RegisterWire, "heartbeat")
        return self.heartbeat_agent(
            agent_id, body=_heartbeat_body(status, ready, instance_id, epoch, aliases)
        )

    def send(
        self,
        to: str,
        body: str,
        *,
        sender: str | None = None,
        kind: MessageKind | None = None,
        subject: str | None = None,
        reply_to: int | None = None,
        claimable: bool | None = None,
        idempotency_key: str | None = None,
        channel: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[SendWire],
    ) -> MessageOut:
        """Send `body` to an agent id, `label:X`, `tag:X`, `cap:X` or `broadcast`. `sender`
        (`from`) defaults to the token's own agent with an agent token, else to `user`."""
        aliases = _wire_aliases(wire, SendWire, "send")
        fields = {
            "kind": kind,
            "subject": subject,
            "replyTo": reply_to,
            "claimable": claimable,
            "idempotencyKey": idempotency_key,
            "channel": channel,
            "meta": dict(meta) if meta is not None else None,
            "payload": dict(payload) if payload is not None else None,
            "instanceId": instance_id,
            "epoch": epoch,
        }
        return self.send_message(body=_send_body(to, body, self._sender(sender), fields, aliases))

    def inbox(
        self, agent_id: str, *, wait: float = 0, after: int = 0, unread: bool = False, limit: int = 100
    ) -> list[MessageOut]:
        """Oldest first; with `wait` (seconds, ≤ 60) the call long-polls for something new."""
        return self.list_inbox(agent_id, wait=wait, after=after, unread=unread, limit=limit)

    def claim(self, message_id: int, agent_id: str, lease_ms: int | None = None) -> MessageOut:
        return self.claim_message(message_id, body=_drop_none({"agentId": agent_id, "leaseMs": lease_ms}))

    def release(self, message_id: int, agent_id: str, delay_ms: int | None = None) -> MessageOut:
        """Give a claim back (hidden from every inbox for `delay_ms`, if given)."""
        return self.release_message(message_id, body=_drop_none({"agentId": agent_id, "delayMs": delay_ms}))

    def ack(self, message_id: int, agent_id: str) -> AckOut:
        return self.ack_message(message_id, body={"agentId": agent_id})

    def events(
        self,
        *,
        agent_id: str | None = None,
        last_event_id: int | None = None,
        reconnect: bool = True,
        reconnect_delay: float = 0.5,
        on_disconnect: Callable[[Exception | None], None] | None = None,
        on_connect: Callable[[], None] | None = None,
        wait: Callable[[float], bool] | None = None,
        http: httpx.Client | None = None,
    ) -> Iterator[_events.RelayEvent]:
        """Live events; reconnects on its own and resumes with Last-Event-ID (no gaps).
        `on_disconnect(error_or_None)` runs before each reconnect attempt, `on_connect()`
        after each (re)connect, before the first event; `wait(delay)` sleeps between
        attempts and ends the stream by returning True; `http` is another httpx client
        (with this one's headers) to read the stream on."""
        return _events.iter_events(
            http or self.raw.get_httpx_client(),
            agent_id=agent_id,
            last_event_id=last_event_id,
            reconnect=reconnect,
            reconnect_delay=reconnect_delay,
            url=self.url,
            on_disconnect=on_disconnect,
            on_connect=on_connect,
            wait=wait,
        )

    def stream_client(self) -> httpx.Client:
        """A separate httpx client with this client's base URL and headers, for a stream
        that another thread may close to stop it."""
        http = self.raw.get_httpx_client()
        return httpx.Client(base_url=self.url, headers=http.headers)


class AsyncRelayClient(_Base, AsyncOperations):
    """Asynchronous client; the same operations, awaited."""

    async def _call(self, operation: types.ModuleType, params: dict[str, Any]) -> Any:
        request = _prepare(operation, params)
        try:
            response = await self.raw.get_async_httpx_client().request(**request)
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc
        return _answer(operation, self.raw, response)

    async def call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        _operation(operation)
        return await getattr(self, operation)(*args, **kwargs)

    async def aclose(self) -> None:
        await self.raw.get_async_httpx_client().aclose()

    async def __aenter__(self) -> AsyncRelayClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def health(self) -> HealthOut:
        return await self.get_health()

    async def agents(
        self,
        *,
        status: ListAgentsStatusType0 | None = None,
        kind: ListAgentsKindType0 | None = None,
        label: str | None = None,
    ) -> list[AgentCard]:
        return await self.list_agents(status=status, kind=kind, label=label)

    async def register(
        self,
        agent_id: str,
        name: str | None = None,
        *,
        kind: AgentKind | None = None,
        label: str | None = None,
        tags: list[str] | None = None,
        capabilities: list[str] | None = None,
        meta: Mapping[str, Any] | None = None,
        status: AgentStatus | None = None,
        ready: bool | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[RegisterWire],
    ) -> AgentCard:
        aliases = _wire_aliases(wire, RegisterWire, "register")
        fields = _register_fields(
            kind, label, tags, capabilities, meta, status, ready, instance_id, epoch, aliases
        )
        return await self.register_agent(body=_register_body(agent_id, name, fields))

    async def heartbeat(
        self,
        agent_id: str,
        *,
        status: AgentStatus | None = None,
        ready: bool | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[RegisterWire],
    ) -> HeartbeatOut:
        aliases = _wire_aliases(wire, RegisterWire, "heartbeat")
        return await self.heartbeat_agent(
            agent_id, body=_heartbeat_body(status, ready, instance_id, epoch, aliases)
        )

    async def send(
        self,
        to: str,
        body: str,
        *,
        sender: str | None = None,
        kind: MessageKind | None = None,
        subject: str | None = None,
        reply_to: int | None = None,
        claimable: bool | None = None,
        idempotency_key: str | None = None,
        channel: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
        instance_id: str | None = None,
        epoch: int | None = None,
        **wire: Unpack[SendWire],
    ) -> MessageOut:
        aliases = _wire_aliases(wire, SendWire, "send")
        fields = {
            "kind": kind,
            "subject": subject,
            "replyTo": reply_to,
            "claimable": claimable,
            "idempotencyKey": idempotency_key,
            "channel": channel,
            "meta": dict(meta) if meta is not None else None,
            "payload": dict(payload) if payload is not None else None,
            "instanceId": instance_id,
            "epoch": epoch,
        }
        return await self.send_message(body=_send_body(to, body, self._sender(sender), fields, aliases))

    async def inbox(
        self, agent_id: str, *, wait: float = 0, after: int = 0, unread: bool = False, limit: int = 100
    ) -> list[MessageOut]:
        return await self.list_inbox(agent_id, wait=wait, after=after, unread=unread, limit=limit)

    async def claim(self, message_id: int, agent_id: str, lease_ms: int | None = None) -> MessageOut:
        body = _drop_none({"agentId": agent_id, "leaseMs": lease_ms})
        return await self.claim_message(message_id, body=body)

    async def release(self, message_id: int, agent_id: str, delay_ms: int | None = None) -> MessageOut:
        body = _drop_none({"agentId": agent_id, "delayMs": delay_ms})
        return await self.release_message(message_id, body=body)

    async def ack(self, message_id: int, agent_id: str) -> AckOut:
        return await self.ack_message(message_id, body={"agentId": agent_id})

    def events(
        self,
        *,
        agent_id: str | None = None,
        last_event_id: int | None = None,
        reconnect: bool = True,
        reconnect_delay: float = 0.5,
        on_disconnect: Callable[[Exception | None], None] | None = None,
    ) -> AsyncIterator[_events.RelayEvent]:
        return _events.aiter_events(
            self.raw.get_async_httpx_client(),
            agent_id=agent_id,
            last_event_id=last_event_id,
            reconnect=reconnect,
            reconnect_delay=reconnect_delay,
            url=self.url,
            on_disconnect=on_disconnect,
        )


__all__ = [
    "UNSET",
    "AgentKind",
    "AgentStatus",
    "AsyncRelayClient",
    "MessageKind",
    "RegisterWire",
    "RelayClient",
    "RelayError",
    "SendWire",
    "operations",
]
