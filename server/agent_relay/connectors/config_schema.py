"""JSON Schema for connector configs, safe to run inside the relay.

A `configSchema` comes from whoever registers a connector, so evaluating it must not be able
to freeze the process or reach out of it:

- Regular expressions (`pattern`, `patternProperties`, `format: "regex"`) run on RE2, which
  matches in linear time. Python's `re` backtracks (`^(a+)+$` against 40 characters runs for
  hours) and holds the GIL while it does, so no thread or timeout could save the loop.
  A pattern RE2 cannot compile (lookaround, backreferences) is refused at registration.
- Only the drafts whose keywords are known here: 4, 6, 7, 2019-09 and 2020-12 (`$schema` at
  the root only; none means 2020-12). Draft 3 (`extends`, schemas inside `type`) and unknown
  dialects are refused, and so is a nested `$schema`: jsonschema would switch to that draft's
  stock validator for the subschema, with Python `re` and no budget.
- No reference leaves the schema: `$ref` must point inside it (`#...`), checked in every
  subschema (every keyword's value is searched, unknown keywords included: a `$ref` JSON
  pointer can reach them), and the registry's retrieve refuses anything else, so validation
  never fetches an http:// or file:// URL.
- `anyOf`/`oneOf` keep a bounded number of sub-errors (see `_kept`).
- `uniqueItems` and `enum` compare by hashing (jsonschema falls back to pairwise comparison:
  3,000 objects took 9 s), and `unevaluatedProperties`/`unevaluatedItems` are refused
  (jsonschema evaluates them with Python `re` and re-validates subschemas).
- Every validation has a time budget, checked before each keyword is evaluated, so a large
  schema applied to a large config ends in a 400 instead of holding a thread; anything else
  jsonschema or referencing raises on a hostile schema is a SchemaRefused (a 400), never a 500.
- The checks run on their own small thread pool (`POOL`), never the default executor the
  database reads use, so hostile schemas can only queue behind each other.

jsonschema stays the engine (the drafts, `$ref`, formats); only the keywords above are
replaced, through `jsonschema.validators.extend`.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import re2
import referencing
import referencing.exceptions
from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
    FormatChecker,
    ValidationError,
)
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import extend

from agent_relay.errors import ServiceUnavailable

T = TypeVar("T")

MAX_PATTERN_CHARS = 4096
# A real config validates in well under a millisecond; this only stops hostile combinations.
BUDGET_S = 1.0
MAX_CONTEXT_ERRORS = 1000
# The dialects the relay checks (`$schema` without its scheme and trailing "#").
DRAFTS: dict[str, type[Validator]] = {
    "json-schema.org/draft-04/schema": Draft4Validator,
    "json-schema.org/draft-06/schema": Draft6Validator,
    "json-schema.org/draft-07/schema": Draft7Validator,
    "json-schema.org/draft/2019-09/schema": Draft201909Validator,
    "json-schema.org/draft/2020-12/schema": Draft202012Validator,
}
# Keywords whose values are names → schemas (a name there is not a keyword), and keywords
# whose values are data, never schemas. Every other value may hold a schema.
NAME_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies")
DATA_KEYWORDS = ("enum", "const", "default", "examples")
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
    context_errors: int = 0  # sub-errors kept under anyOf/oneOf errors so far

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


def _kept(errors: list[ValidationError]) -> list[ValidationError]:
    """The sub-errors an anyOf/oneOf error keeps (for best_match), up to MAX_CONTEXT_ERRORS
    per validation. jsonschema keeps them all, each linked back to its parent (a cycle): an
    exponential schema then fills the heap with millions of them within the budget, and the
    cyclic garbage collector, holding the GIL, stalled the event loop for over a second."""
    budget = _BUDGET.get()
    if budget is None:
        return errors
    if budget.context_errors + len(errors) > MAX_CONTEXT_ERRORS:
        return []
    budget.context_errors += len(errors)
    return errors


def _any_of(validator: Any, any_of: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    errors: list[ValidationError] = []
    for index, subschema in enumerate(any_of):
        found = list(validator.descend(instance, subschema, schema_path=index))
        if not found:
            return
        errors.extend(found)
    yield ValidationError("is not valid under any of the given schemas", context=_kept(errors))


def _one_of(validator: Any, one_of: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    subschemas = enumerate(one_of)
    errors: list[ValidationError] = []
    for index, subschema in subschemas:
        found = list(validator.descend(instance, subschema, schema_path=index))
        if not found:
            break
        errors.extend(found)
    else:
        yield ValidationError("is not valid under any of the given schemas", context=_kept(errors))
        return
    if any(validator.evolve(schema=each).is_valid(instance) for _, each in subschemas):
        yield ValidationError("is valid under more than one of the given schemas")


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
        "anyOf": _any_of,
        "oneOf": _one_of,
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


def walk(schema: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every (path, subschema) that can be evaluated as a schema, in any accepted draft.

    Over-approximates on purpose: every keyword's value is searched (`items` as a schema or
    a list, `dependencies` values, unknown keywords a `$ref` pointer could reach), except
    data (`enum`, `const`, `default`, `examples`)."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key, value in schema.items():
        if key in DATA_KEYWORDS:
            continue
        if key in NAME_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from walk(sub, (*where, key, name))
        elif isinstance(value, dict):
            yield from walk(value, (*where, key))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                yield from walk(sub, (*where, key, str(i)))


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _refuse_unsafe_parts(schema: dict[str, Any]) -> None:
    for where, sub in walk(schema):
        if where and "$schema" in sub:
            raise SchemaRefused(_dotted((*where, "$schema")), "is only allowed at the root of configSchema")
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
    dialect = schema.get("$schema")
    if dialect is None:
        return safe_validator(Draft202012Validator)
    known = None
    if isinstance(dialect, str):
        known = DRAFTS.get(dialect.removeprefix("https://").removeprefix("http://").removesuffix("#"))
    if known is None:
        raise SchemaRefused(
            "$schema",
            "must be one of the drafts the relay checks: draft-04, draft-06, draft-07, 2019-09, 2020-12",
        )
    return safe_validator(known)


def _contained(fn: Callable[[], T]) -> Callable[[], T]:
    """`fn` with whatever jsonschema/referencing raise on a schema they cannot evaluate
    turned into a SchemaRefused (a 400 naming configSchema), never a 500. Only the
    exception's type is named: its message could quote the config."""

    def run() -> T:
        try:
            return fn()
        except (SchemaRefused, TooExpensive, SchemaError, RecursionError):
            raise
        except referencing.exceptions.Unresolvable as exc:
            raise SchemaRefused("$ref", "has a $ref that does not resolve inside the schema") from exc
        except Exception as exc:
            raise SchemaRefused("", f"cannot be evaluated ({type(exc).__name__})") from exc

    return run


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

    _run_with_budget(_contained(check), budget_s)


