"""Wire shapes for orchestrators and spawning (contract §8 and the spawn parts of §3)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypedDict

from pydantic import BeforeValidator, Field, StringConstraints

from agent_relay.messages.schemas import MessageOut
from agent_relay.wire import MAX_INT, MAX_SAFE_INTEGER, OutModel, WireModel, WireShape, empty_dict, empty_list

Provider = Literal["claude", "codex"]
PROVIDERS: tuple[str, ...] = Provider.__args__  # type: ignore[attr-defined]
ApprovalMode = Literal["open", "guarded", "read-only"]
# The seed's postAgentSpawn lists codex first: "provider must be one of: codex, claude".
SpawnProvider = Literal["codex", "claude"]

if TYPE_CHECKING:
    from agent_relay.messages.schemas import MessageRecord


def _safe_int_or_none(value: Any) -> int | None:
    """Seed: `pid` is kept only when it is a safe integer, silently dropped otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_SAFE_INTEGER:
        return value
    return None


def _number_or_none(value: Any) -> int | None:
    """Seed: `startedAt` is kept when it is a number, else it becomes now (set by the service)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) <= MAX_INT else None
    if isinstance(value, float) and math.isfinite(value) and abs(value) <= MAX_INT:
        return int(value)
    return None


SafeInt = Annotated[int | None, BeforeValidator(_safe_int_or_none)]
Timestamp = Annotated[int | None, BeforeValidator(_number_or_none)]
StrList = Annotated[list[Annotated[str, StringConstraints(max_length=200)]], Field(max_length=200)]


class OrchestratorRegister(WireModel):
    id: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    hostname: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    base_dir: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    # Checked by the service so the seed's text is kept verbatim:
    # "invalid provider: X. Must be one of: claude, codex".
    providers: StrList | None = None
    env_keys: StrList | None = None
    meta: dict[str, Any] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "build-host",
                    "hostname": "build-host.lan",
                    "baseDir": "/home/dev/src",
                    "providers": ["claude", "codex"],
                    "envKeys": ["ANTHROPIC_API_KEY"],
                }
            ]
        }
    }


class ManagedAgentIn(WireModel):
    agent_id: Annotated[str, StringConstraints(max_length=240)] = ""
    provider: Provider
    tmux_session: Annotated[str, StringConstraints(min_length=1, max_length=240)]
    cwd: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    label: Annotated[str, StringConstraints(max_length=120)] | None = None
    approval_mode: ApprovalMode = "guarded"
    pid: SafeInt = None
    started_at: Timestamp = None


class ManagedAgentsIn(WireModel):
    agents: Annotated[list[ManagedAgentIn], Field(max_length=1000)]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "agents": [
                        {
                            "agentId": "claude-7",
                            "provider": "claude",
                            "tmuxSession": "relay-claude-7",
                            "cwd": "/srv/work/app",
                            "label": "backend",
                            "approvalMode": "guarded",
                            "pid": 4242,
                        }
                    ]
                }
            ]
        }
    }


class OrchestratorSpawnIn(WireModel):
    provider: Provider
    cwd: Annotated[str, StringConstraints(max_length=500)] | None = None
    label: Annotated[str, StringConstraints(max_length=120)] | None = None
    approval_mode: ApprovalMode = "guarded"
    prompt: Annotated[str, StringConstraints(max_length=4000)] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "provider": "claude",
                    "cwd": "/srv/work/app",
                    "label": "backend",
                    "approvalMode": "guarded",
                    "prompt": "Fix the failing tests",
                }
            ]
        }
    }


class OrchestratorActionIn(WireModel):
    action: Literal["restart", "shutdown"]
    agent_id: Annotated[str, StringConstraints(max_length=240)] | None = None

    model_config = {"json_schema_extra": {"examples": [{"action": "restart", "agentId": "claude-7"}]}}


class AgentSpawnIn(WireModel):
    provider: SpawnProvider
    approval_mode: ApprovalMode = "guarded"
    cwd: Annotated[str, StringConstraints(max_length=500)] | None = None
    label: Annotated[str, StringConstraints(max_length=120)] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"provider": "codex", "approvalMode": "guarded", "cwd": "/srv/work/app", "label": "reviewer"}
            ]
        }
    }


# -- responses -------------------------------------------------------------------------


class ManagedAgent(OutModel):
    agent_id: str
    provider: Provider
    tmux_session: str
    cwd: str
    label: str | None = None
    approval_mode: ApprovalMode
    pid: int | None = None
    started_at: int


class OrchestratorOut(OutModel):
    id: str
    hostname: str
    base_dir: str
    providers: list[Provider]
    env_keys: list[str]
    meta: dict[str, Any]
    agent_id: str = Field(description="The orchestrator's inbox agent (kind orchestrator)")
    status: Literal["online", "offline"]
    last_heartbeat: int
    managed_agents: list[ManagedAgent]
    created_at: int
    updated_at: int


class OrchestratorRecord(TypedDict):
    id: str
    hostname: str
    baseDir: str
    providers: list[str]
    envKeys: list[str]
    meta: dict[str, Any]
    agentId: str
    status: str
    lastHeartbeat: int
    managedAgents: list[dict[str, Any]]  # stored as sent (camelCase ManagedAgent objects)
    createdAt: int
    updatedAt: int


ORCHESTRATOR_WIRE = WireShape(
    OrchestratorOut,
    OrchestratorRecord,
    convert={
        "providers": empty_list,
        "env_keys": empty_list,
        "meta": empty_dict,
        "managed_agents": empty_list,
    },
)


class OrchestratorSpawnOut(OutModel):
    ok: bool
    orchestrator_id: str
    message: MessageOut


class OrchestratorActionOut(OutModel):
    ok: bool
    action: str
    message: MessageOut


class SpawnCommand(OutModel):
    argv: list[str] = Field(description="What is executed (tmux … or the agent argv itself)")
    agent_argv: list[str] = Field(description="The agent's own argv (codex command + approval flags)")
    cwd: str
    env_keys: list[str] = Field(description="Environment variables set for the agent (values not shown)")


class AgentSpawnOut(OutModel):
    """202. Via an orchestrator: `orchestratorId`, `provider`, `message`. Direct (codex on
    the relay host): `direct`, `dryRun`, `mode`, `command`, and `tmuxSession` or `pid`."""

    ok: bool
    provider: SpawnProvider
    orchestrator_id: str | None = None
    message: MessageOut | None = None
    direct: bool = False
    dry_run: bool = False
    mode: Literal["tmux", "process"] | None = None
    cwd: str | None = None
    tmux_session: str | None = None
    pid: int | None = None
    command: SpawnCommand | None = None


class HostDirectory(OutModel):
    name: str
    path: str


class HostDirectoriesOut(OutModel):
    root: str
    path: str
    parent: str | None = Field(None, description="null at the root")
    directories: list[HostDirectory]


class SpawnRecord(TypedDict, total=False):
    """POST /api/agents/spawn's answer (AgentSpawnOut): via an orchestrator, or direct."""

    ok: bool
    provider: str
    orchestratorId: str
    message: MessageRecord
    direct: bool
    dryRun: bool
    mode: str
    cwd: str
    tmuxSession: str | None
    pid: int | None
    command: dict[str, Any]


