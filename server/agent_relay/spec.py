"""The OpenAPI document the SDK is generated from, refined so that other tools accept it too
(Redocly's linter, openapi-typescript, Swagger UI's Authorize button).

FastAPI's default spec advertises a 422 validation error the relay never sends (it answers
400), and cannot know about the errors the layers in front of the routers add (401 without
the token, 413 for a body over the cap, 415 for a body that is not JSON, 403 for a foreign
Origin, 421 for a foreign Host, 431 for an oversized head, 503 past a capacity cap). This
fixes both once, for every router, so new routes get them without declaring them by hand,
each error with an example of the text the relay really sends for that status and route.
It also adds:
- the links between operations (_LINKS);
- how to authenticate (securitySchemes: the document's default, and per operation where it
  differs), `servers`, the license and
  a description for every tag;
- every Server-Sent Event as a schema (`<Name>Event`, one per event name in EVENTS, and
  their union `RelayEvent`), the shape of the GET /api/events stream;
- request schemas whose defaults are applied by the server: the default moves into the
  description (see _document_request_defaults)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fastapi import FastAPI

from agent_relay.middleware import OPEN_PATHS
from agent_relay.principal import EVENTS_PATH
from agent_relay.session import SUPERSEDED
from agent_relay.settings import Settings
from agent_relay.wire import ErrorBody, error_responses

_SCHEMAS = "#/components/schemas/"
_ERROR_REF = {"$ref": f"{_SCHEMAS}ErrorBody"}
# OpenAPI links: which response values feed which next request. They document the flows
# and are the paths the stateful fuzzer (scripts/fuzz.py) walks on top of the ones it infers
# from names: register an agent and message it, reply, re-send a key, delete and look again.
_LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "register_agent": {
        "SendToAgent": {
            "operationId": "send_message",
            "requestBody": {"to": "$response.body#/id"},
            "description": "Send a message to the registered agent",
        },
    },
    "send_message": {
        "Reply": {
            "operationId": "send_message",
            "requestBody": {"replyTo": "$response.body#/id", "to": "$response.body#/to"},
            "description": "Reply in the message's thread",
        },
        "SendAgain": {
            "operationId": "send_message",
            "requestBody": {"idempotencyKey": "$response.body#/idempotencyKey", "to": "$response.body#/to"},
            "description": "Send again with the same idempotency key",
        },
    },
    "delete_message": {
        "GetDeleted": {
            "operationId": "get_message",
            "parameters": {"id": "$response.body#/id"},
            "description": "Look the deleted message up (404)",
        },
        "DeleteAgain": {
            "operationId": "delete_message",
            "parameters": {"id": "$response.body#/id"},
            "description": "Delete it again (404)",
        },
    },
}
_UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")


# -- authentication (principal.py, middleware.TokenAuth) --------------------------------------

_TOKEN_NOTE = (
    "The relay's token (AGENT_RELAY_TOKEN). A relay started without one is open (loopback "
    "only) and accepts requests without a token. POST /api/integrations/events also accepts "
    "an integration token (AGENT_RELAY_INTEGRATION_TOKENS), which no other route accepts."
)
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "relayToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Agent-Relay-Token",
        "description": _TOKEN_NOTE,
    },
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": f"The same token as `Authorization: Bearer <token>`. {_TOKEN_NOTE}",
    },
    "sseToken": {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": (
            "The relay token as `?token=`, for EventSource clients (a browser's EventSource "
            "cannot set headers). Only GET /api/events accepts it."
        ),
    },
}
# Every route takes the header or bearer token (the document's `security`); an operation
# states its own only where it differs: GET /api/health needs none, GET /api/events also takes
# `?token=`. (Per-operation requirements everywhere would say the same, but
# openapi-python-client would then demand an AuthenticatedClient for every call, and the SDK
# also talks to open relays with a plain Client.)
DEFAULT_SECURITY: list[dict[str, list[str]]] = [{"relayToken": []}, {"bearerToken": []}]
OPERATION_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    **{path: [] for path in OPEN_PATHS},
    EVENTS_PATH: [*DEFAULT_SECURITY, {"sseToken": []}],
}


SERVERS = [{"url": "/", "description": "The relay serving this document"}]
LICENSE = {"name": "MIT", "identifier": "MIT"}
TAGS: dict[str, str] = {
    "messages": "Send, read, claim, acknowledge, release and delete messages between agents.",
    "inbox": "An agent's unread messages (with long-poll) and its reply draft.",
    "agents": "Register agents, heartbeat, look them up, ask them to act, spawn new ones.",
    "activity": "The relay's human-readable activity feed.",
    "system": "Health, system broadcasts and the reaper.",
    "events": "The live Server-Sent Events stream with durable replay (`Last-Event-ID`).",
    "connectors": "Chat-platform connectors: registration, configuration and actions.",
    "channels": "Chat channels: bindings to agents, routing, conversation events and activities.",
    "blobs": "Content-addressed file uploads and downloads.",
    "orchestrators": "Orchestrator daemons that spawn and manage agents on their hosts.",
    "host": "Directories on the relay's host where agents may be spawned.",
    "tasks": "Tasks: create, claim, move through their states, with callback deliveries.",
    "integrations": "External systems (CI, trackers) posting events that become tasks.",
    "pairs": "Two agents working together: invites, accept/decline/end, pair messages.",
}


# -- errors ---------------------------------------------------------------------------------

# Answers from the layers in front of every router (http_server, middleware), §12/§13.
_EDGE_DESCRIPTIONS = {
    415: "Body is not application/json",
    421: "Host not allowed (a name the relay does not answer to)",
    431: "Request head too large",
    503: "Over capacity (connections, streams or long-polls): retry after Retry-After",
}
_STATE_CHANGING = ("post", "put", "patch", "delete")
_DEFAULTS = Settings.model_fields
# The texts the relay sends, per status (tests/unit/test_openapi_spec.py finds each in the
# server's source): the first one for every route, more where a route has its own causes.
ERROR_EXAMPLES: dict[int, str] = {
    401: "unauthorized",
    403: "origin not allowed",
    404: "not found",
    409: SUPERSEDED,
    413: f"request body too large (max {_DEFAULTS['max_body_bytes'].default} bytes)",
    415: "content type must be application/json",
    421: "host not allowed",
    429: f"rate limit exceeded: {_DEFAULTS['integration_rate_limit_per_minute'].default} events per minute",
    431: "request header too large",
    503: "too many connections, retry later",
}
# 404: the resource the path's first segment names.
NOT_FOUND = {
    "agents": "agent not found",
    "blobs": "blob not found",
    "channel-bindings": "channel binding not found",
    "channels": "channel not found",
    "connectors": "connector not found",
    "inbox": "agent not found",
    "messages": "message not found",
    "orchestrators": "orchestrator not found",
    "pairs": "pair not found",
    "tasks": "task not found",
}
# Route-specific causes: listed before the generic text for 404 and 409, after it otherwise.
ROUTE_EXAMPLES: dict[tuple[str, int], list[str]] = {
    ("claim_message", 409): ["message already claimed by agent-b"],
    ("ack_message", 409): ["message is not claimed by agent-a"],
    ("release_message", 409): ["message is not claimed by agent-a"],
    ("claim_task", 409): ["task already claimed by agent-b", "cannot claim task: it is done"],
    ("set_task_status", 409): ["cannot move task from done to open", "task is claimed by agent-b"],
    ("create_pair", 409): ["cannot accept pair: it is ended"],
    ("act_on_pair", 409): ["cannot accept pair: it is ended", "cannot accept pair: the invite has expired"],
    ("act_on_pair", 403): ["only the invited agent (agent-b) can accept this pair"],
    ("send_pair_message", 409): ["pair is not active (status: ended)"],
    ("send_pair_message", 403): ["only members of this pair can send pair messages"],
    ("post_channel_event", 409): ["channel has no binding"],
    ("post_channel_activity", 409): ["channel has no binding"],
    ("run_connector_action", 409): ["connector is disabled"],
    ("put_connector_config", 409): ["connector is disabled"],
    ("spawn_on_orchestrator", 409): ["orchestrator is offline"],
    ("get_inbox_draft", 404): ["draft not found"],
    ("delete_inbox_draft", 404): ["draft not found"],
    ("stream_events", 503): ["too many event streams, retry later"],
    ("list_inbox", 503): ["too many waiting inbox requests, retry later"],
    ("put_connector_config", 503): ["config validation is busy, retry later"],
    ("register_connector", 503): ["config validation is busy, retry later"],
    ("spawn_agent", 502): ["tmux failed: duplicate session: claude-1", "codex command not found: codex"],
    ("upload_blob", 413): [f"request body too large (max {_DEFAULTS['blob_max_bytes'].default} bytes)"],
}
# Routes whose 413 is only the blob cap (the generic body cap does not apply to them).
_OWN_413 = {"upload_blob"}


def _error(code: int) -> dict[str, Any]:
    description = _EDGE_DESCRIPTIONS.get(code) or error_responses(code)[code]["description"]
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def _admit_edge_error(response: dict[str, Any]) -> None:
    """A route with its own 503 body (the health report) can still get the connection cap's
    error body from the HTTP layer in front of it: declare both."""
    media = response.get("content", {}).get("application/json", {})
    schema = media.get("schema")
    if schema is not None and schema != _ERROR_REF and "anyOf" not in schema:
        media["schema"] = {"anyOf": [schema, _ERROR_REF]}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    for option in schema.get("anyOf", [schema]):
        ref = option.get("$ref")
        if ref and ref.startswith(_SCHEMAS):
            return spec["components"]["schemas"].get(ref[len(_SCHEMAS) :], {})
    return schema


def _bad_input_example(spec: dict[str, Any], operation: dict[str, Any]) -> str:
    """A 400 this route really answers (in validation.describe's or the middleware's words):
    a required body field left out, else its first parameter malformed."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _resolve(spec, content["application/json"].get("schema", {}))
        required = body.get("required") or []
        return f"{required[0]} required" if required else "JSON object body required"
    if content:  # a raw body (a blob)
        return "invalid Content-Length"
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        schema = _resolve(spec, parameter.get("schema", {}))
        for option in schema.get("anyOf", [schema]):
            if option.get("type") == "integer":
                return f"{name} must be an integer"
            if "maxLength" in option:
                return f"{name} must be at most {option['maxLength']} characters"
        return f"{'path' if parameter['in'] == 'path' else name} must not contain NUL characters"
    return "invalid request"


