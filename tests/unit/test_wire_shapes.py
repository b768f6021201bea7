"""The wire shapes (WireShape, built from the Out models) give back what the models declare,
from rows as each database returns them (SQLite's 0/1 booleans, NULL lists)."""

from __future__ import annotations

from agent_relay.activity.schemas import ACTIVITY_WIRE, ActivityOut
from agent_relay.agents.schemas import AGENT_WIRE, AgentCard
from agent_relay.inbox.schemas import DRAFT_WIRE, DraftOut
from agent_relay.messages.schemas import MESSAGE_WIRE, MessageOut


def _check(model, wire: dict) -> None:
    parsed = model.model_validate(wire)
    assert parsed.model_dump(by_alias=True, mode="json") == wire


def test_message_agent_activity_shapes() -> None:
    _check(
        MessageOut,
        MESSAGE_WIRE.build(
            {
                "id": 1,
                "from_agent": "a",
                "to_addr": "b",
                "kind": "chat",
                "subject": None,
                "body": "x",
                "reply_to": None,
                "claimable": 0,
                "claimed_by": None,
                "claim_expires_at": None,
                "idempotency_key": "k",
                "meta": {"m": 1},
                "payload": None,
                "channel": None,
                "created_at": 5,
                "delivery_count": 0,
                "max_deliveries": None,
                "completed_by": None,
                "completed_at": None,
                "dead_lettered_at": None,
                "hidden_until": None,
                "traceparent": None,
            }
        ),
    )
    _check(
        AgentCard,
        AGENT_WIRE.build(
            {
                "id": "a",
                "name": "A",
                "kind": "provider",
                "status": "online",
                "ready": 1,
                "label": None,
                "tags": ["t"],
                "capabilities": None,
                "meta": None,
                "last_seen": 1,
                "created_at": 1,
                "instance_id": None,
                "epoch": None,
            }
        ),
    )
    _check(
        ActivityOut,
        ACTIVITY_WIRE.build(
            {
                "id": 1,
                "client_id": "c",
                "kind": "message",
                "title": "t",
                "body": None,
                "meta": None,
                "icon": None,
                "view": None,
                "message_id": None,
                "agent_id": None,
                "metadata": {"k": 1},
                "created_at": 3,
            }
        ),
    )
    _check(
        DraftOut,
        DRAFT_WIRE.build(
            {
                "agent_id": "a",
                "to": None,
                "subject": "s",
                "body": "",
                "kind": None,
                "meta": None,
                "updated_at": 7,
            }
        ),
    )


def test_row_builder_reads_positional_rows_like_build() -> None:
    """The inbox builds messages from the cursor's tuples (MESSAGE_WIRE.sources, in order):
    the same record as build() from a mapping, with the shape's own conversions (SQLite's
    0/1 claimable) and the extra ones given (JSON text as SQLite returns it)."""
    import orjson
    import pytest
    from agent_relay.db import json_from_db
    from agent_relay.pairs.schemas import PAIR_WIRE

    row = {
        "id": 9,
        "from_agent": "a",
        "to_addr": "label:x",
        "kind": "task",
        "subject": "s",
        "body": "b",
        "reply_to": 3,
        "claimable": 1,
        "claimed_by": "c",
        "claim_expires_at": 11,
        "idempotency_key": None,
        "meta": {"m": [1, "é"]},
        "payload": None,
        "channel": "ch",
        "created_at": 5,
        "delivery_count": 2,
        "max_deliveries": 4,
        "completed_by": None,
        "completed_at": None,
        "dead_lettered_at": None,
        "hidden_until": 12,
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    }
    stored = {**row, "meta": orjson.dumps(row["meta"]).decode()}  # SQLite's text
    build = MESSAGE_WIRE.row_builder(convert={"meta": json_from_db, "payload": json_from_db})
    wire = build(tuple(stored[c] for c in MESSAGE_WIRE.sources))
    assert wire == MESSAGE_WIRE.build(row)
    assert wire["claimable"] is True and wire["meta"] == {"m": [1, "é"]}
    assert list(wire) == list(MESSAGE_WIRE.keys)  # the same key order: the same bytes
    _check(MessageOut, wire)
    with pytest.raises(ValueError, match="derives fields"):
        PAIR_WIRE.row_builder()
    with pytest.raises(ValueError, match="no fields"):
        MESSAGE_WIRE.row_builder(convert={"nope": str})
