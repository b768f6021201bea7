"""JSON bodies: one parser for bodies read by hand, and a route class for hot endpoints
whose only inputs are one JSON body model and the Request.

FastAPI reads such a body with `json.loads`, solves the endpoint's dependencies, then
validates the resulting dict against the model; pydantic can validate the raw bytes in one
pass (its JSON parser is in Rust). The OpenAPI spec is unchanged, because FastAPI still
documents the route from the endpoint's signature, and errors are the same
RequestValidationError, so they render as the same 400s.

Rust's parser refuses what Python's takes (a lone surrogate, nesting past 200 levels): such
a body is parsed again by the standard library, so the §12 bounds name the field at fault
("meta nested deeper than 32 levels") whichever route it came to. Only a failing body pays.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from pydantic_core import from_json
from starlette.requests import Request
from starlette.responses import Response

from agent_relay.errors import BadRequest
from agent_relay.validation import raise_for_json_body

_MISSING_BODY = [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
_UNPARSED = object()


def _parse_leniently(raw: bytes) -> Any:
    """The standard library's reading of a body Rust's parser refused, or _UNPARSED. Its C
    scanner stops a deep body with a RecursionError (near 1000 levels), never a crash."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return _UNPARSED


def parse_json_body(raw: bytes) -> Any:
    """Parse a body read by hand. Big integers stay integers (orjson would make 2^64 a
    float), so the bounds check sees them. A body that is not JSON -> 400."""
    try:
        return from_json(raw)
    except ValueError:
        pass
    value = _parse_leniently(raw)
    if value is _UNPARSED:
        raise BadRequest("invalid JSON body")
    return value


async def read_json_body(request: Request) -> Any:
    """A free-form JSON body (None when blank), parsed and held to the §12 bounds."""
    raw = await request.body()
    if not raw.strip():
        return None
    return raise_for_json_body(parse_json_body(raw))


class JsonBodyRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        body_field = self.body_field
        parameters = set(inspect.signature(self.endpoint).parameters)
        assert body_field is not None and parameters == {body_field.name, "request"}, (
            f"{self.name}: JsonBodyRoute takes exactly one body model and the request"
        )
        model: type[BaseModel] = body_field.field_info.annotation  # type: ignore[assignment]
        endpoint, name = self.endpoint, body_field.name

        async def handler(request: Request) -> Response:
            raw = await request.body()
            if not raw.strip():
                raise RequestValidationError(_MISSING_BODY)
            try:
                body = model.model_validate_json(raw)
            except ValidationError as exc:
                body = _validate_again(model, raw, exc)
            return await endpoint(**{name: body, "request": request})

        return handler


def _validate_again(model: type[BaseModel], raw: bytes, exc: ValidationError) -> BaseModel:
    """After Rust refused the JSON itself, try the standard library's reading (see the module
    docstring); any other error, or a body neither parser reads, is the first answer."""
    errors = exc.errors(include_url=False)
    value = _parse_leniently(raw) if errors[0]["type"] == "json_invalid" else _UNPARSED
    if value is not _UNPARSED:
        try:
            return model.model_validate(value)
        except ValidationError as again:
            errors = again.errors(include_url=False)
    raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
