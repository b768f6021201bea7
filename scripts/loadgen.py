"""A cheap load generator for `make bench`: raw asyncio HTTP/1.1 over keep-alive sockets.

Why not httpx/aiohttp: on a 2-core machine the client competes with the server for CPU,
and a full client library costs more per request than a small FastAPI endpoint. Here a
request is a few bytes formatted into a template, and a response is parsed by finding the
blank line, the status code and Content-Length (chunked only for the SSE stream). The
client reports its own CPU time so the bench can show it stayed cheap.

Run as a subprocess by scripts/bench.py; prints one JSON object on stdout:

    loadgen.py http --port P --workload send|send-unicast|bare|inbox --concurrency 32 --duration 10
    loadgen.py sse --port P --subscribers 100 --tag T       (stop: a JSON line on stdin)
    loadgen.py sse ... --filter agent   (subscriber i: ?agentId=agent-<i % --agents>; --filter idle:
                                         ?agentId=idle-<i>, an agent no message names)
    loadgen.py publish --port P --rate 200 --duration 10 --tag T    (to agent-<seq % --agents>)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time

try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - the venv has orjson
    loads = json.loads

_BODY = (
    "Build finished on ci-runner-7: 412 tests passed, 3 skipped. Please review the diff "
    "in server/agent_relay/messages and reply with any concerns before the merge window."
)


def _cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _post(path: str, body: bytes) -> bytes:
    return (
        b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (path.encode(), len(body), body)
    )


class SendWorkload:
    """Realistic sends: 1000 senders, mostly direct, some label:/tag:/broadcast, 1 in 4
    with a fresh idempotencyKey (a repeat key would take the cheaper 200 path). Without
    `broadcast` (workload send-unicast) the broadcast share goes to single agents: no send
    concerns a subscriber of an agent outside the 1000 (the idle-subscribers scenario)."""

    def __init__(self, path: str, agents: int, seed: int, broadcast: bool = True) -> None:
        self.path = path
        self.agents = agents
        self.broadcast = broadcast
        self.rng = random.Random(seed)
        self.prefix = f"{os.getpid()}-{seed}"
        self.n = 0

    def __call__(self) -> bytes:
        self.n += 1
        rng = self.rng
        sender = rng.randrange(self.agents)
        r = rng.random()
        if r < 0.85:
            to = f"agent-{rng.randrange(self.agents)}"
        elif r < 0.93:
            to = f"label:team-{rng.randrange(20)}"
        elif r < 0.98:
            to = f"tag:lang-{rng.randrange(10)}"
        else:
            to = "broadcast" if self.broadcast else f"agent-{rng.randrange(self.agents)}"
        if self.n % 4 == 0:
            body = b'{"from":"agent-%d","to":"%s","body":"%s","idempotencyKey":"k-%s-%d"}' % (
                sender,
                to.encode(),
                _BODY.encode(),
                self.prefix.encode(),
                self.n,
            )
        else:
            body = b'{"from":"agent-%d","to":"%s","subject":"build #%d","body":"%s"}' % (
                sender,
                to.encode(),
                self.n,
                _BODY.encode(),
            )
        return _post(self.path, body)


class InboxWorkload:
    def __init__(self, agents: int, seed: int, limit: int = 100) -> None:
        self.agents = agents
        self.rng = random.Random(seed)
        self.limit = limit

    def __call__(self) -> bytes:
        return b"GET /api/inbox/agent-%d?limit=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % (
            self.rng.randrange(self.agents),
            self.limit,
        )


class Stats:
    def __init__(self, record_from: float, record_until: float) -> None:
        self.record_from = record_from
        self.record_until = record_until
        self.lat_ns: list[int] = []
        self.statuses: dict[int, int] = {}
        self.bytes = 0


class HttpConn(asyncio.Protocol):
    """One keep-alive connection in a closed loop: send, wait for the whole response, repeat."""

    def __init__(self, make_request, stats: Stats, stop_at: float, done: asyncio.Future) -> None:
        self.make_request = make_request
        self.stats = stats
        self.stop_at = stop_at
        self.done = done
        self.buf = bytearray()
        self.need = -1  # total bytes of the current response once the head is parsed
        self.status = 0
        self.t0 = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self.transport = transport
        self._send()

    def _send(self) -> None:
        if time.perf_counter() >= self.stop_at:
            self.transport.close()
            return
        req = self.make_request()
        self.t0 = time.perf_counter_ns()
        self.transport.write(req)

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if self.need < 0:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end])
            self.status = int(head[9:12])
            i = head.find(b"content-length: ")
            if i < 0:
                head_l = head.lower()
                i = head_l.find(b"content-length:")
                if i < 0:
                    raise RuntimeError(f"no Content-Length in response: {head[:200]!r}")
                i += len(b"content-length:")
            else:
                i += 16
            j = head.find(b"\r\n", i)
            length = int(head[i : j if j >= 0 else len(head)])
            self.need = end + 4 + length
        if len(buf) < self.need:
            return
        now_ns = time.perf_counter_ns()
        stats = self.stats
        t_end = now_ns / 1e9
        if stats.record_from <= t_end <= stats.record_until:
            stats.lat_ns.append(now_ns - self.t0)
            stats.statuses[self.status] = stats.statuses.get(self.status, 0) + 1
            stats.bytes += self.need
        del buf[: self.need]
        self.need = -1
        self._send()

    def connection_lost(self, exc) -> None:  # type: ignore[override]
        if not self.done.done():
            self.done.set_result(exc)


async def run_http(args: argparse.Namespace) -> dict:
    loop = asyncio.get_running_loop()
    if args.workload == "inbox":
        make = InboxWorkload(args.agents, args.seed)
    else:
        path = "/echo" if args.workload == "bare" else "/api/messages"
        make = SendWorkload(path, args.agents, args.seed, args.workload != "send-unicast")
    start = time.perf_counter()
    stats = Stats(start + args.warmup, start + args.warmup + args.duration)
    stop_at = start + args.warmup + args.duration
    cpu0 = _cpu_seconds()
    dones = []
    for i in range(args.concurrency):
        done = loop.create_future()
        dones.append(done)
        # a different request stream per connection
        gen = make if args.concurrency == 1 else type(make)(*_clone_args(make, args, i))
        await loop.create_connection(
            lambda g=gen, d=done: HttpConn(g, stats, stop_at, d), "127.0.0.1", args.port
        )
    await asyncio.gather(*dones)
    cpu = _cpu_seconds() - cpu0
    wall = time.perf_counter() - start
    return {
        "requests": len(stats.lat_ns),
        "duration_s": args.duration,
        "statuses": {str(k): v for k, v in stats.statuses.items()},
        "lat_us": [x // 1000 for x in stats.lat_ns],
        "client_cpu_s": round(cpu, 3),
        "client_wall_s": round(wall, 3),
        "response_bytes": stats.bytes,
    }


def _clone_args(make, args: argparse.Namespace, i: int) -> tuple:
    seed = args.seed * 1000 + i
    if isinstance(make, InboxWorkload):
        return (args.agents, seed)
    return (make.path, args.agents, seed, make.broadcast)


# -- SSE subscribers -----------------------------------------------------------------------


class SseConn(asyncio.Protocol):
    """One SSE stream: HTTP head, then chunked transfer encoding, then `\\n\\n`-separated
    events. For `message.new` events carrying our tag it records seq and latency."""

    def __init__(self, tag: bytes, ready: asyncio.Future, query: bytes = b"") -> None:
        self.tag = tag
        self.query = query
        self.ready = ready
        self.buf = bytearray()
        self.head_done = False
        self.chunked = False
        self.text = bytearray()
        self.seqs: set[int] = set()
        self.dups = 0
        self.lat_us: list[int] = []
        self.closed = False

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self.transport = transport
        transport.write(
            b"GET /api/events%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n" % self.query
        )

    def data_received(self, data: bytes) -> None:
        recv_ns = time.time_ns()
        buf = self.buf
        buf += data
        if not self.head_done:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).lower()
            if head[9:12] != b"200":
                raise RuntimeError(f"SSE connect failed: {head[:200]!r}")
            self.chunked = b"transfer-encoding: chunked" in head
            del buf[: end + 4]
            self.head_done = True
        if self.chunked:
            while True:
                nl = buf.find(b"\r\n")
                if nl < 0:
                    break
                size = int(bytes(buf[:nl]).split(b";")[0], 16)
                if len(buf) < nl + 2 + size + 2:
                    break
                self.text += buf[nl + 2 : nl + 2 + size]
                del buf[: nl + 2 + size + 2]
        else:
            self.text += buf
            buf.clear()
        text = self.text
        while True:
            sep = text.find(b"\n\n")
            if sep < 0:
                break
            block = bytes(text[:sep])
            del text[: sep + 2]
            self._event(block, recv_ns)

    def _event(self, block: bytes, recv_ns: int) -> None:
        if not self.ready.done() and b": connected" in block:
            self.ready.set_result(True)
        if b"event: message.new" not in block or self.tag not in block:
            return
        i = block.find(b"\ndata: ")
        data = loads(block[i + 7 :])
        meta = data.get("meta") or {}
        seq = meta.get("seq")
        if seq in self.seqs:
            self.dups += 1
            return
        self.seqs.add(seq)
        self.lat_us.append((recv_ns - meta["t"]) // 1000)

    def connection_lost(self, exc) -> None:  # type: ignore[override]
        self.closed = True


async def run_sse(args: argparse.Namespace) -> dict:
    loop = asyncio.get_running_loop()
    conns: list[SseConn] = []
    readies = []
    for i in range(args.subscribers):
        ready = loop.create_future()
        readies.append(ready)
        query = {"agent": b"?agentId=agent-%d" % (i % args.agents), "idle": b"?agentId=idle-%d" % i}
        _, proto = await loop.create_connection(
            lambda r=ready, q=query.get(args.filter, b""): SseConn(args.tag.encode(), r, q),
            "127.0.0.1",
            args.port,
        )
        conns.append(proto)
    await asyncio.wait_for(asyncio.gather(*readies), timeout=30)
    cpu0 = _cpu_seconds()
    print(json.dumps({"ready": len(conns)}), flush=True)
    line = await loop.run_in_executor(None, sys.stdin.readline)
    published = set(json.loads(line)["expected"]) if line.strip() else set()

    def expected_by(i: int) -> set[int]:
        """What subscriber i must receive: everything, or what was sent to its agent."""
        if args.filter == "agent":
            return {seq for seq in published if seq % args.agents == i % args.agents}
        return set() if args.filter == "idle" else published

    expected = [expected_by(i) for i in range(len(conns))]
    want = sum(map(len, expected))
    # Late deliveries are slow, not lost: wait until every stream has everything, or until
    # nothing new has arrived for `--settle` seconds.
    settle_start = time.monotonic()
    last_total, last_change = -1, time.monotonic()
    while True:
        total = sum(len(c.seqs) for c in conns)
        if total >= want:
            break
        if total != last_total:
            last_total, last_change = total, time.monotonic()
        elif time.monotonic() - last_change > args.settle:
            break
        await asyncio.sleep(0.05)
    settle_s = time.monotonic() - settle_start
    cpu = _cpu_seconds() - cpu0
    lat: list[int] = []
    lost = 0
    dups = 0
    closed = 0
    per_sub_received = []
    for c, exp in zip(conns, expected, strict=True):
        lat.extend(c.lat_us)
        lost += len(exp - c.seqs)
        dups += c.dups
        closed += c.closed
        per_sub_received.append(len(c.seqs))
        c.transport.close()
    return {
        "subscribers": len(conns),
        "expected": want,
        "deliveries": len(lat),
        "lost": lost,
        "duplicates": dups,
        "closed_early": closed,
        "min_received": min(per_sub_received) if per_sub_received else 0,
        "lat_us": lat,
        "client_cpu_s": round(cpu, 3),
        "settle_s": round(settle_s, 2),
    }


# -- paced publisher ------------------------------------------------------------------------


class PubConn(asyncio.Protocol):
    def __init__(self) -> None:
        self.buf = bytearray()
        self.waiter: asyncio.Future | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(buf[:end]).lower()
        i = head.find(b"content-length:") + 15
        j = head.find(b"\r\n", i)
        need = end + 4 + int(head[i : j if j >= 0 else len(head)])
        if len(buf) < need:
            return
        status = int(head[9:12])
        del buf[:need]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(status)


async def run_publish(args: argparse.Namespace) -> dict:
    """Open loop at `rate` msg/s over a few connections; each message carries its seq and
    the wall-clock send time in meta, so subscribers measure publish -> receive."""
    loop = asyncio.get_running_loop()
    total = int(args.rate * args.duration)
    nconn = args.connections
    ok: list[int] = []
    statuses: dict[int, int] = {}
    late = 0
    start = time.perf_counter() + 0.05

    async def worker(k: int) -> None:
        nonlocal late
        _, proto = await loop.create_connection(PubConn, "127.0.0.1", args.port)
        for seq in range(k, total, nconn):
            due = start + seq / args.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.005:
                late += 1
            body = (
                b'{"from":"bench-pub","to":"agent-%d","body":"fan-out %d",'
                b'"meta":{"bench":"%s","seq":%d,"t":%d}}'
                % (
                    seq % args.agents,
                    seq,
                    args.tag.encode(),
                    seq,
                    time.time_ns(),
                )
            )
            proto.waiter = loop.create_future()
            proto.transport.write(_post("/api/messages", body))
            status = await proto.waiter
            statuses[status] = statuses.get(status, 0) + 1
            if status in (200, 201):
                ok.append(seq)
        proto.transport.close()

    await asyncio.gather(*(worker(k) for k in range(nconn)))
    return {
        "published": len(ok),
        "attempted": total,
        "late_sends": late,
        "statuses": {str(k): v for k, v in statuses.items()},
        "ok_seqs": ok,
        "wall_s": round(time.perf_counter() - start, 3),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("http")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--workload", choices=["send", "send-unicast", "bare", "inbox"], required=True)
    h.add_argument("--concurrency", type=int, default=32)
    h.add_argument("--duration", type=float, default=10)
    h.add_argument("--warmup", type=float, default=2)
    h.add_argument("--agents", type=int, default=1000)
    h.add_argument("--seed", type=int, default=1)
    s = sub.add_parser("sse")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--subscribers", type=int, default=100)
    s.add_argument("--tag", required=True)
    s.add_argument("--settle", type=float, default=3.0, help="give up after this long without progress")
    s.add_argument("--filter", choices=["none", "agent", "idle"], default="none")
    s.add_argument("--agents", type=int, default=1000)
    pub = sub.add_parser("publish")
    pub.add_argument("--port", type=int, required=True)
    pub.add_argument("--rate", type=float, default=200)
    pub.add_argument("--duration", type=float, default=10)
    pub.add_argument("--connections", type=int, default=4)
    pub.add_argument("--tag", required=True)
    pub.add_argument("--agents", type=int, default=1000)
    for sp in (h, s, pub):
        # big results go to a file: under uvloop a pipe write of >64 KiB can come out short
        sp.add_argument("--out", help="write the JSON result here instead of stdout")
    args = p.parse_args()
    runner = {"http": run_http, "sse": run_sse, "publish": run_publish}[args.cmd]
    try:
        import uvloop

        result = uvloop.run(runner(args))
    except ImportError:
        result = asyncio.run(runner(args))
    text = json.dumps(result) + "\n"
    if getattr(args, "out", None):
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
