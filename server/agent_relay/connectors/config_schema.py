"""JSON Schema for connector configs, safe to run inside the relay.

A `configSchema` comes from whoever registers a connector, so evaluating it must not be able
to freeze the process or reach out of it:

- Regular expressions (`pattern`, `patternProperties`, `format: "regex"`) run on RE2, which
  matches in linear time. Python's `re` backtracks (`^(a+)+$` against 40 characters runs for
  hours) and holds the GIL while it does, so no thread or timeout could save the loop.
  A pattern RE2 cannot compile (lookaround, backreferences) is refused at registration.
- No reference leaves the schema: `$ref` must point inside it (`#...`), and the registry's
  retrieve refuses anything else, so validation never fetches an http:// or file:// URL.
- `uniqueItems` and `enum` compare by hashing (jsonschema falls back to pairwise comparison:
  3,000 objects took 9 s), and `unevaluatedProperties`/`unevaluatedItems` are refused
  (jsonschema evaluates them with Python `re` and re-validates subschemas).
- Every validation has a time budget, checked before each keyword is evaluated, so a large
  schema applied to a large config ends in a 400 instead of holding a thread.

jsonschema stays the engine (the drafts, `$ref`, formats); only the keywords above are
replaced, through `jsonschema.validators.extend`.
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import re2
import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import extend, validator_for

MAX_PATTERN_CHARS = 4096
# A real config validates in well under a millisecond; this only stops hostile combinations.
BUDGET_S = 1.0
# The schema keywords whose values are schemas (so the walk below knows where keywords are).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_ONE = (
    "additionalProperties", "propertyNames", "additionalItems", "contains", "not", "if", "then",
    "else", "contentSchema", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
UNSUPPORTED = ("unevaluatedProperties", "unevaluatedItems")

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print every refused pattern to stderr


class SchemaRefused(Exception):
    """The schema asks for something the relay will not do; `where` is a path inside it."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


class TooExpensive(Exception):
    """The validation ran out of its time budget."""


# -- regular expressions -------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> Any:
    return re2.compile(pattern, options=_RE2_OPTIONS)


def regex_problem(pattern: str) -> str | None:
    """Why RE2 cannot run this pattern, or None if it can."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"must be at most {MAX_PATTERN_CHARS} characters"
    try:
        _compile(pattern)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
        return f"is not a regular expression RE2 can run (no lookaround or backreferences): {reason}"
    return None


def search(pattern: str, text: str) -> bool:
    problem = regex_problem(pattern)
    if problem is not None:  # normally refused at registration; a $ref may reach others
        raise SchemaRefused("pattern", f"pattern {problem}")
    return _compile(pattern).search(text) is not None


# -- the validation budget -------------------------------------------------------------------


@dataclass
class _Budget:
    deadline: float
    enums: dict[int, tuple[Any, frozenset[Any]]] = field(default_factory=dict)

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TooExpensive


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("config_schema_budget", default=None)


def _run_with_budget(fn: Callable[[], Any], budget_s: float) -> Any:
    token = _BUDGET.set(_Budget(time.monotonic() + budget_s))
    try:
        return fn()
    except RecursionError:  # a $ref cycle that never consumes the instance
        raise TooExpensive from None
    finally:
        _BUDGET.reset(token)


# -- keywords ------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """A hashable form with JSON Schema equality: 1 == 1.0, but true != 1."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("a", tuple(_canonical(v) for v in value))
    if isinstance(value, dict):
        return ("o", frozenset((k, _canonical(v)) for k, v in value.items()))
    return ("z", None) if value is None else ("?", repr(value))


