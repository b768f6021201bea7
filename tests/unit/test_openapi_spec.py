"""The spec the SDK is generated from: unique readable ids, tags, typed success and
error answers, examples, and the error codes each route can return."""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "sdk" / "agent_relay_client" / "_generated"
OPEN_PATHS = {"/api/health"}
# Routes with a path parameter that do not look anything up (so cannot 404).
NO_LOOKUP = {"set_inbox_draft"}
# Routes that can answer 409 beyond those derived from a session guard in the body.
CONFLICTS = {"list_inbox", "register_agent"}
ERROR_REF = "#/components/schemas/ErrorBody"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def _body_schema(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    for option in schema.get("anyOf", [schema]):
        ref = option.get("$ref")
        if ref:
            return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def required_errors(spec: dict[str, Any], path: str, op: dict[str, Any]) -> set[int]:
    """The error codes a route can return, derived from its shape."""
    codes: set[int] = set()
    params = op.get("parameters", [])
    if params or "requestBody" in op:
        codes.add(400)  # any input can be bad
    if "requestBody" in op:
        codes.add(413)
    if path.startswith("/api/") and path not in OPEN_PATHS:
        codes.add(401)
    if any(p["in"] == "path" for p in params) and op["operationId"] not in NO_LOOKUP:
        codes.add(404)  # a path names a resource that may not exist
    if "instanceId" in _body_schema(spec, op).get("properties", {}) or op["operationId"] in CONFLICTS:
        codes.add(409)  # the session guard fences superseded processes off
    return codes


def violations(spec: dict[str, Any]) -> list[str]:
    out = []
    for path, method, op in operations(spec):
        declared = {int(code) for code in op["responses"] if code.isdigit()}
        missing = required_errors(spec, path, op) - declared
        if missing:
            out.append(f"{method.upper()} {path} ({op['operationId']}) does not declare {sorted(missing)}")
    return out


def test_operation_ids_are_unique_readable_verbs(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for op_id in ids:
        assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", op_id), f"{op_id} is not a snake_case verb_noun"
    assert {"send_message", "claim_message", "list_inbox", "register_agent"} <= set(ids)


# Errors whose body is a result, not {"error"}: a failed connector command answers 502 with
# {ok: false, action, exitCode, output, durationMs} (contract §9).
RESULT_BODY_ERRORS = {
    ("post", "/api/connectors/{id}/actions", "502"),
    ("get", "/api/health", "503"),  # the health report itself, saying what is down
}


def test_every_route_has_one_tag_and_typed_answers(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        label = f"{method.upper()} {path}"
        assert len(op.get("tags", [])) == 1, label
        codes = [c for c in op["responses"] if c.isdigit()]
        assert any(c.startswith("2") for c in codes), label
        assert "422" not in codes, f"{label} advertises FastAPI's 422; the relay answers 400"
        for code in codes:
            content = op["responses"][code].get("content", {})
            if code.startswith("2") and content and "application/json" not in content:
                continue  # a stream or raw bytes
            schema = content.get("application/json", {}).get("schema")
            assert schema, f"{label} {code} has no JSON schema"
            if not code.startswith("2") and (method, path, code) not in RESULT_BODY_ERRORS:
                assert schema == {"$ref": ERROR_REF}, f"{label} {code} is not an ErrorBody"


def test_request_bodies_have_examples(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            media = op["requestBody"]["content"]["application/json"]
            schema = _body_schema(spec, op)
            has_example = any(k in d for d in (media, schema) for k in ("example", "examples"))
            assert has_example, f"{method.upper()} {path} body has no example"


def test_routes_declare_the_errors_they_can_return(spec: dict[str, Any]) -> None:
    assert violations(spec) == []


def test_the_error_check_catches_a_missing_code(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    del broken["paths"]["/api/messages/{id}/claim"]["post"]["responses"]["409"]
    del broken["paths"]["/api/agents/{id}"]["get"]["responses"]["404"]
    assert sorted(violations(broken)) == [
        "GET /api/agents/{id} (get_agent) does not declare [404]",
        "POST /api/messages/{id}/claim (claim_message) does not declare [409]",
    ]


def test_committed_spec_matches_the_server(spec: dict[str, Any]) -> None:
    committed = json.loads((ROOT / "sdk" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(spec)), "sdk/openapi.json is stale: run `make sdk`"


def test_generated_code_runs_on_python_310() -> None:
    files = sorted(GENERATED.rglob("*.py"))
    assert len(files) > 20
    for file in files:
        source = file.read_text()
        ast.parse(source, filename=str(file), feature_version=(3, 10))
        assert not re.search(r"^from typing import .*\bSelf\b", source, re.M), f"{file} imports typing.Self"


def test_sdk_does_not_need_the_server() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import agent_relay_client, agent_relay_client.cli, agent_relay_client.agent; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('agent_relay', 'fastapi', 'sqlalchemy')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT / "sdk")


# -- what other tools need (server/agent_relay/spec.py) ----------------------------------------

SERVER = ROOT / "server" / "agent_relay"
HEADER_SCHEMES = [{"relayToken": []}, {"bearerToken": []}]


def test_security_schemes_and_where_they_apply(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["relayToken"] == {**schemes["relayToken"], "type": "apiKey", "in": "header"}
    assert schemes["relayToken"]["name"] == "X-Agent-Relay-Token"
    assert (schemes["bearerToken"]["type"], schemes["bearerToken"]["scheme"]) == ("http", "bearer")
    assert (schemes["sseToken"]["type"], schemes["sseToken"]["in"], schemes["sseToken"]["name"]) == (
        "apiKey",
        "query",
        "token",
    )
    assert spec["security"] == HEADER_SCHEMES  # every operation, unless it says otherwise
    for path, method, op in operations(spec):
        effective = op.get("security", spec["security"])
        if path in OPEN_PATHS:
            assert effective == [], f"{path} needs no token"
        elif path == "/api/events":
            assert effective == [*HEADER_SCHEMES, {"sseToken": []}]
        else:  # the integration intake included: an integration token comes the same two ways
            assert effective == HEADER_SCHEMES, f"{method.upper()} {path}"


def test_servers_license_and_a_description_for_every_tag(spec: dict[str, Any]) -> None:
    assert spec["servers"] and spec["servers"][0]["url"] == "/"
    assert spec["info"]["license"]["identifier"] == "MIT"
    used = {op["tags"][0] for _, _, op in operations(spec)}
    described = {tag["name"]: tag.get("description", "") for tag in spec["tags"]}
    assert set(described) == used
    assert all(len(text) > 20 for text in described.values()), described


def _error_texts(op: dict[str, Any], code: str) -> list[str]:
    media = op["responses"][code]["content"]["application/json"]
    if "example" in media:
        return [media["example"]["error"]]
    return [example["value"]["error"] for example in media.get("examples", {}).values()]


def _in_server_source(text: str) -> bool:
    source = "\n".join(p.read_text() for p in SERVER.rglob("*.py"))
    literals = re.findall(r'f?"((?:[^"\\]|\\.)*)"', source)
    for literal in literals:
        if len(re.sub(r"\{[^}]*\}", "", literal)) < 8:
            continue  # too little fixed text to tell anything apart
        pattern = re.escape(literal)
        pattern = re.sub(r"\\\{[^}]*\\\}", ".+", pattern)  # an f-string's {...} matches a value
        if re.fullmatch(pattern, text):
            return True
    return False


def test_error_examples_are_the_texts_sent_for_that_status(spec: dict[str, Any]) -> None:
    seen: set[str] = set()
    for path, method, op in operations(spec):
        for code, response in op["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if not code.startswith(("4", "5")) or schema != {"$ref": ERROR_REF}:
                continue
            texts = _error_texts(op, code)
            label = f"{method.upper()} {path} {code}"
            assert texts, f"{label} has no example"
            if code != "400":
                assert not any(t.startswith("kind must be one of") for t in texts), label
            expected = {
                "401": "unauthorized",
                "415": "content type must be application/json",
                "421": "host not allowed",
                "431": "request header too large",
            }.get(code)
            if expected:
                assert texts == [expected], label
            if code == "403":
                assert "origin not allowed" in texts, label
            if code == "404":
                assert all(t.endswith("not found") for t in texts), label
            seen.update(texts)
    assert len(seen) > 40
    unknown = sorted(t for t in seen if not _in_server_source(t))
    assert unknown == [], "error examples the server never sends"


def test_the_source_check_refuses_an_invented_text() -> None:
    assert _in_server_source("message already claimed by agent-b")
    assert not _in_server_source("message was eaten by a grue")


def _emitted_event_names() -> set[str]:
    names: set[str] = set()
    for file in SERVER.rglob("*.py"):
        source = file.read_text()
        names |= set(re.findall(r'(?:emit|publish_ephemeral)\(\s*"([a-z_]+\.[a-z_]+)"', source))
        names |= set(re.findall(r'_changed\([^)]*"([a-z_]+\.[a-z_]+)"', source))  # tasks/service.py
    return names


def test_every_sse_event_has_a_schema_in_the_stream_union(spec: dict[str, Any]) -> None:
    names = _emitted_event_names()
    assert {
        "message.new",
        "task.created",
        "task.updated",
        "channel.activity",
        "orchestrator.removed",
    } <= names
    schemas = spec["components"]["schemas"]
    union = schemas["RelayEvent"]
    assert set(union["discriminator"]["mapping"]) == names
    assert sorted(o["$ref"] for o in union["oneOf"]) == sorted(union["discriminator"]["mapping"].values())
    for name, ref in union["discriminator"]["mapping"].items():
        event = schemas[ref.rsplit("/", 1)[1]]
        assert event["properties"]["event"]["const"] == name
        assert {"event", "data"} <= set(event["required"])
        for target in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(event)):
            assert target in schemas, (name, target)
    assert "id" not in schemas["ChannelActivityEvent"]["properties"]  # ephemeral: no event id
    assert schemas["MessageNewEvent"]["properties"]["data"]["$ref"].endswith("/MessageOut")
    stream = spec["paths"]["/api/events"]["get"]["responses"]["200"]
    assert stream["content"]["text/event-stream"]["schema"] == {"$ref": "#/components/schemas/RelayEvent"}
    assert "RelayEvent" in stream["description"]


def test_request_fields_with_a_server_default_are_optional_without_default(spec: dict[str, Any]) -> None:
    # openapi-typescript reads `default` in a component schema as "always present", which
    # made SendMessage.kind required in TypeScript; the default is documented in words.
    kind = spec["components"]["schemas"]["SendMessage"]["properties"]["kind"]
    assert "default" not in kind and '"chat"' in kind["description"]
    assert "kind" not in spec["components"]["schemas"]["SendMessage"]["required"]
    for name in ("SendMessage", "DraftIn", "AgentSpawnIn", "OrchestratorSpawnIn", "ManagedAgentIn"):
        props = spec["components"]["schemas"][name]["properties"]
        assert not [p for p, s in props.items() if "default" in s], name
    # responses keep theirs: a field with a default is always present in an answer
    assert spec["components"]["schemas"]["OkBody"]["properties"]["ok"]["default"] is True


def test_the_spec_does_not_depend_on_what_the_process_imported_first() -> None:
    """The generated SDK builds Literal types equal to ours in another order; typing caches
    unions by equality, so without sorting, the spec built after importing it listed the SDK's
    order (a failure that depended on which tests ran first)."""
    import agent_relay_client._generated.models  # noqa: F401

    committed = json.loads((ROOT / "sdk" / "openapi.json").read_text())
    assert json.loads(json.dumps(create_app(Settings()).openapi())) == committed
