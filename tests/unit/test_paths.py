"""Path confinement: `..`, sibling prefixes and symlinks cannot leave the base."""

from __future__ import annotations

import os
from pathlib import Path

from agent_relay.paths import confine_local, confine_remote


def test_remote_is_lexical_and_component_wise() -> None:
    assert confine_remote("/base", "/base") == "/base"
    assert confine_remote("/base/x/y", "/base") == "/base/x/y"
    assert confine_remote("/base/x/../y", "/base") == "/base/y"
    assert confine_remote("x/y", "/base") == "/base/x/y", "relative means under the base"
    assert confine_remote(None, "/base/") == "/base", "no cwd means the base itself"
    assert confine_remote("/base/./x/", "/base/") == "/base/x"
    # the seed's startsWith test let these through
    assert confine_remote("/base-other", "/base") is None
    assert confine_remote("/base-other/x", "/base") is None
    assert confine_remote("/base/../etc", "/base") is None
    assert confine_remote("../etc", "/base") is None
    assert confine_remote("x/../../etc", "/base") is None
    assert confine_remote("/etc", "/base") is None
    assert confine_remote("/", "/base") is None
    assert confine_remote("/anything", "/") == "/anything"
    assert confine_remote("/base/a\x00b", "/base") is None, "no path contains a NUL byte"


def test_remote_also_checks_symlinks_when_the_path_is_visible_here(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "ok").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (base / "escape").symlink_to(outside)
    assert confine_remote(str(base / "ok"), str(base)) == str(base / "ok")
    assert confine_remote(str(base / "escape"), str(base)) is None
    assert confine_remote("escape", str(base)) is None
    # a path that does not exist here is judged lexically
    assert confine_remote(str(base / "not-here-yet"), str(base)) == str(base / "not-here-yet")


def test_local_resolves_dots_and_symlinks(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "a" / "b").mkdir(parents=True)
    (tmp_path / "base-other").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (base / "a" / "out").symlink_to(outside)
    (base / "a" / "in").symlink_to(base / "a" / "b")
    real_base = os.path.realpath(base)

    assert confine_local(str(base), str(base)) == real_base
    assert confine_local(str(base / "a" / "b"), str(base)) == os.path.join(real_base, "a", "b")
    assert confine_local("a/b", str(base)) == os.path.join(real_base, "a", "b")
    assert confine_local(str(base / "a" / "in"), str(base)) == os.path.join(real_base, "a", "b")
    assert confine_local(str(tmp_path / "base-other"), str(base)) is None
    assert confine_local(str(base) + "/../base-other", str(base)) is None
    assert confine_local(str(base / "a" / "out"), str(base)) is None
    assert confine_local(str(base / "a" / "out" / "deeper"), str(base)) is None
    assert confine_local("/etc", str(base)) is None
    assert confine_local("a\x00b", str(base)) is None


def test_local_base_behind_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "x").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    # the base itself is a symlink: paths through either name are inside
    assert confine_local(str(link / "x"), str(link)) == os.path.realpath(real / "x")
    assert confine_local(str(real / "x"), str(link)) == os.path.realpath(real / "x")
