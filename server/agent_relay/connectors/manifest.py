"""Connector manifests and configs: validation (pydantic for the manifest, jsonschema for
the config), secret masking, and 400 messages that name the field."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from jsonschema import ValidationError as SchemaValidationError
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from agent_relay.connectors import config_schema, secrets
from agent_relay.errors import BadRequest
from agent_relay.validation import describe

ConnectorAction = Literal[
    "install", "uninstall", "enable", "disable", "start", "stop", "restart", "status", "doctor"
]
CONNECTOR_ACTIONS: tuple[str, ...] = ConnectorAction.__args__  # type: ignore[attr-defined]
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
# semver.org's regular expression (MAJOR.MINOR.PATCH, optional -prerelease and +build)
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
MAX_ARGV = 256
MAX_ARG_CHARS = 8192
MAX_ERROR_CHARS = 500

Arg = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ARG_CHARS)]
Argv = Annotated[list[Arg], Field(min_length=1, max_length=MAX_ARGV)]


class Manifest(BaseModel):
    """What a connector declares about itself. Unknown extra fields are kept."""

    model_config = ConfigDict(strict=True, extra="allow", populate_by_name=True)

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    version: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    description: Annotated[str, StringConstraints(max_length=2000)]
    channel_type: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = Field(
        default=None, alias="channelType"
    )
    commands: dict[str, Argv] = Field(
        default_factory=dict,
        description="For each supported action, an argv list (never a shell string)",
        examples=[{"start": ["python", "bridge.py"], "status": ["python", "bridge.py", "--status"]}],
    )
    config_schema: dict[str, Any] | None = Field(default=None, alias="configSchema")

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not SEMVER.match(value):
            raise PydanticCustomError("semver", "must be a semantic version like 1.2.3")
        return value

    @field_validator("commands", mode="before")
    @classmethod
    def _known_actions(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in value:
                if key not in CONNECTOR_ACTIONS:
                    raise PydanticCustomError(
                        "action",
                        "has an unknown action {key}; actions must be one of: {choices}",
                        {"key": repr(key), "choices": ", ".join(CONNECTOR_ACTIONS)},
                    )
                argv = value[key]
                if isinstance(argv, list) and any(isinstance(a, str) and "\x00" in a for a in argv):
                    raise PydanticCustomError(
                        "nul", "{key} arguments must not contain NUL bytes", {"key": key}
                    )
        return value

    def wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


def _field(loc: tuple[Any, ...], prefix: str) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_manifest(raw: Any, prefix: str) -> Manifest:
    """The manifest, or a 400 naming the field. CPU-bound on a large `configSchema` (within
    the check's budget): callers run it off the event loop."""
    if not isinstance(raw, dict):
        raise BadRequest(f"{prefix or 'manifest'} must be an object")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error.get("loc", ()))
        if error["type"] in ("semver", "action", "nul"):
            raise BadRequest(f"{_field(loc, prefix)} {error['msg']}") from None
        if error["type"] == "too_short":
            raise BadRequest(f"{_field(loc, prefix)} must not be empty") from None
        if error["type"] == "string_pattern_mismatch" and loc == ("id",):
            raise BadRequest(f"{_field(loc, prefix)} must match {ID_PATTERN}") from None
        prefixed = dict(error, loc=(*(prefix.split(".") if prefix else ()), *loc))
        raise BadRequest(describe(prefixed)) from None
    if manifest.config_schema is not None:
        _check_config_schema(manifest.config_schema, _field(("configSchema",), prefix))
    return manifest


def _refused(field: str, exc: config_schema.SchemaRefused) -> BadRequest:
    where = f"{field}.{exc.where}" if exc.where else field
    return BadRequest(f"{where} {exc.message}"[:MAX_ERROR_CHARS])


def _check_config_schema(schema: dict[str, Any], field: str) -> None:
    try:
        config_schema.check_schema(schema)
        secrets.check(schema)
    except config_schema.SchemaRefused as exc:
        raise _refused(field, exc) from None
    except config_schema.TooExpensive:
        raise BadRequest(f"{field} is too large or complex to check") from None
    except SchemaError as exc:
        where = ".".join(str(p) for p in exc.path)
        where = f" (at {where})" if where else ""
        raise BadRequest(
            f"{field} is not a valid JSON Schema{where}: {exc.message}"[:MAX_ERROR_CHARS]
        ) from None


# -- config --------------------------------------------------------------------------------


_BOUNDS = {
    "minimum": "at least",
    "exclusiveMinimum": "greater than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
}


def _describe_config_error(error: SchemaValidationError, schema: dict[str, Any]) -> str:
    """Which field failed and why, from the schema's side only: never the config's values
    (a crafted schema could otherwise make the relay echo a stored secret)."""
    path = tuple(str(p) for p in error.absolute_path)
    field = "config" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind in secrets.VALUE_KEYWORDS and secrets.covered(path, list(secrets.secret_paths(schema))):
        # refused at registration; a schema stored before that must not say which value failed
        return f"{field} is invalid"
    if kind == "required" and isinstance(instance, dict) and isinstance(expected, list):
        missing = next((p for p in expected if p not in instance), None)
        if missing is not None:
            return f"{field}.{missing} required"
    if kind == "type":
        types = expected if isinstance(expected, list) else [expected]
        return f"{field} must be {' or '.join(str(t) for t in types)}"
    if kind == "enum" and isinstance(expected, list):
        return f"{field} must be one of: {', '.join(str(v) for v in expected)}"
    if kind == "const":
        return f"{field} must be {expected!r}"
    if kind in _BOUNDS:
        return f"{field} must be {_BOUNDS[kind]} {expected}"
    if kind == "multipleOf":
        return f"{field} must be a multiple of {expected}"
    if kind == "minLength":
        return f"{field} must be at least {expected} characters"
    if kind == "maxLength":
        return f"{field} must be at most {expected} characters"
    if kind == "pattern":
        return f"{field} must match {expected}"
    if kind == "format":
        return f"{field} must be a valid {expected}"
    if kind == "additionalProperties" and isinstance(instance, dict) and isinstance(error.schema, dict):
        extra = config_schema.additional_keys(instance, error.schema)
        return f"{field}.{extra[0]} is not allowed" if extra else f"{field} has unexpected properties"
    if kind in ("minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems"):
        return f"{field} violates {kind} {expected}"
    if kind is None:  # a `false` subschema
        return f"{field} is not allowed"
    return f"{field} is invalid ({kind})"


def validate_config(config: dict[str, Any], schema: dict[str, Any] | None) -> None:
    """400 naming the first field that fails. CPU-bound within a time budget: run it off
    the event loop and outside writer jobs."""
    if not schema:
        return
    try:
        error = config_schema.first_error(config, schema)
    except config_schema.SchemaRefused as exc:
        raise _refused("configSchema", exc) from None
    except config_schema.TooExpensive:
        raise BadRequest("config is too large or complex to validate against configSchema") from None
    if error is not None:
        raise BadRequest(_describe_config_error(error, schema)[:MAX_ERROR_CHARS])
