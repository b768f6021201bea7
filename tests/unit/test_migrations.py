"""The Alembic chain, run from empty, must produce exactly the models' schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from agent_relay.migrations import alembic_config, upgrade
from agent_relay.models import metadata
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.support import backends, postgres_admin_url


def test_upgrade_head_matches_models(database: str) -> None:
    # `database` was built by `alembic upgrade heads` from an empty database (see tests/support.py)
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree; generate a revision: {diff}"


def test_every_table_is_migrated(database: str) -> None:
    engine = sa.create_engine(database)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert set(metadata.tables) <= names


# Tables whose ids are cursors or referenced elsewhere: never handed out twice (contract §12).
# Rows may be deleted from these, so SQLite needs AUTOINCREMENT.
GROWING_IDS = {
    "messages",
    "tasks",
    "callback_deliveries",
    "channel_bindings",
    "pairs",
    "agent_tokens",
}
# These never lose their newest row (the log is pruned below it, the feed never deleted), so
# plain max(id) + 1 only grows and AUTOINCREMENT's per-insert sqlite_sequence write is waste.
NEWEST_ROW_KEPT = {"events", "activity_events"}


def _growing_id_tables() -> set[str]:
    """Every table whose key is one database-assigned integer (the id_field() users)."""
    return {
        t.name
        for t in metadata.tables.values()
        if len(t.primary_key.columns) == 1
        and isinstance(t.primary_key.columns[0].type, sa.Integer)
        and t.primary_key.columns[0].autoincrement is True
    }


def test_every_database_assigned_id_only_grows_in_the_models() -> None:
    assert _growing_id_tables() == GROWING_IDS | NEWEST_ROW_KEPT
    for name in GROWING_IDS:
        assert metadata.tables[name].dialect_options["sqlite"]["autoincrement"] is True, name
    for name in NEWEST_ROW_KEPT:
        assert metadata.tables[name].dialect_options["sqlite"]["autoincrement"] is False, name


def _sqlite_schema(url: str) -> dict[str, str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").all()
    engine.dispose()
    # batch mode quotes the names of the tables it rebuilt; whitespace differs too
    return {
        name: " ".join(sql.replace('"', "").split()) for name, sql in rows if not name.startswith("alembic")
    }


def test_migrated_ids_only_grow(database: str, tmp_path: Path) -> None:
    """autogenerate does not compare AUTOINCREMENT: check the migrated schema itself."""
    if database.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'models.db'}"
        engine = sa.create_engine(fresh)
        metadata.create_all(engine)
        engine.dispose()
        migrated = _sqlite_schema(database)
        assert migrated == _sqlite_schema(fresh)  # tables and every index, partial ones too
        for name in GROWING_IDS:
            assert "PRIMARY KEY AUTOINCREMENT" in migrated[name], name
        for name in NEWEST_ROW_KEPT:
            assert "AUTOINCREMENT" not in migrated[name], name
        return
    # PostgreSQL: ids come from sequences (BIGSERIAL), which never hand a value out twice,
    # rolled back or deleted.
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        defaults = dict(
            conn.exec_driver_sql(
                "SELECT table_name, column_default FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'id'"
            ).all()
        )
    engine.dispose()
    for name in GROWING_IDS:
        assert (defaults[name] or "").startswith("nextval("), (name, defaults[name])


@contextmanager
def _database_at(backend: str, revision: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        command.upgrade(alembic_config(url), revision)
        yield url
        return
    admin_url = postgres_admin_url()
    assert admin_url
    name = f"relay_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), revision)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _message(body: str) -> dict[str, object]:
    return {
        "from_agent": "a",
        "to_addr": "b",
        "kind": "chat",
        "body": body,
        "claimable": False,
        "created_at": 1,
    }


@pytest.mark.parametrize("backend", backends())
def test_0006_keeps_rows_and_ids_continue_above_every_one_given_out(backend: str, tmp_path: Path) -> None:
    """A relay that ran before 0006 and deleted its newest message: the upgrade keeps every
    row and index, and the next message id is above the deleted one (its activity row still
    holds it), so the send that bricked such a relay works."""
    messages, acks, activity = (metadata.tables[n] for n in ("messages", "message_acks", "activity_events"))
    with _database_at(backend, "0005", tmp_path) as url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            ids = [
                conn.execute(sa.insert(messages).values(_message(f"m{i}")).returning(messages.c.id)).scalar()
                for i in range(3)
            ]
            conn.execute(sa.insert(acks).values(message_id=ids[1], agent_id="b", acked_at=2))
            for message_id in ids:
                conn.execute(
                    sa.insert(activity).values(
                        client_id=f"server-message-{message_id}",
                        kind="message",
                        title="t",
                        message_id=message_id,
                        created_at=1,
                    )
                )
            # a client's activity row naming any messageId must not push the ids anywhere
            conn.execute(
                sa.insert(activity).values(
                    client_id="note", kind="note", title="t", message_id=10**15, created_at=1
                )
            )
            conn.execute(sa.delete(messages).where(messages.c.id == ids[2]))
        engine.dispose()

        upgrade(url)

        engine = sa.create_engine(url)
        with engine.begin() as conn:
            assert list(conn.execute(sa.select(messages.c.id, messages.c.body).order_by(messages.c.id))) == [
                (ids[0], "m0"),
                (ids[1], "m1"),
            ]
            assert list(conn.execute(sa.select(acks.c.message_id, acks.c.agent_id))) == [(ids[1], "b")]
            assert conn.execute(sa.select(sa.func.count()).select_from(activity)).scalar() == 4
            new_id = conn.execute(
                sa.insert(messages).values(_message("new")).returning(messages.c.id)
            ).scalar()
            assert new_id == ids[2] + 1
            new_activity = conn.execute(
                sa.insert(activity)
                .values(client_id="later", kind="note", title="t", created_at=1)
                .returning(activity.c.id)
            ).scalar()
            assert new_activity > 4
        engine.dispose()
        if backend == "sqlite":  # and back: the rows survive a downgrade too
            command.downgrade(alembic_config(url), "0005")
            assert "AUTOINCREMENT" not in _sqlite_schema(url)["messages"]
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar() == 3
                assert conn.execute(sa.select(sa.func.count()).select_from(acks)).scalar() == 1
            engine.dispose()
