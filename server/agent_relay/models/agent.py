from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import json_field, ms_field


class Agent(SQLModel, table=True):
    __tablename__ = "agents"

    id: str = Field(primary_key=True, max_length=200)
    name: str = Field(max_length=200)
    kind: str = Field(default="provider", max_length=20)
    status: str = Field(default="online", max_length=20)
    ready: bool = True
    label: str | None = Field(default=None, max_length=120, index=True)
    tags: list[str] = json_field(nullable=False)
    capabilities: list[str] = json_field(nullable=False)
    meta: dict[str, Any] = json_field(nullable=False)
    instance_id: str | None = Field(default=None, max_length=200)
    epoch: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    last_seen: int = ms_field(index=True)
    created_at: int = ms_field()
