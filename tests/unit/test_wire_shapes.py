"""The hand-built wire dicts must match the response models the OpenAPI spec declares."""

from __future__ import annotations

from agent_relay.activity import repository as activity_repo
from agent_relay.activity.schemas import ActivityOut
from agent_relay.agents import repository as agents_repo
from agent_relay.agents.schemas import AgentCard
from agent_relay.messages import repository as messages_repo
from agent_relay.messages.schemas import MessageOut


def _check(model, wire: dict) -> None:
    parsed = model.model_validate(wire)
    assert parsed.model_dump(by_alias=True, mode="json") == wire


def test_message_agent_activity_shapes() -> None:
    _check(
        MessageOut,
        messages_repo.to_wire(
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
            }
        ),
    )
    _check(
        AgentCard,
        agents_repo.to_wire(
            {
                "id": "a",
                "name": "A",
                "kind": "provider",
                "status": "online",
                "ready": 1,
                "label": None,
                "tags": ["t"],
                "capabilities": [],
                "meta": {},
                "last_seen": 1,
                "created_at": 1,
                "instance_id": None,
                "epoch": None,
            }
        ),
    )
    _check(
        ActivityOut,
        activity_repo.to_wire(
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