def additional_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Keys matched by neither `properties` nor `patternProperties` (in instance order)."""
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [key for key in instance if key not in properties and not any(search(p, key) for p in patterns)]


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError("does not match the pattern")


def _pattern_properties(
    validator: Any, patterns: dict, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, extra: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    keys = additional_keys(instance, schema)
    if validator.is_type(extra, "object"):
        for key in keys:
            yield from validator.descend(instance[key], extra, path=key)
    elif extra is False and keys:
        yield ValidationError("has properties that are not allowed")


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if unique and validator.is_type(instance, "array"):
        seen: set[Any] = set()
        for item in instance:
            key = _canonical(item)
            if key in seen:
                yield ValidationError("has non-unique elements")
                return
            seen.add(key)


def _enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not isinstance(enums, list):
        return
    budget = _BUDGET.get()
    cached = budget.enums.get(id(enums)) if budget is not None else None
    if cached is None or cached[0] is not enums:
        cached = (enums, frozenset(_canonical(e) for e in enums))
        if budget is not None:
            budget.enums[id(enums)] = cached  # the list is kept alive, so its id stays unique
    if _canonical(instance) not in cached[1]:
        yield ValidationError("is not one of the allowed values")


def _unsupported(keyword: str) -> Callable[..., Iterator[ValidationError]]:
    def refuse(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        raise SchemaRefused(keyword, f"{keyword} is not supported")
        yield  # pragma: no cover

    return refuse


def _metered(fn: Callable[..., Any]) -> Callable[..., Any]:
    def keyword(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        return fn(validator, value, instance, schema)

    return keyword


def _is_re2_regex(instance: object) -> bool:
    return not isinstance(instance, str) or regex_problem(instance) is None


@functools.cache
def safe_validator(base: type[Validator]) -> type[Validator]:
    """`base` (a jsonschema draft) with the keywords above replaced and every keyword metered."""
    replaced: dict[str, Callable[..., Any]] = {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        "uniqueItems": _unique_items,
        "enum": _enum,
        **{keyword: _unsupported(keyword) for keyword in UNSUPPORTED},
    }
    keywords = {k: _metered(replaced.get(k, fn)) for k, fn in base.VALIDATORS.items()}
    checker = FormatChecker(())
    checker.checkers = {**base.FORMAT_CHECKER.checkers, "regex": (_is_re2_regex, ())}
    return extend(base, validators=keywords, format_checker=checker)


def _refuse_retrieve(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)


# Nothing outside the schema resolves (jsonschema adds the drafts' bundled meta-schemas).
REGISTRY: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse_retrieve)


# -- the schema itself ---------------------------------------------------------------------


def _walk(schema: Any, where: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every (path, subschema) in schema positions; data (enum, const, default) is skipped."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key in _SCHEMA_MAPS:
        members = schema.get(key)
        if isinstance(members, dict):
            for name, sub in members.items():
                yield from _walk(sub, (*where, key, name))
    for key in _SCHEMA_ONE:
        yield from _walk(schema.get(key), (*where, key))
    for key in (*_SCHEMA_LISTS, "items", "dependencies"):
        members = schema.get(key)
        if isinstance(members, list) and key != "dependencies":
            for i, sub in enumerate(members):
                yield from _walk(sub, (*where, key, str(i)))
        elif isinstance(members, dict) and key == "dependencies":
            for name, sub in members.items():
                yield from _walk(sub, (*where, key, name))
        elif key == "items":
            yield from _walk(members, (*where, key))


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _refuse_unsafe_parts(schema: dict[str, Any]) -> None:
    for where, sub in _walk(schema, ()):
        for keyword in _REF_KEYWORDS:
            ref = sub.get(keyword)
            if isinstance(ref, str) and not ref.startswith("#"):
                raise SchemaRefused(
                    _dotted((*where, keyword)),
                    'must point inside the schema ("#/..."): remote $ref is not allowed',
                )
        pattern = sub.get("pattern")
        if isinstance(pattern, str) and (problem := regex_problem(pattern)) is not None:
            raise SchemaRefused(_dotted((*where, "pattern")), problem)
        patterns = sub.get("patternProperties")
        if isinstance(patterns, dict):
            for key in patterns:
                if (problem := regex_problem(key)) is not None:
                    raise SchemaRefused(_dotted((*where, "patternProperties", key)), f"(the key) {problem}")
        for keyword in UNSUPPORTED:
            if keyword in sub:
                raise SchemaRefused(_dotted((*where, keyword)), "is not supported by the relay")


def _validator_class(schema: dict[str, Any]) -> type[Validator]:
    if not isinstance(schema.get("$schema", ""), str):
        raise SchemaRefused("$schema", "must be a string")
    # An unknown $schema is read as the latest draft (jsonschema would only warn).
    return safe_validator(validator_for(schema, default=Draft202012Validator))


def check_schema(schema: dict[str, Any], budget_s: float = BUDGET_S) -> None:
    """Raise SchemaRefused (something the relay won't run), SchemaError (not a valid JSON
    Schema) or TooExpensive."""
    cls = _validator_class(schema)
    meta = cls(cls.META_SCHEMA, registry=REGISTRY, format_checker=cls.FORMAT_CHECKER)

    def check() -> None:
        _refuse_unsafe_parts(schema)
        error = best_match(meta.iter_errors(schema))
        if error is not None:
            raise SchemaError.create_from(error)

    _run_with_budget(check, budget_s)


def first_error(config: Any, schema: dict[str, Any], budget_s: float = BUDGET_S) -> ValidationError | None:
    """The most relevant error of `config` against `schema` (None if it is valid).
    Raises SchemaRefused or TooExpensive."""
    cls = _validator_class(schema)
    validator = cls(schema, registry=REGISTRY, format_checker=cls.FORMAT_CHECKER)

    def validate() -> ValidationError | None:
        try:
            return best_match(validator.iter_errors(config))
        except referencing.exceptions.Unresolvable as exc:
            raise SchemaRefused("$ref", "has a $ref that does not resolve inside the schema") from exc

    return _run_with_budget(validate, budget_s)
