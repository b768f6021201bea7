"""Connector registry, manifest validation and config (secrets masked)."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

FAKE = str(Path(__file__).resolve().parents[1] / "fixtures" / "fake_connector.py")
ACTIONS = "install, uninstall, enable, disable, start, stop, restart, status, doctor"


def manifest(**overrides) -> dict:
    base = {
        "id": "hook",
        "name": "Webhook",
        "version": "1.0.0",
        "description": "a test connector",
        "channelType": "webhook",
        "commands": {"install": [sys.executable, FAKE, "env"]},
        "configSchema": {
            "type": "object",
            "properties": {
                "port": {"type": "integer", "minimum": 1},
                "mode": {"enum": ["push", "pull"]},
                "token": {"type": "string", "secret": True},
                "auth": {"type": "object", "properties": {"password": {"type": "string", "secret": True}}},
            },
            "required": ["port"],
        },
    }
    base.update(overrides)
    return base


async def test_register_bare_and_wrapped_then_update(client: httpx.AsyncClient) -> None:
    created = await client.post("/api/connectors", json=manifest())
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == "hook" and body["name"] == "Webhook" and body["version"] == "1.0.0"
    assert body["channelType"] == "webhook" and body["enabled"] is True and body["running"] is False
    assert body["manifest"]["commands"]["install"][-1] == "env"
    assert body["lastAction"] is None and body["state"] == {} and body["config"] == {}
    assert body["process"]["supervised"] is False

    again = await client.post(
        "/api/connectors",
        json={
            "manifest": manifest(version="1.1.0-beta.1+build.5"),
            "config": {"port": 80},
            "state": {"n": 1},
        },
    )
    assert again.status_code == 201
    updated = again.json()
    assert updated["version"] == "1.1.0-beta.1+build.5" and updated["config"] == {"port": 80}
    assert updated["state"] == {"n": 1} and updated["createdAt"] == body["createdAt"]

    await client.post("/api/connectors", json=manifest(id="second", commands={}))
    listed = (await client.get("/api/connectors")).json()
    assert {c["id"] for c in listed} == {"hook", "second"}
    fetched = (await client.get("/api/connectors/hook")).json()
    assert fetched["version"] == "1.1.0-beta.1+build.5" and fetched["state"] == {"n": 1}


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"manifest": manifest(id="Bad Id")}, "manifest.id must match ^[a-z0-9][a-z0-9._-]{0,63}$"),
        (manifest(id="x" * 65), "id must match ^[a-z0-9][a-z0-9._-]{0,63}$"),
        ({k: v for k, v in manifest().items() if k != "name"}, "name required"),
        ({k: v for k, v in manifest().items() if k != "description"}, "description required"),
        (manifest(version="1.0"), "version must be a semantic version like 1.2.3"),
        ({"manifest": manifest(version="v1.0.0")}, "manifest.version must be a semantic version like 1.2.3"),
        (manifest(commands={"start": "python bridge.py"}), "commands.start must be an array"),
        (manifest(commands={"start": []}), "commands.start must not be empty"),
        (manifest(commands={"start": ["python", 3]}), "commands.start[1] must be a string"),
        (manifest(commands={"start": ["python", ""]}), "commands.start[1] must not be empty"),
        (
            manifest(commands={"launch": ["x"]}),
            f"commands has an unknown action 'launch'; actions must be one of: {ACTIONS}",
        ),
        (manifest(commands=["x"]), "commands must be an object"),
        (manifest(channelType=5), "channelType must be a string"),
        ([1, 2], "JSON object body required"),
    ],
)
async def test_manifest_validation(client: httpx.AsyncClient, payload, error: str) -> None:
    response = await client.post("/api/connectors", json=payload)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert (await client.get("/api/connectors")).json() == []


async def test_config_schema_must_be_a_json_schema(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/connectors", json=manifest(configSchema={"type": "nope"}))
    assert response.status_code == 400
    assert response.json()["error"].startswith("configSchema is not a valid JSON Schema")
    nested = await client.post(
        "/api/connectors", json={"manifest": manifest(configSchema={"properties": {"a": {"minimum": "x"}}})}
    )
    assert nested.status_code == 400
    assert nested.json()["error"].startswith(
        "manifest.configSchema is not a valid JSON Schema (at properties.a"
    )


async def test_not_found_and_bad_actions(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/connectors/nope")
    assert missing.status_code == 404 and missing.json() == {"error": "connector not found"}
    for call in (
        client.post("/api/connectors/nope/actions", json={"action": "status"}),
        client.get("/api/connectors/nope/config"),
        client.put("/api/connectors/nope/config", json={}),
    ):
        response = await call
        assert response.status_code == 404 and response.json() == {"error": "connector not found"}

    await client.post("/api/connectors", json=manifest())
    unknown = await client.post("/api/connectors/hook/actions", json={"action": "explode"})
    assert unknown.status_code == 400
    assert unknown.json() == {"error": f"action must be one of: {ACTIONS}"}
    assert (await client.post("/api/connectors/hook/actions", json={})).json() == {"error": "action required"}
    undeclared = await client.post("/api/connectors/hook/actions", json={"action": "doctor"})
    assert undeclared.status_code == 400
    assert undeclared.json() == {"error": "action doctor is not declared in the connector manifest"}
    no_start = await client.post("/api/connectors/hook/actions", json={"action": "start"})
    assert no_start.status_code == 400 and "start is not declared" in no_start.json()["error"]


async def test_config_validation_and_secret_masking(client: httpx.AsyncClient, settings) -> None:
    await client.post("/api/connectors", json=manifest())
    cases = [
        ({"port": "80"}, "config.port must be integer"),
        ({"mode": "push"}, "config.port required"),
        ({"port": 0}, "config.port must be at least 1"),
        ({"port": 1, "mode": "sideways"}, "config.mode must be one of: push, pull"),
        ({"port": 1, "auth": {"password": 5}}, "config.auth.password must be string"),
    ]
    for config, error in cases:
        response = await client.put("/api/connectors/hook/config", json=config)
        assert response.status_code == 400, config
        assert response.json() == {"error": error}
    not_object = await client.put("/api/connectors/hook/config", json=[1])
    assert not_object.status_code == 400 and not_object.json() == {
        "error": "connector config must be an object"
    }

    secret = {"port": 8080, "token": "tok-123", "auth": {"password": "pw-456"}, "mode": "push"}
    stored = await client.put("/api/connectors/hook/config", json=secret)
    assert stored.status_code == 200
    masked = {"port": 8080, "token": "********", "auth": {"password": "********"}, "mode": "push"}
    assert stored.json() == masked
    assert (await client.get("/api/connectors/hook/config")).json() == masked
    assert (await client.get("/api/connectors/hook")).json()["config"] == masked
    assert "tok-123" not in (await client.get("/api/connectors")).text

    # sending the mask back keeps the secrets; other fields change
    kept = await client.put("/api/connectors/hook/config", json={**masked, "port": 9090})
    assert kept.status_code == 200 and kept.json()["port"] == 9090
    # the connector process sees the real values, through a 0600 file named in its environment
    run = await client.post("/api/connectors/hook/actions", json={"action": "install"})
    assert run.status_code == 200, run.text
    output = run.json()["output"]
    assert "config mode=0o600" in output
    assert '"token": "tok-123"' in output and '"password": "pw-456"' in output and '"port": 9090' in output
    config_file = Path(settings.home_dir) / "connectors" / "hook" / ".relay-config.json"
    assert oct(config_file.stat().st_mode & 0o777) == "0o600"

    # a validation error about a secret never echoes the value
    bad_secret = await client.put("/api/connectors/hook/config", json={"port": 1, "token": 12345})
    assert bad_secret.status_code == 400 and "12345" not in bad_secret.json()["error"]

    # replacing the config without a secret drops it; the mask with nothing stored is dropped too
    dropped = await client.put("/api/connectors/hook/config", json={"port": 1})
    assert dropped.json() == {"port": 1}
    mask_only = await client.put("/api/connectors/hook/config", json={"port": 1, "token": "********"})
    assert mask_only.json() == {"port": 1}


async def test_register_with_config_validates_it(client: httpx.AsyncClient) -> None:
    bad = await client.post("/api/connectors", json={"manifest": manifest(), "config": {"port": "x"}})
    assert bad.status_code == 400 and bad.json() == {"error": "config.port must be integer"}
    assert (await client.get("/api/connectors/hook")).status_code == 404
    ok = await client.post(
        "/api/connectors", json={"manifest": manifest(), "config": {"port": 1, "token": "s"}}
    )
    assert ok.status_code == 201 and ok.json()["config"] == {"port": 1, "token": "********"}
    # re-registering with the mask keeps the secret
    again = await client.post("/api/connectors", json={"manifest": manifest(), "config": ok.json()["config"]})
    assert again.status_code == 201
    run = await client.post("/api/connectors/hook/actions", json={"action": "install"})
    assert '"token": "s"' in run.json()["output"]
