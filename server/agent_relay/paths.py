"""Path confinement: is a directory inside a base directory?

The seed tested `cwd.startsWith(baseDir)`, which lets `/base-other` and `/base/../etc`
through. Here a path is inside a base only if, after resolving `..` (and symlinks where
the path can be seen), it equals the base or lies below it component-wise.

Two cases:
- `confine_local`: the path is on this host (the relay's own spawns, the directory
  picker). Both sides go through `os.path.realpath`, so `..` and every symlink on the way
  are resolved; a symlink inside the base pointing outside is outside.
- `confine_remote`: the path lives on an orchestrator's host, which the relay cannot see.
  It is resolved lexically (POSIX `normpath`: `..` and `.` collapse, no filesystem access),
  which is exactly what the daemon's host will see for a path without symlinks. When the
  path also exists here (the common one-host setup, or a shared filesystem) it is
  additionally checked with `realpath`, so a symlink escape is caught where we can see it.
  The daemon re-checks with its own realpath before it starts anything (see README).
Pure functions, no settings: unit-tested in tests/unit/test_paths.py.
"""

from __future__ import annotations

import os
import posixpath


def _inside(path: str, base: str, mod: object = os.path) -> bool:
    """Component-wise containment of two already-normalized paths."""
    try:
        return mod.commonpath([path, base]) == base  # type: ignore[attr-defined]
    except ValueError:  # one absolute, one relative (or different drives)
        return False


def confine_local(path: str, base: str) -> str | None:
    """`path` (absolute, or relative to `base`) resolved with realpath, if it lies inside
    realpath(`base`); else None."""
    if "\x00" in path or "\x00" in base:  # no such path anywhere (and os calls raise on it)
        return None
    real_base = os.path.realpath(base)
    real = os.path.realpath(os.path.join(base, path))
    return real if _inside(real, real_base) else None


def confine_remote(path: str | None, base: str) -> str | None:
    """`path` (absolute, or relative to `base`; None means the base itself) normalized
    lexically, if it lies inside `base`; else None. Also refused when the path exists on
    this host and its realpath leaves realpath(`base`)."""
    if (path and "\x00" in path) or "\x00" in base:
        return None
    norm_base = posixpath.normpath(base)
    norm = posixpath.normpath(posixpath.join(norm_base, path)) if path else norm_base
    if not _inside(norm, norm_base, posixpath):
        return None
    if os.path.lexists(norm) and not _inside(os.path.realpath(norm), os.path.realpath(norm_base)):
        return None
    return norm
