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

A big body (over OFF_LOOP_BYTES) is parsed and checked in a worker thread: a legal 1 MB body
can cost a quarter of a second of pure CPU, during which the event loop would serve no one
(4 clients sending such bodies made every /api/health wait). Small bodies, nearly all of
them, stay on the loop: handing one to a thread would cost more than parsing it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

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

OFF_LOOP_BYTES = 64 * 1024
# Two threads at most (per process): clients sending big bodies wait for each other, not
# for the threads everything else uses (asyncio.to_thread's), and the loop competes for
# the GIL with two threads only.
_BIG_BODIES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="json-body")
T = TypeVar("T")


async def _off_loop(work: Callable[[bytes], T], raw: bytes) -> T:
    """work(raw) in a worker thread; callers keep small bodies on the loop (no coroutine)."""
    return await asyncio.get_running_loop().run_in_executor(_BIG_BODIES, work, raw)


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
    return _read_checked(raw) if len(raw) <= OFF_LOOP_BYTES else await _off_loop(_read_checked, raw)


def _read_checked(raw: bytes) -> Any:
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

        def validate(raw: bytes) -> BaseModel:
            if not raw.strip():
                raise RequestValidationError(_MISSING_BODY)
            try:
                return model.model_validate_json(raw)
            except ValidationError as exc:
                return _validate_again(model, raw, exc)

        async def handler(request: Request) -> Response:
            raw = await request.body()
            body = validate(raw) if len(raw) <= OFF_LOOP_BYTES else await _off_loop(validate, raw)
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
