from sqlmodel import Field, SQLModel

from agent_relay.models._types import IDS_ONLY_GROW, id_field, ms_field


class AgentToken(SQLModel, table=True):
    """A token minted for one agent id (contract §14). Only the secret's sha256 is kept: the
    secret itself is shown once, when it is minted. No foreign key: a token may be minted
    before its agent registers (a spawned agent gets its token before it starts)."""

    __tablename__ = "agent_tokens"
    __table_args__ = (IDS_ONLY_GROW,)

    id: int | None = id_field()
    agent_id: str = Field(max_length=200, index=True)
    label: str | None = Field(default=None, max_length=120)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: int = ms_field()
    last_used_at: int | None = ms_field(nullable=True)
