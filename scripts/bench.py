"""`make bench`: the relay's hot paths against their targets, in one run.

What it measures (servers and load generators are separate processes; see --help):
  bare    a bare async FastAPI POST endpoint (scripts/bench_bare_app.py), served like the relay
  send    POST /api/messages, 32 keep-alive connections, as a ratio to `bare`; p50/p99
  inbox   GET /api/inbox/{agent}?limit=100 over 100k stored messages (1000 agents); p50/p99
  sse     100 SSE subscribers, a publisher at 200 msg/s: publish -> receive p50/p99, lost events
  fanout  1000 SSE subscribers each filtered to one agent (?agentId=), 100 msg/s to those agents
  idle    send p99 (no broadcasts) with 2000 idle agent-filtered SSE subscribers vs none
  null    the load generator against a fixed-response raw socket server: its own ceiling

Each measurement runs --repeat times (default 2), interleaved bare/send so machine noise hits
both; the table shows the median and every run. Server CPU time per request is reported too:
on a shared machine it is steadier than requests/s.

Databases and workers (issue 8):
  --database-url sqlite                           (default) a fresh temp AGENT_RELAY_HOME
  --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        creates a fresh database `agent_relay_bench_<pid>` on that server and drops it after
  --workers 1,2,4                                 one relay per worker count (PostgreSQL for > 1)
  --scaleout PG_URL                               shorthand: SQLite x1, then PG x1,2,4 (send + sse)
Several --database-url flags run one after another.

  --profile           py-spy the relay (1 worker) under send load; prints the hotspots
Results: a markdown table on stdout and bench-results/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")

TARGETS = {
    "send_ratio": 0.6,  # relay send req/s / bare req/s, at least
    "send_p99_ms": 25.0,
    "inbox_p50_ms": 2.0,  # issue 19: at 1M stored messages (--inbox-messages 1000000), c=1
    "inbox_rps_c32": 1500.0,  # issue 19: at 100k stored, 32 connections
    "sse_p99_ms": 50.0,
    "sse_lost": 0,
    "fanout_p99_ms": 20.0,  # 1000 agent-filtered subscribers at 100 msg/s
    "idle_p99_ratio": 2.0,  # send p99 with 2000 idle subscribers / without, at most
}
# The relay allows 400 streams and 1000 connections by default; the fan-out scenarios need more.
RELAY_ENV: dict[str, str] = {}  # --relay-env: settings for every relay under test
MAX_SSE_STREAMS = 5000


# -- helpers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentiles(lat_us: list[int]) -> dict[str, float | None]:
    if not lat_us:
        return {"p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
    s = sorted(lat_us)
    n = len(s)

    def at(q: float) -> float:
        return round(s[min(n - 1, int(q * n))] / 1000, 2)

    return {"p50_ms": at(0.50), "p90_ms": at(0.90), "p99_ms": at(0.99), "max_ms": round(s[-1] / 1000, 2)}


def tree_pids(root: int) -> list[int]:
    """root and every live descendant (uvicorn --workers forks children)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_cpu_s(root: int) -> float:
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total / CLK_TCK


