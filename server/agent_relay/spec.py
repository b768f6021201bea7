"""The OpenAPI document the SDK is generated from.

FastAPI's default spec advertises a 422 validation error the relay never sends (it answers
400), and cannot know about the errors the layers in front of the routers add (401 without
the token, 413 for a body over the cap, 415 for a body that is not JSON, 403 for a foreign
Origin, 421 for a foreign Host, 431 for an oversized head, 503 past a capacity cap). This
fixes both once, for every router, so new routes get them without declaring them by hand.
It also adds the links between operations (_LINKS)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from agent_relay.middleware import OPEN_PATHS
from agent_relay.wire import ErrorBody, error_responses

_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
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


# Answers from the layers in front of every router (http_server, middleware), §12/§13.
_EDGE_DESCRIPTIONS = {
    415: "Body is not application/json",
    421: "Host not allowed (a name the relay does not answer to)",
    431: "Request head too large",
    503: "Over capacity (connections, streams or long-polls): retry after Retry-After",
}
_STATE_CHANGING = ("post", "put", "patch", "delete")


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


def refine(spec: dict[str, Any]) -> dict[str, Any]:
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
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in _UNUSED_SCHEMAS:
        schemas.pop(name, None)
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
    return spec


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
