"""Start a spawned agent with its environment read from a 0600 file, so no secret is ever
in a process's argv (`ps` shows every argument: `tmux new-session -e TOKEN=…` leaked it).

    python /path/to/launch.py ENV_FILE -- PROGRAM [ARG...]

ENV_FILE is a JSON object of strings, written 0600 by the relay; it is read, deleted, and
PROGRAM is exec'd (no shell) with this process's environment minus every AGENT_RELAY_*
variable (a long-running tmux server may carry the operator's, the admin token among them)
plus the file's variables. Run by path with the relay's interpreter: standard library only,
so it works whatever PYTHONPATH the tmux server has."""

from __future__ import annotations

import json
import os
import stat
import sys


def read_env_file(path: str) -> dict[str, str]:
    """The variables in `path`, which is deleted; refused unless it is a regular file of
    this user that no one else may read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise ValueError(f"{path} must be a file of this user with mode 0600")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = json.loads(handle.read())
    finally:
        os.close(fd)
        os.unlink(path)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path} must hold a JSON object of strings")
    return data


def write_env_file(path: str, env: dict[str, str]) -> None:
    """Write `env` for `read_env_file`: created 0600, never through an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(env, handle)


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: launch.py ENV_FILE -- PROGRAM [ARG...]", file=sys.stderr)
        return 2
    try:
        extra = read_env_file(argv[1])
    except (OSError, ValueError) as exc:
        print(f"launch: {exc}", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_RELAY_")}
    env.update(extra)
    try:
        os.execvpe(argv[3], argv[3:], env)
    except OSError as exc:
        print(f"launch: cannot run {argv[3]}: {exc}", file=sys.stderr)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv))
