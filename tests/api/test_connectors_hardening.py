"""Connector registration and config after an outside review (issue #12): only the JSON
Schema drafts the relay can check, every subschema searched for remote references, nothing
jsonschema raises becomes a 500, validation on its own threads (database reads never queue
behind it), secrets that masking can always find and no schema can test, and a clear error
for a manifest that is not an object."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from agent_relay.connectors import config_schema

SECRET = "s3cr3t-Value-42"
DRAFTS_REFUSED = "must be one of the drafts the relay checks: draft-04, draft-06, draft-07, 2019-09, 2020-12"
REMOTE = 'must point inside the schema ("#/..."): remote $ref is not allowed'


def manifest(schema: dict[str, Any] | None = None, connector_id: str = "hook") -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": connector_id,
        "name": "E",
        "version": "1.0.0",
        "description": "d",
        "commands": {"install": [sys.executable, "-c", "pass"]},
    }
    return {**base, "configSchema": schema} if schema is not None else base


async def register(client: httpx.AsyncClient, schema: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/connectors", json={"manifest": manifest(schema)})


# -- 1. drafts, references, no 500 ----------------------------------------------------------------


async def test_draft3_and_unknown_dialects_are_refused(client: httpx.AsyncClient) -> None:
    """Draft 3 registered fine, then every config write was a 500 (AttributeError in
    referencing's `_legacy_anchor_in_id`)."""
    draft3 = "http://json-schema.org/draft-03/schema#"
    for schema in (
        {"$schema": draft3, "extends": {"$ref": "other.json"}},
        {"$schema": draft3, "extends": {"$ref": "http://127.0.0.1:9/x.json"}},
        {"$schema": draft3, "properties": {"a": {"type": "string"}}},
        {"$schema": "https://example.com/my-dialect"},
        {"$schema": 3},
    ):
        response = await client.post("/api/connectors", json={"manifest": manifest(schema, "d3z")})
        assert response.status_code == 400, schema
        assert response.json() == {"error": f"manifest.configSchema.$schema {DRAFTS_REFUSED}"}
        assert (await client.put("/api/connectors/d3z/config", json={})).status_code == 404


@pytest.mark.parametrize(
    "dialect",
    [
        "http://json-schema.org/draft-04/schema#",
        "http://json-schema.org/draft-06/schema#",
        "http://json-schema.org/draft-07/schema#",
        "https://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    ],
)
async def test_the_drafts_the_relay_checks_still_work(client: httpx.AsyncClient, dialect: str) -> None:
    schema = {
        "$schema": dialect,
        "definitions": {"port": {"type": "integer", "minimum": 1}},
        "properties": {"port": {"$ref": "#/definitions/port"}, "name": {"pattern": "^[a-z]+$"}},
    }
    assert (await register(client, schema)).status_code == 201
    assert (
        await client.put("/api/connectors/hook/config", json={"port": 80, "name": "x"})
    ).status_code == 200
    bad = await client.put("/api/connectors/hook/config", json={"port": 0})
    assert bad.status_code == 400 and bad.json() == {"error": "config.port must be at least 1"}


async def test_a_nested_dialect_is_refused(client: httpx.AsyncClient) -> None:
    """A nested `$schema` made jsonschema switch to the stock validator for that subschema:
    Python `re`, no budget (`^(a+)+$` against 27 characters took 3.5 s holding the GIL)."""
    schema = {
        "properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#", "pattern": "^(a+)+$"}}
    }
    response = await register(client, schema)
    assert response.status_code == 400
    assert response.json() == {
        "error": "manifest.configSchema.properties.a.$schema is only allowed at the root of configSchema"
    }


@pytest.mark.parametrize(
    ("where", "schema"),
    [
        (
            "dependencies.a.$ref",
            {"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": {"$ref": "x.json"}}},
        ),
        (
            "items.1.$ref",
            {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{}, {"$ref": "x.json"}]},
        ),
        (
            "additionalItems.$ref",
            {"$schema": "http://json-schema.org/draft-07/schema#", "additionalItems": {"$ref": "x.json"}},
        ),
        ("dependentSchemas.a.not.$ref", {"dependentSchemas": {"a": {"not": {"$ref": "x.json"}}}}),
        ("propertyNames.$ref", {"propertyNames": {"$ref": "http://127.0.0.1:9/n.json"}}),
        ("contentSchema.$ref", {"contentSchema": {"$ref": "x.json"}}),
        ("if.then.$ref", {"if": {"then": {"$ref": "x.json"}}}),
        # not a keyword of any draft, but a "#/..." pointer can send validation there
        ("x-extra.$ref", {"$ref": "#/x-extra", "x-extra": {"$ref": "http://127.0.0.1:9/x.json"}}),
        ("x-list.0.$ref", {"$ref": "#/x-list/0", "x-list": [{"$ref": "file:///etc/passwd"}]}),
    ],
)
async def test_remote_refs_under_every_subschema_keyword_are_refused(
    client: httpx.AsyncClient, where: str, schema: dict[str, Any]
) -> None:
    response = await register(client, schema)
    assert response.status_code == 400, response.text
    assert response.json() == {"error": f"manifest.configSchema.{where} {REMOTE}"}


