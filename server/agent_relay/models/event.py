import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import NEWEST_ROW_KEPT, id_field, ms_field


class EventRecord(SQLModel, table=True):
    """The durable event log: feeds Last-Event-ID replay and cross-process fan-out."""

    __tablename__ = "events"
    __table_args__ = NEWEST_ROW_KEPT

    id: int | None = id_field()
    name: str = Field(max_length=60)
    data: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # JSON, rendered once
    created_at: int = ms_field()  # no index: pruning walks ids, which grow with time
