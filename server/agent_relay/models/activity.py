from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import NEWEST_ROW_KEPT, id_field, json_field, ms_field


class ActivityEvent(SQLModel, table=True):
    __tablename__ = "activity_events"
    __table_args__ = NEWEST_ROW_KEPT
    # Few indexes on purpose: every message send writes a row here. Filters by kind or view
    # walk the primary key newest-first and stop at `limit`.

    id: int | None = id_field()
    client_id: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    body: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    meta: str | None = Field(default=None, max_length=500)
    icon: str | None = Field(default=None, max_length=80)
    view: str | None = Field(default=None, max_length=80)
    message_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    agent_id: str | None = Field(default=None, max_length=200, index=True)
    # "metadata" is reserved on declarative classes; the wire name stays "metadata".
    extra: dict[str, Any] | None = json_field(name="metadata")
    created_at: int = ms_field()
