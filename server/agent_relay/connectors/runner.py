"""Running a connector's commands safely: argv lists only (no shell), the connector's own
directory, a scrubbed environment with the relay's URL and an agent token of the
connector's own (never the relay token), the config in a 0600
file (never on the command line), a timeout that kills everything the command started,
and an output cap."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from agent_relay.settings import Settings

CONFIG_FILE = ".relay-config.json"
# An argument that is exactly this runs the relay's own interpreter, so a connector shipped
# as a Python module (the SDK's webhook connector) runs with the packages the relay has.
PYTHON_PLACEHOLDER = "{python}"
# The server's own environment may hold credentials (database URL, integration tokens,
# cloud keys): a connector gets what it needs through its config, not through these. A name
# rule, not a list of names: SOME_DB_PASS, GH_PAT_TOKEN, AWS_ACCESS_KEY_ID, NPM_AUTH,
# HTTP_AUTHORIZATION, CI_JOB_JWT, MY_CREDS, SESSION_ID, SIGNING_CERT all go. Short words
# (PAT, JWT, SID, CERT, CRED) only as whole words, so PATH or CREDIT stay; AUTH but not
# AUTHOR (GIT_AUTHOR_NAME is not a secret; AUTHORIZATION is).
_SECRET_ENV_NAME = re.compile(
    r"TOKEN|SECRET|PASS|PWD|KEY|CREDENTIAL|AUTH(?!ORS?(?:_|$))|PRIVATE|COOKIE|SIGNATURE|DSN"
    r"|DATABASE_URL|SESSION|BEARER|CONN(?:ECTION)?_?STR"
    r"|(?:^|_)(?:PAT|JWT|SID|CERTS?|CREDS?|SALT|OTP|PIN)(?:_|$)",
    re.IGNORECASE,
)
# Not secrets although the rule above says so: the working directory and where to find CA
# certificates (a connector behind a corporate proxy needs them for HTTPS).
_PUBLIC_ENV_NAMES = frozenset(("PWD", "OLDPWD", "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS"))
# ...and value rules: a connection string with a key or password in it (Azure's
# AccountKey=, SQL Server's Password=/Pwd=, SharedAccessSignature=), a JWT, a PEM private key,
# and the well-known token formats (GitHub, GitLab, Slack, OpenAI/Anthropic-style, AWS).
_SECRET_ENV_VALUE = re.compile(
    r"(?:^|[;\s])(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)\s*="
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\."
    r"|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    r"|\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abpors]-[\w-]{10,}"
    r"|sk-[\w-]{20,}|AKIA[0-9A-Z]{16})",
    re.IGNORECASE,
)
# A URL's scheme and what follows it up to the next blank.
_URL = re.compile(r"[a-z][a-z0-9+.-]*://(\S*)", re.IGNORECASE)
# Every process a command starts inherits this variable, even one that escapes the process
# group (setsid, a double fork): that is how a timeout finds and kills it.
TAG_ENV = "AGENT_RELAY_PROCESS_TAG"


@dataclass(slots=True)
class CommandResult:
    exit_code: int | None
    output: str
    duration_ms: int
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def expand_argv(argv: list[str]) -> list[str]:
    """Expand the `{python}` placeholder (a whole argument only; nothing else is touched)."""
    return [sys.executable if arg == PYTHON_PLACEHOLDER else arg for arg in argv]


def connector_dir(settings: Settings, connector_id: str) -> Path:
    path = settings.home_dir / "connectors" / connector_id
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_config_file(directory: Path, config: dict[str, Any]) -> Path:
    """Write the full config (secrets included) readable only by the relay's user."""
    path = directory / CONFIG_FILE
    tmp = directory / f"{CONFIG_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, orjson.dumps(config, option=orjson.OPT_INDENT_2))
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path


def _url_has_userinfo(value: str) -> bool:
    """A URL with credentials: https://user:pw@host, https://token@host, and also
    postgres://u:p/w@h/db (a `/` left unescaped in the password, which urlsplit would read
    as the start of the path). `host:8080/a@b` (a port, then an @ in the path) is not."""
    for match in _URL.finditer(value):
        before_at, at, _ = match.group(1).partition("@")
        if not at:
            continue
        authority = re.split(r"[/?#]", before_at, maxsplit=1)[0]
        if authority == before_at:  # nothing but userinfo before the @
            return True
        _host, colon, port = authority.partition(":")
        if colon and not port.isdigit():  # user:pass where the pass goes on past a / ? #
            return True
    return False


def is_secret_env(name: str, value: str) -> bool:
    if name.upper() in _PUBLIC_ENV_NAMES:
        return False
    return bool(_SECRET_ENV_NAME.search(name) or _SECRET_ENV_VALUE.search(value) or _url_has_userinfo(value))


