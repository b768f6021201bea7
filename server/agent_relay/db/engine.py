"""Engines, SQLite pragmas, and the statement helpers the hot paths share.

`Prepared` compiles a statement once per dialect and runs it on the bare DBAPI cursor;
`savepoint` wraps a statement that may hit a unique key; `dumps_json` serializes JSON
columns for them. Nothing here knows about jobs, events or domains.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str, *, writer: bool = False, inline_reader: bool = False) -> Engine:
    """`inline_reader` (SQLite): reads on the event loop, which must never wait inside
    SQLite for a lock either (Database.read_inline): one connection, busy timeout 0."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 0 if inline_reader else 30},
            pool_size=1 if writer or inline_reader else 8,
            max_overflow=0 if writer else 4 if inline_reader else 16,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
        _install_sqlite_pragmas(
            engine,
            begin="BEGIN IMMEDIATE" if writer else "BEGIN",
            checkpoints=not writer,
            # The writer never waits inside SQLite for another process's write lock (on the
            # event loop that wait froze every request): BEGIN IMMEDIATE fails at once with
            # SQLITE_BUSY and the writer retries the batch later (db/writer.py).
            busy_timeout_ms=0 if writer or inline_reader else 30_000,
        )
        return engine
    return sa.create_engine(
        url,
        pool_size=4,
        max_overflow=16,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )


def enable_wal(engine: Engine) -> None:
    """WAL is a property of the database file: set it once, before any other connection,
    because switching modes needs the file to itself."""
    raw = engine.raw_connection()  # outside SQLAlchemy's transaction: the pragma refuses to run in one
    try:
        raw.cursor().execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()


def _install_sqlite_pragmas(
    engine: Engine, *, begin: str, checkpoints: bool = True, busy_timeout_ms: int = 30_000
) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; take it over as SQLAlchemy documents.
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable across app crashes; WAL keeps it consistent
        cur.execute("PRAGMA foreign_keys=ON")
        if not checkpoints:
            # The writer never checkpoints inside a commit (that fsync would stall every
            # request behind it); the checkpointer thread does it in the background.
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The writer takes the write lock up front (no deadlock on lock upgrade).
        conn.exec_driver_sql(begin)


class Prepared:
    """A statement compiled once per dialect and run straight on the DBAPI cursor.

    For the hot paths only (send and its activity row, the inbox read): SQLAlchemy's
    per-execute machinery costs ~60 µs a statement here, the bare cursor ~5 µs. Parameters
    are plain Python values; JSON columns must be passed already serialized (`dumps_json`)."""

    def __init__(self, statement: sa.sql.Executable) -> None:
        self.statement = statement
        self._by_dialect: dict[str, tuple[str, list[str] | None, dict[str, Any]]] = {}

    def _compiled(self, dialect: sa.engine.Dialect) -> tuple[str, list[str] | None, dict[str, Any]]:
        cached = self._by_dialect.get(dialect.name)
        if cached is None:
            compiled = self.statement.compile(dialect=dialect)
            positional = dialect.paramstyle in ("qmark", "format", "numeric")
            names = list(compiled.positiontup or []) if positional else None
            # values SQLAlchemy bound by itself (e.g. SQLite's OFFSET 0 after a LIMIT ?)
            defaults = {k: v for k, v in compiled.params.items() if v is not None}
            cached = (compiled.string, names, defaults)
            self._by_dialect[dialect.name] = cached
        return cached

    def execute(self, conn: Connection, params: dict[str, Any]) -> Any:
        sql, names, defaults = self._compiled(conn.dialect)
        if defaults:
            params = {**defaults, **params}
        args = [params[n] for n in names] if names is not None else params
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with _as_sqlalchemy_errors(conn, sql, args):
            cursor.execute(sql, args)
        return cursor

    @classmethod
    def insert_returning_id(cls, table: sa.Table) -> Prepared:
        """INSERT of every column but the id (the database assigns it), RETURNING id."""
        columns = [c.key for c in table.columns if c.key != "id"]
        return cls(sa.insert(table).values({c: sa.bindparam(c) for c in columns}).returning(table.c.id))

    def scalar(self, conn: Connection, params: dict[str, Any]) -> Any:
        row = self.execute(conn, params).fetchone()
        return None if row is None else row[0]

    def scalars_pipelined(self, conn: Connection, params_list: list[dict[str, Any]]) -> list[Any]:
        """PostgreSQL only: run the statement once per params in one pipelined round trip
        (psycopg's executemany) and return each run's first column, in order."""
        sql, _, defaults = self._compiled(conn.dialect)
        if defaults:
            params_list = [{**defaults, **params} for params in params_list]
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with _as_sqlalchemy_errors(conn, sql, params_list):
            cursor.executemany(sql, params_list, returning=True)
        values = []
        while True:
            values.append(cursor.fetchone()[0])
            if not cursor.nextset():
                return values


@contextlib.contextmanager
def _as_sqlalchemy_errors(conn: Connection, sql: str, params: Any) -> Iterator[None]:
    """Raise what SQLAlchemy would (IntegrityError, OperationalError, …) for a statement run
    on the DBAPI cursor, so callers handle its errors like any other statement's."""
    try:
        yield
    except conn.dialect.loaded_dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error) from exc


@contextlib.contextmanager
def savepoint(conn: Connection, name: str = "relay_inner") -> Iterator[None]:
    """A raw SAVEPOINT around a statement that may hit a unique key (an idempotent insert
    racing another process): ~10x cheaper than conn.begin_nested() on the send path."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
        cursor.execute(f"RELEASE SAVEPOINT {name}")
        raise
    cursor.execute(f"RELEASE SAVEPOINT {name}")


def dumps_json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def json_from_db(value: Any) -> Any:
    """A JSON column's value as a raw DBAPI cursor returns it: SQLite hands back the text,
    psycopg the parsed value (and NULL is None on both)."""
    return orjson.loads(value) if isinstance(value, str) else value
