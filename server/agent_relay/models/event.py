import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import NEWEST_ROW_KEPT, id_field, ms_field


class EventRecord(SQLModel, table=True):
    """The durable event log: feeds Last-Event-ID replay and cross-process fan-out."""

    __tablename__ = "events"
    __table_args__ = (
        # PostgreSQL's read order (events/log.py): (tx, id), each row's tx its writer's
        # transaction id. SQLite leaves tx 0 (one writer: id order), so the index stays empty.
        sa.Index(
            "ix_events_tx_id",
            "tx",
            "id",
            sqlite_where=sa.text("tx > 0"),
            postgresql_where=sa.text("tx > 0"),
        ),
        NEWEST_ROW_KEPT,
    )

    id: int | None = id_field()
    name: str = Field(max_length=60)
    data: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # JSON, rendered once
    created_at: int = ms_field()  # no index: pruning walks ids, which grow with time
    # PostgreSQL: pg_current_xact_id() of the transaction that stored the row (see log.py).
    tx: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
