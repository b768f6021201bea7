from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from pydantic import Field

from agent_relay.connectors.manifest import ConnectorAction, Manifest, parse_manifest
from agent_relay.connectors.secrets import mask
from agent_relay.errors import BadRequest
from agent_relay.wire import OutModel, WireModel, WireShape, empty_dict


class ConnectorActionIn(WireModel):
    action: ConnectorAction

    model_config = {"json_schema_extra": {"examples": [{"action": "start"}]}}


class ProcessStatus(OutModel):
    running: bool
    supervised: bool = Field(description="The relay is keeping this connector's process alive")
    pid: int | None = None
    started_at: int | None = None
    uptime_ms: int | None = None
    restarts: int = 0
    last_exit: dict[str, Any] | None = Field(default=None, description="{code, at, ranMs} of the last crash")
    next_restart_at: int | None = None


class ActionResultOut(OutModel):
    ok: bool
    action: ConnectorAction
    exit_code: int | None = None
    output: str
    duration_ms: int
    timed_out: bool = False
    at: int | None = None
    enabled: bool | None = None
    process: ProcessStatus | None = None


class ConnectorOut(OutModel):
    id: str
    name: str
    version: str
    description: str
    channel_type: str | None = None
    manifest: dict[str, Any] = Field(description="The manifest as registered")
    enabled: bool
    running: bool
    process: ProcessStatus
    last_action: ActionResultOut | None = None
    state: dict[str, Any]
    config: dict[str, Any] = Field(description='The config; secret properties read back as "********"')
    created_at: int
    updated_at: int


# -- records --------------------------------------------------------------------------------


class ProcessRecord(TypedDict, total=False):
    """The supervisor's view of a connector's process (ProcessStatus)."""

    running: bool
    supervised: bool
    pid: int | None
    startedAt: int | None
    uptimeMs: int | None
    restarts: int
    lastExit: dict[str, Any] | None
    nextRestartAt: int | None


class ActionResultRecord(TypedDict, total=False):
    ok: bool
    action: str
    exitCode: int | None
    output: str
    durationMs: int
    timedOut: bool
    at: int
    enabled: bool | None
    process: ProcessRecord


class ConnectorRecord(TypedDict):
    id: str
    name: str
    version: str
    description: str
    channelType: str | None
    manifest: dict[str, Any]
    enabled: bool
    running: bool
    process: ProcessRecord
    lastAction: ActionResultRecord | None
    state: dict[str, Any]
    config: dict[str, Any]
    createdAt: int
    updatedAt: int


def _manifest(row: Mapping[Any, Any]) -> dict[str, Any]:
    return row["manifest"] or {}


def masked_config(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The stored config with the manifest's secret properties masked."""
    return mask(row["config"] or {}, _manifest(row).get("configSchema"))


# Built from a connector row joined with its process status (`{**row, "process": …}`).
CONNECTOR_WIRE = WireShape(
    ConnectorOut,
    ConnectorRecord,
    convert={"manifest": empty_dict, "enabled": bool, "state": empty_dict},
    derive={
        "description": lambda row: _manifest(row).get("description", ""),
        "channel_type": lambda row: _manifest(row).get("channelType"),
        "running": lambda row: row["process"]["running"],
        "config": masked_config,
    },
)


# -- commands -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterConnector:
    """POST /api/connectors: `{manifest, config?, state?}` or a bare manifest, parsed by
    manifest.parse_register."""

    manifest: Manifest
    config: dict[str, Any] | None
    state: dict[str, Any] | None

    @classmethod
    def parse(cls, body: Any) -> RegisterConnector:
        """Seed rules. Checking a large configSchema is CPU work: call it off the event loop."""
        if not isinstance(body, dict):
            raise BadRequest("JSON object body required")
        wrapped = "manifest" in body  # then it is the wrapped form, whatever its value
        manifest = parse_manifest(body["manifest"] if wrapped else body, "manifest" if wrapped else "")
        config = body.get("config") if wrapped and isinstance(body.get("config"), dict) else None
        state = body.get("state") if wrapped and isinstance(body.get("state"), dict) else None
        return cls(manifest, config, state)


REGISTER_EXAMPLE = {
    "manifest": {
        "id": "webhook",
        "name": "Webhook bridge",
        "version": "1.0.0",
        "description": "Posts channel events to an outside URL",
        "channelType": "webhook",
        "commands": {
            "start": ["python", "-m", "webhook_connector"],
            "doctor": ["python", "-m", "webhook_connector", "--check"],
        },
        "configSchema": {
            "type": "object",
            "properties": {"port": {"type": "integer"}, "secret": {"type": "string", "secret": True}},
            "required": ["port"],
        },
    },
    "config": {"port": 8787, "secret": "s3cret"},
}
