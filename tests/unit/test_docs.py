"""The README and docs/*.md: links stay inside the repository and resolve, every code fence
is closed and names its language, every setting has a row in docs/operations.md, and the
shell blocks run as written against a real server.

A shell block that cannot run offline (it serves forever, needs tmux/claude/PostgreSQL, …)
is preceded by `<!-- not-run: reason -->`. A block that needs the server started with some
setting is preceded by `<!-- server-env: NAME=value ... -->` (the page says so in words).
Each runnable block gets a fresh server on a fresh SQLite database; the block's
`http://127.0.0.1:4850`, `localhost:4850`, `~/.agent-relay`, `.venv/bin/` and the example
port 8787 are replaced by that server's address, home directory, this interpreter's bin
directory and a free port. `curl` is wrapped to record each call's HTTP status and body,
so the test can check what the relay answered, not only that curl exited 0. `AGENT_RELAY_URL`
(read by `relay` and the SDK) names the server too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from agent_relay.settings import Settings

from tests.support import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_LANGS = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
NOT_RUN = re.compile(r"^<!--\s*not-run:(.*?)-->\s*$")
SERVER_ENV = re.compile(r"^<!--\s*server-env:(.*?)-->\s*$")
VENV_BIN = Path(sys.executable).parent  # not resolved: the venv's bin, not the base interpreter's


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    marker: str | None  # the HTML comment right before the fence, if any

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


@dataclass
class Page:
    path: Path
    blocks: list[Block]
    prose: str  # everything outside fenced blocks
    unclosed: list[int]  # lines of fences never closed
    errors: list[str]


def parse(path: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    prose: list[str] = []
    errors: list[str] = []
    unclosed: list[int] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            prose.append(lines[i])
            i += 1
            continue
        fence, info = m.group(1), m.group(2).strip()
        start = i
        marker = None
        j = start - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and lines[j].strip().startswith("<!--"):
            marker = lines[j].strip()
        body: list[str] = []
        i += 1
        closed = False
        while i < len(lines):
            close = FENCE.match(lines[i])
            # CommonMark: a closing fence is the same character, at least as long, no info string.
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence):
                if close.group(2).strip():
                    errors.append(
                        f"{path.name}:{i + 1}: a fence with an info string inside the block opened "
                        f"at line {start + 1} (a missing closing fence?)"
                    )
                else:
                    closed = True
                    i += 1
                    break
            # `## Title` in a code block is a page heading swallowed by a missing fence (shell and
            # Python comments use one `#`).
            if re.match(r"^#{2,6} \S", lines[i]) and not info.startswith(("markdown", "md")):
                errors.append(f"{path.name}:{i + 1}: a heading inside the code block at line {start + 1}")
            body.append(lines[i])
            i += 1
        if not closed:
            unclosed.append(start + 1)
        lang = (info.split() or [""])[0]
        blocks.append(Block(path, start + 1, lang, "\n".join(body) + "\n", marker))
    return Page(path, blocks, "\n".join(prose), unclosed, errors)


PARSED = {p: parse(p) for p in PAGES}


def _without_inline_code(text: str) -> str:
    return re.sub(r"(`+)(?:(?!\1).)+?\1", " ", text, flags=re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Page) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for line in page.prose.splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = _slug(m.group(1))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def _links(page: Page) -> list[str]:
    text = _without_inline_code(page.prose)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    targets = re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)
    targets += re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, flags=re.M)
    targets += re.findall(r"href\s*=\s*[\"']([^\"']+)", text)
    targets += re.findall(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", text, flags=re.I)  # autolinks
    return targets


def test_pages_exist_and_readme_is_short() -> None:
    names = {p.name for p in PAGES}
    for required in (
        "api.md",
        "sdk.md",
        "cli.md",
        "channels.md",
        "orchestrators.md",
        "connectors.md",
        "tasks-and-pairs.md",
        "security.md",
        "scaling.md",
        "operations.md",
        "benchmarks.md",
        "architecture.md",
        "event-bus.md",
    ):
        assert required in names, f"docs/{required} is missing"
    size = (ROOT / "README.md").stat().st_size
    assert size < 15_500, f"README.md is {size} bytes; keep it under ~15 KB and move detail to docs/"
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run ") < readme.index("## "), "`make run` / `make test` come first"
    assert "make test " in readme[: readme.index("## ")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fences_are_closed_and_named(page: Path) -> None:
    parsed = PARSED[page]
    assert not parsed.unclosed, f"{page.name}: code fences opened at lines {parsed.unclosed} are never closed"
    assert not parsed.errors, "\n".join(parsed.errors)
    for block in parsed.blocks:
        assert block.lang, f"{block.id}: name the block's language (```sh, ```python, ```json, …)"


def test_fence_check_catches_a_missing_close(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("# T\n\n```bash\ncurl x\n## Next section\n\ntext\n\n```bash\nls\n```\n")
    parsed = parse(broken)
    assert parsed.errors, "a heading swallowed by an unclosed fence must be reported"
    broken.write_text("# T\n\n```sh\nls\n")
    assert parse(broken).unclosed == [3]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository_and_resolve(page: Path) -> None:
    parsed = PARSED[page]
    prose = re.sub(r"<!--.*?-->", " ", _without_inline_code(parsed.prose), flags=re.S)
    bare = re.findall(r"\b(?:https?|ftp)://\S+", prose)
    assert not bare, f"{page.name}: URLs outside code spans become links to other sites: {bare}"
    targets = _links(parsed)
    for target in targets:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I), (
            f"{page.name}: {target!r} links outside the repository"
        )
        assert not target.startswith("/"), f"{page.name}: {target!r}: use a relative link"
        path_part, _, fragment = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        assert resolved.is_relative_to(ROOT), f"{page.name}: {target!r} points outside the repository"
        assert resolved.exists(), f"{page.name}: {target!r} does not exist"
        if fragment and resolved.suffix == ".md":
            anchors = _anchors(PARSED.get(resolved) or parse(resolved))
            assert fragment in anchors, f"{page.name}: {target!r}: no heading #{fragment} in {resolved.name}"
    # Paths outside the repository, linked or not, mean nothing to a reader of a checkout.
    text = page.read_text()
    assert "../shared" not in text and not re.search(r"(?<![\w/.-])/work/", text), (
        f"{page.name} names a path outside the repository"
    )


def test_link_check_refuses_external_and_outside_links(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("[a](https://example.com) [b](../x.md) <http://h> `http://ok-in-code`\n")
    found = _links(parse(page))
    assert "https://example.com" in found and "../x.md" in found and "http://h" in found
    assert all("ok-in-code" not in t for t in found)


def test_every_setting_has_a_row_in_operations() -> None:
    text = (ROOT / "docs" / "operations.md").read_text()
    rows = set(re.findall(r"^\| `(AGENT_RELAY_[A-Z0-9_]+)` \|", text, flags=re.M))
    fields = {f"AGENT_RELAY_{name.upper()}" for name in Settings.model_fields}
    assert fields - rows == set(), f"settings without a row in docs/operations.md: {sorted(fields - rows)}"
    assert rows - fields == set(), f"rows for settings that do not exist: {sorted(rows - fields)}"


def test_python_and_json_blocks_parse() -> None:
    checked = 0
    for page in PARSED.values():
        for block in page.blocks:
            if NOT_RUN.match(block.marker or ""):
                continue
            if block.lang in ("python", "py"):
                compile(block.text, block.id, "exec")
                checked += 1
            elif block.lang == "json":
                json.loads(block.text)
                checked += 1
    assert checked >= 5


# --- running the shell blocks ---------------------------------------------------------------


def _shell_blocks() -> list[Block]:
    return [b for page in PARSED.values() for b in page.blocks if b.lang in SHELL_LANGS]


def test_every_skipped_shell_block_says_why() -> None:
    runnable = 0
    for block in _shell_blocks():
        m = NOT_RUN.match(block.marker or "")
        if block.marker and block.marker.startswith("<!-- not-run"):
            assert m and m.group(1).strip(), f"{block.id}: `<!-- not-run: reason -->` needs a reason"
        if not m:
            runnable += 1
    assert runnable >= 8, "the README tour and the topic pages' examples must run"


RUNNABLE = [b for b in _shell_blocks() if not NOT_RUN.match(b.marker or "")]

CURL_WRAPPER = r"""
curl() {
  local out="$DOCS_CALLS/$(date +%s%N)"
  printf '%s\n' "$*" > "$out.args"
  local rc=0
  command curl -o "$out.body" -w '%{http_code}' "$@" > "$out.code" || rc=$?
  echo "$rc" > "$out.rc"
  cat "$out.body" 2>/dev/null
  echo
  return "$rc"
}
set -eo pipefail
"""


@dataclass
class Call:
    args: str
    status: int
    body: str

    def json(self):
        return json.loads(self.body)


def _curl_supports_json() -> bool:
    if not shutil.which("curl"):
        return False
    return "--json" in subprocess.run(["curl", "--help", "all"], capture_output=True, text=True).stdout


def _run_block(block: Block, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], list[Call], Path]:
    env_extra: dict[str, str] = {}
    if m := SERVER_ENV.match(block.marker or ""):
        for pair in m.group(1).split():
            name, _, value = pair.partition("=")
            env_extra[name] = value
    home = tmp_path / "relay-home"
    server = ServerProcess(f"sqlite:///{home / 'relay.db'}", home, env=env_extra).start()
    try:
        script = block.text
        script = script.replace("http://127.0.0.1:4850", server.url)
        script = script.replace("localhost:4850", f"127.0.0.1:{server.port}")
        script = script.replace("~/.agent-relay", str(home))
        script = script.replace(".venv/bin/", f"{VENV_BIN}/")
        script = script.replace("8787", str(free_port()))
        calls_dir = tmp_path / "calls"
        calls_dir.mkdir()
        work = tmp_path / "cwd"
        work.mkdir()
        env = {
            **server.env,
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DOCS_CALLS": str(calls_dir),
            "AGENT_RELAY_URL": server.url,  # what `relay` and the SDK read; the default is :4850
        }
        done = subprocess.run(
            ["bash", "-c", CURL_WRAPPER + script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    finally:
        server.stop()
    calls = []
    for code in sorted(calls_dir.glob("*.code")):
        stem = code.with_suffix("")
        body = stem.with_suffix(".body")
        calls.append(
            Call(
                args=stem.with_suffix(".args").read_text().strip(),
                status=int(code.read_text() or 0),
                body=body.read_text() if body.exists() else "",
            )
        )
    return done, calls, work


def _check_specific(block: Block, calls: list[Call], work: Path, stdout: str) -> None:
    """What the relay must have answered, for the blocks whose story the page tells."""
    text = block.text
    statuses = [c.status for c in calls]
    if "review PR 42" in text:  # the README tour
        assert statuses == [201, 201, 201, 200, 200, 200], statuses
        assert calls[0].json()["id"] == "claude-1" and calls[0].json()["epoch"] == 1
        assert calls[2].json()["to"] == "label:reviewers" and calls[2].json()["claimable"] is True
        inbox = calls[3].json()
        assert [m["body"] for m in inbox] == ["review PR 42"], inbox
        assert calls[4].json()["claimedBy"] == "codex-1"
    elif "/api/channels/slack:T1/events" in text:
        assert statuses[:3] == [201, 201, 201], statuses
        event = calls[2].json()
        assert event["created"] is True and [m["to"] for m in event["messages"]] == ["label:support"], event
        assert event["messages"][0]["claimable"] is True and event["messages"][0]["body"] == "deploy is red"
        routes = calls[3].json()
        assert [c["to"] for c in routes["candidates"] if c["chosen"]] == ["label:support"], routes
        assert calls[4].status == 201 and len(calls[4].json()["id"]) == 64  # sha256 blob id
    elif "api/integrations/events" in text:
        assert statuses == [201, 200, 200, 200], statuses
        assert calls[0].json()["source"] == "ci" and calls[1].json()["claimedBy"] == "claude-1"
        assert calls[2].json()["status"] == "done"
        assert {d["event"] for d in calls[3].json()} >= {"task.created"}
    elif "api/pairs" in text:
        assert statuses == [201, 200, 201, 200], statuses
        assert calls[1].json()["status"] == "active" and calls[3].json()["status"] == "ended"
    elif "api/orchestrators" in text:
        assert statuses == [201, 202, 200], statuses
        controls = [m["payload"]["orchestratorControl"] for m in calls[2].json()]
        assert controls and controls[0]["action"] == "spawn" and controls[0]["cwd"] == "/home/dev/src/app"
    elif "webhook.manifest.json" in text:
        assert statuses == [201, 200, 200, 202, 200, 200], statuses
        assert calls[2].json()["ok"] is True and calls[2].json()["process"]["running"] is True
        assert calls[3].json()["created"] is True  # the signed POST became a channel event
        assert calls[4].json()["process"]["running"] is True
        assert calls[5].json()["ok"] is True and calls[5].json()["process"]["running"] is False
    elif "api/health" in text or "api/system/reap" in text:
        assert statuses == [200] and calls[0].json()["ok"] is True
    elif "agent-relay openapi" in text:
        spec = json.loads((work / "openapi.json").read_text())
        assert "/api/messages" in spec["paths"]
        assert json.loads(stdout.strip().splitlines()[-1])["ok"] is True  # the reap sweep
    elif "relay-backup.db" in text:
        assert stdout.split() == ["ok"], stdout  # integrity_check of the copy
        assert (work / "relay-backup.db").stat().st_size > 0
    # Any other block: it exited 0 and every relay answer was a 2xx JSON body (checked by the caller).


@pytest.mark.skipif(not _curl_supports_json(), reason="needs curl 7.82+ (curl --json), as the docs say")
@pytest.mark.skipif(not shutil.which("openssl"), reason="the webhook example signs with openssl")
@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.id)
def test_shell_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    done, calls, work = _run_block(block, tmp_path)
    assert done.returncode == 0, f"{block.id} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    for call in calls:
        assert 200 <= call.status < 300, f"{block.id}: curl {call.args} -> {call.status} {call.body[:300]}"
        if call.body.strip():
            call.json()  # every answer is JSON
    _check_specific(block, calls, work, done.stdout)
