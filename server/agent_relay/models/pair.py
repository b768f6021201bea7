"""Two agents working together on a topic."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import IDS_ONLY_GROW, id_field, ms_field


class Pair(SQLModel, table=True):
    __tablename__ = "pairs"
    __table_args__ = (
        sa.Index("ix_pairs_from_id", "from_agent", "id"),
        sa.Index("ix_pairs_to_id", "to_agent", "id"),
        sa.Index("ix_pairs_status_expires_at", "status", "expires_at"),
        IDS_ONLY_GROW,
    )

    id: int | None = id_field()
    from_agent: str = Field(max_length=200)
    to_agent: str = Field(max_length=200)
    topic: str | None = Field(default=None, max_length=500)
    status: str = Field(default="pending", max_length=20)
    expires_at: int | None = ms_field(nullable=True)  # when a pending invite lapses
    accepted_at: int | None = ms_field(nullable=True)
    ended_at: int | None = ms_field(nullable=True)
    ended_by: str | None = Field(default=None, max_length=200)
    created_at: int = ms_field()
    updated_at: int = ms_field()
