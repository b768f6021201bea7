"""Keeps `start`ed connector processes running.

Each supervised connector runs in its own process group (start_new_session), with stdout
and stderr appended to `connector.log` in its directory. If it exits without being asked
to, whatever is left of its group is killed and it is started again after a backoff that
doubles on each quick crash (capped) and resets once a run outlived the cap. `stop` sends
SIGTERM to the whole group, then SIGKILL after a grace period.

The supervisor lives in the server process: with several server processes, each has its
own, and a connector is supervised by the process whose API call started it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_relay import metrics
from agent_relay.clock import now_ms
from agent_relay.connectors.runner import TAG_ENV, OutputTail, group_alive, kill_tree, new_tag
from agent_relay.settings import Settings

log = logging.getLogger("agent_relay.connectors")

LOG_FILE = "connector.log"
LOG_ROTATE_BYTES = 1024 * 1024


class SpawnFailed(Exception):
    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass
class Supervised:
    connector_id: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    proc: asyncio.subprocess.Process | None = None
    started_at: int = 0  # ms since epoch of the current run
    started_mono: float = 0.0
    restarts: int = 0
    backoff_ms: int = 0
    next_restart_at: int | None = None
    last_exit: dict[str, Any] | None = None
    stopping: bool = False
    task: asyncio.Task[None] | None = None
    tag: str = field(default_factory=new_tag)  # finds processes that left the group (setsid)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def status(self) -> dict[str, Any]:
        running = self.running
        return {
            "running": running,
            "supervised": True,
            "pid": self.proc.pid if running and self.proc else None,
            "startedAt": self.started_at if running else None,
            "uptimeMs": int((time.monotonic() - self.started_mono) * 1000) if running else None,
            "restarts": self.restarts,
            "lastExit": self.last_exit,
            "nextRestartAt": None if running else self.next_restart_at,
        }


def stopped_status() -> dict[str, Any]:
    return {
        "running": False,
        "supervised": False,
        "pid": None,
        "startedAt": None,
        "uptimeMs": None,
        "restarts": 0,
        "lastExit": None,
        "nextRestartAt": None,
    }


class Supervisor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._entries: dict[str, Supervised] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._closed = False

    def _lock(self, connector_id: str) -> asyncio.Lock:
        return self._locks.setdefault(connector_id, asyncio.Lock())

    def running_count(self) -> int:
        """Supervised connector processes running now (for /metrics)."""
        return sum(1 for entry in self._entries.values() if entry.running)

    def status(self, connector_id: str) -> dict[str, Any]:
        entry = self._entries.get(connector_id)
        return entry.status() if entry else stopped_status()

    # -- start -----------------------------------------------------------------------
    async def start(
        self, connector_id: str, argv: list[str], cwd: Path, env: dict[str, str]
    ) -> tuple[bool, str]:
        """Start and supervise. Returns (already_running, output); raises SpawnFailed if the
        process cannot be started or dies within the start check."""
        if self._closed:
            raise SpawnFailed("the relay is shutting down")
        async with self._lock(connector_id):
            entry = self._entries.get(connector_id)
            if entry is not None:
                return (
                    True,
                    f"already running (pid {entry.proc.pid if entry.running and entry.proc else '-'})",
                )
            entry = Supervised(
                connector_id, argv, cwd, env, backoff_ms=self.settings.connector_backoff_initial_ms
            )
            log_path = cwd / LOG_FILE
            offset = log_path.stat().st_size if log_path.exists() else 0
            await self._spawn(entry)
            assert entry.proc is not None
            check_s = self.settings.connector_start_check_ms / 1000
            if check_s > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(entry.proc.wait()), check_s)
            if not entry.running:
                await asyncio.to_thread(kill_tree, entry.proc.pid, entry.tag)
                code = entry.proc.returncode
                output = _read_log_tail(log_path, offset, self.settings.connector_output_max_bytes)
                raise SpawnFailed(f"exited with code {code} right after start\n{output}".rstrip(), code)
            self._entries[connector_id] = entry
            entry.task = asyncio.create_task(self._watch(entry), name=f"connector-{connector_id}")
            return False, f"started (pid {entry.proc.pid}); output goes to {log_path}"

    async def _spawn(self, entry: Supervised) -> None:
        log_path = entry.cwd / LOG_FILE
        with contextlib.suppress(OSError):
            if log_path.exists() and log_path.stat().st_size > LOG_ROTATE_BYTES:
                os.replace(log_path, entry.cwd / f"{LOG_FILE}.1")
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            entry.proc = await asyncio.create_subprocess_exec(
                *entry.argv,
                cwd=entry.cwd,
                env={**entry.env, TAG_ENV: entry.tag},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=fd,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        except (OSError, ValueError) as exc:
            raise SpawnFailed(f"cannot run {entry.argv[0]}: {exc}") from exc
        finally:
            os.close(fd)
        entry.started_at = now_ms()
        entry.started_mono = time.monotonic()
        entry.next_restart_at = None
        log.info("connector %s started (pid %d)", entry.connector_id, entry.proc.pid)

    async def _watch(self, entry: Supervised) -> None:
        settings = self.settings
        while not entry.stopping:
            assert entry.proc is not None
            code = await entry.proc.wait()
            if entry.stopping:
                return
            ran_ms = int((time.monotonic() - entry.started_mono) * 1000)
            await asyncio.to_thread(kill_tree, entry.proc.pid, entry.tag)  # leftovers of the crashed run
            entry.last_exit = {"code": code, "at": now_ms(), "ranMs": ran_ms}
            if ran_ms >= settings.connector_backoff_max_ms:
                entry.backoff_ms = settings.connector_backoff_initial_ms
            delay = entry.backoff_ms
            entry.backoff_ms = min(entry.backoff_ms * 2, settings.connector_backoff_max_ms)
            log.warning("connector %s exited with %s; restarting in %d ms", entry.connector_id, code, delay)
            while not entry.stopping:
                entry.next_restart_at = now_ms() + delay
                await asyncio.sleep(delay / 1000)
                if entry.stopping:
                    return
                try:
                    await self._spawn(entry)
                    entry.restarts += 1
                    metrics.connector_restarts.labels(entry.connector_id).inc()
                    log.info("connector %s restarted (restart %d)", entry.connector_id, entry.restarts)
                    break
                except SpawnFailed as exc:
                    log.warning("connector %s could not be restarted: %s", entry.connector_id, exc.message)
                    delay = entry.backoff_ms
                    entry.backoff_ms = min(entry.backoff_ms * 2, settings.connector_backoff_max_ms)

    # -- stop ------------------------------------------------------------------------
    async def stop(self, connector_id: str) -> dict[str, Any] | None:
        """Stop a supervised connector; None if it was not supervised here."""
        async with self._lock(connector_id):
            entry = self._entries.pop(connector_id, None)
            if entry is None:
                return None
            entry.stopping = True
            if entry.task is not None:
                entry.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await entry.task
            status = entry.status()
            if entry.proc is not None:
                await self._terminate_group(entry.proc, entry.tag)
            log.info("connector %s stopped", connector_id)
            return status

    async def _terminate_group(self, proc: asyncio.subprocess.Process, tag: str) -> None:
        pgid = proc.pid
        await asyncio.to_thread(kill_tree, pgid, tag, signal.SIGTERM)
        deadline = time.monotonic() + self.settings.connector_stop_grace_ms / 1000
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), max(0.0, deadline - time.monotonic()))
        while time.monotonic() < deadline and await asyncio.to_thread(group_alive, pgid):
            await asyncio.sleep(0.05)
        await asyncio.to_thread(kill_tree, pgid, tag)  # the group and whatever escaped it
        if proc.returncode is None:
            await proc.wait()

    async def shutdown(self) -> None:
        """Stop every supervised process (server shutdown)."""
        self._closed = True
        await asyncio.gather(*(self.stop(cid) for cid in list(self._entries)), return_exceptions=True)


def _read_log_tail(path: Path, offset: int, cap: int) -> str:
    tail = OutputTail(cap)
    with contextlib.suppress(OSError), path.open("rb") as f:
        f.seek(offset)
        while chunk := f.read(65536):
            tail.feed(chunk)
    return tail.text()


def log_tail(cwd: Path, cap: int) -> str:
    path = cwd / LOG_FILE
    if not path.exists():
        return ""
    size = path.stat().st_size
    return _read_log_tail(path, max(0, size - cap), cap)