def _examples(spec: dict[str, Any], path: str, operation: dict[str, Any], code: int) -> list[str]:
    op_id = operation.get("operationId", "")
    if code == 400:
        generic = [_bad_input_example(spec, operation)]
    elif code == 404:
        generic = [NOT_FOUND.get(path.split("/")[2], "not found")]
    elif code in ERROR_EXAMPLES and not (code == 413 and op_id in _OWN_413):
        generic = [ERROR_EXAMPLES[code]]
    else:
        generic = []
    own = ROUTE_EXAMPLES.get((op_id, code), [])
    if code in (404, 409):  # the route's own cause is the likelier one
        return list(dict.fromkeys(own + generic))
    return list(dict.fromkeys(generic + own))


def _add_examples(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if not status.isdigit() or int(status) < 400:
            continue
        media = response.get("content", {}).get("application/json")
        if media is None or media.get("schema") != _ERROR_REF:
            continue  # a result body (the health report, a connector command's output)
        texts = _examples(spec, path, operation, int(status))
        media.pop("example", None)
        media.pop("examples", None)
        if len(texts) == 1:
            media["example"] = {"error": texts[0]}
        elif texts:
            media["examples"] = {
                re.sub(r"\W+", "_", text).strip("_")[:60]: {"summary": text, "value": {"error": text}}
                for text in texts
            }


# -- Server-Sent Events -------------------------------------------------------------------

_MESSAGE_DELETED = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "The deleted message's id"},
        "from": {"type": "string", "description": "Its sender"},
        "to": {"type": "string", "description": "Its address"},
    },
    "required": ["id", "from", "to"],
}
_ORCHESTRATOR_REMOVED = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "The removed orchestrator's id"},
        "agentId": {"type": "string", "description": "The agent id it was registered under"},
    },
    "required": ["id", "agentId"],
}
_AGENT_STATUS = {
    "allOf": [
        {"$ref": f"{_SCHEMAS}AgentCard"},
        {
            "type": "object",
            "properties": {
                "deleted": {"type": "boolean", "description": "Present (true) when the agent was removed"}
            },
        },
    ]
}
# event name -> (schema name, data schema, durable, when it is sent). Durable events are
# stored in the event log with an id (replayed after Last-Event-ID); the others are not.
EVENTS: dict[str, tuple[str, dict[str, Any], bool, str]] = {
    "message.new": ("MessageNewEvent", {"$ref": f"{_SCHEMAS}MessageOut"}, True, "A message was sent"),
    "message.claimed": (
        "MessageClaimedEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "A message was claimed (or its claim renewed)",
    ),
    "message.claim_released": (
        "MessageClaimReleasedEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "A claim was released, by its holder or because its lease expired",
    ),
    "message.completed": (
        "MessageCompletedEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "The holder of a live claim acked the message: done, never claimable again",
    ),
    "message.dead_lettered": (
        "MessageDeadLetteredEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "A lease lapsed or was released with deliveryCount at maxDeliveries",
    ),
    "message.redriven": (
        "MessageRedrivenEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "An admin redrove a dead letter: claimable again, deliveryCount 0",
    ),
    "message.stuck": (
        "MessageStuckEvent",
        {"$ref": f"{_SCHEMAS}MessageOut"},
        True,
        "A direct message unread (or claimable one never claimed) AGENT_RELAY_STUCK_AFTER_MS after sending",
    ),
    "message.deleted": ("MessageDeletedEvent", _MESSAGE_DELETED, True, "A message was deleted"),
    "agent.status": (
        "AgentStatusEvent",
        _AGENT_STATUS,
        True,
        "An agent registered, changed status, went stale or was removed (`deleted: true`)",
    ),
    "task.created": ("TaskCreatedEvent", {"$ref": f"{_SCHEMAS}TaskOut"}, True, "A task was created"),
    "task.updated": (
        "TaskUpdatedEvent",
        {"$ref": f"{_SCHEMAS}TaskOut"},
        True,
        "A task was claimed, changed status or was updated by an integration",
    ),
    "pair.updated": (
        "PairUpdatedEvent",
        {"$ref": f"{_SCHEMAS}PairOut"},
        True,
        "A pair was created or changed",
    ),
    "orchestrator.status": (
        "OrchestratorStatusEvent",
        {"$ref": f"{_SCHEMAS}OrchestratorOut"},
        True,
        "An orchestrator registered, heartbeat changed its state, or went stale",
    ),
    "orchestrator.removed": (
        "OrchestratorRemovedEvent",
        _ORCHESTRATOR_REMOVED,
        True,
        "An orchestrator was removed",
    ),
    "activity.new": ("ActivityNewEvent", {"$ref": f"{_SCHEMAS}ActivityOut"}, True, "An activity feed entry"),
    "channel.activity": (
        "ChannelActivityEvent",
        {"$ref": f"{_SCHEMAS}ChannelActivity"},
        False,
        "Ephemeral channel activity (typing, read receipts, presence): never stored or replayed",
    ),
}
EVENT_UNION = "RelayEvent"
_STREAM_DESCRIPTION = (
    "An endless `text/event-stream`. Each event is one frame: `id: <event id>` (durable events "
    "only), `event: <name>` and `data: <JSON>`; the schema describes one frame as an object of "
    "those three fields (`RelayEvent`, one member per event name, `event` its discriminator). "
    "The stream opens with `retry: 2000` and a `: connected` comment (with the current event id "
    "when no resume point was given) and sends `: ping` comments while idle."
)


