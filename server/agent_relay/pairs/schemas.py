"""The pairs domain's wire: request models (the typed commands), `PairOut` and the one
place a pair's wire dict is built (`PAIR_WIRE`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

from pydantic import Field, StringConstraints

from agent_relay.agents.schemas import SessionFields
from agent_relay.wire import OutModel, WireShape

# Seed: VALID_PAIR_STATUSES.
PairStatus = Literal["pending", "active", "ended", "rejected", "expired"]
PairAction = Literal["accept", "reject", "end"]

AgentIdStr = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class PairCreate(SessionFields):
    from_: AgentIdStr = Field(alias="from")
    to: AgentIdStr
    topic: Annotated[str, StringConstraints(max_length=500)] | None = None
    ttl_ms: Annotated[int, Field(gt=0, le=7 * 24 * 3600_000)] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"from": "claude-1", "to": "codex-2", "topic": "refactor auth", "ttlMs": 600000}]
        }
    }


class PairActionIn(SessionFields):
    action: PairAction
    agent_id: AgentIdStr

    model_config = {"json_schema_extra": {"examples": [{"action": "accept", "agentId": "codex-1"}]}}


class PairMessageIn(SessionFields):
    from_: AgentIdStr = Field(alias="from")
    body: Annotated[str, StringConstraints(min_length=1)]
    subject: Annotated[str, StringConstraints(max_length=500)] | None = None
    meta: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {"examples": [{"from": "claude-1", "body": "Tests pass on my side"}]}
    }


class PairOut(OutModel):
    id: int
    from_: str = Field(alias="from")
    to: str
    agent_ids: list[str]
    topic: str | None = None
    status: PairStatus
    expires_at: int | None = None
    accepted_at: int | None = None
    ended_at: int | None = None
    ended_by: str | None = None
    created_at: int
    updated_at: int


# Functional syntax: "from" is a keyword.
PairRecord = TypedDict(
    "PairRecord",
    {
        "id": int,
        "from": str,
        "to": str,
        "agentIds": list[str],
        "topic": str | None,
        "status": PairStatus,
        "expiresAt": int | None,
        "acceptedAt": int | None,
        "endedAt": int | None,
        "endedBy": str | None,
        "createdAt": int,
        "updatedAt": int,
    },
)


def _members(row: Mapping[str, Any]) -> list[str]:
    return [row["from_agent"], row["to_agent"]]


PAIR_WIRE = WireShape(
    PairOut,
    PairRecord,
    columns={"from_": "from_agent", "to": "to_agent"},
    derive={"agent_ids": _members},
)


@dataclass(slots=True, frozen=True)
class PairQuery:
    """List filters (None: no filter); `agent_id` matches either member."""

    agent_id: str | None = None
    status: str | None = None
    before: int | None = None
    limit: int = 100