def first_error(config: Any, schema: dict[str, Any], budget_s: float = BUDGET_S) -> ValidationError | None:
    """The most relevant error of `config` against `schema` (None if it is valid).
    Raises SchemaRefused or TooExpensive."""
    cls = _validator_class(schema)
    validator = cls(schema, registry=REGISTRY, format_checker=cls.FORMAT_CHECKER)

    def validate() -> ValidationError | None:
        _refuse_unsafe_parts(schema)  # again: the schema may have been stored before a rule
        return best_match(validator.iter_errors(config))

    return _run_with_budget(_contained(validate), budget_s)


# -- where the checks run ------------------------------------------------------------------


class CheckPool:
    """A few threads of its own for schema checks and config validation.

    They are CPU work of up to BUDGET_S each; on the default executor (which Database.read
    shares) a dozen hostile requests made every read wait. Past `workers` running and
    `queued` waiting, callers get a 503 with Retry-After instead of a growing queue: the
    wait stays bounded (about (workers + queued) / workers budgets) and so does memory."""

    def __init__(self, workers: int, queued: int) -> None:
        self.workers = workers
        self.limit = workers + queued
        self._pending = 0
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="config-schema")

    def _release(self, _future: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, fn: Callable[..., T], /, *args: Any) -> T:
        with self._lock:
            if self._pending >= self.limit:
                retry = math.ceil(self._pending / self.workers * BUDGET_S)
                raise ServiceUnavailable("config validation is busy, retry later", retry_after_s=retry)
            self._pending += 1
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._release(Future())
            raise
        # released when the work ends, not when the caller stops waiting (a cancelled
        # caller's running check still holds its thread)
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)


POOL = CheckPool(workers=2, queued=8)
