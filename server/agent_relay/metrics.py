"""Prometheus metrics (contract §17): what every process counts, and how a scrape reads them.

Counters and histograms are updated where things happen (the request middleware, a send's
commit, a connector restart). Per-process levels (SSE subscribers, the writer's queue, open
connections, waiting long-polls) are *sampled*: each process sets its gauges once a second
and right before it answers a scrape, so nothing on a request's path keeps them. Levels that
live in the database (outstanding claims, dead letters, the callback backlog, stuck work)
are read at scrape time by the scraping process (system/metrics.py): they are right whatever
process wrote them.

Several worker processes (`agent-relay serve --workers N`, PostgreSQL): prometheus-client's
multiprocess mode. `agent-relay serve` points PROMETHEUS_MULTIPROC_DIR at an empty directory
before the workers start (this module must be imported after that: the value class is chosen
at import); each worker writes its values to files there and a scrape, in whichever worker
it lands, merges them all. Gauges say how processes combine (`livesum`: the relay's total
over the live workers); the files of a worker that died are marked dead at the next scrape.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

from prometheus_client import (  # noqa: E402 - after MULTIPROC_ENV: documents the order above
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

disable_created_metrics()  # no `*_created` series: a relay's counters start with its process
_STARTED_AT = time.time()  # this module is imported as the process starts serving
PREFIX = "agent_relay_"
SAMPLE_INTERVAL_S = 1.0  # multi-process: how often each worker writes its levels
UNMATCHED_ROUTE = "(unmatched)"  # requests no route matched (404s, refused before routing)
# Request latencies: a send takes ~1 ms, an inbox read a few, a long-poll up to its `wait`.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

http_requests = Counter(
    PREFIX + "http_requests_total",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
http_duration = Histogram(
    PREFIX + "http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route template "
    "(SSE streams are not timed)",
    ["method", "route"],
    buckets=DURATION_BUCKETS,
)
messages_sent = Counter(
    PREFIX + "messages_sent_total", "Messages stored (idempotent repeats not counted)", ["kind"]
)
connector_restarts = Counter(
    PREFIX + "connector_restarts_total",
    "Supervised connector processes restarted after they exited",
    ["connector"],
)
callback_failures = Counter(
    PREFIX + "callback_failures_total", "Task callback attempts that failed (no answer or not 2xx)"
)
writer_failures = Counter(PREFIX + "writer_job_failures_total", "Write jobs that failed in the writer")

# Sampled per process; `livesum`: summed over the live workers.
sse_subscribers = Gauge(PREFIX + "sse_subscribers", "Open SSE streams", multiprocess_mode="livesum")
long_polls = Gauge(
    PREFIX + "long_polls_waiting", "Inbox requests waiting (wait=) for a message", multiprocess_mode="livesum"
)
open_connections = Gauge(PREFIX + "open_connections", "Open HTTP connections", multiprocess_mode="livesum")
writer_queue = Gauge(
    PREFIX + "writer_queue_depth",
    "Write jobs waiting for the writer (queued or in the batch in hand)",
    multiprocess_mode="livesum",
)
writer_stalled = Gauge(
    PREFIX + "writer_stalled",
    "1 while some process's writer has had writes waiting longer than AGENT_RELAY_WRITER_STALL_MS "
    "(what makes /api/health 503)",
    multiprocess_mode="livemax",
)
writer_oldest_wait = Gauge(
    PREFIX + "writer_oldest_wait_seconds",
    "How long the oldest write still waiting has waited (0 when none waits), worst process",
    multiprocess_mode="livemax",
)
connectors_running = Gauge(
    PREFIX + "connectors_running", "Supervised connector processes running", multiprocess_mode="livesum"
)
build_info = Gauge(
    PREFIX + "build_info",
    "Always 1; the labels tell the relay's version and database",
    ["version", "database"],
    multiprocess_mode="livemax",
)
start_time = Gauge(
    PREFIX + "start_time_seconds",
    "When the oldest live relay process started (Unix time)",
    multiprocess_mode="livemin",
)

# Samplers of this process's levels, registered by their owners (the app's lifespan): each
# sets its gauges from the state it reads.
_samplers: dict[str, Callable[[], None]] = {}


def add_sampler(name: str, fn: Callable[[], None]) -> None:
    _samplers[name] = fn


def remove_sampler(name: str) -> None:
    _samplers.pop(name, None)


def sample() -> None:
    """Set this process's sampled gauges from their sources."""
    for fn in list(_samplers.values()):
        fn()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def mark_dead_workers(path: str) -> None:
    """Drop the live gauges of worker processes that are gone (a crash, a restart): a
    `live*` gauge must not keep a dead worker's level."""
    pids: set[int] = set()
    with contextlib.suppress(OSError):
        for name in os.listdir(path):
            if name.startswith("gauge_live") and name.endswith(".db"):
                with contextlib.suppress(ValueError):
                    pids.add(int(name.rsplit("_", 1)[1][:-3]))
    for pid in pids:
        if not _alive(pid):
            multiprocess.mark_process_dead(pid, path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_this_process_dead() -> None:
    path = multiprocess_dir()
    if path:
        with contextlib.suppress(OSError):
            multiprocess.mark_process_dead(os.getpid(), path)


def gauge_family(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, documentation, value=value)


class _Families:
    """A collector that yields families computed beforehand (the database's levels)."""

    def __init__(self, families: Iterable[Any]) -> None:
        self.families = list(families)

    def collect(self) -> Iterable[Any]:
        return self.families


def render(extra: Iterable[Any] = ()) -> bytes:
    """The Prometheus text exposition: this process's (or every worker's) metrics, plus
    `extra` families (computed at scrape time)."""
    sample()
    path = multiprocess_dir()
    if path:
        mark_dead_workers(path)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path)
        registry.register(_Families(extra))  # type: ignore[arg-type]
        return generate_latest(registry)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Default())  # type: ignore[arg-type]
    registry.register(_Families(extra))  # type: ignore[arg-type]
    return generate_latest(registry)


class _Default:
    """The default registry (this process's metrics, process and GC collectors) as one collector."""

    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()


CONTENT_TYPE = CONTENT_TYPE_LATEST


def set_build_info(version: str, database: str) -> None:
    build_info.labels(version=version, database=database).set(1)
    start_time.set(_STARTED_AT)
