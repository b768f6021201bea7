"""Turn pydantic/FastAPI validation errors into one 400 message that names the field,
in the seed's words ("kind must be one of: chat, …", "from required"); and the bounds every
free-form JSON value must keep (§12), with their texts."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from agent_relay.errors import BadRequest

MAX_JSON_DEPTH = 32
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

NUL = "must not contain NUL characters"
SURROGATE = "must not contain lone surrogates (invalid UTF-16)"
TOO_DEEP = f"nested deeper than {MAX_JSON_DEPTH} levels"
INT_RANGE = f"must be an integer from {INT64_MIN} to {INT64_MAX}"
NESTED_INT_RANGE = f"holds an integer outside {INT64_MIN} to {INT64_MAX}"
NOT_FINITE = "must be a finite number"
NESTED_NOT_FINITE = "holds a number that is not finite (NaN or Infinity)"


class JsonValueError(ValueError):
    """A value breaks a §12 bound. `field` is the offending top-level key when a whole body
    was checked (check_json_body), else empty: the caller's field (pydantic's loc) is meant.
    A ValueError, so pydantic reports it as a value_error of the field being validated."""

    def __init__(self, problem: str, field: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.field = field


def _check_str(value: str) -> None:
    if "\x00" in value:
        raise JsonValueError(NUL)
    if not value.isascii():  # O(1); an ASCII string cannot hold a surrogate
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise JsonValueError(SURROGATE) from None


def check_json_value(value: Any) -> None:
    """Every bound on a value a client sent (§12), in one pass: no NUL (PostgreSQL text cannot
    hold it), no lone surrogate (not encodable as UTF-8), containers at most 32 deep (the
    value itself is level 1), integers in the signed 64-bit range (the database's), numbers
    finite (JSON has no NaN). Iterative, so no body is deep enough to exhaust the stack.
    Scalars cost one type check. Raises JsonValueError."""
    kind = type(value)
    if kind is str:
        _check_str(value)
    elif kind is dict or kind is list:
        _check_container(value)
    elif kind is int:
        if not INT64_MIN <= value <= INT64_MAX:
            raise JsonValueError(INT_RANGE)
    elif kind is float:
        if not math.isfinite(value):
            raise JsonValueError(NOT_FINITE)
    elif value is not None and kind is not bool:
        _check_subclass(value, nested=False)


def _check_subclass(value: Any, nested: bool) -> None:
    """Not an exact JSON type (a str enum, a tuple …): the same rules through isinstance."""
    if isinstance(value, str):
        _check_str(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not INT64_MIN <= value <= INT64_MAX:
            raise JsonValueError(NESTED_INT_RANGE if nested else INT_RANGE)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise JsonValueError(NESTED_NOT_FINITE if nested else NOT_FINITE)
    elif isinstance(value, Mapping | list | tuple):
        _check_container(value)


def _check_container(root: Mapping[Any, Any] | Sequence[Any]) -> None:
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            for key in node:
                if type(key) is str:
                    _check_str(key)
                else:
                    _check_subclass(key, nested=True)
            items: Any = node.values()
        else:
            items = node
        for item in items:
            kind = type(item)
            if kind is str:
                _check_str(item)
            elif (
                kind is dict
                or kind is list
                or (kind is not int and kind is not float and isinstance(item, Mapping | list | tuple))
            ):
                if depth >= MAX_JSON_DEPTH:
                    raise JsonValueError(TOO_DEEP)
                stack.append((item, depth + 1))
            elif kind is int:
                if not INT64_MIN <= item <= INT64_MAX:
                    raise JsonValueError(NESTED_INT_RANGE)
            elif kind is float:
                if not math.isfinite(item):
                    raise JsonValueError(NESTED_NOT_FINITE)
            elif item is not None and kind is not bool:
                _check_subclass(item, nested=True)


def check_json_body(body: Any) -> Any:
    """check_json_value for a body parsed by hand: each top-level field is a value of its own
    (its depth counts from it) and an error names it. Returns the body."""
    if not isinstance(body, dict):
        check_json_value(body)
        return body
    for key, value in body.items():
        try:
            check_json_value(key)
        except JsonValueError as exc:  # a key that is no printable name: name the body
            raise JsonValueError(exc.problem, "body") from None
        try:
            check_json_value(value)
        except JsonValueError as exc:
            raise JsonValueError(exc.problem, key) from None
    return body


def json_value_message(exc: JsonValueError, field: str = "") -> str:
    """The 400 text for a JsonValueError met while validating `field` (empty for a body)."""
    name = ".".join(part for part in (field, exc.field) if part) or "body"
    return f"{name} {exc.problem}"


def raise_for_json_body(body: Any) -> Any:
    """check_json_body for code outside pydantic: the same texts, as a 400. Returns the body."""
    try:
        return check_json_body(body)
    except JsonValueError as exc:
        raise BadRequest(json_value_message(exc)) from None


_SOURCES = {"body", "query", "path", "header", "cookie"}
_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "an array",
    "tuple_type": "an array",
}
_OUT_OF_RANGE = {"int_parsing_size", "finite_number"}


def _field_name(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for i, part in enumerate(loc):
        if i == 0 and part in _SOURCES:
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif parts:
            parts.append(f".{part}")
        else:
            parts.append(str(part))
    return "".join(parts)


def _num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def describe(error: dict[str, Any]) -> str:
    loc = error.get("loc", ())
    field = _field_name(loc)
    kind = error.get("type", "")
    ctx = {k: _num(v) for k, v in (error.get("ctx") or {}).items()}
    if isinstance(ctx.get("error"), JsonValueError):
        return json_value_message(ctx["error"], field)
    if kind == "json_invalid":
        return "invalid JSON body"
    if not field:
        if kind in ("missing", "model_attributes_type", "model_type", "dict_type"):
            return "JSON object body required"
        field = "body"
    if kind == "missing":
        return f"{field} required"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{field} must be one of: {', '.join(choices)}"
    if kind in _TYPE_WORDS:
        return f"{field} must be {_TYPE_WORDS[kind]}"
    if kind == "string_unicode":  # pydantic's parser met a lone surrogate in a string field
        return f"{field} {SURROGATE}"
    if kind in _OUT_OF_RANGE:
        return f"{field} {INT_RANGE if kind == 'int_parsing_size' else NOT_FINITE}"
    if kind == "string_too_long":
        return f"{field} must be at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return f"{field} must not be empty" if ctx.get("min_length") == 1 else f"{field} is too short"
    if kind == "too_long":
        return f"{field} must have at most {ctx.get('max_length')} items"
    if kind == "greater_than":
        return f"{field} must be greater than {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"{field} must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{field} must be at most {ctx.get('le')}"
    if kind == "less_than":
        return f"{field} must be less than {ctx.get('lt')}"
    if kind == "string_pattern_mismatch":
        return f"{field} must match {ctx.get('pattern')}"
    if kind == "value_error":
        return f"{field} {ctx.get('error') or error.get('msg', 'is invalid')}"
    return f"{field}: {error.get('msg', 'invalid value')}"


def first_message(errors: Sequence[dict[str, Any]]) -> str:
    return describe(errors[0]) if errors else "invalid request"
