import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import IDS_ONLY_GROW, id_field, ms_field


class ChannelBinding(SQLModel, table=True):
    """Which agents a channel's conversation events go to. One row per
    (channel, conversation or channel default, target): posting the same triple again
    updates its mode and priority."""

    __tablename__ = "channel_bindings"
    __table_args__ = (
        # NULL never collides in a unique constraint, so the channel default is stored as "".
        sa.UniqueConstraint("channel_id", "conversation_key", "target_key", name="uq_channel_bindings_route"),
        IDS_ONLY_GROW,
    )

    id: int | None = id_field()
    channel_id: str = Field(max_length=200)
    conversation_key: str = Field(default="", max_length=300)  # "" = the channel's default binding
    target_type: str = Field(max_length=20)  # agent | label | tag | capability | broadcast
    target_id: str | None = Field(default=None, max_length=240)
    target_key: str = Field(max_length=260)  # the message address the target stands for
    mode: str = Field(default="exclusive", max_length=20)
    priority: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: int = ms_field()
    updated_at: int = ms_field()
