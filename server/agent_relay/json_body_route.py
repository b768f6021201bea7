"""A route class for hot endpoints whose only inputs are one JSON body model and the Request.

FastAPI reads such a body with `json.loads`, solves the endpoint's dependencies, then
validates the resulting dict against the model; pydantic can validate the raw bytes in one
pass (its JSON parser is in Rust). The OpenAPI spec is unchanged, because FastAPI still
documents the route from the endpoint's signature, and errors are the same
RequestValidationError, so they render as the same 400s.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

_MISSING_BODY = [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]


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
                errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
                raise RequestValidationError(errors) from None
            return await endpoint(**{name: body, "request": request})

        return handler