class Server:
    def __init__(self, name: str, cmd: list[str], env: dict[str, str], port: int, health: str, logdir: Path):
        self.name = name
        self.port = port
        self.health = health
        self.log_path = logdir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                if self.health:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{self.health}", timeout=2) as r:
                        if r.status == 200:
                            return
                else:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout}s: {self.log_path.read_text()[-2000:]}")

    def cpu_s(self) -> float:
        return tree_cpu_s(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


# -- databases -----------------------------------------------------------------------------


class Database:
    """A fresh database for one relay config: a temp SQLite home, or a new PostgreSQL database."""

    def __init__(self, spec: str, tmp: Path, label: str) -> None:
        self.spec = spec
        self.home = tmp / f"home-{label}"
        self.home.mkdir()
        self.pg_admin_url: str | None = None
        self.pg_name: str | None = None
        if spec == "sqlite":
            self.kind = "sqlite"
            self.url = f"sqlite:///{self.home / 'relay.db'}"
        else:
            from sqlalchemy.engine import make_url

            self.kind = "postgresql"
            base = make_url(spec)
            self.pg_name = f"agent_relay_bench_{os.getpid()}_{label}".replace("-", "_")
            self.pg_admin_url = base.render_as_string(hide_password=False)
            self.url = base.set(database=self.pg_name).render_as_string(hide_password=False)
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            self._admin(f'CREATE DATABASE "{self.pg_name}"')

    def _admin(self, sql: str) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(sql))
        finally:
            engine.dispose()

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_RELAY_")}
        env.update(
            AGENT_RELAY_HOME=str(self.home),
            AGENT_RELAY_DATABASE_URL=self.url,
            AGENT_RELAY_REAP_INTERVAL_MS="0",
            AGENT_RELAY_MAX_SSE_STREAMS=str(MAX_SSE_STREAMS),
            AGENT_RELAY_MAX_CONNECTIONS=str(MAX_SSE_STREAMS + 1000),
        )
        env.update(RELAY_ENV)  # --relay-env
        return env

    def migrate(self) -> None:
        subprocess.run(
            [PY, "-m", "agent_relay.cli", "migrate"], env=self.env(), check=True, capture_output=True
        )

    def drop(self) -> None:
        if self.pg_name:
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def seed(db: Database, messages: int, agents: int) -> dict:
    """Bulk-insert agents and messages with the server's own tables (before it starts)."""
    import random

    import sqlalchemy as sa
    from agent_relay.models import Agent, Message

    agents_t: sa.Table = Agent.__table__  # type: ignore[attr-defined]
    messages_t: sa.Table = Message.__table__  # type: ignore[attr-defined]
    rng = random.Random(42)
    now = int(time.time() * 1000)
    t0 = time.perf_counter()
    engine = sa.create_engine(db.url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(agents_t),
                [
                    {
                        "id": f"agent-{i}",
                        "name": f"Agent {i}",
                        "kind": "provider",
                        "status": "online",
                        "ready": True,
                        "label": f"team-{i % 20}",
                        "tags": [f"lang-{i % 10}"],
                        "capabilities": ["code", "review"] if i % 3 == 0 else ["code"],
                        "meta": {},
                        "instance_id": None,
                        "epoch": None,
                        "last_seen": now,
                        "created_at": now - 86_400_000,
                    }
                    for i in range(agents)
                ],
            )
        body = "Seeded message: the nightly build of the relay finished; see the report for details. " * 2
        batch = []
        for n in range(messages):
            r = rng.random()
            if r < 0.90:
                to = f"agent-{rng.randrange(agents)}"
            elif r < 0.95:
                to = f"label:team-{rng.randrange(20)}"
            elif r < 0.98:
                to = f"tag:lang-{rng.randrange(10)}"
            elif r < 0.99:
                to = "cap:review"
            else:
                to = "broadcast"
            batch.append(
                {
                    "from_agent": f"agent-{rng.randrange(agents)}",
                    "to_addr": to,
                    "kind": "task" if n % 10 == 0 else "chat",
                    "subject": f"seed {n}" if n % 2 else None,
                    "body": body,
                    "reply_to": None,
                    "claimable": n % 10 == 0,
                    "claimed_by": None,
                    "claim_expires_at": None,
                    "idempotency_key": f"seed-{n}" if n % 5 == 0 else None,
                    "meta": {"seq": n} if n % 3 == 0 else None,
                    "payload": None,
                    "channel": None,
                    "created_at": now - (messages - n) * 10,
                }
            )
            if len(batch) == 10_000:
                with engine.begin() as conn:
                    conn.execute(sa.insert(messages_t), batch)
                batch = []
        if batch:
            with engine.begin() as conn:
                conn.execute(sa.insert(messages_t), batch)
        if db.kind == "postgresql":
            # committed: statistics written inside a rolled-back transaction are thrown away,
            # and without them the planner chose bitmap scans and a sort for the inbox read
            with engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
    finally:
        engine.dispose()
    return {"messages": messages, "agents": agents, "seconds": round(time.perf_counter() - t0, 2)}


# -- load generation -----------------------------------------------------------------------


