"""RelayAgent: one running process of an agent.

`start()` registers with a fresh `instanceId` and a rising `epoch` (wall-clock ms), so a
restarted process supersedes the old one; every later call carries that session in the
`X-Agent-Instance-Id` / `X-Agent-Epoch` headers. A background thread (or task, for
AsyncRelayAgent) heartbeats. When the relay answers 409 "agent session superseded" the
agent stops: `superseded` turns true, `messages()` ends, heartbeats stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from agent_relay_client._generated.models import AgentCard, MessageOut
from agent_relay_client.client import AsyncRelayClient, RelayClient
from agent_relay_client.errors import ConflictError, RelayConnectionError, RelayError, SessionSupersededError

log = logging.getLogger("agent_relay_client")


class _AgentBase:
    def __init__(
        self,
        agent_id: str,
        name: str | None = None,
        *,
        url: str | None = None,
        token: str | None = None,
        heartbeat_interval: float = 30.0,
        **card: Any,
    ) -> None:
        """`card` holds extra registration fields in wire names: kind, label, tags,
        capabilities, meta, status, ready."""
        self.id = agent_id
        self.name = name or agent_id
        self.card_fields = card
        self.heartbeat_interval = heartbeat_interval
        self.instance_id = uuid.uuid4().hex
        self.epoch = time.time_ns() // 1_000_000
        self.superseded = False
        self._url = url
        self._token = token
        self._cursor = 0

    @property
    def session_headers(self) -> dict[str, str]:
        return {"X-Agent-Instance-Id": self.instance_id, "X-Agent-Epoch": str(self.epoch)}

    def _registration(self) -> dict[str, Any]:
        return {**self.card_fields, "instanceId": self.instance_id, "epoch": self.epoch}

    def _mark_superseded(self) -> None:
        if not self.superseded:
            log.warning("agent %s: session superseded by a newer instance; stopping", self.id)
        self.superseded = True

    def _advance(self, items: list[MessageOut]) -> None:
        for message in items:
            self._cursor = max(self._cursor, message.id)


class RelayAgent(_AgentBase):
    """Synchronous agent helper. Use as a context manager or call start()/stop()."""

    def __init__(self, agent_id: str, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(agent_id, name, **kwargs)
        self.client = RelayClient(self._url, self._token, headers=self.session_headers)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return not self._stop.is_set() and not self.superseded

    def start(self) -> AgentCard:
        card = self._guarded(self.client.register, self.id, self.name, **self._registration())
        self._thread = threading.Thread(target=self._beat, name=f"relay-heartbeat-{self.id}", daemon=True)
        self._thread.start()
        return card

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if not self.superseded:
            with contextlib.suppress(RelayError):
                self.client.heartbeat(self.id, status="offline")
        self.client.close()

    def __enter__(self) -> RelayAgent:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _guarded(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SessionSupersededError:
            self._mark_superseded()
            self._stop.set()
            raise

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_interval):
            try:
                self._guarded(self.client.heartbeat, self.id)
            except SessionSupersededError:
                return
            except RelayError as exc:
                log.warning("agent %s: heartbeat failed: %s", self.id, exc)

    def heartbeat(self, **fields: Any) -> None:
        self._guarded(self.client.heartbeat, self.id, **fields)

    def messages(self, wait: float = 25.0, *, after: int | None = None) -> Iterator[MessageOut]:
        """Yield inbox messages as they arrive (long-poll), oldest first, until stopped
        or superseded. Starts after `after` (default: everything not yet seen)."""
        if after is not None:
            self._cursor = after
        while self.running:
            try:
                items = self._guarded(self.client.inbox, self.id, wait=wait, after=self._cursor)
            except SessionSupersededError:
                return
            except RelayConnectionError as exc:
                log.warning("agent %s: inbox poll failed: %s", self.id, exc)
                self._stop.wait(1.0)
                continue
            for message in items:
                self._advance([message])
                yield message
                if not self.running:
                    return

    def send(self, to: str, body: str, **extra: Any) -> MessageOut:
        return self._guarded(self.client.send, to, body, sender=self.id, **extra)

    def reply(self, message: MessageOut, body: str, **extra: Any) -> MessageOut:
        return self.send(message.from_, body, replyTo=message.id, **extra)

    def claim(self, message: MessageOut | int, lease_ms: int | None = None) -> MessageOut | None:
        """The claimed message, or None when another agent holds it."""
        message_id = message if isinstance(message, int) else message.id
        try:
            return self._guarded(self.client.claim, message_id, self.id, lease_ms)
        except SessionSupersededError:
            raise
        except ConflictError:
            return None

    def release(self, message: MessageOut | int) -> MessageOut:
        message_id = message if isinstance(message, int) else message.id
        return self._guarded(self.client.release, message_id, self.id)

    def ack(self, message: MessageOut | int) -> None:
        message_id = message if isinstance(message, int) else message.id
        self._guarded(self.client.ack, message_id, self.id)


class AsyncRelayAgent(_AgentBase):
    """The same helper for asyncio code; heartbeats run in a task."""

    def __init__(self, agent_id: str, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(agent_id, name, **kwargs)
        self.client = AsyncRelayClient(self._url, self._token, headers=self.session_headers)
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return not self._stopped.is_set() and not self.superseded

    async def start(self) -> AgentCard:
        card = await self._guarded(self.client.register(self.id, self.name, **self._registration()))
        self._task = asyncio.create_task(self._beat(), name=f"relay-heartbeat-{self.id}")
        return card

    async def stop(self) -> None:
        self._stopped.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if not self.superseded:
            with contextlib.suppress(RelayError):
                await self.client.heartbeat(self.id, status="offline")
        await self.client.aclose()

    async def __aenter__(self) -> AsyncRelayAgent:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _guarded(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except SessionSupersededError:
            self._mark_superseded()
            self._stopped.set()
            raise

    async def _beat(self) -> None:
        while not self._stopped.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self.heartbeat_interval)
                return
            try:
                await self._guarded(self.client.heartbeat(self.id))
            except SessionSupersededError:
                return
            except RelayError as exc:
                log.warning("agent %s: heartbeat failed: %s", self.id, exc)

    async def messages(self, wait: float = 25.0, *, after: int | None = None) -> AsyncIterator[MessageOut]:
        if after is not None:
            self._cursor = after
        while self.running:
            try:
                items = await self._guarded(self.client.inbox(self.id, wait=wait, after=self._cursor))
            except SessionSupersededError:
                return
            except RelayConnectionError as exc:
                log.warning("agent %s: inbox poll failed: %s", self.id, exc)
                await asyncio.sleep(1.0)
                continue
            for message in items:
                self._advance([message])
                yield message
                if not self.running:
                    return

    async def send(self, to: str, body: str, **extra: Any) -> MessageOut:
        return await self._guarded(self.client.send(to, body, sender=self.id, **extra))

    async def reply(self, message: MessageOut, body: str, **extra: Any) -> MessageOut:
        return await self.send(message.from_, body, replyTo=message.id, **extra)

    async def claim(self, message: MessageOut | int, lease_ms: int | None = None) -> MessageOut | None:
        message_id = message if isinstance(message, int) else message.id
        try:
            return await self._guarded(self.client.claim(message_id, self.id, lease_ms))
        except SessionSupersededError:
            raise
        except ConflictError:
            return None

    async def release(self, message: MessageOut | int) -> MessageOut:
        message_id = message if isinstance(message, int) else message.id
        return await self._guarded(self.client.release(message_id, self.id))

    async def ack(self, message: MessageOut | int) -> None:
        message_id = message if isinstance(message, int) else message.id
        await self._guarded(self.client.ack(message_id, self.id))
