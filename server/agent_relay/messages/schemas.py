from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, PositiveId, WireModel, WireShape

MessageKind = Literal["chat", "channel.event", "task", "pair", "control", "system"]
MESSAGE_KINDS: tuple[str, ...] = MessageKind.__args__  # type: ignore[attr-defined]
MaxDeliveries = Annotated[int, Field(ge=1, le=1000)]
DeliveryState = Literal["pending", "delivered", "read", "claimed", "completed"]
MAX_DELAY_MS = 7 * 24 * 3600_000  # a release may hold a message back at most a week


class SendMessage(SessionFields):
    from_: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None,
        alias="from",
        description="Required, except with an agent token: its own agent by default",
    )
    to: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="An agent id, `label:X`, `tag:X`, `cap:X`, or `broadcast`"
    )
    body: Annotated[str, StringConstraints(min_length=1)]
    kind: MessageKind = "chat"
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    reply_to: PositiveId | None = None
    claimable: bool | None = None
    idempotency_key: Annotated[str, StringConstraints(min_length=1, max_length=240)] | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: Annotated[str, StringConstraints(max_length=200)] | None = None
    max_deliveries: MaxDeliveries | None = Field(
        default=None,
        description="Claimable messages: claims granted before a lapse or release dead-letters it "
        "(default AGENT_RELAY_MAX_DELIVERIES)",
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "from": "claude-1",
                    "to": "label:reviewers",
                    "kind": "task",
                    "subject": "Review PR 42",
                    "body": "Please review https://example.test/pr/42",
                    "claimable": True,
                    "idempotencyKey": "pr-42-review",
                }
            ]
        }
    }


@dataclass(slots=True, frozen=True)
class NewMessage:
    """A message the relay sends on a domain's behalf (tasks, pairs, channels, control):
    the same command as `SendMessage`, without the HTTP body's validation and session fields."""

    from_: str
    to: str
    body: str
    kind: MessageKind = "chat"
    subject: str | None = None
    reply_to: int | None = None
    claimable: bool | None = None
    idempotency_key: str | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: str | None = None
    max_deliveries: int | None = None  # None: no limit (the owning domain governs redelivery)
    traceparent: str | None = None  # W3C trace context to keep with the message (trace.parse'd)


class AgentRef(SessionFields):
    agent_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1"}]}}


class ClaimIn(AgentRef):
    lease_ms: PositiveId | None = None

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1", "leaseMs": 600000}]}}


class ReleaseIn(AgentRef):
    delay_ms: Annotated[int, Field(ge=0, le=MAX_DELAY_MS)] | None = Field(
        default=None, description="Keep the message out of every inbox and unclaimable this long"
    )

    model_config = {"json_schema_extra": {"examples": [{"agentId": "claude-1", "delayMs": 30000}]}}


class BroadcastIn(WireModel):
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    body: Annotated[str, StringConstraints(min_length=1)]

    model_config = {
        "json_schema_extra": {
            "examples": [{"subject": "Maintenance", "body": "The relay restarts at 18:00 UTC"}]
        }
    }


class MessageOut(OutModel):
    id: int
    from_: str = Field(alias="from")
    to: str
    kind: MessageKind
    subject: str | None = None
    body: str
    reply_to: int | None = None
    claimable: bool
    claimed_by: str | None = None
    claim_expires_at: int | None = None
    idempotency_key: str | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    channel: str | None = None
    created_at: int
    delivery_count: int = 0
    max_deliveries: int | None = None
    completed_by: str | None = None
    completed_at: int | None = None
    dead_lettered_at: int | None = None
    hidden_until: int | None = None
    traceparent: str | None = Field(
        default=None,
        description="The W3C `traceparent` header the send came with (invalid ones are ignored); "
        "passed on to webhooks and spawned processes",
    )


class DeliveryOut(OutModel):
    """One row of a message's delivery ledger: how far it got with one agent."""

    agent_id: str
    state: DeliveryState
    delivered_at: int | None = None
    read_at: int | None = None
    claimed_at: int | None = None
    completed_at: int | None = None
    woken_at: int | None = None


class AckOut(OutModel):
    ok: bool
    message_id: int
    agent_id: str
    acked_at: int
    completed: bool = Field(default=False, description="This ack completed the agent's claim (§15)")


class DeletedOut(OutModel):
    ok: bool
    id: int


# "from" is a keyword: the functional form is the only way to spell this record.
MessageRecord = TypedDict(
    "MessageRecord",
    {
        "id": int,
        "from": str,
        "to": str,
        "kind": MessageKind,
        "subject": str | None,
        "body": str,
        "replyTo": int | None,
        "claimable": bool,
        "claimedBy": str | None,
        "claimExpiresAt": int | None,
        "idempotencyKey": str | None,
        "meta": dict[str, Any] | None,
        "payload": dict[str, Any] | None,
        "channel": str | None,
        "createdAt": int,
        "deliveryCount": int,
        "maxDeliveries": int | None,
        "completedBy": str | None,
        "completedAt": int | None,
        "deadLetteredAt": int | None,
        "hiddenUntil": int | None,
        "traceparent": str | None,
    },
)
MESSAGE_WIRE = WireShape(
    MessageOut,
    MessageRecord,
    columns={"from_": "from_agent", "to": "to_addr"},
    convert={"claimable": bool},  # SQLite stores 0/1
)


class AckRecord(TypedDict):
    ok: bool
    messageId: int
    agentId: str
    ackedAt: int
    completed: bool


class DeletedRecord(TypedDict):
    ok: bool
    id: int


class DeliveryRecord(TypedDict):
    agentId: str
    state: DeliveryState
    deliveredAt: int | None
    readAt: int | None
    claimedAt: int | None
    completedAt: int | None
    wokenAt: int | None


def delivery_state(row: Any) -> DeliveryState:
    """The furthest step reached (a row only woken for is still pending)."""
    if row["completed_at"] is not None:
        return "completed"
    if row["claimed_at"] is not None:
        return "claimed"
    if row["read_at"] is not None:
        return "read"
    return "delivered" if row["delivered_at"] is not None else "pending"


DELIVERY_WIRE = WireShape(DeliveryOut, DeliveryRecord, derive={"state": delivery_state})