def _event_schemas() -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {}
    for name, (schema_name, data, durable, when) in EVENTS.items():
        schemas[schema_name] = {
            "title": schema_name,
            "description": f"`{name}`: {when}.",
            "type": "object",
            "properties": {
                "event": {"type": "string", "const": name, "description": "The SSE `event:` field"},
                "id": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "The SSE `id:` field: the event's id in the durable log (Last-Event-ID)",
                },
                "data": {**copy.deepcopy(data), "description": "The SSE `data:` field, JSON"},
            },
            "required": ["event", "id", "data"] if durable else ["event", "data"],
        }
        if not durable:
            del schemas[schema_name]["properties"]["id"]
    schemas[EVENT_UNION] = {
        "title": EVENT_UNION,
        "description": "One Server-Sent Event of GET /api/events, by its name.",
        "oneOf": [{"$ref": f"{_SCHEMAS}{schema_name}"} for schema_name, *_ in EVENTS.values()],
        "discriminator": {
            "propertyName": "event",
            "mapping": {name: f"{_SCHEMAS}{schema_name}" for name, (schema_name, *_) in EVENTS.items()},
        },
    }
    return schemas


def _document_stream(operation: dict[str, Any]) -> None:
    ok = operation.get("responses", {}).get("200")
    if ok is not None:
        ok["description"] = _STREAM_DESCRIPTION
        ok["content"] = {"text/event-stream": {"schema": {"$ref": f"{_SCHEMAS}{EVENT_UNION}"}}}


