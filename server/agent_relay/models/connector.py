from typing import Any

from sqlmodel import Field, SQLModel

from agent_relay.models._types import json_field, ms_field


class Connector(SQLModel, table=True):
    """A registered connector: its manifest, stored config (secrets included, masked on the
    wire), free-form state the connector reports, and the result of its last action."""

    __tablename__ = "connectors"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    version: str = Field(max_length=100)
    manifest: dict[str, Any] = json_field(nullable=False)
    config: dict[str, Any] = json_field(nullable=False)
    state: dict[str, Any] = json_field(nullable=False)
    enabled: bool = True
    last_action: dict[str, Any] | None = json_field()
    created_at: int = ms_field()
    updated_at: int = ms_field()
