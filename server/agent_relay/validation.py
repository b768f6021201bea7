"""Turn pydantic/FastAPI validation errors into one 400 message that names the field,
in the seed's words ("kind must be one of: chat, …", "from required")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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
