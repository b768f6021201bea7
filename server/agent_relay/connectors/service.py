"""Connector rules: registration, config with secrets, and the lifecycle actions.

Process work (commands, the supervisor) runs on the event loop / in child processes, never
inside a writer job; the outcome is recorded afterwards in one small write job (the last
action, the enabled flag, an activity event)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from agent_relay.activity import presenter
from agent_relay.activity import service as activity
from agent_relay.agents import tokens
from agent_relay.connectors import config_schema
from agent_relay.connectors import repository as repo
from agent_relay.connectors.manifest import Manifest, validate_config
from agent_relay.connectors.runner import (
    build_env,
    connector_dir,
    expand_argv,
    run_command,
    write_config_file,
)
from agent_relay.connectors.schemas import (
    CONNECTOR_WIRE,
    ActionResultRecord,
    ConnectorRecord,
    RegisterConnector,
    masked_config,
)
from agent_relay.connectors.secrets import forget_unmarked_secrets, unmask
from agent_relay.connectors.supervisor import SpawnFailed, Supervisor, log_tail
from agent_relay.db import Database, UnitOfWork
from agent_relay.errors import BadRequest, Conflict, NotFound
from agent_relay.settings import Settings


def _record(row: RowMapping, process: Mapping[str, Any]) -> ConnectorRecord:
    """The wire form: the row with its process status (read on the event loop)."""
    return CONNECTOR_WIRE.build({**row, "process": process})


def _require(conn: Connection, connector_id: str) -> RowMapping:
    row = repo.get(conn, connector_id)
    if row is None:
        raise NotFound("connector not found")
    return row


async def list_connectors(db: Database, supervisor: Supervisor, limit: int) -> list[ConnectorRecord]:
    """Newest first."""
    rows = await db.read(lambda conn: repo.list_all(conn, limit))
    return [_record(row, supervisor.status(row["id"])) for row in rows]


async def get_connector(db: Database, supervisor: Supervisor, connector_id: str) -> ConnectorRecord:
    row = await db.read(lambda conn: _require(conn, connector_id))
    return _record(row, supervisor.status(connector_id))


# -- registry ------------------------------------------------------------------------------


class _ChangedMeanwhile(Conflict):
    def __init__(self) -> None:
        super().__init__("connector changed while its config was being validated; try again")


async def _validated(schema: dict[str, Any] | None, merged: dict[str, Any]) -> None:
    """Schema validation is CPU work (bounded by its budget): the schema checks' own threads,
    neither the event loop, the writer nor the executor database reads use."""
    if schema:
        await config_schema.POOL.run(validate_config, merged, schema)


async def parse_registration(body: Any) -> RegisterConnector:
    """POST /api/connectors' body, checked on the schema checks' threads (a large
    configSchema is CPU work)."""
    return await config_schema.POOL.run(RegisterConnector.parse, body)


async def register(
    db: Database, settings: Settings, supervisor: Supervisor, cmd: RegisterConnector
) -> ConnectorRecord:
    """Insert, or update the manifest (and config/state when given) of a known connector."""
    manifest, config, state = cmd.manifest, cmd.config, cmd.state
    schema = manifest.config_schema
    existing = await db.read(lambda conn: repo.get(conn, manifest.id))
    seen = (existing["config"] or {}) if existing is not None else {}
    merged = unmask(config, seen, schema) if config is not None else None
    if merged is not None:
        await _validated(schema, merged)
    row = await db.write(lambda uow: _store_registration(uow, manifest, merged, seen, state))
    refresh_config_file(settings, row)
    return _record(row, supervisor.status(row["id"]))


def _store_registration(
    uow: UnitOfWork,
    manifest: Manifest,
    merged: dict[str, Any] | None,
    seen: dict[str, Any],
    state: dict[str, Any] | None,
) -> RowMapping:
    values: dict[str, Any] = {
        "name": manifest.name,
        "version": manifest.version,
        "manifest": manifest.wire(),
        "updated_at": uow.now,
    }
    if state is not None:
        values["state"] = state
    existing = repo.get(uow.conn, manifest.id)
    if merged is not None:
        # validated against the stored config read before: it must not have moved since
        if ((existing["config"] or {}) if existing is not None else {}) != seen:
            raise _ChangedMeanwhile()
        values["config"] = merged
    elif existing is not None:
        old_schema = (existing["manifest"] or {}).get("configSchema")
        kept = forget_unmarked_secrets(existing["config"] or {}, old_schema, manifest.config_schema)
        if kept != (existing["config"] or {}):
            values["config"] = kept
    if existing is not None:
        row = repo.update(uow.conn, manifest.id, values)
        assert row is not None
        return row
    insert = {"id": manifest.id, "config": {}, "state": {}, "enabled": True, "created_at": uow.now, **values}
    try:
        with uow.conn.begin_nested():
            repo.insert(uow.conn, insert)
    except IntegrityError:  # registered by another process meanwhile: now it is an update
        return _store_registration(uow, manifest, merged, seen, state)
    row = repo.get(uow.conn, manifest.id)
    assert row is not None
    return row


def read_config(conn: Connection, connector_id: str) -> dict[str, Any]:
    """The stored config, secrets masked."""
    return masked_config(_require(conn, connector_id))


async def write_config(
    db: Database, settings: Settings, connector_id: str, config: dict[str, Any] | None
) -> dict[str, Any]:
    """Replace the config (`None`: the body was not a JSON object); answers it masked."""
    row = await db.read(lambda conn: _require(conn, connector_id))
    if config is None:  # 404 first, then the body (as in the seed)
        raise BadRequest("connector config must be an object")
    schema = (row["manifest"] or {}).get("configSchema")
    merged = unmask(config, row["config"] or {}, schema)
    await _validated(schema, merged)

    def store(uow: UnitOfWork) -> RowMapping:
        current = _require(uow.conn, connector_id)
        # validated against this manifest and these stored secrets: they must not have moved
        if current["manifest"] != row["manifest"] or current["config"] != row["config"]:
            raise _ChangedMeanwhile()
        updated = repo.update(uow.conn, connector_id, {"config": merged, "updated_at": uow.now})
        if updated is None:
            raise NotFound("connector not found")
        return updated

    updated = await db.write(store)
    refresh_config_file(settings, updated)
    return masked_config(updated)


def refresh_config_file(settings: Settings, row: RowMapping) -> None:
    """Keep the file a running connector reads (and re-reads on restart) current."""
    directory = settings.home_dir / "connectors" / row["id"]
    if directory.is_dir():
        write_config_file(directory, row["config"] or {})


# -- actions -------------------------------------------------------------------------------


def connector_agent_id(
    connector_id: str, manifest: Mapping[str, Any] | None, config: Mapping[str, Any] | None
) -> str:
    """The agent a connector acts as, and gets a token for: its config's `channelId`, else
    `<channelType>:<accountId or "default">` (the SDK ChannelConnector's own default), else
    `connector:<id>`."""
    config, manifest = config or {}, manifest or {}
    if isinstance(config.get("channelId"), str) and config["channelId"]:
        return config["channelId"]
    if isinstance(manifest.get("channelType"), str) and manifest["channelType"]:
        account = config.get("accountId") if isinstance(config.get("accountId"), str) else None
        return f"{manifest['channelType']}:{account or 'default'}"
    return f"connector:{connector_id}"


def _revoke_labelled(
    uow: UnitOfWork, agent_id: str, label: str, *, keep: int | None = None, only: int | None = None
) -> None:
    """Revoke the agent's tokens with `label`, but `keep` (or only the token `only`)."""
    for token in tokens.list_tokens(uow.conn, agent_id):
        if token["label"] == label and token["id"] != keep and (only is None or token["id"] == only):
            tokens.revoke(uow, agent_id, token["id"])


def _not_declared(action: str) -> BadRequest:
    return BadRequest(f"action {action} is not declared in the connector manifest")


async def run_action(
    db: Database, settings: Settings, supervisor: Supervisor, connector_id: str, action: str
) -> ActionResultRecord:
    """Run a lifecycle action and record its outcome (the last action, the enabled flag, an
    activity entry)."""
    return await _ActionRunner(db, settings, supervisor).run(connector_id, action)


class _ActionRunner:
    """Runs one action for one connector and records the outcome."""

    def __init__(self, db: Database, settings: Settings, supervisor: Supervisor) -> None:
        self.db = db
        self.settings = settings
        self.supervisor = supervisor

    async def run(self, connector_id: str, action: str) -> ActionResultRecord:
        row = await self.db.read(lambda conn: _require(conn, connector_id))
        declared: dict[str, list[str]] = (row["manifest"] or {}).get("commands") or {}
        commands = {name: expand_argv(argv) for name, argv in declared.items()}
        supervised = "start" in commands
        if action in ("install", "uninstall", "doctor") and action not in commands:
            raise _not_declared(action)
        if action in ("stop", "restart", "status") and action not in commands and not supervised:
            raise _not_declared(action)
        if action == "start" and not supervised:
            raise _not_declared(action)
        if action in ("start", "restart") and not row["enabled"]:
            raise Conflict("connector is disabled")

        directory = connector_dir(self.settings, connector_id)
        config_path = write_config_file(directory, row["config"] or {})
        agent_id = connector_agent_id(connector_id, row["manifest"], row["config"])
        # The supervised process keeps its token across its restarts, until it is stopped;
        # each one-off command gets a token of its own, revoked when it ends.
        supervised_label = f"connector {connector_id}"[:120]
        db = self.db

        def env_with(token: tokens.IssuedToken | None) -> dict[str, str]:
            return build_env(
                self.settings,
                connector_id,
                directory,
                config_path,
                agent_id=agent_id,
                token=token.token if token else None,
            )

        async def mint(label: str) -> tokens.IssuedToken | None:
            if not self.settings.token:
                return None  # an open relay has no tokens to give
            return await db.write(lambda uow: tokens.issue_token(uow, agent_id, label))

        async def revoke(label: str, keep: int | None = None, only: int | None = None) -> None:
            """Revoke the label's tokens (but `keep`), or just the token `only`."""
            if self.settings.token:
                await db.write(lambda uow: _revoke_labelled(uow, agent_id, label, keep=keep, only=only))

        timeout_s = self.settings.connector_action_timeout_ms / 1000
        cap = self.settings.connector_output_max_bytes

        async def command(name: str) -> dict[str, Any]:
            label = f"connector {connector_id} {name} {uuid.uuid4().hex[:8]}"[:120]
            env = env_with(await mint(label))
            try:
                res = await run_command(
                    commands[name], cwd=directory, env=env, timeout_s=timeout_s, output_cap=cap
                )
            finally:
                await revoke(label)
            return {
                "ok": res.ok,
                "exitCode": res.exit_code,
                "output": res.output,
                "durationMs": res.duration_ms,
                "timedOut": res.timed_out,
            }

        async def start() -> dict[str, Any]:
            issued = await mint(supervised_label)
            new_id = issued.id if issued else None
            try:
                already, output = await self.supervisor.start(
                    connector_id, commands["start"], directory, env_with(issued)
                )
            except SpawnFailed as exc:
                await revoke(supervised_label, only=new_id)
                return {"ok": False, "exitCode": exc.exit_code, "output": exc.message}
            if already:  # the running process keeps the token it has
                await revoke(supervised_label, only=new_id)
            else:  # tokens of earlier runs (a relay restart leaves them) go
                await revoke(supervised_label, keep=new_id)
            return {"ok": True, "exitCode": 0, "output": output}

        async def stop() -> list[str]:
            stopped = await self.supervisor.stop(connector_id)
            await revoke(supervised_label)
            if stopped is None:
                return ["not running"]
            return [
                f"stopped (pid {stopped['pid']})" if stopped["pid"] else "stopped (was waiting to restart)"
            ]

        t0 = time.monotonic()
        result: dict[str, Any] = {"ok": True, "exitCode": 0, "output": ""}
        new_enabled: bool | None = None
        if action in ("install", "doctor"):
            result = await command(action)
        elif action == "uninstall":
            lines = await stop() if supervised else []
            result = await command(action)
            result["output"] = "\n".join([*lines, result["output"]]).strip("\n")
        elif action in ("enable", "disable"):
            lines = []
            if action == "disable" and supervised:
                lines = await stop()
            if action in commands:
                result = await command(action)
            if result["ok"]:
                new_enabled = action == "enable"
                lines.append(f"{action}d")
            result["output"] = "\n".join([*lines, result["output"]]).strip("\n")
        elif action == "start":
            result = await start()
        elif action == "stop":
            lines = await stop() if supervised else []
            if "stop" in commands:
                result = await command("stop")
            result["output"] = "\n".join([*lines, result["output"]]).strip("\n")
        elif action == "restart":
            if supervised:
                lines = await stop()
                result = await start()
                result["output"] = "\n".join([*lines, result["output"]])
            else:
                result = await command("restart")
        elif action == "status":
            if "status" in commands:
                result = await command("status")
            elif supervised:
                status = self.supervisor.status(connector_id)
                tail = log_tail(directory, 2000)
                result["output"] = ("running" if status["running"] else "not running") + (
                    f"\n--- connector.log (tail) ---\n{tail}" if tail else ""
                )

        result.setdefault("durationMs", int((time.monotonic() - t0) * 1000))
        result["durationMs"] = max(result["durationMs"], 0)
        result.setdefault("timedOut", False)
        process = self.supervisor.status(connector_id)
        outcome = {"action": action, **result}

        def record(uow: UnitOfWork) -> ActionResultRecord:
            values: dict[str, Any] = {"updated_at": uow.now}
            if new_enabled is not None:
                values["enabled"] = new_enabled
            last = {**outcome, "at": uow.now}
            values["last_action"] = last
            updated = repo.update(uow.conn, connector_id, values)
            enabled = bool(updated["enabled"]) if updated is not None else None
            activity.record_for(uow, presenter.connector_action_ran(connector_id, outcome))
            return {**last, "enabled": enabled, "process": process}  # type: ignore[typeddict-item]

        return await self.db.write(record)