async def test_anything_jsonschema_raises_is_a_400(client: httpx.AsyncClient, monkeypatch) -> None:
    """Whatever jsonschema or referencing throws on a schema they cannot evaluate (as the
    AttributeError above) is a 400 naming configSchema, never a 500; its message (which could
    quote the config) is not repeated."""
    assert (await register(client, {"properties": {"port": {"type": "integer"}}})).status_code == 201

    def broken(_errors: Any) -> None:
        raise AttributeError(f"'str' object has no attribute 'get' ({SECRET})")

    monkeypatch.setattr(config_schema, "best_match", broken)
    response = await client.put("/api/connectors/hook/config", json={"port": 1})
    assert response.status_code == 400
    assert response.json() == {"error": "configSchema cannot be evaluated (AttributeError)"}
    again = await register(client, {"properties": {"port": {"type": "integer"}}})
    assert again.status_code == 400
    assert again.json() == {"error": "manifest.configSchema cannot be evaluated (AttributeError)"}


# -- 2. validation on its own threads ---------------------------------------------------------------


def exponential_schema(depth: int = 40) -> dict[str, Any]:
    """anyOf of two references to the level below, `depth` times: 2**depth branches, each
    failing on an object config."""
    defs: dict[str, Any] = {"d0": {"type": "string"}}
    for i in range(1, depth + 1):
        defs[f"d{i}"] = {"anyOf": [{"$ref": f"#/$defs/d{i - 1}"}, {"$ref": f"#/$defs/d{i - 1}"}]}
    return {"$defs": defs, "$ref": f"#/$defs/d{depth}"}


