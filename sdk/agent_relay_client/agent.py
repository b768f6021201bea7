"""RelayAgent: one running process of an agent.

`start()` registers with a fresh `instanceId` and a rising `epoch` (wall-clock ms), so a
restarted process supersedes the old one; every later call carries that session in the
`X-Agent-Instance-Id` / `X-Agent-Epoch` headers. A background thread (or task, for
AsyncRelayAgent) heartbeats. When the relay answers 409 "agent session superseded" the
agent stops: `superseded` turns true, `messages()` ends, heartbeats stop.

Work done once (contract §15): `messages()` reads unread messages only and acks each when
the loop body that got it finishes, so a restarted agent resumes where it left off and never
redoes acked work. A claimable message is acked only if this agent claimed it (the ack then
completes it). A body that raises (or breaks out) leaves the message unacked, and a claim
this agent holds on it is released for redelivery. `run(handler)` does the same with a
function, claiming claimable messages first."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, ParamSpec, TypeVar

from agent_relay_client._generated.models import AgentCard, MessageOut, PairOut, TaskOut
from agent_relay_client._generated.models.list_pairs_status_type_0 import ListPairsStatusType0
from agent_relay_client._generated.models.list_tasks_status_type_0 import ListTasksStatusType0
from agent_relay_client._generated.models.pair_action_in_action import PairActionInAction
from agent_relay_client._generated.models.task_status_in_status import TaskStatusInStatus
from agent_relay_client.client import AgentKind, AgentStatus, AsyncRelayClient, MessageKind, RelayClient
from agent_relay_client.errors import ConflictError, RelayConnectionError, RelayError, SessionSupersededError

log = logging.getLogger("agent_relay_client")

P = ParamSpec("P")
T = TypeVar("T")


class _AgentBase:
    def __init__(
        self,
        agent_id: str,
        name: str | None = None,
        *,
        url: str | None = None,
        token: str | None = None,
        heartbeat_interval: float = 30.0,
        epoch: int | None = None,
        kind: AgentKind | None = None,
        label: str | None = None,
        tags: list[str] | None = None,
        capabilities: list[str] | None = None,
        meta: Mapping[str, Any] | None = None,
        status: AgentStatus | None = None,
        ready: bool | None = None,
    ) -> None:
        """The card fields (kind, label, tags, capabilities, meta, status, ready) are sent
        with each registration. `epoch` defaults to the wall clock in ms, so each restart
        of the agent outranks the last."""
        self.id = agent_id
        self.name = name or agent_id
        self.kind: AgentKind | None = kind
        self.label = label
        self.tags = list(tags) if tags is not None else None
        self.capabilities = list(capabilities) if capabilities is not None else None
        self.meta = dict(meta) if meta is not None else None
        self.status: AgentStatus | None = status
        self.ready = ready
        self.heartbeat_interval = heartbeat_interval
        self.instance_id = uuid.uuid4().hex
        self.epoch = epoch if epoch is not None else time.time_ns() // 1_000_000
        self.superseded = False
        self._url = url
        self._token = token
        self._cursor = 0
        self._claimed: set[int] = set()  # claims this process holds
        self._acked: set[int] = set()
        self._failed: set[int] = set()  # a handler raised: not retried by this process
        self._looping = 0  # messages() loops running: stop() inside one finishes at its end
        self._said_goodbye = False
        self._open()

    def _open(self) -> None:
        """Make the client (with this session's headers) and the stop signal."""
        raise NotImplementedError

    @property
    def card_fields(self) -> dict[str, Any]:
        """The registration fields given, in wire names."""
        card = {
            "kind": self.kind,
            "label": self.label,
            "tags": self.tags,
            "capabilities": self.capabilities,
            "meta": self.meta,
            "status": self.status,
            "ready": self.ready,
        }
        return {k: v for k, v in card.items() if v is not None}

    @property
    def session_headers(self) -> dict[str, str]:
        return {"X-Agent-Instance-Id": self.instance_id, "X-Agent-Epoch": str(self.epoch)}

    def _mark_superseded(self) -> None:
        if not self.superseded:
            log.warning("agent %s: session superseded by a newer instance; stopping", self.id)
        self.superseded = True

    def addresses(self) -> set[str]:
        """Every `to` value that reaches this agent: its id, broadcast, its label, tags and
        capabilities (as registered by this process)."""
        out = {self.id, "broadcast"}
        if self.label:
            out.add(f"label:{self.label}")
        out.update(f"tag:{t}" for t in self.tags or ())
        out.update(f"cap:{c}" for c in self.capabilities or ())
        return out

    def _mine(self, tasks: list[TaskOut]) -> list[TaskOut]:
        addresses = self.addresses()
        return [t for t in tasks if isinstance(t.target, str) and t.target in addresses]

    @staticmethod
    def _id(item: TaskOut | PairOut | MessageOut | int) -> int:
        return item if isinstance(item, int) else item.id

    def _advance(self, items: list[MessageOut]) -> None:
        for message in items:
            self._cursor = max(self._cursor, message.id)

    def _redelivered(self, items: list[MessageOut]) -> list[MessageOut]:
        """Unread messages behind the cursor: claims given back (by another agent, or a lease
        that lapsed) are visible again. Not the ones this process failed on."""
        return [m for m in items if m.id <= self._cursor and m.id not in self._failed | self._acked]

    def _should_ack(self, message: MessageOut) -> bool:
        """After a body finished: ack, unless done already or a claimable one it did not claim."""
        if message.id in self._acked:
            return False
        return not message.claimable or message.id in self._claimed

    def _should_give_back(self, message: MessageOut) -> bool:
        return message.id in self._claimed and message.id not in self._acked

    def _claim_body(self, lease_ms: int | None) -> dict[str, Any]:
        return {"agentId": self.id, **({"leaseMs": lease_ms} if lease_ms else {})}

    def _status_body(self, status: TaskStatusInStatus, note: str | None) -> dict[str, Any]:
        return {"status": status, "agentId": self.id, **({"note": note} if note else {})}

    def _invite_body(self, to: str, topic: str | None, ttl_ms: int | None) -> dict[str, Any]:
        return {
            "from": self.id,
            "to": to,
            **({"topic": topic} if topic else {}),
            **({"ttlMs": ttl_ms} if ttl_ms else {}),
        }


class RelayAgent(_AgentBase):
    """Synchronous agent helper. Use as a context manager or call start()/stop()."""

    client: RelayClient

    def _open(self) -> None:
        self.client = RelayClient(self._url, self._token, headers=self.session_headers)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return not self._stop.is_set() and not self.superseded

    def start(self) -> AgentCard:
        card = self._guarded(
            self.client.register,
            self.id,
            self.name,
            **self.card_fields,
            instance_id=self.instance_id,
            epoch=self.epoch,
        )
        self._thread = threading.Thread(target=self._beat, name=f"relay-heartbeat-{self.id}", daemon=True)
        self._thread.start()
        return card

    def stop(self) -> None:
        """Stop and go offline. Called inside a `messages()` loop body, the message in hand
        is still acked when the body returns: the connection closes when the loop ends."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if not self._said_goodbye:
            self._said_goodbye = True
            if not self.superseded:
                with contextlib.suppress(RelayError):
                    self.client.heartbeat(self.id, status="offline")
        if not self._looping:
            self.client.close()

    def __enter__(self) -> RelayAgent:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _guarded(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
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

    def heartbeat(self, *, status: AgentStatus | None = None, ready: bool | None = None) -> None:
        self._guarded(self.client.heartbeat, self.id, status=status, ready=ready)

    def messages(self, wait: float = 25.0, *, after: int | None = None) -> Iterator[MessageOut]:
        """Yield unread inbox messages as they arrive (long-poll), oldest first, until stopped
        or superseded; each is acked when the loop body finishes (see the module doc). Starts
        after `after` (default: every unread message, so a restart resumes where it left off)."""
        self._looping += 1
        try:
            if after is not None:
                self._cursor = after
            while self.running:
                try:
                    items = self._guarded(
                        self.client.inbox, self.id, wait=wait, after=self._cursor, unread=True
                    )
                    if not items and self._cursor:  # idle: anything given back behind the cursor?
                        items = self._redelivered(self._guarded(self.client.inbox, self.id, unread=True))
                except SessionSupersededError:
                    return
                except RelayConnectionError as exc:
                    log.warning("agent %s: inbox poll failed: %s", self.id, exc)
                    self._stop.wait(1.0)
                    continue
                for message in items:
                    self._advance([message])
                    try:
                        yield message
                    except GeneratorExit:  # the body raised or broke out: not done
                        self._not_done(message)
                        raise
                    self._done(message)
                    if not self.running:
                        return
        finally:
            self._looping -= 1
            if self._said_goodbye and not self._looping:  # stop() was called inside the loop
                with contextlib.suppress(Exception):  # may run at interpreter exit
                    self.client.close()

    def run(self, handler: Callable[[MessageOut], Any], wait: float = 25.0) -> None:
        """Handle every unread message until stopped: claimable ones are claimed first (and
        skipped when another agent wins), each is acked after `handler` returns; when it
        raises, the message stays unacked and its claim is released for redelivery."""
        for message in self.messages(wait):
            if message.claimable and message.id not in self._claimed and self.claim(message) is None:
                continue
            try:
                handler(message)
            except Exception:
                log.exception("agent %s: handler failed on message %s", self.id, message.id)
                self._not_done(message)

    def _done(self, message: MessageOut) -> None:
        if self._should_ack(message):
            try:
                self.ack(message)
            except (RelayConnectionError, SessionSupersededError):
                raise
            except RelayError as exc:  # deleted meanwhile, say
                log.warning("agent %s: ack of message %s failed: %s", self.id, message.id, exc)

    def _not_done(self, message: MessageOut) -> None:
        self._failed.add(message.id)
        if self._should_give_back(message):
            with contextlib.suppress(RelayError):
                self.release(message)

    def send(
        self,
        to: str,
        body: str,
        *,
        kind: MessageKind | None = None,
        subject: str | None = None,
        reply_to: int | None = None,
        claimable: bool | None = None,
        idempotency_key: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MessageOut:
        return self._guarded(
            self.client.send,
            to,
            body,
            sender=self.id,
            kind=kind,
            subject=subject,
            reply_to=reply_to,
            claimable=claimable,
            idempotency_key=idempotency_key,
            meta=meta,
            payload=payload,
        )

    def reply(
        self,
        message: MessageOut,
        body: str,
        *,
        kind: MessageKind | None = None,
        subject: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MessageOut:
        return self.send(
            message.from_, body, reply_to=message.id, kind=kind, subject=subject, meta=meta, payload=payload
        )

    def claim(self, message: MessageOut | int, lease_ms: int | None = None) -> MessageOut | None:
        """The claimed message, or None when another agent holds it (or it is completed or
        dead-lettered)."""
        try:
            claimed = self._guarded(self.client.claim, self._id(message), self.id, lease_ms)
        except SessionSupersededError:
            raise
        except ConflictError:
            return None
        self._claimed.add(claimed.id)
        return claimed

    def release(self, message: MessageOut | int, delay_ms: int | None = None) -> MessageOut:
        """Give the claim back (hidden from every inbox for `delay_ms`, if given)."""
        released = self._guarded(self.client.release, self._id(message), self.id, delay_ms)
        self._claimed.discard(released.id)
        return released

    def ack(self, message: MessageOut | int) -> None:
        """Read receipt; from the holder of the claim it completes the message."""
        message_id = self._id(message)
        self._guarded(self.client.ack, message_id, self.id)
        self._acked.add(message_id)
        self._claimed.discard(message_id)

    # -- tasks (from integrations) -------------------------------------------------
    def tasks(self, status: ListTasksStatusType0 = "open") -> list[TaskOut]:
        """Tasks in `status` (default: open, i.e. claimable) addressed to this agent or one
        of its groups, newest first."""
        return self._mine(self._guarded(self.client.list_tasks, status=status, limit=1000))

    def claim_task(self, task: TaskOut | int, lease_ms: int | None = None) -> TaskOut | None:
        """The claimed task, or None when another agent holds it (or it is no longer open)."""
        try:
            return self._guarded(self.client.claim_task, self._id(task), body=self._claim_body(lease_ms))
        except SessionSupersededError:
            raise
        except ConflictError:
            return None

    def update_task(
        self, task: TaskOut | int, status: TaskStatusInStatus, note: str | None = None
    ) -> TaskOut:
        """Move a task on: in_progress, blocked, done, failed, canceled."""
        body = self._status_body(status, note)
        return self._guarded(self.client.set_task_status, self._id(task), body=body)

    # -- pairs -----------------------------------------------------------------------
    def invite(self, to: str, topic: str | None = None, ttl_ms: int | None = None) -> PairOut:
        """Invite another agent to pair up (pending until it accepts)."""
        return self._guarded(self.client.create_pair, body=self._invite_body(to, topic, ttl_ms))

    def pairs(self, status: ListPairsStatusType0 | None = None) -> list[PairOut]:
        return self._guarded(self.client.list_pairs, agent_id=self.id, status=status)

    def pair_action(self, pair: PairOut | int, action: PairActionInAction) -> PairOut:
        """accept / reject (the invitee) or end (either member)."""
        body = {"action": action, "agentId": self.id}
        return self._guarded(self.client.act_on_pair, self._id(pair), body=body)

    def pair_message(self, pair: PairOut | int, body: str) -> MessageOut:
        message = {"from": self.id, "body": body}
        return self._guarded(self.client.send_pair_message, self._id(pair), body=message)


class AsyncRelayAgent(_AgentBase):
    """The same helper for asyncio code; heartbeats run in a task."""

    client: AsyncRelayClient

    def _open(self) -> None:
        self.client = AsyncRelayClient(self._url, self._token, headers=self.session_headers)
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return not self._stopped.is_set() and not self.superseded

    async def start(self) -> AgentCard:
        card = await self._guarded(
            self.client.register(
                self.id, self.name, **self.card_fields, instance_id=self.instance_id, epoch=self.epoch
            )
        )
        self._task = asyncio.create_task(self._beat(), name=f"relay-heartbeat-{self.id}")
        return card

    async def stop(self) -> None:
        """As RelayAgent.stop."""
        self._stopped.set()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if not self._said_goodbye:
            self._said_goodbye = True
            if not self.superseded:
                with contextlib.suppress(RelayError):
                    await self.client.heartbeat(self.id, status="offline")
        if not self._looping:
            await self.client.aclose()

    async def __aenter__(self) -> AsyncRelayAgent:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _guarded(self, awaitable: Awaitable[T]) -> T:
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

    async def heartbeat(self, *, status: AgentStatus | None = None, ready: bool | None = None) -> None:
        await self._guarded(self.client.heartbeat(self.id, status=status, ready=ready))

    async def messages(self, wait: float = 25.0, *, after: int | None = None) -> AsyncIterator[MessageOut]:
        """As RelayAgent.messages. An async generator is not closed at once when the body
        raises: use `run(handler)` for a prompt release of a failed claim."""
        self._looping += 1
        try:
            if after is not None:
                self._cursor = after
            while self.running:
                try:
                    items = await self._guarded(
                        self.client.inbox(self.id, wait=wait, after=self._cursor, unread=True)
                    )
                    if not items and self._cursor:
                        items = self._redelivered(
                            await self._guarded(self.client.inbox(self.id, unread=True))
                        )
                except SessionSupersededError:
                    return
                except RelayConnectionError as exc:
                    log.warning("agent %s: inbox poll failed: %s", self.id, exc)
                    await asyncio.sleep(1.0)
                    continue
                for message in items:
                    self._advance([message])
                    yield message
                    await self._done(message)
                    if not self.running:
                        return
        finally:
            self._looping -= 1
            if self._said_goodbye and not self._looping:
                with contextlib.suppress(Exception):
                    await self.client.aclose()

    async def run(self, handler: Callable[[MessageOut], Awaitable[Any]], wait: float = 25.0) -> None:
        """As RelayAgent.run, with an async handler."""
        async for message in self.messages(wait):
            if message.claimable and message.id not in self._claimed and await self.claim(message) is None:
                continue
            try:
                await handler(message)
            except Exception:
                log.exception("agent %s: handler failed on message %s", self.id, message.id)
                await self._not_done(message)

    async def _done(self, message: MessageOut) -> None:
        if self._should_ack(message):
            try:
                await self.ack(message)
            except (RelayConnectionError, SessionSupersededError):
                raise
            except RelayError as exc:
                log.warning("agent %s: ack of message %s failed: %s", self.id, message.id, exc)

    async def _not_done(self, message: MessageOut) -> None:
        self._failed.add(message.id)
        if self._should_give_back(message):
            with contextlib.suppress(RelayError):
                await self.release(message)

    async def send(
        self,
        to: str,
        body: str,
        *,
        kind: MessageKind | None = None,
        subject: str | None = None,
        reply_to: int | None = None,
        claimable: bool | None = None,
        idempotency_key: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MessageOut:
        return await self._guarded(
            self.client.send(
                to,
                body,
                sender=self.id,
                kind=kind,
                subject=subject,
                reply_to=reply_to,
                claimable=claimable,
                idempotency_key=idempotency_key,
                meta=meta,
                payload=payload,
            )
        )

    async def reply(
        self,
        message: MessageOut,
        body: str,
        *,
        kind: MessageKind | None = None,
        subject: str | None = None,
        meta: Mapping[str, Any] | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MessageOut:
        return await self.send(
            message.from_, body, reply_to=message.id, kind=kind, subject=subject, meta=meta, payload=payload
        )

    async def claim(self, message: MessageOut | int, lease_ms: int | None = None) -> MessageOut | None:
        try:
            claimed = await self._guarded(self.client.claim(self._id(message), self.id, lease_ms))
        except SessionSupersededError:
            raise
        except ConflictError:
            return None
        self._claimed.add(claimed.id)
        return claimed

    async def release(self, message: MessageOut | int, delay_ms: int | None = None) -> MessageOut:
        released = await self._guarded(self.client.release(self._id(message), self.id, delay_ms))
        self._claimed.discard(released.id)
        return released

    async def ack(self, message: MessageOut | int) -> None:
        message_id = self._id(message)
        await self._guarded(self.client.ack(message_id, self.id))
        self._acked.add(message_id)
        self._claimed.discard(message_id)

    # -- tasks (from integrations) -------------------------------------------------
    async def tasks(self, status: ListTasksStatusType0 = "open") -> list[TaskOut]:
        """Tasks in `status` (default: open) addressed to this agent or one of its groups."""
        return self._mine(await self._guarded(self.client.list_tasks(status=status, limit=1000)))

    async def claim_task(self, task: TaskOut | int, lease_ms: int | None = None) -> TaskOut | None:
        try:
            return await self._guarded(
                self.client.claim_task(self._id(task), body=self._claim_body(lease_ms))
            )
        except SessionSupersededError:
            raise
        except ConflictError:
            return None

    async def update_task(
        self, task: TaskOut | int, status: TaskStatusInStatus, note: str | None = None
    ) -> TaskOut:
        body = self._status_body(status, note)
        return await self._guarded(self.client.set_task_status(self._id(task), body=body))

    # -- pairs -----------------------------------------------------------------------
    async def invite(self, to: str, topic: str | None = None, ttl_ms: int | None = None) -> PairOut:
        return await self._guarded(self.client.create_pair(body=self._invite_body(to, topic, ttl_ms)))

    async def pairs(self, status: ListPairsStatusType0 | None = None) -> list[PairOut]:
        return await self._guarded(self.client.list_pairs(agent_id=self.id, status=status))

    async def pair_action(self, pair: PairOut | int, action: PairActionInAction) -> PairOut:
        body = {"action": action, "agentId": self.id}
        return await self._guarded(self.client.act_on_pair(self._id(pair), body=body))

    async def pair_message(self, pair: PairOut | int, body: str) -> MessageOut:
        message = {"from": self.id, "body": body}
        return await self._guarded(self.client.send_pair_message(self._id(pair), body=message))
