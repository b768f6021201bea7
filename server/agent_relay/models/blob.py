import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from agent_relay.models._types import ms_field


class Blob(SQLModel, table=True):
    """Metadata of an uploaded blob. The id is the content's sha256 (hex): the bytes live
    once under AGENT_RELAY_HOME/blobs/<id[:2]>/<id>, however often they are uploaded."""

    __tablename__ = "blobs"

    id: str = Field(primary_key=True, max_length=64)
    size: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    content_type: str = Field(max_length=200)
    created_at: int = ms_field()
