"""The OpenAPI document the SDK is generated from.

FastAPI's default spec advertises a 422 validation error the relay never sends (it answers
400), and cannot know about the errors the middleware adds to every route (401 without the
token, 413 for a body over the cap). This fixes both once, for every router, so new routes
get them without declaring them by hand."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from agent_relay.middleware import OPEN_PATHS
from agent_relay.wire import ErrorBody, error_responses

_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _error(code: int) -> dict[str, Any]:
    description = error_responses(code)[code]["description"]
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def refine(spec: dict[str, Any]) -> dict[str, Any]:
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            extra: list[int] = []
            if path.startswith("/api/") and path not in OPEN_PATHS:
                extra.append(401)
            if operation.get("parameters") or "requestBody" in operation:
                extra.append(400)
            if "requestBody" in operation:
                extra.append(413)
            for code in extra:
                responses.setdefault(str(code), _error(code))
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
