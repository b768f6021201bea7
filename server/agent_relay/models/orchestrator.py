from typing import Any

from sqlmodel import Field, SQLModel

from agent_relay.models._types import json_field, ms_field


class Orchestrator(SQLModel, table=True):
    """A daemon on a host that spawns and supervises agents. Its managed-agent list is
    replaced as a whole by the daemon (PATCH .../agents), so it is one JSON column."""

    __tablename__ = "orchestrators"

    id: str = Field(primary_key=True, max_length=120)
    hostname: str = Field(max_length=120)
    base_dir: str = Field(max_length=500)
    providers: list[str] = json_field(nullable=False)
    env_keys: list[str] = json_field(nullable=False)
    meta: dict[str, Any] = json_field(nullable=False)
    agent_id: str = Field(max_length=200)
    status: str = Field(default="online", max_length=20)
    last_heartbeat: int = ms_field(index=True)
    managed_agents: list[dict[str, Any]] = json_field(nullable=False)
    created_at: int = ms_field()
    updated_at: int = ms_field()
