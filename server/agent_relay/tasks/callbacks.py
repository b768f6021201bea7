"""Reliable callback delivery: a durable row per reported task change (written with the
change), leased by one worker at a time, POSTed with an HMAC-SHA256 signature, retried with
exponential backoff and jitter, and marked dead after the last attempt.

Why a lease: several server processes may run this worker on one PostgreSQL. Taking an
attempt is a conditional UPDATE that bumps the attempt counter (the lease token) and sets
`lease_expires_at`; only one process can take attempt n, and only it can finish it. A
process killed mid-attempt leaves a lease that runs out; the next worker takes attempt n+1.

A slow receiver delays only itself: each attempt has one deadline for the whole exchange
(`callback_timeout_ms`: connect, send, response head; httpx's own timeouts are per read, so
a receiver trickling bytes would never hit them), attempts run as independent tasks (a
free slot is refilled at once, nobody waits for the slowest of a batch), and at most
`callback_concurrency` are in flight. Each receiver (scheme, host, port) has a circuit,
kept in memory: one that answered its last attempt in time may use a quarter of the slots;
one not heard from yet, or whose last attempt timed out or could not connect ("held"),
has ONE attempt in flight. A held receiver is probed again only when its backoff (the
retry schedule, counted in its consecutive failures) has passed; its other due deliveries
are deferred in their rows to that time (durable, visible in /deliveries, shared with
other workers) instead of waiting in line for a slot, and probes start only after the
ordinary deliveries found in the same scan, at most half the slots together. So hanging
receivers cost one slot each for one timeout, then next to nothing, whatever their age.

Why not group by host: legitimate setups run several receivers on one host (every local
integration is 127.0.0.1:<port>), and a dead one must not hold the others back; host names
cost an attacker nothing (wildcard DNS), so a host share would not bound them either. The
bound on many receivers is that a receiver the relay has not heard from gets one slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import hmac
import logging
import random
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.exc import IntegrityError

from agent_relay import __version__, metrics
from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.clock import now_ms
from agent_relay.context import Relay
from agent_relay.db import UnitOfWork
from agent_relay.outbound import OutboundRefused, guarded_transport
from agent_relay.settings import Settings
from agent_relay.tasks import repository as repo

log = logging.getLogger("agent_relay.callbacks")

SIGNATURE_HEADER = "X-Agent-Relay-Signature"
DELIVERY_HEADER = "X-Agent-Relay-Delivery"
ATTEMPT_HEADER = "X-Agent-Relay-Attempt"
EVENT_HEADER = "X-Agent-Relay-Event"
LEASE_MARGIN_MS = 10_000
ORIGIN_SHARE = 4  # a receiver that answers in time may use 1/ORIGIN_SHARE of the slots (at least one)
PROBE_SHARE = 2  # probes of held receivers together use at most 1/PROBE_SHARE of the slots
MAX_CIRCUITS = 10_000  # receivers remembered (least recently heard from forgotten first)
SCAN_PAGES = 8  # due-row pages one dispatch looks through for a startable delivery


def receiver_of(url: str) -> tuple[str, str]:
    """(origin, prefix): the origin, normalised, names the receiver for fairness; the prefix
    is the URL's own spelling of it, which the database query can match on."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        port = None
    origin = f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"
    return origin, f"{parts.scheme}://{parts.netloc}/"


@dataclass(slots=True)
class Circuit:
    """What a receiver's last finished attempt said: `failures` consecutive timeouts or
    connection failures (0: it answered in time), and no probe before `held_until` (ms)."""

    failures: int = 0
    held_until: int = 0


@dataclass(slots=True)
class _Plan:
    start: list[tuple[int, tuple[str, str]]]  # (delivery id, receiver_of(url))
    deferred: dict[int, list[int]]  # until (ms) -> delivery ids
    waiting: bool  # due deliveries left for a later slot
    more: bool  # the scan stopped at SCAN_PAGES: rows may be left unseen


