"""Stateful fuzzing of a live relay against its own OpenAPI spec (schemathesis).

    scripts/fuzz.py [--seconds 240] [--backend sqlite] [--backend postgres] [--seed N]

Starts `agent-relay serve` on a fresh database for each backend (PostgreSQL needs
AGENT_RELAY_TEST_POSTGRES_URL; by default it runs when that is set, like `make test`), then
runs `schemathesis run` against it for the time budget in two passes: single requests
(examples, boundary values, random fuzzing), then sequences along the spec's links
(register -> send -> claim/ack/delete -> send again ...). A 5xx, an undeclared status, a
body or header that does not match the spec, or a request slower than REQUEST_TIMEOUT is a
failure; so is a server that, after the run, is gone, unhealthy or can no longer store and
read back a message. Exits 1 on any failure, printing schemathesis'
report (each failure with a curl reproduction) and a summary per backend.

The server can do no harm on this host: spawns are dry runs, the host-directory root is a
temp dir, outbound HTTP (callbacks, schema fetches) goes to a closed local port, and the
routes that run programs are not fuzzed (EXCLUDED).

schemathesis loads this file again as its hooks module (SCHEMATHESIS_HOOKS); only the
`@schemathesis.hook` functions run there."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import schemathesis

ROOT = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT = 10  # seconds; a hung writer shows up as a timeout, not as a slow run
LONG_POLL_CAP = 0.2  # seconds; a generated `wait=60` would spend the budget sleeping
# (name, schemathesis phases, share of the budget). The stateful pass (sequences along the
# spec's links) gets most: one engine running both spends nearly all of it on plain fuzzing.
PASSES = (
    ("single", "examples,coverage,fuzzing", 0.35),
    ("stateful", "stateful", 0.65),
)
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
    "response_headers_conformance",
)
# operationId -> why it is not fuzzed. Checked against the spec: a renamed route fails the run
# rather than silently becoming fuzzed.
EXCLUDED = {
    "run_connector_action": "runs the connector's declared argv on this host",
    "spawn_agent": "starts a program on this host",
    "stream_events": "an endless SSE stream (tests/contract/test_events.py)",
}
DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens: outbound requests fail at once


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Cap long-poll waits; a bad value (negative, a string) still goes out as generated."""
    wait = case.query.get("wait") if isinstance(case.query, dict) else None
    if isinstance(wait, (int, float)) and not isinstance(wait, bool) and wait > LONG_POLL_CAP:
        case.query["wait"] = LONG_POLL_CAP


def _server_env(tmp: Path) -> dict[str, str]:
    (tmp / "root").mkdir(exist_ok=True)
    env = {
        "AGENT_RELAY_SPAWN_DRY_RUN": "1",
        "AGENT_RELAY_HOST_ROOT": str(tmp / "root"),
        "NO_PROXY": "",
        "no_proxy": "",
    }
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = DEAD_PROXY
    return env


def _excluded_missing(url: str) -> list[str]:
    import httpx

    spec = httpx.get(f"{url}/openapi.json", timeout=10).json()
    ids = {op.get("operationId") for ops in spec["paths"].values() for op in ops.values()}
    return sorted(set(EXCLUDED) - ids)


def _after_run(server: Any) -> list[str]:
    """What is wrong with the server once the fuzzer is done (empty: nothing)."""
    import httpx

    if server.proc is None or server.proc.poll() is not None:
        return ["the server process exited during the run"]
    problems: list[str] = []
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
        try:
            health = client.get("/api/health")
            if health.status_code != 200 or health.json().get("status") != "ok":
                problems.append(f"GET /api/health -> {health.status_code} {health.text[:200]}")
            agent = {"id": "fuzz-canary", "name": "fuzz canary"}
            reply = client.post("/api/agents", json=agent)
            if reply.status_code not in (200, 201):
                return [*problems, f"POST /api/agents -> {reply.status_code} {reply.text[:200]}"]
            ids = []
            for n in range(2):
                sent = client.post(
                    "/api/messages", json={"from": "fuzz", "to": "fuzz-canary", "body": f"canary {n}"}
                )
                if sent.status_code != 201:
                    return [*problems, f"POST /api/messages -> {sent.status_code} {sent.text[:200]}"]
                ids.append(sent.json()["id"])
                got = client.get(f"/api/messages/{ids[-1]}")
                if got.status_code != 200 or got.json().get("body") != f"canary {n}":
                    problems.append(f"GET /api/messages/{ids[-1]} -> {got.status_code} {got.text[:200]}")
            if ids[1] <= ids[0]:
                problems.append(f"message ids did not grow: {ids}")
        except httpx.HTTPError as exc:
            problems.append(f"the server stopped answering: {exc!r}")
    return problems