async def test_database_reads_never_wait_behind_validations(client: httpx.AsyncClient) -> None:
    """12 hostile validations used to fill the default executor that Database.read shares:
    GET /api/agents went from 3 ms to a median 1.1 s. Here the default executor is as small
    as on a 2-core box, so the test does not depend on the machine."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(6, thread_name_prefix="default"))
    assert (await register(client, exponential_schema())).status_code == 201
    puts = [asyncio.create_task(client.put("/api/connectors/hook/config", json={})) for _ in range(12)]
    await asyncio.sleep(0.3)  # the validations are running (and queued)
    reads = []
    for _ in range(5):
        started = time.monotonic()
        response = await client.get("/api/agents")
        reads.append(time.monotonic() - started)
        assert response.status_code == 200
    answers = await asyncio.gather(*puts)
    # Old code: every read queued behind whole 1 s validation budgets (median 1.1 s). Now reads
    # only share the GIL with the two validation threads: tens of ms on a quiet machine, a few
    # hundred on a loaded CI box with PostgreSQL.
    assert statistics.median(reads) < 0.75, reads
    pool = config_schema.POOL
    statuses = sorted(r.status_code for r in answers)
    # the pool's workers plus its queue get an answer after their budget; the rest are told to come back
    assert statuses == [400] * pool.limit + [503] * (12 - pool.limit), statuses
    for response in answers:
        if response.status_code == 400:
            assert response.json() == {
                "error": "config is too large or complex to validate against configSchema"
            }
        else:
            assert response.json() == {"error": "config validation is busy, retry later"}
            assert int(response.headers["retry-after"]) >= 1
    # and the pool is free again
    assert (await client.put("/api/connectors/hook/config", json="x")).status_code == 400


# -- 3. secrets -----------------------------------------------------------------------------------------


UNFOLLOWED = (
    "can only mark a property reached through properties from the root (not through $ref, "
    "$defs, allOf/anyOf/oneOf, items, additionalProperties or patternProperties)"
)


@pytest.mark.parametrize(
    ("where", "schema"),
    [
        (
            "$defs.c.properties.pw",
            {
                "properties": {"creds": {"$ref": "#/$defs/c"}},
                "$defs": {"c": {"properties": {"pw": {"secret": True}}}},
            },
        ),
        (
            "definitions.c.properties.pw",
            {
                "properties": {"creds": {"$ref": "#/definitions/c"}},
                "definitions": {"c": {"properties": {"pw": {"secret": True}}}},
            },
        ),
        ("allOf.0.properties.pw", {"allOf": [{"properties": {"pw": {"secret": True}}}]}),
        (
            "properties.creds.anyOf.1.properties.pw",
            {"properties": {"creds": {"anyOf": [{}, {"properties": {"pw": {"secret": True}}}]}}},
        ),
        ("properties.creds.oneOf.0", {"properties": {"creds": {"oneOf": [{"secret": True}]}}}),
        (
            "properties.keys.items.properties.pw",
            {"properties": {"keys": {"items": {"properties": {"pw": {"secret": True}}}}}},
        ),
        ("additionalProperties", {"additionalProperties": {"type": "string", "secret": True}}),
        ("patternProperties.^pw_", {"patternProperties": {"^pw_": {"secret": True}}}),
        ("x-ui.properties.pw", {"$ref": "#/x-ui", "x-ui": {"properties": {"pw": {"secret": True}}}}),
        ("", {"secret": True}),
    ],
)
async def test_secrets_masking_cannot_find_are_refused(
    client: httpx.AsyncClient, where: str, schema: dict[str, Any]
) -> None:
    """Each of these was registered, and GET /config read the secret back in clear."""
    response = await register(client, schema)
    assert response.status_code == 400, response.text
    path = f"{where}.secret" if where else "secret"
    assert response.json() == {"error": f"manifest.configSchema.{path} {UNFOLLOWED}"}
    assert (await client.get("/api/connectors/hook")).status_code == 404


async def test_secrets_masking_finds_are_accepted(client: httpx.AsyncClient) -> None:
    schema = {
        "properties": {
            "token": {"type": "string", "secret": True, "description": "API token"},
            # inside a secret object everything is masked with it
            "auth": {"type": "object", "secret": True, "properties": {"pw": {"secret": True}}},
            "nested": {"properties": {"key": {"type": "string", "secret": True}}},
            "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 20},
            # a property literally named "secret" is not a marker
            "secret": True,
        },
        "additionalProperties": {"type": "string", "maxLength": 100},  # never applies to token
        "patternProperties": {"^x-": {"pattern": "^[a-z]*$"}},  # matches no secret's name
    }
    assert (await register(client, schema)).status_code == 201, (await register(client, schema)).text
    config = {"token": SECRET, "auth": {"pw": SECRET}, "nested": {"key": SECRET}, "name": "a", "secret": 1}
    assert (await client.put("/api/connectors/hook/config", json=config)).status_code == 200
    read = await client.get("/api/connectors/hook/config")
    assert SECRET not in read.text
    assert read.json() == {
        "token": "********",
        "auth": "********",
        "nested": {"key": "********"},
        "name": "a",
        "secret": 1,
    }


VALUE_RULE = "must not test a secret's content (a validation error would reveal it)"
SECRET_PW = {"pw": {"type": "string", "secret": True}}


@pytest.mark.parametrize(
    ("where", "schema"),
    [
        *(
            (
                f"properties.pw.{keyword}",
                {"properties": {"pw": {"type": "string", "secret": True, keyword: value}}},
            )
            for keyword, value in [
                ("pattern", "^a"),
                ("enum", ["a", "b"]),
                ("const", "a"),
                ("exclusiveMinimum", 1),
                ("contentMediaType", "x/y"),
                ("format", "email"),
                ("maximum", 5),
                ("multipleOf", 2),
            ]
        ),
        # other ways a subschema reaches the secret's value
        ("properties.pw.not.pattern", {"properties": {"pw": {"secret": True, "not": {"pattern": "^a"}}}}),
        (
            "if.properties.pw.pattern",
            {"properties": SECRET_PW, "if": {"properties": {"pw": {"pattern": "^a"}}}, "then": False},
        ),
        (
            "allOf.0.properties.pw.const",
            {"properties": SECRET_PW, "allOf": [{"properties": {"pw": {"const": "a"}}}]},
        ),
        (
            "patternProperties.^p.format",
            {"properties": SECRET_PW, "patternProperties": {"^p": {"format": "uuid"}}},
        ),
        (
            "dependentSchemas.pw.properties.pw.enum",
            {"properties": SECRET_PW, "dependentSchemas": {"pw": {"properties": {"pw": {"enum": ["a"]}}}}},
        ),
        (
            "$defs.t.pattern",
            {"properties": {"pw": {"secret": True, "$ref": "#/$defs/t"}}, "$defs": {"t": {"pattern": "^a"}}},
        ),
        (
            "$defs.root.properties.pw.pattern",
            {
                "properties": SECRET_PW,
                "$ref": "#/$defs/root",
                "$defs": {"root": {"properties": {"pw": {"pattern": "^a"}}}},
            },
        ),
        (
            "properties.auth.properties.pw.pattern",
            {"properties": {"auth": {"secret": True, "properties": {"pw": {"pattern": "^a"}}}}},
        ),
        (
            "properties.keys.items.pattern",
            {"properties": {"keys": {"secret": True, "items": {"pattern": "^a"}}}},
        ),
        ("properties.keys.uniqueItems", {"properties": {"keys": {"secret": True, "uniqueItems": True}}}),
        ("properties.auth.const", {"properties": {"auth": {"secret": True, "const": {"pw": "a"}}}}),
    ],
)
async def test_schemas_that_test_a_secrets_value_are_refused(
    client: httpx.AsyncClient, where: str, schema: dict[str, Any]
) -> None:
    response = await register(client, schema)
    assert response.status_code == 400, response.text
    assert response.json() == {"error": f"manifest.configSchema.{where} {VALUE_RULE}"}


async def test_a_reregistered_schema_cannot_guess_a_stored_secret(client: httpx.AsyncClient) -> None:
    """The attack: store a secret, re-register with `pattern: "^<guess>"`, PUT the mask back
    (the stored value is validated) and read 200 or 400: one character at a time."""
    assert (await register(client, {"properties": SECRET_PW})).status_code == 201
    assert (await client.put("/api/connectors/hook/config", json={"pw": SECRET})).status_code == 200
    for guess in ("s", "t"):
        crafted = {"properties": {"pw": {"type": "string", "secret": True, "pattern": f"^{guess}"}}}
        assert (await register(client, crafted)).status_code == 400
        masked = await client.put("/api/connectors/hook/config", json={"pw": "********"})
        assert masked.status_code == 200  # still the first schema: nothing to learn
    assert (await client.get("/api/connectors/hook")).json()["manifest"]["configSchema"] == {
        "properties": SECRET_PW
    }


async def test_changing_a_secrets_size_rules_forgets_it(client: httpx.AsyncClient) -> None:
    """Size rules stay allowed (the SDK's webhook manifest has `minLength: 8` on its secrets),
    but `maxLength: n` against the stored value would tell its length: a re-registration that
    changes a size rule reaching a secret drops the stored value."""
    sized = {
        "properties": {"pw": {"type": "string", "secret": True, "minLength": 8}, "port": {"type": "integer"}}
    }
    assert (await register(client, sized)).status_code == 201
    assert (
        await client.put("/api/connectors/hook/config", json={"pw": SECRET, "port": 1})
    ).status_code == 200
    short = await client.put("/api/connectors/hook/config", json={"pw": "short"})
    assert short.status_code == 400 and short.json() == {"error": "config.pw must be at least 8 characters"}
    # the same rules (a new unrelated field, a new description): the secret is kept
    same = {"properties": {**sized["properties"], "name": {"type": "string", "description": "d"}}}
    assert (await register(client, same)).json()["config"] == {"pw": "********", "port": 1}
    # the crafted probe: the secret is gone before any PUT can test it
    for probe in (
        {"properties": {"pw": {"type": "string", "secret": True, "minLength": 8, "maxLength": 15}}},
        {
            "properties": {"pw": {"type": "string", "secret": True, "minLength": 8}},
            "allOf": [{"properties": {"pw": {"maxLength": 15}}}],
        },
    ):
        assert (await register(client, sized)).status_code == 201
        assert (
            await client.put("/api/connectors/hook/config", json={"pw": SECRET, "port": 1})
        ).status_code == 200
        probed = await register(client, probe)
        assert probed.status_code == 201 and probed.json()["config"] == {"port": 1}, probed.text
        masked = await client.put("/api/connectors/hook/config", json={"pw": "********", "port": 1})
        assert masked.status_code == 200 and masked.json() == {"port": 1}


async def test_references_near_a_secret_must_be_followable(client: httpx.AsyncClient) -> None:
    anchored = {
        "properties": {"pw": {"secret": True, "$ref": "#tok"}},
        "$defs": {"t": {"$anchor": "tok", "pattern": "^a"}},
    }
    response = await register(client, anchored)
    assert response.status_code == 400
    assert response.json() == {
        "error": 'manifest.configSchema.properties.pw.$ref applies to a secret and must be a "#/..." pointer the relay can follow'
    }
    followable = {
        "properties": {"pw": {"secret": True, "$ref": "#/$defs/t"}},
        "$defs": {"t": {"type": "string"}},
    }
    assert (await register(client, followable)).status_code == 201


# -- 5. the manifest's shape ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["x", [], None, 5, True])
async def test_a_manifest_that_is_not_an_object(client: httpx.AsyncClient, value: Any) -> None:
    response = await client.post("/api/connectors", json={"manifest": value})
    assert response.status_code == 400
    assert response.json() == {"error": "manifest must be an object"}