def sign(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=<hex HMAC-SHA256 of the exact body>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff_ms(attempt: int, settings: Settings) -> int:
    """Delay after failed attempt n: base * 2^(n-1), capped, with "equal jitter" (half fixed,
    half random) so receivers that come back are not hit by every relay at once."""
    delay = min(settings.callback_backoff_max_ms, settings.callback_backoff_base_ms * 2 ** (attempt - 1))
    return int(delay / 2 + random.uniform(0, delay / 2))


def _lease(uow: UnitOfWork, delivery_id: int, lease_ms: int, max_attempts: int) -> dict[str, Any] | None:
    row = repo.lease_delivery(uow.conn, delivery_id, uow.now, uow.now + lease_ms)
    if row is None:
        return None  # not due, delivered, or another worker holds it
    attempt = row["attempts"]
    if attempt > max_attempts:  # the last attempt's process died before finishing it
        _finish(uow, dict(row), attempt, None, "max attempts reached", 0, max_attempts, None)
        return None
    try:
        with uow.conn.begin_nested():
            repo.insert_attempt(uow.conn, delivery_id, attempt, uow.now)
    except IntegrityError:
        return None
    leased = dict(row)
    leased["traceparent"] = repo.task_traceparent(uow.conn, row["task_id"])  # §17: passed on
    return leased


def _defer(uow: UnitOfWork, deferred: dict[int, list[int]]) -> None:
    for until, delivery_ids in deferred.items():
        repo.defer_deliveries(uow.conn, delivery_ids, uow.now, until)


def _finish(
    uow: UnitOfWork,
    delivery: dict[str, Any],
    attempt: int,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    max_attempts: int,
    settings: Settings | None,
) -> str:
    if status_code is not None and 200 <= status_code < 300:
        outcome, values = "delivered", {"status": "delivered", "delivered_at": uow.now}
    elif attempt >= max_attempts or settings is None:
        outcome, values = "dead", {"status": "dead"}
    else:
        outcome, values = "retry", {"next_attempt_at": uow.now + backoff_ms(attempt, settings)}
    finished = repo.finish_attempt(
        uow.conn,
        delivery["id"],
        attempt,
        status_code=status_code,
        error=error,
        duration_ms=duration_ms,
        now=uow.now,
        delivery_values=values,
    )
    if finished and outcome == "dead":
        reason = error or f"HTTP {status_code}"
        entry = presenter.callback_delivery_dead(
            delivery["id"], delivery["task_id"], delivery["url"], reason, attempt
        )
        activity.record_for(uow, entry)
    return outcome if finished else "lost-lease"


class CallbackWorker:
    """Started by the app lifespan; wakes on task events, when an attempt ends, and when the
    next retry is due."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.settings = relay.settings
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._client: httpx.AsyncClient | None = None
        self._in_flight: dict[int, tuple[str, str]] = {}  # delivery id -> receiver_of(url)
        self._attempts: set[asyncio.Task[None]] = set()
        self._freed = asyncio.Event()
        self._circuits: dict[str, Circuit] = {}  # origin -> circuit; insertion order = LRU

    def limit(self, origin: str) -> int:
        """Attempts a receiver may have in flight: its share once it answered in time, one
        while it is unknown or held."""
        circuit = self._circuits.get(origin)
        return self.origin_limit if circuit is not None and not circuit.failures else 1

    def held(self, origin: str) -> Circuit | None:
        circuit = self._circuits.get(origin)
        return circuit if circuit is not None and circuit.failures else None

    def record(self, origin: str, answered: bool) -> None:
        """An attempt ended: an answer in time (any status) closes the circuit; a timeout or
        a failed connection holds it for the next step of the backoff schedule."""
        circuit = self._circuits.pop(origin, None) or Circuit()
        self._circuits[origin] = circuit  # most recently heard from last
        if len(self._circuits) > MAX_CIRCUITS:
            del self._circuits[next(iter(self._circuits))]
        now = now_ms()
        if answered:
            circuit.failures, circuit.held_until = 0, 0
        elif not (circuit.failures and now < circuit.held_until):  # not one started before the hold
            circuit.failures += 1
            circuit.held_until = now + backoff_ms(circuit.failures, self.settings)

    @property
    def origin_limit(self) -> int:
        return max(1, self.settings.callback_concurrency // ORIGIN_SHARE)

    def start(self) -> None:
        slots = self.settings.callback_concurrency
        # redirects are not followed (a 3xx is the receiver's answer): each hop would be a
        # new destination to check; the transport refuses inward addresses (outbound.py)
        limits = httpx.Limits(max_connections=slots, max_keepalive_connections=slots)
        self._client = httpx.AsyncClient(
            timeout=self.settings.callback_timeout_ms / 1000,
            follow_redirects=False,
            headers={"User-Agent": f"agent-relay/{__version__}"},
            transport=guarded_transport(self.settings.outbound_policy, limits=limits),
        )
        self._task = asyncio.create_task(self._run(), name="callback-worker")

    async def stop(self) -> None:
        self._stopping = True  # the loop also checks this: a cancel can be swallowed by a racing wakeup
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        hub = self.relay.hub
        sub = hub.subscribe(accept=lambda ev: ev.name in ("task.created", "task.updated"), maxsize=64)
        poll_ms = self.settings.callback_poll_interval_ms
        try:
            while not self._stopping:
                waiting = False
                try:
                    waiting = await self.dispatch()
                    next_due = await self.relay.db.read(repo.next_due_at)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("callback round failed")
                    next_due = None
                now = now_ms()
                if next_due is None or (waiting and next_due <= now):
                    wait_ms = poll_ms  # or until an attempt ends and frees a slot
                else:
                    wait_ms = max(0, min(poll_ms, next_due - now))
                await self._sleep(sub, wait_ms / 1000)
                sub.reset()
        finally:
            hub.unsubscribe(sub)
            # attempts cut off here keep their lease; it runs out and the next worker retries
            for attempt in list(self._attempts):
                attempt.cancel()
            await asyncio.gather(*self._attempts, return_exceptions=True)

    async def _sleep(self, sub: Any, timeout_s: float) -> None:
        if self._freed.is_set():
            return
        freed = asyncio.ensure_future(self._freed.wait())
        event = asyncio.ensure_future(sub.wait(timeout_s))
        try:
            await asyncio.wait({freed, event}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            freed.cancel()
            event.cancel()

    async def dispatch(self) -> bool:
        """Start attempts for due deliveries while slots are free. Returns True when due
        deliveries are left waiting for a slot (all slots, or their receiver's share, busy)."""
        self._freed.clear()
        while not self._stopping:
            free = self.settings.callback_concurrency - len(self._in_flight)
            if free <= 0:
                return True
            plan = await self._plan(free)
            if plan.deferred:
                await self.relay.db.write(functools.partial(_defer, deferred=plan.deferred))
            for delivery_id, receiver in plan.start:
                self._begin(delivery_id, receiver)
            if not (plan.more and (plan.start or plan.deferred)):
                return plan.waiting
        return False

    async def _plan(self, free: int) -> _Plan:
        """Look through due deliveries, oldest first, for up to `free` to start: deliveries of
        receivers that are not held first, then probes of held ones. A held receiver's other
        due deliveries are deferred to its next probe instead of being looked at again."""
        now, slots = now_ms(), self.settings.callback_concurrency
        busy = Counter(origin for origin, _ in self._in_flight.values())
        full = {p for origin, p in self._in_flight.values() if busy[origin] >= self.limit(origin)}
        probes_left = max(1, slots // PROBE_SHARE) - sum(n for o, n in busy.items() if self.held(o))
        probe_deadline = now + self.settings.callback_timeout_ms  # any probe in flight is over by then
        start: list[tuple[int, tuple[str, str]]] = []
        probes: list[tuple[int, tuple[str, str]]] = []
        deferred: dict[int, list[int]] = {}
        waiting, more, after, page = bool(full), False, None, max(4 * free, 32)
        for _ in range(SCAN_PAGES):
            query = functools.partial(
                repo.due_deliveries, now=now, limit=page, skip_prefixes=sorted(full), after=after
            )
            rows = await self.relay.db.read(query)
            for _due_at, delivery_id, url in rows:
                if delivery_id in self._in_flight:
                    continue
                receiver = receiver_of(url)
                origin = receiver[0]
                if (circuit := self.held(origin)) is not None:
                    if circuit.held_until <= now and not busy[origin] and probes_left > 0:
                        busy[origin] += 1
                        probes_left -= 1
                        probes.append((delivery_id, receiver))
                    else:
                        until = circuit.held_until if circuit.held_until > now else probe_deadline
                        deferred.setdefault(until, []).append(delivery_id)
                elif busy[origin] < self.limit(origin) and len(start) < free:
                    busy[origin] += 1
                    start.append((delivery_id, receiver))
                else:
                    waiting = True
            if len(rows) < page or len(start) >= free:
                break
            after = rows[-1][:2]
        else:
            more = waiting = True
        room = free - len(start)
        waiting = waiting or len(probes) > room
        return _Plan(start + probes[:room], deferred, waiting, more)

    def _begin(self, delivery_id: int, receiver: tuple[str, str]) -> None:
        self._in_flight[delivery_id] = receiver
        attempt = asyncio.create_task(self._attempt(delivery_id, receiver[0]), name=f"callback-{delivery_id}")
        self._attempts.add(attempt)

        def done(task: asyncio.Task[None]) -> None:
            self._attempts.discard(task)
            self._in_flight.pop(delivery_id, None)
            self._freed.set()
            if not task.cancelled() and task.exception() is not None:
                log.error("callback delivery %s failed", delivery_id, exc_info=task.exception())

        attempt.add_done_callback(done)

    async def _attempt(self, delivery_id: int, origin: str) -> None:
        settings = self.settings
        max_attempts = settings.callback_max_attempts
        lease_ms = settings.callback_timeout_ms + LEASE_MARGIN_MS
        delivery = await self.relay.db.write(lambda uow: _lease(uow, delivery_id, lease_ms, max_attempts))
        if delivery is None:
            return
        attempt = delivery["attempts"]
        body = delivery["body"].encode()
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: str(delivery["id"]),
            ATTEMPT_HEADER: str(attempt),
            EVENT_HEADER: delivery["event"],
        }
        if delivery.get("traceparent"):
            headers["traceparent"] = delivery["traceparent"]
        secret = settings.integration_secret_map.get(delivery["source"])
        if secret:
            headers[SIGNATURE_HEADER] = sign(secret, body)
        status_code: int | None = None
        error: str | None = None
        refused = False
        started = time.perf_counter()
        assert self._client is not None
        try:
            # one deadline for the whole exchange; the response body is never read
            async with (
                asyncio.timeout(settings.callback_timeout_ms / 1000),
                self._client.stream("POST", delivery["url"], content=body, headers=headers) as response,
            ):
                status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except (TimeoutError, httpx.TimeoutException):
            status_code, error = None, f"timeout after {settings.callback_timeout_ms} ms"
        except OutboundRefused as exc:  # no request was made; retrying would not change that
            error, refused = str(exc)[:1000], True
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        duration_ms = int((time.perf_counter() - started) * 1000)
        if error is not None:
            log.warning(
                "callback %s (task %s, %s) attempt %d/%d to %s failed: %s",
                delivery["id"],
                delivery["task_id"],
                delivery["event"],
                attempt,
                max_attempts,
                origin,
                error,
            )
            metrics.callback_failures.inc()
        if not refused:
            self.record(origin, answered=status_code is not None)
        retry_with = None if refused else settings  # no settings: this attempt is the last
        await self.relay.db.write(
            lambda uow: _finish(
                uow, delivery, attempt, status_code, error, duration_ms, max_attempts, retry_with
            )
        )