def _log_errors(log: Path) -> list[str]:
    """The distinct exception lines the server logged (a traceback's last line)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
                j += 1
            last = lines[j] if j < len(lines) else "?"
            found[last[:200]] = found.get(last[:200], 0) + 1
    return [f"{count}x {text}" for text, count in sorted(found.items(), key=lambda kv: -kv[1])]


def _report(report_dir: Path) -> dict[str, Any]:
    reports = sorted(report_dir.glob("*.json"))
    return json.loads(reports[-1].read_text()) if reports else {}


def _schemathesis(
    url: str, phases: str, seconds: int, seed: int | None, workers: int, report_dir: Path
) -> int:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{url}/openapi.json",
        f"--phases={phases}",
        f"--max-time={seconds}",
        f"--checks={','.join(CHECKS)}",
        f"--workers={workers}",
        f"--request-timeout={REQUEST_TIMEOUT}",
        "--generation-database=none",
        "--suppress-health-check=all",
        "--report=json",
        f"--report-dir={report_dir}",
        *(f"--exclude-operation-id={op}" for op in EXCLUDED),
        *([f"--seed={seed}"] if seed is not None else []),
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(Path(__file__).resolve())}
    return subprocess.run(command, env=env, cwd=report_dir.parent).returncode


def _print_pass(name: str, code: int, report: dict[str, Any]) -> None:
    operations, cases = report.get("operations", {}), report.get("test_cases", {})
    phases = ", ".join(f"{phase} {info.get('status')}" for phase, info in report.get("phases", {}).items())
    print(
        f"{name} pass: {operations.get('tested', '?')} of {operations.get('selected', '?')} operations, "
        f"{cases.get('generated', '?')} test cases, {cases.get('unique_failures', '?')} unique failures, "
        f"seed {report.get('seed', '?')} ({phases})"
    )
    for failure in report.get("failures", []):
        ops = ", ".join(failure.get("operations", []))[:300]
        print(f"  FAILURE {failure.get('code')} {failure.get('title')} x{failure.get('count')}: {ops}")
    for error in report.get("errors", []):
        print(f"  ERROR {json.dumps(error)[:300]}")
    if code not in (0, 1):
        print(f"  FAILURE schemathesis exited with {code}")


def fuzz(backend: str, seconds: int, seed: int | None, workers: int, keep: bool) -> bool:
    sys.path.insert(0, str(ROOT))
    from tests.support import ServerProcess, fresh_database

    tmp = Path(tempfile.mkdtemp(prefix=f"agent-relay-fuzz-{backend}-"))
    codes: dict[str, int] = {}
    started = time.monotonic()
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database(backend, tmp))
        server = ServerProcess(url, tmp / "home", env=_server_env(tmp)).start()
        stack.callback(server.stop)
        missing = _excluded_missing(server.url)
        if missing:
            print(f"fuzz: EXCLUDED names operations the spec no longer has: {missing}", file=sys.stderr)
            return False
        # Two passes on one server, so the stateful one starts from what the first left behind.
        for name, phases, share in PASSES:
            budget = max(1, round(seconds * share))
            print(f"\n=== fuzz {backend}, {name} pass ({phases}): {budget} s on {server.url} ===", flush=True)
            codes[name] = _schemathesis(server.url, phases, budget, seed, workers, tmp / name)
        problems = _after_run(server)
    elapsed = time.monotonic() - started
    ok = not any(codes.values()) and not problems
    print(f"\n--- fuzz summary: {backend}, {elapsed:.0f} s (not fuzzed: {', '.join(EXCLUDED)}) ---")
    for name, code in codes.items():
        _print_pass(name, code, _report(tmp / name))
    for problem in problems:
        print(f"FAILURE after the run: {problem}")
    log_errors = _log_errors(server.log_path)
    if log_errors:
        print(f"server log: {len(log_errors)} distinct exceptions:")
        for line in log_errors[:20]:
            print(f"  {line}")
    print(f"result: {'ok' if ok else 'FAILED'} (curl reproductions are in the schemathesis output above)")
    if ok and not keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept: {tmp} (server log {server.log_path}, JSON reports)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", 240)))
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1, help="schemathesis workers (concurrent requests)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp dir (server log, report) on success"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support import backends, postgres_admin_url

    chosen = args.backend or backends()
    if "postgres" in chosen and not postgres_admin_url():
        parser.error("--backend postgres needs AGENT_RELAY_TEST_POSTGRES_URL")
    results = {backend: fuzz(backend, args.seconds, args.seed, args.workers, args.keep) for backend in chosen}
    print("\nfuzz: " + ", ".join(f"{b} {'ok' if ok else 'FAILED'}" for b, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
