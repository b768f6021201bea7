"""The database layer: engines and statement helpers (engine.py), and the single writer
that group-commits every write (writer.py). It imports no domain package and no event code:
the writer hands its events to whatever `EventSink` it is started with (the event bus)."""

from agent_relay.db.engine import Prepared, dumps_json, enable_wal, json_from_db, make_engine, savepoint
from agent_relay.db.writer import Database, EventSink, PendingEvent, UnitOfWork

__all__ = [
    "Database",
    "EventSink",
    "PendingEvent",
    "Prepared",
    "UnitOfWork",
    "dumps_json",
    "enable_wal",
    "json_from_db",
    "make_engine",
    "savepoint",
]