class HostDirectoriesRecord(TypedDict):
    root: str
    path: str
    parent: str | None
    directories: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class SpawnPrecheck:
    """What a spawn request's body says about the orchestrator before the whole body is
    validated (the seed checks online, provider and cwd first): read leniently by the router."""

    provider: str | None
    cwd: str | None

    @classmethod
    def from_raw(cls, raw: Any) -> SpawnPrecheck:
        if not isinstance(raw, dict) or raw.get("provider") not in PROVIDERS:
            return cls(None, None)
        cwd = raw.get("cwd")
        return cls(raw["provider"], cwd if isinstance(cwd, str) and cwd and len(cwd) <= 500 else None)


@dataclass(frozen=True, slots=True)
class SpawnOrder:
    """What an orchestrator is asked to spawn (the `spawn` control payload), with `cwd`
    already resolved inside its baseDir."""

    provider: str
    cwd: str
    label: str | None
    approval_mode: str
    prompt: str | None = None

    def control_payload(self, now: int) -> dict[str, Any]:
        control = {
            "action": "spawn",
            "provider": self.provider,
            "cwd": self.cwd,
            "label": self.label,
            "approvalMode": self.approval_mode,
            "prompt": self.prompt,
            "requestedBy": "dashboard",
            "requestedAt": now,
        }
        # the seed's JSON.stringify leaves out undefined fields; so do we
        return {"orchestratorControl": {k: v for k, v in control.items() if v is not None}}
