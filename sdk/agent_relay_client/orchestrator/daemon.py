"""The orchestrator daemon: runs coding agents in tmux sessions when the relay says so.

Loop (one worker thread does all the work, so control messages run one at a time):
  register (POST /api/orchestrators) -> re-discover its tmux sessions -> report them
  (PATCH /api/orchestrators/{id}/agents) -> drain unacked control messages from the inbox
  -> then wake on every `message.new` from the SSE stream of its inbox agent (resumed with
  Last-Event-ID), and every `poll_interval` anyway: heartbeat when due, notice sessions that
  ended, drain the inbox again. The inbox (`unread=true`) is the source of truth; SSE only
  wakes the worker, so a replayed or missed event can never run a spawn twice or not at all.

Each control message (`payload.orchestratorControl`, from `system`) is executed, the managed
list is reported, a result message is sent to `system` (`replyTo` = the control message,
`payload.orchestratorResult`), failures also become an activity entry and a log line, and
only then is the message acked."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from agent_relay_client.client import RelayClient
from agent_relay_client.errors import NotFoundError, RelayConnectionError, RelayError
from agent_relay_client.orchestrator import launch
from agent_relay_client.orchestrator.config import APPROVAL_MODES, DaemonConfig
from agent_relay_client.orchestrator.state import KEEP_DONE, StateFile
from agent_relay_client.orchestrator.tmux import SPAWN_OPTION, Tmux, TmuxError

log = logging.getLogger("agent_relay_client.orchestrator")

RELAY_PROVIDERS = ("claude", "codex")
DEFAULT_TMUX_SOCKET = "agent-relay"


class SpawnError(Exception):
    """A control message that cannot be carried out (reported, then acked)."""


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:limit]


def default_state_file(orchestrator_id: str) -> Path:
    return Path("~/.agent-relay-orchestrator").expanduser() / f"{slug(orchestrator_id, 120)}.json"


@dataclass
class Managed:
    """One agent this daemon runs: its spawn config plus what tmux says about it."""

    agent_id: str
    provider: str
    tmux_session: str
    cwd: str
    approval_mode: str
    started_at: int
    label: str | None = None
    prompt: str | None = None
    pid: int | None = None
    token_id: int | None = None  # the agent token it was started with (the id, not the secret)
    traceparent: str | None = None  # the spawn request's W3C trace context: TRACEPARENT (§17)

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "agentId": self.agent_id,
            "provider": self.provider,
            "tmuxSession": self.tmux_session,
            "cwd": self.cwd,
            "approvalMode": self.approval_mode,
            "startedAt": self.started_at,
        }
        if self.label is not None:
            out["label"] = self.label
        if self.pid is not None:
            out["pid"] = self.pid
        return out

    def saved(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "pid"}

    @classmethod
    def from_saved(cls, data: Any) -> Managed | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                agent_id=str(data["agent_id"]),
                provider=str(data["provider"]),
                tmux_session=str(data["tmux_session"]),
                cwd=str(data["cwd"]),
                approval_mode=str(data.get("approval_mode") or "guarded"),
                started_at=int(data.get("started_at") or 0),
                label=data.get("label"),
                prompt=data.get("prompt"),
                token_id=data["token_id"] if isinstance(data.get("token_id"), int) else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


class OrchestratorDaemon:
    def __init__(
        self,
        *,
        orchestrator_id: str,
        base_dir: str,
        config: DaemonConfig,
        providers: list[str] | None = None,
        hostname: str | None = None,
        url: str | None = None,
        token: str | None = None,
        tmux_socket: str | None = None,
        state_file: str | Path | None = None,
        heartbeat_interval: float | None = None,
        poll_interval: float | None = None,
        spawn_check_delay: float = 0.3,
    ) -> None:
        self.id = orchestrator_id
        self.inbox_id = f"orchestrator:{orchestrator_id}"
        self.base_dir = os.path.realpath(os.path.expanduser(base_dir))
        if not os.path.isdir(self.base_dir):
            raise ValueError(f"base directory does not exist: {base_dir}")
        self.config = config
        self.providers = list(dict.fromkeys(providers or RELAY_PROVIDERS))
        for p in self.providers:
            if p not in RELAY_PROVIDERS:
                raise ValueError(f"unknown provider {p!r} (the relay knows {', '.join(RELAY_PROVIDERS)})")
            if p not in config.providers:
                raise ValueError(f"provider {p!r} has no command in the config")
        self.hostname = hostname or socket.gethostname()
        self.client = RelayClient(url, token)
        self.url, self.token = self.client.url, self.client.token
        if shutil.which("tmux") is None:
            raise ValueError("tmux is not installed (the daemon runs every agent in a tmux session)")
        self.tmux = Tmux(tmux_socket or config.tmux_socket or DEFAULT_TMUX_SOCKET)
        self.prefix = f"relay-orch-{slug(orchestrator_id, 40)}-"
        self.state_file = StateFile(state_file or default_state_file(orchestrator_id))
        self.env_dir = self.state_file.path.parent / "spawn"  # 0600 env files for launch.py
        self.heartbeat_interval = heartbeat_interval or config.heartbeat_interval or 30.0
        self.poll_interval = poll_interval or config.poll_interval or 5.0
        self.spawn_check_delay = spawn_check_delay

        self.agents: dict[str, Managed] = {}
        self.done: list[int] = []  # control message ids executed (acked or not yet)
        self.last_event_id: int | None = None
        self._saved_event_id: int | None = None
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._registered = False

    # -- relay calls ----------------------------------------------------------------------

    def register(self) -> None:
        env_keys = sorted({k for p in self.providers for k in self.config.providers[p].env})
        self.client.register_orchestrator(
            body={
                "id": self.id,
                "hostname": self.hostname,
                "baseDir": self.base_dir,
                "providers": self.providers,
                "envKeys": env_keys,
                "meta": {"pid": os.getpid(), "tmuxSocket": self.tmux.socket, "daemon": "agent-relay-client"},
            },
        )
        self._registered = True
        log.info("registered orchestrator %s (%s, base %s)", self.id, self.hostname, self.base_dir)

    def heartbeat(self) -> None:
        try:
            self.client.heartbeat_orchestrator(self.id)
        except NotFoundError:
            log.warning("orchestrator %s was removed from the relay; registering again", self.id)
            self.register()
            self.report()

    def report(self) -> None:
        agents = [m.wire() for m in sorted(self.agents.values(), key=lambda m: m.started_at)]
        self.client.set_orchestrator_agents(self.id, body={"agents": agents})

    def _result(self, message: dict[str, Any], action: str, ok: bool, text: str, **extra: Any) -> None:
        result = {"action": action, "ok": ok, "orchestratorId": self.id, **extra}
        if not ok:
            result["error"] = text
        try:
            self.client.send(
                "system",
                text,
                sender=self.inbox_id,
                kind="system",
                subject=f"{action} {'done' if ok else 'failed'}",
                reply_to=message["id"],
                payload={"orchestratorResult": result},
            )
        except RelayError as exc:
            log.warning("could not send the %s result for message %s: %s", action, message["id"], exc)
        if ok:
            return
        try:
            self.client.create_activity(
                body={
                    "clientId": f"orchestrator-{self.id}-failed-{message['id']}"[:200],
                    "kind": "error",
                    "title": f"Orchestrator {self.id}: {action} failed"[:300],
                    "body": text,
                    "meta": self.id,
                    "icon": "ti-alert-triangle",
                    "view": "orchestrators",
                    "messageId": message["id"],
                    "agentId": self.inbox_id,
                    "metadata": result,
                },
            )
        except RelayError as exc:
            log.warning("could not record the failure of message %s: %s", message["id"], exc)

    # -- state ----------------------------------------------------------------------------

    def _save(self) -> None:
        self.state_file.save(
            {
                "version": 1,
                "orchestratorId": self.id,
                "tmuxSocket": self.tmux.socket,
                "lastEventId": self.last_event_id,
                "done": self.done[-KEEP_DONE:],
                "agents": {aid: m.saved() for aid, m in self.agents.items()},
            }
        )
        self._saved_event_id = self.last_event_id

    def rediscover(self) -> None:
        """After a (re)start: keep every saved agent whose tmux session still runs, adopt
        sessions with our prefix that carry a spawn config option, forget the rest."""
        for leftover in self.env_dir.glob("*.env"):  # a start interrupted before launch.py read it
            leftover.unlink(missing_ok=True)
        data = self.state_file.load()
        self.last_event_id = data.get("lastEventId") if isinstance(data.get("lastEventId"), int) else None
        self.done = [i for i in data.get("done") or [] if isinstance(i, int)]
        live = self.tmux.sessions()
        found = data.get("agents")
        saved: dict[str, Any] = found if isinstance(found, dict) else {}
        for raw in saved.values():
            m = Managed.from_saved(raw)
            if m is None:
                continue
            if m.tmux_session in live:
                m.pid = live[m.tmux_session]
                self.agents[m.agent_id] = m
            else:
                log.info("agent %s: session %s is gone", m.agent_id, m.tmux_session)
        known = {m.tmux_session for m in self.agents.values()}
        for name, pid in live.items():
            if not name.startswith(self.prefix) or name in known:
                continue
            raw_option = self.tmux.get_option(name, SPAWN_OPTION)
            try:
                m = Managed.from_saved(json.loads(raw_option)) if raw_option else None
            except ValueError:
                m = None
            if m is None or m.tmux_session != name:
                log.warning("tmux session %s has no spawn config; leaving it alone", name)
                continue
            m.pid = pid
            self.agents[m.agent_id] = m
        log.info("re-discovered %d running agent(s): %s", len(self.agents), ", ".join(self.agents) or "-")
        self._save()

    def reconcile(self) -> bool:
        """Drop agents whose session ended, refresh pids. True when something changed."""
        live = self.tmux.sessions()
        changed = False
        for aid, m in list(self.agents.items()):
            if m.tmux_session not in live:
                log.info("agent %s: session %s ended", aid, m.tmux_session)
                self._revoke(m)
                del self.agents[aid]
                changed = True
            elif live[m.tmux_session] != m.pid:
                m.pid = live[m.tmux_session]
                changed = True
        if changed:
            self._save()
        return changed

    # -- executing control messages -------------------------------------------------------

    def confine(self, cwd: str | None) -> str:
        """realpath `cwd` (relative = under the base directory) and require it inside it."""
        path = cwd or self.base_dir
        if not os.path.isabs(path):
            path = os.path.join(self.base_dir, path)
        real = os.path.realpath(path)
        if os.path.commonpath([self.base_dir, real]) != self.base_dir:
            raise SpawnError(f"cwd must be within orchestrator base directory: {self.base_dir}")
        if not os.path.isdir(real):
            raise SpawnError(f"cwd is not a directory: {cwd}")
        return real

    def _env(self, m: Managed, token: str | None) -> dict[str, str]:
        env = dict(self.config.providers[m.provider].env)
        env.update(
            {
                "AGENT_RELAY_URL": self.url,
                "AGENT_RELAY_AGENT_ID": m.agent_id,
                "AGENT_RELAY_APPROVAL_MODE": m.approval_mode,
                "AGENT_RELAY_ORCHESTRATOR_ID": self.id,
            }
        )
        if token:
            env["AGENT_RELAY_TOKEN"] = token
        if m.label:
            env["AGENT_RELAY_AGENT_LABEL"] = m.label
        if m.traceparent:
            env["TRACEPARENT"] = m.traceparent
        return env

    # -- the agents' own tokens (§14: nothing spawned holds the daemon's token) -----------

    def _tokens_path(self, agent_id: str) -> str:
        return f"/api/agents/{quote(agent_id, safe='')}/tokens"

    def _mint(self, m: Managed) -> str | None:
        """A fresh agent token for `m` (its previous one revoked). None on a relay without
        tokens. With an orchestrator token, the relay allows this for managed agents only,
        so `m` is reported as managed before it is started."""
        if not self.token:
            return None
        self._revoke(m)
        try:
            issued = self.client.request(
                "POST", self._tokens_path(m.agent_id), json={"label": f"orchestrator {self.id}"[:120]}
            )
        except RelayError as exc:
            raise SpawnError(f"cannot mint a token for {m.agent_id}: {exc}") from None
        m.token_id = int(issued["id"])
        return str(issued["token"])

    def _revoke(self, m: Managed) -> None:
        """Revoke the token `m` was started with (best effort: a gone token is fine)."""
        if m.token_id is None:
            return
        try:
            self.client.request("DELETE", f"{self._tokens_path(m.agent_id)}/{m.token_id}")
        except NotFoundError:
            pass
        except RelayError as exc:
            log.warning("agent %s: could not revoke token %s: %s", m.agent_id, m.token_id, exc)
            return
        m.token_id = None

    def _launch(self, m: Managed, argv: list[str], token: str | None) -> list[str]:
        """argv run through launch.py, which takes the environment from a 0600 file."""
        self.env_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        env_file = self.env_dir / f"{m.tmux_session}-{uuid.uuid4().hex[:8]}.env"
        launch.write_env_file(str(env_file), self._env(m, token))
        return [sys.executable, "-I", launch.__file__, str(env_file), "--", *argv]

    def _start(self, m: Managed) -> None:
        """Start `m` in a new tmux session (killing a leftover one of the same name)."""
        provider = self.config.providers[m.provider]
        if m.prompt and m.prompt.startswith("-") and provider.prompt_flag:
            # as a flag's value it could still be read as an option: only `--` is safe
            raise SpawnError(
                f"a prompt starting with '-' needs a positional prompt (providers.{m.provider}.promptFlag [])"
            )
        argv = provider.argv(m.approval_mode, m.prompt)
        if shutil.which(argv[0]) is None:
            raise SpawnError(f"{m.provider} command not found: {argv[0]}")
        m.cwd = self.confine(m.cwd)  # again: the directory may have changed since
        self.tmux.kill_session(m.tmux_session)
        token = self._mint(m)
        m.started_at = int(time.time() * 1000)
        command = self._launch(m, argv, token)
        try:
            self.tmux.new_session(m.tmux_session, command, cwd=m.cwd)
        except TmuxError as exc:
            Path(command[3]).unlink(missing_ok=True)
            raise SpawnError(str(exc)) from None
        self.tmux.set_option(m.tmux_session, SPAWN_OPTION, json.dumps(m.saved()))
        if self.spawn_check_delay:
            time.sleep(self.spawn_check_delay)
        live = self.tmux.sessions()
        if m.tmux_session not in live:
            raise SpawnError(f"{m.provider} agent exited right after starting: {' '.join(argv[:1])}")
        m.pid = live[m.tmux_session]
        log.info(
            "agent %s started in tmux session %s (pid %s, cwd %s)", m.agent_id, m.tmux_session, m.pid, m.cwd
        )

    def spawn(self, ctrl: dict[str, Any], traceparent: str | None = None) -> Managed:
        provider = ctrl.get("provider")
        if provider not in self.providers:
            raise SpawnError(f"orchestrator does not support provider: {provider}")
        mode = ctrl.get("approvalMode") or "guarded"
        if mode not in APPROVAL_MODES:
            raise SpawnError(f"invalid approvalMode: {mode}")
        label = ctrl.get("label") if isinstance(ctrl.get("label"), str) and ctrl.get("label") else None
        prompt = ctrl.get("prompt") if isinstance(ctrl.get("prompt"), str) and ctrl.get("prompt") else None
        cwd = self.confine(ctrl.get("cwd") if isinstance(ctrl.get("cwd"), str) else None)
        name_part = slug(label.lower(), 40) if label else ""
        agent_id = f"{provider}-{name_part + '-' if name_part else ''}{uuid.uuid4().hex[:6]}"
        m = Managed(
            agent_id=agent_id,
            provider=provider,
            tmux_session=self.prefix + agent_id,
            cwd=cwd,
            approval_mode=mode,
            started_at=0,
            label=label,
            prompt=prompt,
            traceparent=traceparent if isinstance(traceparent, str) and traceparent else None,
        )
        self.agents[agent_id] = m
        if self.token:
            self.report()  # managed before its token is minted (the relay's rule for orchestrators)
        try:
            self._start(m)
        except SpawnError:
            self._drop(m)
            if self.token:
                with contextlib.suppress(RelayError):
                    self.report()
            raise
        return m

    def _drop(self, m: Managed) -> None:
        """Stop `m`'s session, revoke its token, forget it."""
        self.tmux.kill_session(m.tmux_session)
        self._revoke(m)
        self.agents.pop(m.agent_id, None)

    def _targets(self, agent_id: Any) -> list[Managed]:
        if agent_id is None:
            return list(self.agents.values())
        if agent_id not in self.agents:
            raise SpawnError(f"agent not managed by this orchestrator: {agent_id}")
        return [self.agents[agent_id]]

    def restart(self, agent_id: str | None) -> list[str]:
        restarted, errors = [], []
        for m in self._targets(agent_id):
            try:
                self._start(m)
                restarted.append(m.agent_id)
            except SpawnError as exc:
                self._drop(m)
                errors.append(f"{m.agent_id}: {exc}")
        if errors:
            raise SpawnError("restart failed for " + "; ".join(errors))
        return restarted

    def shutdown(self, agent_id: str | None) -> list[str]:
        stopped = []
        for m in self._targets(agent_id):
            self._drop(m)
            stopped.append(m.agent_id)
            log.info("agent %s stopped (session %s)", m.agent_id, m.tmux_session)
        return stopped

    def wake_agent(self, agent_id: Any, message_ids: Any) -> str:
        """Type the configured one-line notice into a managed agent's terminal (§15 wake)."""
        if not isinstance(agent_id, str) or agent_id not in self.agents:
            raise SpawnError(f"agent not managed by this orchestrator: {agent_id}")
        count = len(message_ids) if isinstance(message_ids, list) else 1
        m = self.agents[agent_id]
        try:
            self.tmux.type_line(m.tmux_session, self.config.notice_for(agent_id, count))
        except TmuxError as exc:
            raise SpawnError(f"cannot wake {agent_id}: {exc}") from None
        return m.agent_id

    def execute(self, message: dict[str, Any]) -> None:
        """Run one control message; always ends with a report, a result and the ack.

        Trust: only `from: "system"` is obeyed. The relay authenticates that sender: it
        writes `system` itself (spawn/actions routes, admin only) and refuses it to every
        agent token (403 `token is for agent <id>`; no token can be minted for `system`), so
        only the relay or an admin-token holder can produce one (docs/orchestrators.md)."""
        ctrl = (message.get("payload") or {}).get("orchestratorControl")
        action = ctrl.get("action") if isinstance(ctrl, dict) else None
        if message.get("from") != "system" or message.get("kind") != "control" or not action:
            log.info(
                "ignoring message %s from %s (not an orchestrator control)",
                message.get("id"),
                message.get("from"),
            )
            self._ack(message)
            return
        assert isinstance(ctrl, dict)  # `action` was found in it
        before = dict(self.agents)
        extra: dict[str, Any]
        try:
            if action == "spawn":
                m = self.spawn(ctrl, message.get("traceparent"))
                ok, text, extra = (
                    True,
                    f"spawned {m.provider} agent {m.agent_id}",
                    {"agentId": m.agent_id, "tmuxSession": m.tmux_session, "pid": m.pid},
                )
            elif action == "restart":
                ids = self.restart(ctrl.get("agentId"))
                ok, text, extra = True, f"restarted {', '.join(ids) or 'no agents'}", {"agentIds": ids}
            elif action == "shutdown":
                ids = self.shutdown(ctrl.get("agentId"))
                ok, text, extra = True, f"stopped {', '.join(ids) or 'no agents'}", {"agentIds": ids}
            elif action == "wake":
                woken = self.wake_agent(ctrl.get("agentId"), ctrl.get("messageIds"))
                ok, text, extra = True, f"woke {woken}", {"agentId": woken}
            else:
                raise SpawnError(f"unknown orchestrator action: {action}")
        except SpawnError as exc:
            ok, text, extra = False, str(exc), {}
            log.error("control message %s (%s) failed: %s", message["id"], action, exc)
        except Exception as exc:  # a bug must be reported, not kill the daemon
            ok, text, extra = False, f"{type(exc).__name__}: {exc}", {}
            log.exception("control message %s (%s) crashed", message["id"], action)
        self.done.append(message["id"])
        self._save()
        if (ok and action != "wake") or self.agents != before:  # a wake changes no agent
            self.report()
        self._result(message, action, ok, text, **{k: v for k, v in extra.items() if v is not None})
        self._ack(message)

    def _ack(self, message: dict[str, Any]) -> None:
        self.client.ack(message["id"], self.inbox_id)

    def drain(self) -> None:
        """Every unacked message in the inbox, oldest first."""
        while not self.stopping.is_set():
            items = [m.to_dict() for m in self.client.inbox(self.inbox_id, unread=True, limit=100)]
            if not items:
                return
            for message in items:
                if message["id"] in self.done:
                    self._ack(message)  # executed before a crash, not acked yet
                else:
                    self.execute(message)
            if len(items) < 100:
                return

    # -- running --------------------------------------------------------------------------

    def _follow(self) -> None:
        """SSE thread: wake the worker on every new message (resumes with Last-Event-ID)."""
        sse = RelayClient(self.url, self.token)
        while not self.stopping.is_set():
            try:
                events = sse.events(
                    agent_id=self.inbox_id, last_event_id=self.last_event_id, wait=self.stopping.wait
                )
                for ev in events:
                    if ev.id is not None:
                        self.last_event_id = ev.id
                    if ev.event == "message.new":
                        self.wake.set()
                    if self.stopping.is_set():
                        return
            except RelayError as exc:
                log.warning("event stream: %s; retrying", exc)
                self.stopping.wait(self.poll_interval)

    def _start_up(self) -> None:
        delay = 0.5
        while not self.stopping.is_set():
            try:
                self.register()
                return
            except RelayConnectionError as exc:
                log.warning("%s; retrying in %.0fs", exc, delay)
                self.stopping.wait(delay)
                delay = min(delay * 2, 30)

    def run(self) -> None:
        self.rediscover()
        self._start_up()
        if self.stopping.is_set():
            return
        threading.Thread(target=self._follow, name="relay-orchestrator-events", daemon=True).start()
        next_heartbeat = 0.0
        need_report = True
        while not self.stopping.is_set():
            try:
                if time.monotonic() >= next_heartbeat:
                    self.heartbeat()
                    next_heartbeat = time.monotonic() + self.heartbeat_interval
                if self.reconcile() or need_report:
                    self.report()
                    need_report = False
                self.wake.clear()
                self.drain()
                if self.last_event_id != self._saved_event_id:
                    self._save()
            except RelayConnectionError as exc:
                log.warning("%s", exc)
                need_report = True
            except RelayError as exc:
                log.error("relay refused: %s", exc)
            self.wake.wait(self.poll_interval)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
