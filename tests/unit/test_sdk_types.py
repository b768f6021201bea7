"""The SDK is typed end to end: `mypy --strict` passes on the examples and on a program
using every helper, and a misspelled operation or keyword fails under mypy and at run time
(no relay needed: both fail before any request)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from agent_relay_client import AsyncRelayClient, RelayClient

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).with_name("sdk_typecheck_program.py")

pytestmark = pytest.mark.timeout(300)


def mypy(tmp_path: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    # The SDK is installed editable through an import hook mypy cannot follow: point it at sdk/.
    env = {**os.environ, "MYPYPATH": str(ROOT / "sdk")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_examples_and_every_helper_pass_mypy_strict(tmp_path: Path) -> None:
    done = mypy(tmp_path, ROOT / "sdk" / "examples", PROGRAM)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_reports_a_misspelled_operation_and_unknown_keywords(tmp_path: Path) -> None:
    bad = tmp_path / "bad_program.py"
    bad.write_text(
        textwrap.dedent(
            """
            from agent_relay_client import RelayAgent, RelayClient

            client = RelayClient()
            client.get_agnet("a1")
            client.get_agent("a1", lable="x")
            client.register("a1", lable="x")
            client.send("a1", "hi", idempotency="k")
            agent: int = client.get_agent("a1")
            RelayAgent("a1", lable="x")
            """
        )
    )
    out = mypy(tmp_path, bad).stdout
    assert '"RelayClient" has no attribute "get_agnet"' in out, out
    assert out.count('Unexpected keyword argument "lable"') == 3, out
    assert 'Unexpected keyword argument "idempotency"' in out, out
    assert 'Incompatible types in assignment (expression has type "AgentCard"' in out, out


def test_a_misspelled_operation_or_keyword_raises() -> None:
    client = RelayClient("http://127.0.0.1:9")  # never reached: each call fails before the request
    with pytest.raises(AttributeError, match="no operation 'get_agnet'; did you mean 'get_agent'"):
        client.get_agnet  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match="no operation 'fly_away'"):
        client.call("fly_away")
    with pytest.raises(TypeError, match="lable"):
        client.get_agent("a1", lable="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="lable"):
        client.register("a1", lable="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="lable"):
        client.call("list_agents", lable="x")
    with pytest.raises(TypeError, match="idempotency"):
        client.send("a1", "hi", idempotency="k")  # type: ignore[call-arg]
    client.close()


async def test_the_async_client_raises_the_same() -> None:
    client = AsyncRelayClient("http://127.0.0.1:9")
    with pytest.raises(AttributeError, match="did you mean 'list_inbox'"):
        client.list_inbx  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(TypeError, match="lable"):
        await client.list_agents(lable="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="lable"):
        await client.register("a1", lable="x")  # type: ignore[call-arg]
    await client.aclose()


def test_every_operation_is_a_typed_method() -> None:
    from agent_relay_client import operations

    ops = operations()
    assert len(ops) >= 50 and "get_agent" in ops and "stream_events" not in ops  # events() follows it
    for name in ops:
        for cls in (RelayClient, AsyncRelayClient):
            method = getattr(cls, name)
            assert method.__annotations__.get("return") not in (None, "Any"), (cls, name)
