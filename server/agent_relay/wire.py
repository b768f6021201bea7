"""Shared wire conventions: camelCase models, error bodies, fast JSON responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel
from starlette.responses import Response

from agent_relay.validation import INT64_MAX, check_json_body, check_json_value

R = TypeVar("R")  # a resource's record (a TypedDict of its wire keys)

MAX_INT = INT64_MAX  # the database's BIGINT; larger numbers are a 400, not an overflow
MAX_SAFE_INTEGER = 2**53 - 1  # the largest integer every JSON client reads exactly (§12: epoch)

PositiveId = Annotated[int, Field(gt=0, le=MAX_INT)]
NonNegativeInt = Annotated[int, Field(ge=0, le=MAX_INT)]
Epoch = Annotated[int, Field(ge=0, le=MAX_SAFE_INTEGER)]


class WireModel(BaseModel):
    """Request bodies: camelCase on the wire, strict types (a "true" string is not a bool)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, strict=True, extra="ignore")

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        # Every field, typed or free-form (`meta`, `payload` …), keeps the §12 bounds, so
        # nothing a client sends can fail later in the database, the event log or a
        # response (a JsonValueError becomes "<field> nested deeper than 32 levels" …).
        # (Nested models were checked field by field; the walker passes over them.)
        check_json_value(value)
        return value


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
# A free-form body parameter (`Body()`), held to the §12 bounds; errors name its top-level field.
JsonBody = Annotated[Any, AfterValidator(check_json_body)]

LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Page size (default 100, max 1000)")]
CursorQuery = Annotated[int | None, Query(ge=0, le=MAX_INT)]


class WireShape(Generic[R]):
    """The wire form of one resource, derived once from its `*Out` model: every field's
    alias (camelCase) is a key, read from the row's column of the field's own (snake_case)
    name unless `columns` renames it, through `convert` where the stored form differs (0/1
    from SQLite for a bool, NULL for an empty list), or from the whole row by `derive` (a
    value made of several columns). The builder is compiled once into a single dict display:
    as fast as a hand-written `to_wire`, with no second list of keys to drift from the model.
    `record` is the TypedDict services return (what mypy sees); its keys must be the model's
    aliases, checked here at import, and tests/unit/test_wire_shapes.py checks every shape
    against the OpenAPI spec.

    `shape.build(row)` takes any mapping (a RowMapping, a dict of inserted values)."""

    registry: ClassVar[list[WireShape[Any]]] = []

    def __init__(
        self,
        model: type[BaseModel],
        record: type[R],
        *,
        columns: dict[str, str] | None = None,
        convert: dict[str, Callable[[Any], Any]] | None = None,
        derive: dict[str, Callable[[Mapping[str, Any]], Any]] | None = None,
    ) -> None:
        columns, convert, derive = columns or {}, convert or {}, derive or {}
        unknown = (set(columns) | set(convert) | set(derive)) - set(model.model_fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.model = model
        self.keys = tuple(field.alias or name for name, field in model.model_fields.items())
        record_keys = set(getattr(record, "__annotations__", {}))
        if record_keys != set(self.keys):
            raise ValueError(
                f"{record.__name__} keys differ from {model.__name__}'s: {sorted(record_keys ^ set(self.keys))}"
            )
        # the column each field is read from, in field order (None: derived from several)
        self.sources: tuple[str, ...] = tuple(
            columns.get(name, name) for name in model.model_fields if name not in derive
        )
        self._convert = convert
        self._has_derived = bool(derive)
        namespace: dict[str, Any] = {}
        items = []
        for name, field in model.model_fields.items():
            read = f"row[{columns.get(name, name)!r}]"
            if name in derive:  # a value made from several columns (a pair's agentIds)
                namespace[f"_{name}"] = derive[name]
                read = f"_{name}(row)"
            elif name in convert:
                namespace[f"_{name}"] = convert[name]
                read = f"_{name}({read})"
            items.append(f"{field.alias or name!r}: {read}")
        # our own field names and aliases only; Mapping[Any, Any]: a RowMapping's keys may be columns
        self.build: Callable[[Mapping[Any, Any]], R] = eval(
            "lambda row: {" + ", ".join(items) + "}", namespace
        )
        WireShape.registry.append(self)

    def row_builder(
        self, convert: dict[str, Callable[[Any], Any]] | None = None
    ) -> Callable[[Sequence[Any]], R]:
        """A builder from positional rows holding `sources` in order (a SELECT of exactly
        those columns, as the DBAPI cursor returns it): no mapping is made per row, for
        reads that return many rows (the inbox). `convert` adds conversions by field name
        on top of the shape's own (a JSON column one database hands back as text)."""
        if self._has_derived:
            raise ValueError(f"{self.model.__name__} derives fields from several columns: use build()")
        conversions = {**self._convert, **(convert or {})}
        unknown = set(conversions) - set(self.model.model_fields)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        namespace: dict[str, Any] = {}
        items = []
        for i, (name, field) in enumerate(self.model.model_fields.items()):
            read = f"row[{i}]"
            if name in conversions:
                namespace[f"_{name}"] = conversions[name]
                read = f"_{name}({read})"
            items.append(f"{field.alias or name!r}: {read}")
        built: Callable[[Sequence[Any]], R] = eval("lambda row: {" + ", ".join(items) + "}", namespace)
        return built


def empty_list(value: list[Any] | None) -> list[Any]:
    return value or []


def empty_dict(value: dict[str, Any] | None) -> dict[str, Any]:
    return value or {}


def json_response(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialize with orjson and skip FastAPI's response-model pass: routes build their
    wire dicts with to_wire functions that a unit test checks against the Out models."""
    return Response(
        orjson.dumps(data), status_code=status_code, media_type="application/json", headers=headers
    )


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
