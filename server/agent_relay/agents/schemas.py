from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypedDict

from pydantic import Field, StringConstraints

from agent_relay.wire import Epoch, OutModel, WireModel, WireShape, empty_dict, empty_list

if TYPE_CHECKING:  # messages.schemas imports this module (SessionFields)
    from agent_relay.messages.schemas import MessageRecord

AgentKind = Literal["provider", "channel", "orchestrator", "system", "user"]
AgentStatus = Literal["online", "idle", "busy", "offline"]
AGENT_KINDS: tuple[str, ...] = AgentKind.__args__  # type: ignore[attr-defined]
AGENT_STATUSES: tuple[str, ...] = AgentStatus.__args__  # type: ignore[attr-defined]

TagList = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=120)]], Field(max_length=64)
]


class SessionFields(WireModel):
    instance_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    epoch: Epoch | None = None


class AgentRegister(SessionFields):
    id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: AgentKind | None = None
    status: AgentStatus | None = None
    ready: bool | None = None
    label: Annotated[str, StringConstraints(max_length=120)] | None = None
    tags: TagList | None = None
    capabilities: TagList | None = None
    meta: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "claude-1",
                    "name": "Claude on build host",
                    "kind": "provider",
                    "label": "backend",
                    "tags": ["python"],
                    "capabilities": ["review"],
                    "instanceId": "6f1c0d2e",
                    "epoch": 1,
                }
            ]
        }
    }


class Heartbeat(SessionFields):
    status: AgentStatus | None = None
    ready: bool | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"status": "busy", "ready": True, "instanceId": "6f1c0d2e", "epoch": 1}]
        }
    }


class AgentActionIn(WireModel):
    action: Literal["restart", "shutdown"]

    model_config = {"json_schema_extra": {"examples": [{"action": "restart"}]}}


class AgentCard(OutModel):
    id: str
    name: str
    kind: AgentKind
    status: AgentStatus
    ready: bool
    label: str | None = None
    tags: list[str]
    capabilities: list[str]
    meta: dict[str, Any]
    last_seen: int
    created_at: int
    instance_id: str | None = None
    epoch: int | None = None


class HeartbeatOut(OutModel):
    ok: bool
    agent: AgentCard


class AgentRecord(TypedDict):
    id: str
    name: str
    kind: AgentKind
    status: AgentStatus
    ready: bool
    label: str | None
    tags: list[str]
    capabilities: list[str]
    meta: dict[str, Any]
    lastSeen: int
    createdAt: int
    instanceId: str | None
    epoch: int | None


AGENT_WIRE = WireShape(
    AgentCard,
    AgentRecord,
    convert={"ready": bool, "tags": empty_list, "capabilities": empty_list, "meta": empty_dict},
)


class HeartbeatRecord(TypedDict):
    ok: bool
    agent: AgentRecord


class AgentActionRecord(TypedDict):
    ok: bool
    action: str
    message: MessageRecord


# -- agent tokens (contract §14) ------------------------------------------------------------


class TokenCreate(WireModel):
    label: Annotated[str, StringConstraints(max_length=120)] | None = None

    model_config = {"json_schema_extra": {"examples": [{"label": "build host"}]}}


class AgentTokenOut(OutModel):
    """A token as listed: never its secret (only its hash is stored)."""

    id: int
    agent_id: str
    label: str | None = None
    created_at: int
    last_used_at: int | None = None


class IssuedTokenOut(OutModel):
    """A token just minted: the only answer that ever carries the secret."""

    id: int
    agent_id: str
    label: str | None = None
    token: str
    created_at: int


class AgentTokenRecord(TypedDict):
    id: int
    agentId: str
    label: str | None
    createdAt: int
    lastUsedAt: int | None


class IssuedTokenRecord(TypedDict):
    id: int
    agentId: str
    label: str | None
    token: str
    createdAt: int


AGENT_TOKEN_WIRE = WireShape(AgentTokenOut, AgentTokenRecord)
ISSUED_TOKEN_WIRE = WireShape(IssuedTokenOut, IssuedTokenRecord)