# -- request defaults -----------------------------------------------------------------------


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMAS):
            found.add(ref[len(_SCHEMAS) :])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _reachable(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return seen


def _document_request_defaults(spec: dict[str, Any]) -> None:
    """A field of a request body that the server fills in when left out (`kind`, `chat` by
    default) is optional, but generators that read `default` as "always present" (it is, in a
    response) make it required (openapi-typescript: `kind` required in SendMessage). In the
    schemas only request bodies use, the default moves into the description."""
    schemas = spec.get("components", {}).get("schemas", {})
    requests: set[str] = set()
    responses: set[str] = set()
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            requests |= _refs(operation.get("requestBody", {}))
            requests |= _refs(operation.get("parameters", []))
            responses |= _refs(operation.get("responses", {}))
    for name in _reachable(schemas, requests) - _reachable(schemas, responses):
        for prop in schemas[name].get("properties", {}).values():
            if "default" in prop:
                note = f"Default: `{json.dumps(prop.pop('default'))}`."
                prop["description"] = (
                    f"{prop['description'].rstrip()} {note}" if prop.get("description") else note
                )


# -- the whole refinement -------------------------------------------------------------------


def refine(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status.startswith("2") and operation.get("operationId") in _LINKS:
                    response["links"] = copy.deepcopy(_LINKS[operation["operationId"]])
            responses.pop("422", None)
            extra: list[int] = []
            if path.startswith("/api/") and path not in OPEN_PATHS:
                extra.append(401)
            if operation.get("parameters") or "requestBody" in operation:
                extra.append(400)
            if "requestBody" in operation:
                extra.append(413)
                if "application/json" in operation["requestBody"].get("content", {}):
                    extra.append(415)
            if method in _STATE_CHANGING:
                extra.append(403)  # an Origin the relay does not trust
            extra += [421, 431, 503]
            for code in extra:
                responses.setdefault(str(code), _error(code))
            _admit_edge_error(responses["503"])
            if path in OPERATION_SECURITY:
                operation["security"] = copy.deepcopy(OPERATION_SECURITY[path])
            if path == EVENTS_PATH and method == "get":
                _document_stream(operation)
    for name in _UNUSED_SCHEMAS:
        schemas.pop(name, None)
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
    schemas.update(_event_schemas())
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            _add_examples(spec, path, operation)
    _document_request_defaults(spec)
    spec["components"]["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    spec["security"] = copy.deepcopy(DEFAULT_SECURITY)
    spec["servers"] = copy.deepcopy(SERVERS)
    spec.setdefault("info", {}).setdefault("license", dict(LICENSE))
    used = {
        tag
        for operations in spec.get("paths", {}).values()
        for op in operations.values()
        for tag in op.get("tags", [])
    }
    spec["tags"] = [{"name": tag, "description": TAGS[tag]} for tag in TAGS if tag in used]
    spec["tags"] += [{"name": tag} for tag in sorted(used - set(TAGS))]  # a test names the missing
    _sort_enums(spec)
    return spec


def _sort_enums(node: Any) -> None:
    """Every enum in sorted order, so the spec is the same in every process. FastAPI builds
    `Optional[Literal[...]]` for query parameters when the app is created, and typing caches
    such unions by equality, which ignores order: in a process that has already built an equal
    Literal in another order (the generated SDK sorts its values), the spec would list that
    order instead of ours."""
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            node["enum"] = sorted(values)
        for child in node.values():
            _sort_enums(child)
    elif isinstance(node, list):
        for child in node:
            _sort_enums(child)


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
