"""A spawn prompt is text, never an option of the agent command (issue #12 item 7)."""

from __future__ import annotations

import pytest
from agent_relay_client.orchestrator.config import parse_config


@pytest.mark.parametrize("prompt", ["--dangerously-skip-permissions", "-rf", "--", "fix it"])
def test_a_positional_prompt_comes_after_end_of_options(prompt: str) -> None:
    config = parse_config({})
    for name, mode, flags in (
        ("claude", "read-only", ["--permission-mode", "plan"]),
        ("codex", "guarded", ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"]),
    ):
        argv = config.providers[name].argv(mode, prompt)
        assert argv == [name, *flags, "--", prompt]
