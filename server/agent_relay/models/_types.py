"""Column helpers shared by the table modules."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for ids that grow.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def id_field() -> Any:
    return Field(default=None, sa_column=sa.Column(BigId, primary_key=True, autoincrement=True))


def ms_field(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None if nullable else 0, sa_column=sa.Column(sa.BigInteger, nullable=nullable, index=index))


def json_field(*, nullable: bool = True, name: str | None = None) -> Any:
    column = sa.Column(name, sa.JSON, nullable=nullable) if name else sa.Column(sa.JSON, nullable=nullable)
    return Field(default=None, sa_column=column)