def loadgen_http(
    port: int,
    workload: str,
    concurrency: int,
    duration: float,
    warmup: float,
    procs: int,
    server: Server | None,
    seed: int = 1,
    token: str | None = None,
) -> dict:
    procs = max(1, min(procs, concurrency))
    shares = [concurrency // procs + (1 if i < concurrency % procs else 0) for i in range(procs)]
    cpu0 = server.cpu_s() if server else 0.0
    outs = [Path(tempfile.mkstemp(prefix="loadgen-", suffix=".json")[1]) for _ in shares]
    running = [
        subprocess.Popen(
            [
                PY,
                str(SCRIPTS / "loadgen.py"),
                "http",
                "--port",
                str(port),
                "--workload",
                workload,
                "--concurrency",
                str(c),
                "--duration",
                str(duration),
                "--warmup",
                str(warmup),
                "--seed",
                str(seed * 100 + i),
                "--out",
                str(outs[i]),
                *(["--token", token] if token else []),
            ],
        )
        for i, c in enumerate(shares)
    ]
    results = []
    for p, out in zip(running, outs, strict=True):
        p.wait()
        if p.returncode != 0:
            raise RuntimeError(f"loadgen failed ({p.returncode})")
        results.append(json.loads(out.read_text()))
        out.unlink()
    server_cpu = (server.cpu_s() - cpu0) if server else None
    lat = [x for r in results for x in r["lat_us"]]
    statuses: Counter[str] = Counter()
    for r in results:
        statuses.update(r["statuses"])
    n = len(lat)
    client_cpu = sum(r["client_cpu_s"] for r in results)
    wall = max(r["client_wall_s"] for r in results)
    out = {
        "requests": n,
        "rps": round(n / duration, 1),
        **percentiles(lat),
        "statuses": dict(statuses),
        "errors": sum(v for k, v in statuses.items() if not k.startswith("2")),
        "client_cpu_pct": round(100 * client_cpu / wall, 1),
        "client_cpu_us_per_req": round(1e6 * client_cpu / max(1, n * (warmup + duration) / duration), 1),
        "avg_response_bytes": round(sum(r["response_bytes"] for r in results) / max(1, n)),
    }
    if server_cpu is not None:
        # over warm-up + run: requests completed in the whole window ~ n * (warmup+duration)/duration
        out["server_cpu_pct"] = round(100 * server_cpu / wall, 1)
        out["server_cpu_us_per_req"] = round(1e6 * server_cpu / max(1, n * (warmup + duration) / duration), 1)
    return out


def start_subscribers(port: int, subscribers: int, tag: str, filter_: str, out: Path) -> subprocess.Popen:
    """SSE subscribers in a loadgen process, returned once every stream is connected; they
    stop at the JSON line written to their stdin (see loadgen.py)."""
    sub = subprocess.Popen(
        [
            PY,
            str(SCRIPTS / "loadgen.py"),
            "sse",
            "--out",
            str(out),
            "--port",
            str(port),
            "--subscribers",
            str(subscribers),
            "--tag",
            tag,
            "--filter",
            filter_,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sub.stdin and sub.stdout
    if not sub.stdout.readline():
        raise RuntimeError("SSE subscribers failed to connect")
    return sub


def measure_sse(
    port: int, subscribers: int, rate: float, duration: float, tag: str, server: Server, filter_: str = "none"
) -> dict:
    sub_out = Path(tempfile.mkstemp(prefix="loadgen-sse-", suffix=".json")[1])
    pub_out = Path(tempfile.mkstemp(prefix="loadgen-pub-", suffix=".json")[1])
    sub = start_subscribers(port, subscribers, tag, filter_, sub_out)
    assert sub.stdin
    cpu0 = server.cpu_s()
    pub = subprocess.run(
        [
            PY,
            str(SCRIPTS / "loadgen.py"),
            "publish",
            "--out",
            str(pub_out),
            "--port",
            str(port),
            "--rate",
            str(rate),
            "--duration",
            str(duration),
            "--tag",
            tag,
        ],
        capture_output=True,
        text=True,
    )
    if pub.returncode != 0:
        raise RuntimeError(f"publisher failed: {pub.stderr[-2000:]}")
    published = json.loads(pub_out.read_text())
    sub.stdin.write(json.dumps({"expected": published["ok_seqs"]}) + "\n")
    sub.stdin.flush()
    sub.wait(timeout=120)  # exits once every stream caught up, or stalled 3 s
    server_cpu = server.cpu_s() - cpu0
    result = json.loads(sub_out.read_text())
    sub_out.unlink()
    pub_out.unlink()
    return {
        "published": published["published"],
        "attempted": published["attempted"],
        "publish_statuses": published["statuses"],
        "late_sends": published["late_sends"],
        "subscribers": result["subscribers"],
        "expected": result["expected"],
        "deliveries": result["deliveries"],
        "lost": result["lost"],
        "duplicates": result["duplicates"],
        "closed_early": result["closed_early"],
        **percentiles(result["lat_us"]),
        "publish_wall_s": published["wall_s"],
        "settle_s": result["settle_s"],
        "server_cpu_pct": round(100 * server_cpu / (published["wall_s"] + result["settle_s"]), 1),
        "subscriber_cpu_pct": round(
            100 * result["client_cpu_s"] / (published["wall_s"] + result["settle_s"]), 1
        ),
    }


def measure_idle(port: int, args: argparse.Namespace, tag: str, server: Server, rep: int) -> dict:
    """Send (no broadcasts) with no subscribers, then with `--idle-subscribers` SSE streams
    filtered to agents no send names: what idle agents cost the senders."""

    def send() -> dict:
        return loadgen_http(
            port,
            "send-unicast",
            args.concurrency,
            args.duration,
            args.warmup,
            args.loadgen_procs,
            server,
            seed=rep + 21,
        )

    alone = send()
    out = Path(tempfile.mkstemp(prefix="loadgen-idle-", suffix=".json")[1])
    sub = start_subscribers(port, args.idle_subscribers, tag, "idle", out)
    try:
        crowded = send()
    finally:
        assert sub.stdin
        sub.stdin.write(json.dumps({"expected": []}) + "\n")
        sub.stdin.flush()
        sub.wait(timeout=60)
        out.unlink(missing_ok=True)
    return {
        "subscribers": args.idle_subscribers,
        "alone": alone,
        "crowded": crowded,
        "p99_ratio": round(crowded["p99_ms"] / alone["p99_ms"], 2) if alone["p99_ms"] else None,
        "cpu_ratio": round(crowded["server_cpu_us_per_req"] / alone["server_cpu_us_per_req"], 2),
    }


# -- profiling -----------------------------------------------------------------------------


def profile_load(server: Server, args: argparse.Namespace, tmp: Path, workload: str) -> dict | None:
    pyspy = shutil.which("py-spy", path=str(Path(PY).parent)) or shutil.which("py-spy")
    if not pyspy:
        print("profile: py-spy not found (pip install py-spy into the venv); skipped", file=sys.stderr)
        return None
    raw = tmp / f"profile-{workload}.txt"
    seconds = max(5, int(args.duration))
    spy = subprocess.Popen(
        [
            pyspy,
            "record",
            "--pid",
            str(server.proc.pid),
            "--duration",
            str(seconds),
            "--rate",
            "200",
            "--format",
            "raw",
            "--threads",
            "--nonblocking",
            "--output",
            str(raw),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.5)
    load = loadgen_http(
        server.port, workload, args.concurrency, seconds, 0.5, args.loadgen_procs, None, seed=99
    )
    spy.wait(timeout=60)
    if not raw.exists():
        print(f"profile: py-spy produced nothing: {spy.stderr.read().decode()[-500:]}", file=sys.stderr)
        return None
    out = summarize_profile(raw.read_text(), args.profile_top)
    out["load_rps"] = load["rps"]
    out["concurrency"] = args.concurrency
    keep = ROOT / "bench-results" / f"profile-{workload}.txt"
    keep.parent.mkdir(exist_ok=True)
    shutil.copy(raw, keep)
    out["raw"] = str(keep.relative_to(ROOT))
    return out


def _func(frame: str) -> str:
    """'handle (agent_relay/db.py:212)' -> 'handle (agent_relay/db.py)'."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3", "/server/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def summarize_profile(text: str, top: int) -> dict:
    self_t: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for line in text.splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack or not count_s.isdigit():
            continue
        count = int(count_s)
        frames = stack.split(";")
        thread = frames[0] if frames and frames[0].startswith(("thread", "process")) else "?"
        frames = [f for f in frames if " (" in f and not f.startswith(("thread", "process"))]
        if not frames:
            continue
        total += count
        threads[_thread_label(thread, frames)] += count
        self_t[_func(frames[-1])] += count
        for f in set(map(_func, frames)):
            incl[f] += count

    def pct(c: int) -> float:
        return round(100 * c / max(1, total), 1)

    return {
        "samples": total,
        "threads": {k: pct(v) for k, v in threads.most_common()},
        "self": [(f, pct(c)) for f, c in self_t.most_common(top)],
        "inclusive": [(f, pct(c)) for f, c in incl.most_common(top * 2)],
    }


def _thread_label(thread: str, frames: list[str]) -> str:
    if "relay-writer" in thread:
        return "writer thread"
    if "AnyIO worker" in thread:
        return "AnyIO threadpool (sync deps, run_in_threadpool)"
    if "asyncio" in thread or "ThreadPoolExecutor" in thread or "uvloop" in thread:
        return "read threads (to_thread)"
    if "MainThread" in thread:
        return "event loop (main)"
    return thread.split(": ", 1)[-1] or "other"


# -- the run -------------------------------------------------------------------------------


def relay_configs(args: argparse.Namespace) -> list[tuple[str, int]]:
    if args.scaleout:
        return [("sqlite", 1)] + [(args.scaleout, w) for w in (1, 2, 4)]
    workers = [int(w) for w in str(args.workers).split(",") if w.strip()]
    out = []
    for spec in args.database_url or ["sqlite"]:
        for w in workers:
            if w > 1 and spec == "sqlite":
                print(f"skip: sqlite with {w} workers (SQLite allows one writer process)", file=sys.stderr)
                continue
            out.append((spec, w))
    return out


def median(values: list[float]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(statistics.median(vals), 2) if vals else None


BENCH_ADMIN_TOKEN = "bench-admin-token"


def mint_agent_token(port: int) -> str:
    """--agent-token: a token for agent-0 (the relay runs with BENCH_ADMIN_TOKEN)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/agents/agent-0/tokens",
        data=b"{}",
        headers={"Content-Type": "application/json", "X-Agent-Relay-Token": BENCH_ADMIN_TOKEN},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["token"]


def run(args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="relay-bench-"))
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_before": os.getloadavg(),
        "settings": {k: v for k, v in vars(args).items()},
        "targets": TARGETS,
        "bare": {},
        "null": None,
        "configs": [],
    }
    servers: list[Server] = []
    try:
        bare = None
        if not args.skip_send:
            bare_port = free_port()
            bare = Server(
                "bare",
                [PY, str(SCRIPTS / "bench_bare_app.py"), "--port", str(bare_port)],
                dict(os.environ),
                bare_port,
                "/health",
                tmp,
            )
            servers.append(bare)
            null_port = free_port()
            null = Server(
                "null",
                [PY, str(SCRIPTS / "bench_bare_app.py"), "--port", str(null_port), "--null"],
                dict(os.environ),
                null_port,
                "",
                tmp,
            )
            servers.append(null)
            bare.wait_ready()
            null.wait_ready()
            log("null server: load generator ceiling")
            results["null"] = loadgen_http(
                null_port, "bare", args.concurrency, 3, 1, args.loadgen_procs, null
            )
            null.stop()
            servers.remove(null)
        bare_runs: list[dict] = []
        for index, (spec, workers) in enumerate(relay_configs(args)):
            label = f"{'sqlite' if spec == 'sqlite' else 'pg'}-w{workers}"
            db = Database(spec, tmp, f"{index}_{label}")
            cfg: dict = {
                "label": label,
                "database": db.kind,
                "workers": workers,
                "send": [],
                "inbox": [],
                "inbox_c32": [],
                "sse": [],
                "fanout": [],
                "idle": [],
            }
            results["configs"].append(cfg)
            relay = None
            try:
                full = index == 0 or not args.scaleout  # scale-out rows: send + sse only
                if full and not args.skip_inbox:
                    db.migrate()
                    log(f"[{label}] seeding {args.inbox_messages} messages / {args.inbox_agents} agents")
                    cfg["seed"] = seed(db, args.inbox_messages, args.inbox_agents)
                port = free_port()
                env = db.env()
                if args.agent_token:
                    env["AGENT_RELAY_TOKEN"] = BENCH_ADMIN_TOKEN
                relay = Server(
                    f"relay-{label}",
                    [PY, "-m", "agent_relay.cli", "serve", "--port", str(port), "--workers", str(workers)],
                    env,
                    port,
                    "/api/health",
                    tmp,
                )
                servers.append(relay)
                relay.wait_ready()
                if workers > 1:
                    time.sleep(1.0)  # every worker up, not just the first
                token = mint_agent_token(port) if args.agent_token else None
                for rep in range(args.repeat):
                    if not args.skip_send:
                        assert bare is not None
                        log(f"[{label}] run {rep + 1}: bare endpoint")
                        b = loadgen_http(
                            bare.port,
                            "bare",
                            args.concurrency,
                            args.duration,
                            args.warmup,
                            args.loadgen_procs,
                            bare,
                            seed=rep + 1,
                            token=token,
                        )
                        bare_runs.append(b)
                        log(f"[{label}] run {rep + 1}: send   (bare {b['rps']} req/s)")
                        s = loadgen_http(
                            port,
                            "send",
                            args.concurrency,
                            args.duration,
                            args.warmup,
                            args.loadgen_procs,
                            relay,
                            seed=rep + 1,
                            token=token,
                        )
                        s["bare_rps"] = b["rps"]
                        s["ratio"] = round(s["rps"] / b["rps"], 3) if b["rps"] else None
                        cfg["send"].append(s)
                        log(
                            f"[{label}] run {rep + 1}: send {s['rps']} req/s, "
                            f"ratio {s['ratio']}, p99 {s['p99_ms']} ms"
                        )
                    if full and not args.skip_inbox:
                        i = loadgen_http(
                            port,
                            "inbox",
                            args.inbox_concurrency,
                            args.inbox_duration,
                            1,
                            1,
                            relay,
                            seed=rep + 1,
                        )
                        cfg["inbox"].append(i)
                        i32 = loadgen_http(
                            port,
                            "inbox",
                            args.concurrency,
                            args.inbox_duration,
                            1,
                            args.loadgen_procs,
                            relay,
                            seed=rep + 11,
                        )
                        cfg["inbox_c32"].append(i32)
                        log(
                            f"[{label}] run {rep + 1}: inbox p50 {i['p50_ms']} ms "
                            f"(c={args.inbox_concurrency}), "
                            f"{i32['rps']} req/s at c={args.concurrency}"
                        )
                    if not args.skip_sse:
                        e = measure_sse(
                            port,
                            args.sse_subscribers,
                            args.sse_rate,
                            args.sse_duration,
                            f"bench{os.getpid()}x{index}x{rep}",
                            relay,
                        )
                        cfg["sse"].append(e)
                        log(f"[{label}] run {rep + 1}: sse p99 {e['p99_ms']} ms, lost {e['lost']}")
                    if full and not args.skip_fanout:
                        f = measure_sse(
                            port,
                            args.fanout_subscribers,
                            args.fanout_rate,
                            args.sse_duration,
                            f"fan{os.getpid()}x{index}x{rep}",
                            relay,
                            filter_="agent",
                        )
                        cfg["fanout"].append(f)
                        log(f"[{label}] run {rep + 1}: fanout p99 {f['p99_ms']} ms, lost {f['lost']}")
                        d = measure_idle(port, args, f"idle{os.getpid()}x{index}x{rep}", relay, rep)
                        cfg["idle"].append(d)
                        log(
                            f"[{label}] run {rep + 1}: send p99 {d['alone']['p99_ms']} ms alone, "
                            f"{d['crowded']['p99_ms']} ms with {d['subscribers']} idle subscribers"
                        )
                if args.profile and workers == 1 and index == 0:
                    results["profile"] = {}
                    for workload in ("send", "inbox"):
                        if (workload == "send" and args.skip_send) or (workload == "inbox" and not full):
                            continue
                        if workload == "inbox" and args.skip_inbox:
                            continue
                        log(f"[{label}] profiling the {workload} path with py-spy")
                        results["profile"][workload] = profile_load(relay, args, tmp, workload)
            finally:
                if relay is not None:
                    relay.stop()
                    servers.remove(relay)
                db.drop()
        results["bare"] = {
            "runs": [b["rps"] for b in bare_runs],
            "rps": median([b["rps"] for b in bare_runs]),
            "p50_ms": median([b["p50_ms"] for b in bare_runs]),
            "p99_ms": median([b["p99_ms"] for b in bare_runs]),
            "client_cpu_pct": median([b["client_cpu_pct"] for b in bare_runs]),
            "server_cpu_us_per_req": median([b.get("server_cpu_us_per_req") for b in bare_runs]),
        }
        results["bare_raw"] = bare_runs
    finally:
        for s in servers:
            s.stop()
        if not args.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    results["load_after"] = os.getloadavg()
    return results


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)


# -- report ------------------------------------------------------------------------------------


def _runs(values: list) -> str:
    return " / ".join(str(v) for v in values)


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def row(metric: str, runs: list, target: str = "", ok: bool | None = None, unit: str = "") -> None:
        med = median(runs)
        value = f"{med}{unit}" + (f" ({_runs(runs)})" if len(runs) > 1 else "")
        rows.append((metric, value, target, "" if ok is None else ("PASS" if ok else "FAIL")))

    null = results.get("null")
    if null:
        rows.append(
            (
                "loadgen ceiling (null server), req/s",
                f"{null['rps']}",
                "",
                f"client {null['client_cpu_us_per_req']} µs/req",
            )
        )
    bare = results.get("bare") or {}
    if bare.get("runs"):
        row("bare FastAPI POST, req/s", bare["runs"])
        rows.append(
            (
                "bare: loadgen CPU / server CPU per req",
                f"{median([b['client_cpu_us_per_req'] for b in results['bare_raw']])} / "
                f"{bare['server_cpu_us_per_req']} µs",
                "",
                "",
            )
        )
    for cfg in results["configs"]:
        p = f"[{cfg['label']}] "
        if cfg["send"]:
            s = cfg["send"]
            ratios = [x["ratio"] for x in s]
            p99 = [x["p99_ms"] for x in s]
            row(p + "send, req/s", [x["rps"] for x in s])
            row(
                p + "send / bare ratio",
                ratios,
                f">= {TARGETS['send_ratio']}",
                median(ratios) >= TARGETS["send_ratio"],
            )
            row(p + "send p50, ms", [x["p50_ms"] for x in s])
            row(
                p + "send p99, ms", p99, f"<= {TARGETS['send_p99_ms']}", median(p99) <= TARGETS["send_p99_ms"]
            )
            row(p + "send server CPU, µs/req", [x["server_cpu_us_per_req"] for x in s])
            errs = sum(x["errors"] for x in s)
            if errs:
                rows.append((p + "send non-2xx responses", str(errs), "0", "FAIL"))
        if cfg["inbox"]:
            i = cfg["inbox"]
            p50 = [x["p50_ms"] for x in i]
            c = results["settings"]["inbox_concurrency"]
            stored = results["settings"]["inbox_messages"]
            stored_text = f"{stored // 1_000_000}M" if stored % 1_000_000 == 0 else f"{stored // 1000}k"
            row(
                p + f"inbox p50 ({stored_text} msgs, c={c}), ms",
                p50,
                f"<= {TARGETS['inbox_p50_ms']}",
                median(p50) <= TARGETS["inbox_p50_ms"],
            )
            row(p + f"inbox p99 (c={c}), ms", [x["p99_ms"] for x in i])
            row(p + f"inbox server CPU (c={c}), µs/req", [x.get("server_cpu_us_per_req") for x in i])
            i32 = cfg["inbox_c32"]
            rps = [x["rps"] for x in i32]
            row(
                p + f"inbox req/s (c={results['settings']['concurrency']})",
                rps,
                f">= {TARGETS['inbox_rps_c32']}",
                median(rps) >= TARGETS["inbox_rps_c32"],
            )
            row(p + f"inbox p99 (c={results['settings']['concurrency']}), ms", [x["p99_ms"] for x in i32])
            row(
                p + f"inbox server CPU (c={results['settings']['concurrency']}), µs/req",
                [x.get("server_cpu_us_per_req") for x in i32],
            )
            if sum(x["errors"] for x in i + i32):
                rows.append(
                    (p + "inbox non-2xx responses", str(sum(x["errors"] for x in i + i32)), "0", "FAIL")
                )
        if cfg["sse"]:
            e = cfg["sse"]
            p99 = [x["p99_ms"] for x in e]
            lost = [x["lost"] for x in e]
            subs = e[0]["subscribers"]
            row(p + f"SSE publish->receive p50 ({subs} subs), ms", [x["p50_ms"] for x in e])
            row(
                p + "SSE publish->receive p99, ms",
                p99,
                f"<= {TARGETS['sse_p99_ms']}",
                None not in p99 and median(p99) <= TARGETS["sse_p99_ms"],
            )
            rows.append(
                (
                    p + "SSE lost events",
                    _runs(lost) + f" of {_runs([x['published'] * x['subscribers'] for x in e])}",
                    "0",
                    "PASS" if max(lost) == 0 else "FAIL",
                )
            )
        if cfg.get("fanout"):
            f = cfg["fanout"]
            p99 = [x["p99_ms"] for x in f]
            row(p + f"fan-out p50 ({f[0]['subscribers']} agent-filtered subs), ms", [x["p50_ms"] for x in f])
            row(
                p + "fan-out p99, ms",
                p99,
                f"<= {TARGETS['fanout_p99_ms']}",
                None not in p99 and median(p99) <= TARGETS["fanout_p99_ms"],
            )
            row(p + "fan-out server CPU, %", [x["server_cpu_pct"] for x in f])
            lost = [x["lost"] for x in f]
            rows.append(
                (
                    p + "fan-out lost events",
                    _runs(lost) + f" of {_runs([x['expected'] for x in f])}",
                    "0",
                    "PASS" if max(lost) == 0 else "FAIL",
                )
            )
        if cfg.get("idle"):
            d = cfg["idle"]
            n = d[0]["subscribers"]
            row(p + "send (no broadcast) p99 alone, ms", [x["alone"]["p99_ms"] for x in d])
            row(p + f"send (no broadcast) p99 with {n} idle subs, ms", [x["crowded"]["p99_ms"] for x in d])
            ratios = [x["p99_ratio"] for x in d]
            row(
                p + f"send p99 with {n} idle subs / alone",
                ratios,
                f"<= {TARGETS['idle_p99_ratio']}",
                None not in ratios and median(ratios) <= TARGETS["idle_p99_ratio"],
            )
            row(p + "send server CPU alone, µs/req", [x["alone"]["server_cpu_us_per_req"] for x in d])
            row(
                p + f"send server CPU with {n} idle subs, µs/req",
                [x["crowded"]["server_cpu_us_per_req"] for x in d],
            )
    out = ["| metric | value (median; runs) | target | pass/fail |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    if len(results["configs"]) > 1:
        out += ["", summary_table(results)]
    return "\n".join(out)


def summary_table(results: dict) -> str:
    """One line per relay config (the issue 8 scale-out comparison); medians of the runs."""
    out = [
        "| relay | send req/s | send / bare | server CPU µs/send | send p99 ms | SSE p99 ms | SSE lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for cfg in results["configs"]:
        s, e = cfg["send"], cfg["sse"]
        lost = f"{max(x['lost'] for x in e)} of {e[0]['published'] * e[0]['subscribers']}" if e else ""
        out.append(
            f"| {cfg['database']}, {cfg['workers']} worker(s) | {median([x['rps'] for x in s])} "
            f"| {median([x['ratio'] for x in s])} | {median([x['server_cpu_us_per_req'] for x in s])} "
            f"| {median([x['p99_ms'] for x in s])} | {median([x['p99_ms'] for x in e])} | {lost} |"
        )
    return "\n".join(out)


def profile_text(profiles: dict | None) -> str:
    return "\n".join(_profile_text(k, v) for k, v in (profiles or {}).items() if v)


def _profile_text(workload: str, profile: dict) -> str:
    lines = [
        f"\n{workload} path profile (py-spy, {profile['samples']} samples at {profile['load_rps']} req/s, "
        f"c={profile.get('concurrency')}):",
        "threads: " + ", ".join(f"{k} {v}%" for k, v in profile["threads"].items()),
        "top self time:",
    ]
    lines += [f"  {pct:5.1f}%  {f}" for f, pct in profile["self"]]
    lines.append("top inclusive time:")
    lines += [f"  {pct:5.1f}%  {f}" for f, pct in profile["inclusive"]]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=10, help="seconds measured per throughput run")
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--concurrency", type=int, default=32, help="keep-alive connections")
    p.add_argument("--repeat", type=int, default=2, help="runs per measurement")
    p.add_argument("--loadgen-procs", type=int, default=1, help="load generator processes")
    p.add_argument(
        "--database-url",
        action="append",
        help="'sqlite' (default) or a PostgreSQL URL (a fresh database is created on it)",
    )
    p.add_argument("--workers", default="1", help="comma list of relay worker counts, e.g. 1,2,4")
    p.add_argument("--scaleout", metavar="PG_URL", help="SQLite x1, then PostgreSQL x1,2,4 (send + sse)")
    p.add_argument("--skip-send", action="store_true")
    p.add_argument("--skip-inbox", action="store_true")
    p.add_argument("--skip-sse", action="store_true")
    p.add_argument("--inbox-messages", type=int, default=100_000)
    p.add_argument("--inbox-agents", type=int, default=1000)
    p.add_argument("--inbox-concurrency", type=int, default=1, help="connections for the latency figure")
    p.add_argument("--inbox-duration", type=float, default=5)
    p.add_argument("--sse-subscribers", type=int, default=100)
    p.add_argument("--sse-rate", type=float, default=200)
    p.add_argument("--sse-duration", type=float, default=10)
    p.add_argument(
        "--agent-token",
        action="store_true",
        help="send with an agent token (the relay has an admin token; the bare endpoint gets the same header)",
    )
    p.add_argument("--skip-fanout", action="store_true", help="skip the fanout and idle scenarios")
    p.add_argument("--fanout-subscribers", type=int, default=1000)
    p.add_argument("--fanout-rate", type=float, default=100)
    p.add_argument("--idle-subscribers", type=int, default=2000)
    p.add_argument("--profile", action="store_true", help="py-spy the relay under send load")
    p.add_argument("--profile-top", type=int, default=15)
    p.add_argument("--out", default=str(ROOT / "bench-results" / "latest.json"))
    p.add_argument("--keep-tmp", action="store_true")
    p.add_argument(
        "--relay-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting for the relays under test, e.g. AGENT_RELAY_ACCESS_LOG=false (repeatable)",
    )
    args = p.parse_args()
    RELAY_ENV.update(item.split("=", 1) for item in args.relay_env)
    if args.agent_token and not (args.skip_inbox and args.skip_sse):
        p.error("--agent-token measures the send path only: add --skip-inbox --skip-sse")
    results = run(args)
    md = table(results)
    results["table_markdown"] = md
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(
        f"\nagent-relay bench, {results['date']}, {results['machine']}, "
        f"load avg before {results['load_before'][0]:.2f} / after {results['load_after'][0]:.2f}\n"
    )
    print(md)
    print(profile_text(results.get("profile")))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