def build_env(
    settings: Settings,
    connector_id: str,
    directory: Path,
    config_path: Path,
    *,
    agent_id: str | None = None,
    token: str | None = None,
) -> dict[str, str]:
    """The scrubbed environment plus the relay's address and, on a relay with a token, an
    agent token for the connector's own agent (never the relay token: contract §14)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("AGENT_RELAY_") and not is_secret_env(k, v)
    }
    env.setdefault("PATH", os.defpath)
    env.setdefault("HOME", str(Path.home()))
    env["AGENT_RELAY_URL"] = settings.relay_url
    env["AGENT_RELAY_CONNECTOR_ID"] = connector_id
    env["AGENT_RELAY_CONNECTOR_DIR"] = str(directory)
    env["AGENT_RELAY_CONNECTOR_CONFIG"] = str(config_path)
    if settings.outbound_allow:  # the relay's outbound rule holds for what it runs (outbound.py)
        env["AGENT_RELAY_OUTBOUND_ALLOW"] = settings.outbound_allow
    if agent_id:
        env["AGENT_RELAY_AGENT_ID"] = agent_id
    if token:
        env["AGENT_RELAY_TOKEN"] = token
    return env


class OutputTail:
    """Keeps the last `cap` bytes of a stream and counts what was dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.dropped = 0

    def feed(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        while self.size > self.cap:
            head = self.chunks[0]
            excess = self.size - self.cap
            if len(head) <= excess:
                self.chunks.popleft()
                self.size -= len(head)
                self.dropped += len(head)
            else:
                self.chunks[0] = head[excess:]
                self.size -= excess
                self.dropped += excess

    def text(self) -> str:
        body = b"".join(self.chunks).decode("utf-8", errors="replace")
        if self.dropped:
            return f"[output truncated: first {self.dropped} bytes dropped]\n{body}"
        return body


def kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def new_tag() -> str:
    return secrets.token_hex(12)


def _stat(entry: Path) -> list[str] | None:
    """(state, ppid, pgrp, ...) of /proc/<pid>/stat, or None if it is gone."""
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def _tagged(entry: Path, marker: bytes) -> bool:
    try:
        return marker in (entry / "environ").read_bytes().split(b"\0")
    except OSError:  # gone, or another user's process
        return False


def leftovers(pgid: int, tag: str) -> set[int]:
    """Live processes that belong to a command: its process group, their descendants, and
    anything carrying its tag (Linux /proc; elsewhere only the group is known)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return set()
    marker = f"{TAG_ENV}={tag}".encode()
    children: dict[int, list[int]] = {}
    found: set[int] = set()
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        fields = _stat(entry)
        if fields is None or len(fields) < 3 or fields[0] in ("Z", "X"):
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        if fields[2] == str(pgid) or _tagged(entry, marker):
            found.add(pid)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found and child != me:
                found.add(child)
                todo.append(child)
    return found


def kill_tree(pgid: int, tag: str, sig: int = signal.SIGKILL) -> None:
    """Signal a command's process group and every process that escaped it (blocking: /proc).
    Repeated a few times, since a dying process may have forked in between."""
    for _ in range(5 if sig == signal.SIGKILL else 1):
        kill_group(pgid, sig)
        victims = leftovers(pgid, tag)
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        if not victims:
            return


def group_alive(pgid: int) -> bool:
    """Is any non-zombie process left in the group? (Orphaned zombies may never be reaped
    in a container without an init, so `killpg(pgid, 0)` alone is not enough.)"""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


async def run_command(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float, output_cap: int
) -> CommandResult:
    """Run argv to completion (no shell) in its own session; on timeout (or cancellation)
    kill its process group and every process it started, even those that left the group."""
    started = time.monotonic()
    tail = OutputTail(output_cap)
    tag = new_tag()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env={**env, TAG_ENV: tag},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
    except (OSError, ValueError) as exc:
        return CommandResult(None, f"cannot run {argv[0]}: {exc}", elapsed())

    async def pump() -> None:
        assert proc.stdout is not None
        while chunk := await proc.stdout.read(65536):
            tail.feed(chunk)

    reader = asyncio.create_task(pump())
    timed_out = False
    try:
        await asyncio.wait_for(proc.wait(), timeout_s)
    except TimeoutError:
        timed_out = True
        await asyncio.to_thread(kill_tree, proc.pid, tag)
        await proc.wait()
    except asyncio.CancelledError:
        kill_group(proc.pid, signal.SIGKILL)
        kill_tree(proc.pid, tag)  # no awaiting once cancelled: the /proc scan takes milliseconds
        reader.cancel()
        raise
    # A background grandchild may still hold the pipe open: give the reader a moment, no more.
    try:
        await asyncio.wait_for(asyncio.shield(reader), 1.0 if not timed_out else 0.2)
    except TimeoutError:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    output = tail.text()
    if timed_out:
        output += f"\n[timed out after {int(timeout_s * 1000)} ms; process group killed]"
        return CommandResult(None, output, elapsed(), timed_out=True)
    return CommandResult(proc.returncode, output, elapsed())
