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
