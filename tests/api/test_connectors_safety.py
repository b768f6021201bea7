"""Connectors can't freeze, reach out of, or leak from the relay (issue #12 items 4 and 7):
configSchema regexes run on RE2, no remote $ref, linear-time keywords and a validation
budget, errors that never echo config values, secrets that stay write-only across
re-registration, a scrubbed environment, and timeouts that kill processes that left the group."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_connectors_actions import alive, eventually
from tests.support import ServerProcess

SECRET = "s3cr3t-Value-42"


# prints the keys of the config file the connector reads (not the values: those are secret)
SHOW_KEYS = "import json, os; print(sorted(json.load(open(os.environ['AGENT_RELAY_CONNECTOR_CONFIG']))))"


def manifest(schema: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "hook",
        "name": "Webhook",
        "version": "1.0.0",
        "description": "test",
        "commands": {"install": [sys.executable, "-c", SHOW_KEYS]},
    }
    if schema is not None:
        base["configSchema"] = schema
    return {**base, **overrides}


HOSTILE = "a" * 40 + "!"  # ^(a+)+$ against this backtracks for hours in Python's re


def test_hostile_patterns_do_not_freeze_the_server(live_server: ServerProcess) -> None:
    """A real server: before RE2, each of these PUTs froze every endpoint."""
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "pattern": "^(a+)+$"}, "re": {"format": "regex"}},
        "patternProperties": {"^(b+)+$": {"type": "integer"}},
        "additionalProperties": {"type": "string"},
    }
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        assert http.post("/api/connectors", json=manifest(schema)).status_code == 201
        cases = [
            ({"name": HOSTILE}, "config.name must match ^(a+)+$"),
            ({"b" * 40 + "!": "x"}, None),  # matches no pattern: an additional (string) property
            ({"b" * 40: "x"}, "config." + "b" * 40 + " must be integer"),
            ({"re": "(a+)+(?=b)"}, "config.re must be a valid regex"),  # RE2 can't run lookahead
        ]
        for config, error in cases:
            started = time.monotonic()
            response = http.put("/api/connectors/hook/config", json=config)
            assert time.monotonic() - started < 5, config
            if error is None:
                assert response.status_code == 200, response.text
            else:
                assert response.status_code == 400 and response.json() == {"error": error}
        health = http.get("/api/health", timeout=2)
        assert health.status_code == 200


async def test_patterns_re2_cannot_run_are_refused(client: httpx.AsyncClient) -> None:
    lookahead = manifest({"properties": {"a": {"type": "string", "pattern": "^(?=x)"}}})
    response = await client.post("/api/connectors", json={"manifest": lookahead})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith(
        "manifest.configSchema.properties.a.pattern is not a regular expression RE2 can run"
    )

    backref = manifest({"patternProperties": {r"^(a)\1$": {}}})
    response = await client.post("/api/connectors", json=backref)
    assert response.status_code == 400
    assert response.json()["error"].startswith("configSchema.patternProperties.^(a)\\1$ (the key) is not")
    assert (await client.get("/api/connectors")).json() == []


@contextmanager
def counting_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = json.dumps({"type": "string"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/schema+json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


async def test_remote_refs_are_refused_and_never_fetched(client: httpx.AsyncClient, tmp_path: Path) -> None:
    local_file = tmp_path / "schema.json"
    local_file.write_text('{"type": "string"}')
    with counting_server() as (url, hits):
        schemas = {
            "properties.a.$ref": {"properties": {"a": {"$ref": f"{url}/s.json"}}},
            "$ref": {"$ref": local_file.as_uri()},
            "items.$dynamicRef": {"items": {"$dynamicRef": f"{url}/d.json"}},
            "allOf.0.$ref": {"$id": f"{url}/root.json", "allOf": [{"$ref": "other.json"}]},
        }
        for where, schema in schemas.items():
            response = await client.post("/api/connectors", json=manifest(schema))
            assert response.status_code == 400, where
            assert response.json() == {
                "error": f'configSchema.{where} must point inside the schema ("#/..."): remote $ref is not allowed'
            }
            assert (await client.get("/api/connectors/hook")).status_code == 404
        assert hits == [], "the relay fetched a remote schema"

    local = manifest(
        {"$defs": {"port": {"type": "integer"}}, "properties": {"port": {"$ref": "#/$defs/port"}}}
    )
    assert (await client.post("/api/connectors", json=local)).status_code == 201
    bad = await client.put("/api/connectors/hook/config", json={"port": "x"})
    assert bad.status_code == 400 and bad.json() == {"error": "config.port must be integer"}
    assert (await client.put("/api/connectors/hook/config", json={"port": 1})).status_code == 200


async def test_quadratic_keywords_answer_quickly(client: httpx.AsyncClient) -> None:
    """jsonschema compares uniqueItems/enum members pairwise: these took minutes."""
    schema = {
        "properties": {
            "seen": {"type": "array", "uniqueItems": True},
            "picks": {"type": "array", "items": {"enum": [{"k": i} for i in range(5000)]}},
        }
    }
    assert (await client.post("/api/connectors", json=manifest(schema))).status_code == 201
    many = [{"n": i} for i in range(30000)]
    started = time.monotonic()
    ok = await asyncio.wait_for(client.put("/api/connectors/hook/config", json={"seen": many}), 10)
    assert ok.status_code == 200, ok.text
    dup = await asyncio.wait_for(
        client.put("/api/connectors/hook/config", json={"seen": [*many, {"n": 1.0}]}), 10
    )
    assert dup.status_code == 400 and dup.json() == {"error": "config.seen violates uniqueItems True"}
    picks = await asyncio.wait_for(
        client.put("/api/connectors/hook/config", json={"picks": [{"k": 4999}] * 5000}), 10
    )
    assert picks.status_code == 200, picks.text
    assert time.monotonic() - started < 10
    # true is not 1, and a list order matters (JSON Schema equality)
    flags = await client.put("/api/connectors/hook/config", json={"seen": [1, True, [1, 2], [2, 1]]})
    assert flags.status_code == 200, flags.text


async def test_validation_that_runs_out_of_budget_is_a_400(client: httpx.AsyncClient) -> None:
    schema = {"properties": {"list": {"items": {"allOf": [{"type": "integer"}] * 1000}}}}
    assert (await client.post("/api/connectors", json=manifest(schema))).status_code == 201
    started = time.monotonic()
    response = await asyncio.wait_for(
        client.put("/api/connectors/hook/config", json={"list": list(range(20000))}), 10
    )
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert response.json() == {"error": "config is too large or complex to validate against configSchema"}
    assert (await client.put("/api/connectors/hook/config", json={"list": [1, 2]})).status_code == 200

    cycle = manifest({"$ref": "#"})  # a $ref loop that never moves into the config
    assert (await client.post("/api/connectors", json=cycle)).status_code == 201
    looping = await client.put("/api/connectors/hook/config", json={})
    assert looping.status_code == 400
    assert looping.json() == {"error": "config is too large or complex to validate against configSchema"}


# rules at the config's root, whose jsonschema messages quote the whole config
CRAFTED = [
    {"not": {"required": ["token"]}},
    {"oneOf": [{"required": ["token"]}, {"required": ["token"]}]},
    {"anyOf": [{"required": ["nope"]}]},
    {"if": {"required": ["token"]}, "then": False},
]


async def test_validation_errors_never_echo_config_values(client: httpx.AsyncClient) -> None:
    secret_schema = {"properties": {"token": {"type": "string", "secret": True}}}
    assert (await client.post("/api/connectors", json=manifest(secret_schema))).status_code == 201
    assert (await client.put("/api/connectors/hook/config", json={"token": SECRET})).status_code == 200
    for crafted in CRAFTED:
        # the same secret property (so the stored value is kept), plus a rule it breaks
        registered = await client.post("/api/connectors", json=manifest({**secret_schema, **crafted}))
        assert registered.status_code == 201, registered.text
        response = await client.put("/api/connectors/hook/config", json={"token": "********"})
        assert response.status_code == 400, crafted
        assert SECRET not in response.text, response.text
        assert response.json()["error"].startswith("config"), response.text
        # nor a plain value
        plain = await client.put("/api/connectors/hook/config", json={"token": "plain-value-77"})
        assert plain.status_code == 400 and "plain-value-77" not in plain.text, plain.text
    nested = {"properties": {"note": {"type": "string", "not": {"minLength": 3}}}}
    await client.post("/api/connectors", json=manifest(nested))
    response = await client.put("/api/connectors/hook/config", json={"note": "private-note"})
    assert response.json() == {"error": "config.note is invalid (not)"}


async def test_reregistering_without_secret_forgets_the_secret(client: httpx.AsyncClient, settings) -> None:
    password = "pw-Value-99"
    schema = {
        "properties": {
            "token": {"type": "string", "secret": True},
            "auth": {"type": "object", "properties": {"password": {"type": "string", "secret": True}}},
            "port": {"type": "integer"},
        }
    }
    await client.post("/api/connectors", json=manifest(schema))
    config = {"token": SECRET, "auth": {"password": password, "user": "me"}, "port": 1}
    assert (await client.put("/api/connectors/hook/config", json=config)).status_code == 200
    ran = await client.post("/api/connectors/hook/actions", json={"action": "install"})
    assert ran.json()["output"] == "['auth', 'port', 'token']\n", ran.text

    # the same manifest again: secrets kept (and masked)
    again = await client.post("/api/connectors", json=manifest(schema))
    masked = {"token": "********", "auth": {"password": "********", "user": "me"}, "port": 1}
    assert again.json()["config"] == masked

    # token is no longer secret; `auth` as a whole becomes secret (still covers the password)
    plain = {
        "properties": {
            "token": {"type": "string"},
            "auth": {"type": "object", "secret": True},
            "port": {"type": "integer"},
        }
    }
    changed = await client.post("/api/connectors", json=manifest(plain))
    assert changed.status_code == 201
    assert changed.json()["config"] == {"auth": "********", "port": 1}
    for response in (
        await client.get("/api/connectors/hook/config"),
        await client.get("/api/connectors/hook"),
        await client.get("/api/connectors"),
    ):
        assert SECRET not in response.text and password not in response.text
    config_file = Path(settings.home_dir) / "connectors" / "hook" / ".relay-config.json"
    stored = json.loads(config_file.read_text())
    assert "token" not in stored and stored["auth"]["password"] == password

    # no schema at all: nothing is masked any more, so nothing secret is kept
    bare = await client.post("/api/connectors", json=manifest())
    assert bare.json()["config"] == {"port": 1}
    assert password not in (await client.get("/api/connectors/hook/config")).text


def test_secret_like_environment_names() -> None:
    from agent_relay.connectors.runner import is_secret_env

    for name in (
        "SOME_DB_PASS", "MYSQL_PWD", "GH_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
        "SIGNING_KEY", "NPM_AUTH", "SSH_AUTH_SOCK", "GOOGLE_APPLICATION_CREDENTIALS", "SENTRY_DSN",
        "DATABASE_URL", "api_key", "Session_Cookie", "PRIVATE_THING",
    ):  # fmt: skip
        assert is_secret_env(name, "x"), name
    for name in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "GIT_AUTHOR_NAME", "PYTHONPATH"):
        assert not is_secret_env(name, "/usr/bin"), name
    assert is_secret_env("UPSTREAM", "https://user:hunter2@example.com/x")
    assert is_secret_env("REPO", "https://ghp_abc@github.com/o/r.git")
    assert not is_secret_env("UPSTREAM", "https://example.com/a@b")


async def test_connector_environment_drops_secret_like_names(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaks = {
        "SOME_DB_PASS": "leak-1",
        "BILLING_API_KEY": "leak-2",
        "DEPLOY_AUTH": "leak-3",
        "MIRROR": "https://bob:leak-4@mirror.example/",
    }
    for name, value in leaks.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KEEP_ME", "kept-1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "kept-2")
    show_env = [sys.executable, "-c", "import os; print(sorted(os.environ.items()))"]
    await client.post("/api/connectors", json=manifest(commands={"install": show_env}))
    output = (await client.post("/api/connectors/hook/actions", json={"action": "install"})).json()["output"]
    assert "kept-1" in output and "kept-2" in output and "PATH" in output
    for name, value in leaks.items():
        assert name not in output and value not in output


ESCAPER = """
import os, subprocess, sys, time
argv = ["setsid", "sleep", "300"] if {setsid!r} else [sys.executable, "-c", "import os, time; os.setsid(); time.sleep(300)"]
child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.2)
open({pidfile!r}, "w").write(str(child.pid))
print("started", child.pid, flush=True)
time.sleep(300)
"""


def escaper(tmp_path: Path) -> tuple[list[str], Path]:
    pidfile = tmp_path / "escaped.pid"
    script = tmp_path / "escaper.py"
    script.write_text(ESCAPER.format(setsid=bool(shutil.which("setsid")), pidfile=str(pidfile)))
    return [sys.executable, str(script)], pidfile


def own_session(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[3] == str(pid)  # its own session: the process group kill can't reach it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
async def test_timeout_kills_processes_that_left_the_group(
    client: httpx.AsyncClient, app, tmp_path: Path
) -> None:
    app.state.relay.settings.connector_action_timeout_ms = 1500
    argv, pidfile = escaper(tmp_path)
    await client.post("/api/connectors", json=manifest(commands={"install": argv}))
    response = await client.post("/api/connectors/hook/actions", json={"action": "install"})
    assert response.status_code == 502 and response.json()["timedOut"] is True, response.text
    pid = int(pidfile.read_text())
    try:
        assert "started" in response.json()["output"]
        await eventually(lambda: asyncio.sleep(0, not alive(pid)), timeout=5)
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
async def test_stop_kills_processes_that_left_the_group(
    client: httpx.AsyncClient, app, tmp_path: Path
) -> None:
    app.state.relay.settings.connector_start_check_ms = 100
    app.state.relay.settings.connector_stop_grace_ms = 500
    argv, pidfile = escaper(tmp_path)
    await client.post("/api/connectors", json=manifest(commands={"start": argv}))
    started = await client.post("/api/connectors/hook/actions", json={"action": "start"})
    assert started.status_code == 200, started.text
    await eventually(lambda: asyncio.sleep(0, pidfile.exists() and pidfile.read_text()))
    pid = int(pidfile.read_text())
    try:
        assert alive(pid) and own_session(pid)
        stopped = await client.post("/api/connectors/hook/actions", json={"action": "stop"})
        assert stopped.status_code == 200, stopped.text
        await eventually(lambda: asyncio.sleep(0, not alive(pid)), timeout=5)
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
