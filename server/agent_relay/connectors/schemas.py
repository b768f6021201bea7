from __future__ import annotations

from typing import Any

from pydantic import Field

from agent_relay.connectors.manifest import ConnectorAction
from agent_relay.wire import OutModel, WireModel


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
