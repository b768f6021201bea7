"""Shared wire conventions: camelCase models, error bodies, fast JSON responses."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel
from starlette.responses import Response

MAX_INT = 2**63 - 1  # the database's BIGINT; larger numbers are a 400, not an overflow

PositiveId = Annotated[int, Field(gt=0, le=MAX_INT)]
NonNegativeInt = Annotated[int, Field(ge=0, le=MAX_INT)]


class WireModel(BaseModel):
    """Request bodies: camelCase on the wire, strict types (a "true" string is not a bool)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, strict=True, extra="ignore"
    )

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold NUL (the driver raises -> a 500); refuse it up front
        # on every backend so the two behave alike.
        if has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


class OutModel(BaseModel):
    """Response shapes, for the OpenAPI spec and the generated SDK."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ErrorBody(BaseModel):
    error: str = Field(examples=["kind must be one of: chat, channel.event, task, pair, control, system"])


class OkBody(BaseModel):
    ok: bool = True


def Str(max_length: int, min_length: int = 1) -> Any:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length)]


Id200 = Str(200)
JsonObject = dict[str, Any]

LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Page size (default 100, max 1000)")]
CursorQuery = Annotated[int | None, Query(ge=0, le=MAX_INT)]


def json_response(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialize with orjson and skip FastAPI's response-model pass: routes build their
    wire dicts with to_wire functions that a unit test checks against the Out models."""
    return Response(orjson.dumps(data), status_code=status_code, media_type="application/json", headers=headers)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Bad input: the message names the field",
        401: "Missing or wrong token",
        403: "Not allowed for this actor",
        404: "Not found",
        409: "State conflict",
        413: "Request body too large",
        429: "Rate limited (see Retry-After)",
        502: "An external command failed",
    }
    return {code: {"model": ErrorBody, "description": descriptions.get(code, "Error")} for code in codes}
