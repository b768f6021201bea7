"""The wheels a release ships: built as `python -m build` builds them (sdist, then the wheel
from the sdist), installed into a fresh virtualenv with nothing of the checkout around, the
server migrates an empty SQLite database, serves, and takes a message from the installed SDK.

Dependencies come from the package index through pip's cache; the whole module takes a minute
or two (most of it installing FastAPI, SQLAlchemy, uvicorn & co. into the new venv)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from agent_relay.migrations import alembic_home, upgrade
from agent_relay_client.client import VERSION as SDK_VERSION

from tests.support import ROOT, free_port

pytestmark = pytest.mark.timeout(900)  # a cold pip cache downloads every dependency

SERVER_PKG = ROOT / "server" / "agent_relay"
SDK_PKG = ROOT / "sdk" / "agent_relay_client"
SERVER_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@dataclass
class Wheels:
    server: Path
    sdk: Path


@dataclass
class Venv:
    root: Path
    env: dict[str, str]  # no AGENT_RELAY_*, no PYTHONPATH: nothing points back at the checkout
    cwd: Path  # outside the repository

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def run(self, *argv: str | Path, timeout: float = 60) -> str:
        done = subprocess.run(
            [str(a) for a in argv],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{argv} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done.stdout


def _clean_env(extra_path: Path | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AGENT_RELAY_") and k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Wheels:
    out = tmp_path_factory.mktemp("dist")
    logs = tmp_path_factory.mktemp("build-logs")
    # Both builds at once (each sets up its own isolated build environment).
    builds = []
    for name, src in (("server", ROOT), ("sdk", ROOT / "sdk")):
        log = (logs / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "build", "--outdir", str(out), str(src)],
            cwd=out,
            env=_clean_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        builds.append((name, proc, logs / f"{name}.log"))
    for name, proc, log_path in builds:
        assert proc.wait(timeout=600) == 0, f"building the {name} wheel failed:\n{log_path.read_text()}"
    server = sorted(out.glob("agent_relay_server-*.whl"))
    sdk = sorted(out.glob("agent_relay_client-*.whl"))
    assert len(server) == 1 and len(sdk) == 1, sorted(p.name for p in out.iterdir())
    return Wheels(server=server[0], sdk=sdk[0])


@pytest.fixture(scope="module")
def venv(wheels: Wheels, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    root = tmp_path_factory.mktemp("venv")
    cwd = tmp_path_factory.mktemp("elsewhere")
    assert not cwd.resolve().is_relative_to(ROOT)
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=120)
    env = _clean_env(root / "bin")
    env["VIRTUAL_ENV"] = str(root)
    v = Venv(root=root, env=env, cwd=cwd)
    v.run(
        v.bin / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        wheels.server,
        wheels.sdk,
        timeout=840,
    )
    return v


def _wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return {n for n in zf.namelist() if ".dist-info/" not in n and not n.endswith("/")}


def _sources(pkg: Path, prefix: str, patterns: tuple[str, ...]) -> set[str]:
    return {
        f"{prefix}/{p.relative_to(pkg).as_posix()}"
        for pattern in patterns
        for p in pkg.rglob(pattern)
        if "__pycache__" not in p.parts and p.is_file()
    }


def test_server_wheel_holds_every_module_and_the_migrations(wheels: Wheels) -> None:
    expected = _sources(SERVER_PKG, "agent_relay", ("*.py", "py.typed"))
    # The top-level alembic.ini and alembic/, as the repository keeps them, under agent_relay/_alembic.
    expected.add("agent_relay/_alembic/alembic.ini")
    expected |= _sources(ROOT / "alembic", "agent_relay/_alembic/alembic", ("*.py", "*.mako"))
    assert "agent_relay/_alembic/alembic/env.py" in expected
    # The dashboard's static files (package-data): served by the relay at / (§17).
    static = SERVER_PKG / "dashboard" / "static"
    expected |= _sources(static, "agent_relay/dashboard/static", ("*.html", "*.js", "*.css", "*.svg"))
    assert "agent_relay/dashboard/static/views/agents.js" in expected
    files = _wheel_files(wheels.server)
    missing, extra = expected - files, files - expected
    assert not missing, (
        f"not in the server wheel: {sorted(missing)} "
        "(a new package under server/agent_relay goes into [tool.setuptools] packages in pyproject.toml)"
    )
    assert not extra, f"unexpected files in the server wheel: {sorted(extra)}"


def test_sdk_wheel_holds_every_module_and_manifest(wheels: Wheels) -> None:
    expected = _sources(SDK_PKG, "agent_relay_client", ("*.py", "py.typed", "*.manifest.json"))
    assert "agent_relay_client/connectors/webhook.manifest.json" in expected
    files = _wheel_files(wheels.sdk)
    assert expected - files == set(), f"not in the SDK wheel: {sorted(expected - files)}"
    assert files - expected == set(), f"unexpected files in the SDK wheel: {sorted(files - expected)}"


def test_installed_commands_print_their_versions(venv: Venv) -> None:
    assert venv.run(venv.bin / "agent-relay", "--version").strip() == f"agent-relay {SERVER_VERSION}"
    assert venv.run(venv.bin / "relay", "--version").strip() == f"relay {SDK_VERSION}"
    dists = venv.run(
        venv.bin / "python",
        "-c",
        "from importlib.metadata import version; print(version('agent-relay-server'), version('agent-relay-client'))",
    )
    assert dists.split() == [SERVER_VERSION, SDK_VERSION]


def test_installed_packages_do_not_reference_the_checkout(venv: Venv) -> None:
    where = json.loads(
        venv.run(
            venv.bin / "python",
            "-c",
            "import json, agent_relay, agent_relay_client; from agent_relay.migrations import alembic_home; "
            "print(json.dumps([agent_relay.__file__, agent_relay_client.__file__, str(alembic_home())]))",
        )
    )
    for path in where:
        assert Path(path).resolve().is_relative_to(venv.root.resolve()), where
    assert where[2].endswith(os.path.join("agent_relay", "_alembic")), where
    # No file of the installed distributions (nor a .pth, nor a script) names the checkout:
    # not an editable finder, not a path baked in at build time.
    site = Path(
        venv.run(venv.bin / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip()
    )
    checked = [*site.glob("*.pth"), *venv.bin.iterdir()]
    for top in ("agent_relay", "agent_relay_client", "agent_relay_server-*", "agent_relay_client-*"):
        for d in site.glob(top):
            checked += [p for p in d.rglob("*") if p.is_file()]
    assert any(p.name == "env.py" for p in checked)
    needle = str(ROOT).encode()
    naming = [str(p) for p in checked if p.is_file() and needle in p.read_bytes()]
    assert naming == [], f"installed files naming {ROOT}: {naming}"


def test_installed_server_migrates_serves_and_takes_a_message(venv: Venv) -> None:
    home = venv.cwd / "relay-home"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**venv.env, "AGENT_RELAY_HOME": str(home)}
    log_path = venv.cwd / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(venv.bin / "agent-relay"), "serve", "--port", str(port), "--log-level", "info"],
            env=env,
            cwd=venv.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        health = _wait_healthy(proc, url, log_path)
        assert health["version"] == SERVER_VERSION, health
        assert (home / "relay.db").is_file(), sorted(p.name for p in home.iterdir())
        sent = venv.run(
            venv.bin / "python",
            "-c",
            "import sys; from agent_relay_client import RelayClient\n"
            "with RelayClient(sys.argv[1]) as relay:\n"
            "    relay.register('wheel-agent', 'Wheel agent')\n"
            "    print(relay.send('wheel-agent', 'hello from the wheel', sender='wheel-test').id)\n",
            url,
        )
        message_id = int(sent.strip())
        inbox = json.loads(venv.run(venv.bin / "relay", "--url", url, "inbox", "wheel-agent", "--json"))
        assert [(m["id"], m["from"], m["body"]) for m in inbox] == [
            (message_id, "wheel-test", "hello from the wheel")
        ]
        # The dashboard ships inside the wheel: its page and a view module are served.
        page = httpx.get(f"{url}/", timeout=10)
        assert page.status_code == 200 and '<script type="module" src="/dashboard/app.js">' in page.text
        assert httpx.get(f"{url}/dashboard/views/agents.js", timeout=10).status_code == 200
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    # uvicorn shuts down, then re-raises the signal it caught: -SIGTERM after a clean stop.
    log_text = log_path.read_text()
    assert proc.returncode in (0, -signal.SIGTERM), f"agent-relay serve exited {proc.returncode}:\n{log_text}"
    assert "Application shutdown complete" in log_text, log_text


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, log_path: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"agent-relay serve exited {proc.returncode}:\n{log_path.read_text()}")
        try:
            response = httpx.get(f"{url}/api/health", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"agent-relay serve did not answer /api/health within 60 s:\n{log_path.read_text()}")


def test_checkout_migrations_are_the_top_level_ones_and_leave_sys_path_alone(tmp_path: Path) -> None:
    # An editable checkout reads alembic.ini and alembic/ where the repository keeps them.
    assert alembic_home() == ROOT
    before = list(sys.path)
    upgrade(f"sqlite:///{tmp_path / 'relay.db'}")
    assert sys.path == before  # alembic.ini's prepend_sys_path = . is not applied to the relay
