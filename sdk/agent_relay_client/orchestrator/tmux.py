"""The tmux CLI, always with argv lists (no shell) and a dedicated socket (`tmux -L`)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

SPAWN_OPTION = "@agent_relay_spawn"  # session user option holding the spawn config (JSON)


class TmuxError(RuntimeError):
    pass


class Tmux:
    def __init__(self, socket: str, binary: str | None = None) -> None:
        self.socket = socket
        self.binary = binary or shutil.which("tmux") or "tmux"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(
                [self.binary, "-L", self.socket, *args],
                capture_output=True,
                text=True,
                timeout=15,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TmuxError(f"tmux {args[0]}: {exc}") from None
        if check and result.returncode != 0:
            raise TmuxError(f"tmux {args[0]} failed: {result.stderr.strip() or result.returncode}")
        return result

    def new_session(self, name: str, argv: Sequence[str], *, cwd: str) -> None:
        """No `-e KEY=value` here: `ps` would show it (the daemon passes the environment
        through launch.py and a 0600 file)."""
        cmd = ["new-session", "-d", "-s", name, "-c", cwd, "-x", "200", "-y", "50"]
        # Several arguments after the options: tmux execs them directly, without a shell.
        self._run(*cmd, *argv)

    def kill_session(self, name: str) -> bool:
        return self._run("kill-session", "-t", f"={name}", check=False).returncode == 0

    def sessions(self) -> dict[str, int | None]:
        """Live session name -> pid of its first pane ({} when no server runs)."""
        result = self._run("list-panes", "-a", "-F", "#{session_name}\t#{pane_pid}", check=False)
        if result.returncode != 0:
            return {}
        found: dict[str, int | None] = {}
        for line in result.stdout.splitlines():
            name, _, pid = line.partition("\t")
            if name not in found:
                found[name] = int(pid) if pid.isdigit() else None
        return found

    def set_option(self, name: str, option: str, value: str) -> None:
        self._run("set-option", "-q", "-t", f"={name}:", option, value, check=False)

    def get_option(self, name: str, option: str) -> str | None:
        result = self._run("show-options", "-q", "-v", "-t", f"={name}:", option, check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def type_line(self, name: str, text: str) -> None:
        """Type `text` into the session's active pane and press Enter (`-l`: literally, so
        key names in the text are not keys)."""
        self._run("send-keys", "-t", f"={name}:", "-l", text)
        self._run("send-keys", "-t", f"={name}:", "Enter")

    def kill_server(self) -> None:
        self._run("kill-server", check=False)
