"""Column helpers shared by the table modules."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for ids that grow.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


# Every table with an id_field() puts this in its __table_args__. Without AUTOINCREMENT,
# SQLite hands the highest id out again once its row is deleted; ids are cursors (`after`,
# Last-Event-ID) and are referenced elsewhere (an activity row per message), so one must
# never come back. PostgreSQL's sequences only grow anyway.
IDS_ONLY_GROW: dict[str, Any] = {"sqlite_autoincrement": True}
# ... except tables that never lose their newest row (the event log, pruned only below its
# newest id; the activity feed, never deleted): there max(id) + 1 only grows already, and
# AUTOINCREMENT would cost a sqlite_sequence write on every insert of the send path.
NEWEST_ROW_KEPT: dict[str, Any] = {"sqlite_autoincrement": False}


def id_field() -> Any:
    return Field(default=None, sa_column=sa.Column(BigId, primary_key=True, autoincrement=True))


def ms_field(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else 0, sa_column=sa.Column(sa.BigInteger, nullable=nullable, index=index)
    )


def json_field(*, nullable: bool = True, name: str | None = None) -> Any:
    column = sa.Column(name, sa.JSON, nullable=nullable) if name else sa.Column(sa.JSON, nullable=nullable)
    return Field(default=None, sa_column=column)
