"""The MCP tools' words (contract §16): the unread line, a message as an LLM reads it, and
the tool list's size budget, without a server."""

from __future__ import annotations

import json

from agent_relay.mcp_tools import present
from agent_relay.mcp_tools.tools import ARGS, TOOLS


def test_the_unread_line() -> None:
    assert present.unread_line(1, False) == "1 unread message: call check_inbox"
    assert present.unread_line(3, False) == "3 unread messages: call check_inbox"
    assert present.unread_line(100, True) == "100+ unread messages: call check_inbox"


def test_a_message_reads_who_when_what_and_what_to_do() -> None:
    now = 1_795_819_216_716
    m = {
        "id": 7,
        "from": "alice",
        "to": "label:workers",
        "kind": "task",
        "subject": "Build",
        "body": "x" * (present.MAX_BODY_CHARS + 10),
        "replyTo": 5,
        "claimable": True,
        "claimedBy": "w1",
        "claimExpiresAt": now + 60_000,
        "createdAt": now,
    }
    text = present.message(m, "w2", now)
    head, subject, body = text.split("\n", 2)
    assert head == (
        "#7 from alice to label:workers, 2026-11-27 22:40:16 UTC, task "
        "(claimed by w1 until 2026-11-27 22:41:16 UTC), reply to #5"
    )
    assert subject == "Subject: Build"
    assert body.endswith("[... 10 more characters]")
    assert "(claimed by you until" in present.message(m, "w1", now)
    lapsed = {**m, "claimExpiresAt": now - 1}
    assert "claimable, unclaimed: claim_message before working on it" in present.message(lapsed, "w2", now)


def test_the_tool_list_stays_small_and_every_tool_has_an_argument_model() -> None:
    wire = json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in TOOLS])
    assert len(wire) < 8000
    assert {t.name for t in TOOLS} == set(ARGS)
    for tool in TOOLS:
        model = ARGS[tool.name]
        aliases = {f.alias or name for name, f in model.model_fields.items()}
        assert aliases == set(tool.input_schema["properties"]), tool.name
        assert set(tool.input_schema.get("required", [])) == {
            f.alias or name for name, f in model.model_fields.items() if f.is_required()
        }
