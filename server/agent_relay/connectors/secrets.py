"""Config properties marked `"secret": true`: write-only.

A secret is masked by its path in the config, and the path comes from `properties` alone
(`secret_paths`). Three rules keep that sound:

- A marker anywhere else (under `$ref`/`$defs`, `allOf`/`anyOf`/`oneOf`, `items`,
  `additionalProperties`, `patternProperties`, ...) is refused at registration rather than
  followed: which value such a subschema governs depends on the value itself, and a masking
  rule that guesses fails open. Refusing fails closed and names the marker's path.
- A PUT that sends the mask back validates the stored secret against whatever schema was
  registered last, so re-registering with `pattern: "^a"` and reading 200 or 400 would guess
  it one character at a time. No subschema that can apply to a secret's value may test its
  content (`pattern`, `enum`, `const`, `format`, bounds, ...): refused at registration.
  Every way a subschema reaches the secret is followed (properties, matching
  patternProperties, additionalProperties, in-place applicators such as allOf/if/not/
  dependentSchemas, local `$ref` pointers); a reference that cannot be followed is refused.
- Size rules (`minLength` and the like: the SDK's own webhook manifest wants
  `minLength: 8` on its secrets) stay allowed, but a re-registration that changes any size
  rule reaching a secret forgets the stored secret, as does one that drops its marker: a
  rule the owner did not set can never be tested against the stored value.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from agent_relay.connectors import config_schema
from agent_relay.connectors.config_schema import SchemaRefused

MASK = "********"
# Assertions whose outcome depends on a secret's content: refused.
VALUE_KEYWORDS = (
    "pattern", "enum", "const", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "uniqueItems", "contentEncoding", "contentMediaType",
    "contentSchema",
)  # fmt: skip
# ...on its size or shape only: allowed, and a change forgets the stored secret.
SIZE_KEYWORDS = (
    "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
    "required", "dependentRequired",
)  # fmt: skip
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_MAPS = ("dependentSchemas", "dependencies")
_REFS = ("$ref", "$dynamicRef", "$recursiveRef")
Path = tuple[str, ...]
# an instance path below a secret: None stands for any key or index
Where = tuple[str | None, ...]


def secret_paths(schema: dict[str, Any] | None, base: Path = ()) -> Iterator[Path]:
    """Paths of properties marked `"secret": true` (nested object properties included)."""
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        if sub.get("secret") is True:
            yield (*base, name)
        else:
            yield from secret_paths(sub, (*base, name))


def covered(path: tuple[Any, ...], secrets: list[Path]) -> bool:
    """Is the config value at `path` a secret or inside one?"""
    return any(len(path) >= len(s) and tuple(path[: len(s)]) == s for s in secrets)


# -- registration rules ------------------------------------------------------------------------


def check(schema: dict[str, Any]) -> None:
    """Raise SchemaRefused for a secret masking cannot find or a schema that can test one."""
    secrets = list(secret_paths(schema))
    for where, sub in config_schema.walk(schema):
        if sub.get("secret") is True and not covered(_property_chain(where), secrets):
            raise SchemaRefused(
                ".".join((*where, "secret")),
                "can only mark a property reached through properties from the root "
                "(not through $ref, $defs, allOf/anyOf/oneOf, items, additionalProperties or patternProperties)",
            )
    _rules_on_secrets(schema, secrets)


# (where in the schema, where in the config, keyword, value)
SizeRule = tuple[Path, Where, str, str]


def _size_rules(schema: dict[str, Any] | None) -> set[SizeRule]:
    """The size rules that reach a secret (a schema stored before these rules were
    enforced may not pass them: then every secret counts as changed)."""
    if not isinstance(schema, dict):
        return set()
    try:
        return _rules_on_secrets(schema, list(secret_paths(schema)))
    except SchemaRefused:
        return {((), (), "refused", "")}


def _property_chain(where: Path) -> Path:
    """The config path `where` names if it is properties.a.properties.b..., else a path
    that covers nothing."""
    if len(where) % 2 or any(k != "properties" for k in where[::2]):
        return ("\0not-a-property-path",)
    return where[1::2]


def _resolve(root: dict[str, Any], ref: str) -> tuple[Path, Any] | None:
    """A `#` or `#/json/pointer` reference inside the document, or None."""
    if ref == "#":
        return (), root
    if not ref.startswith("#/"):
        return None
    where: list[str] = []
    node: Any = root
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
        where.append(part)
    return tuple(where), node


def _matches(where: Where, secret: Path) -> bool:
    return all(w is None or w == s for w, s in zip(where, secret, strict=False))


def _rules_on_secrets(root: dict[str, Any], secrets: list[Path]) -> set[SizeRule]:
    """Follow every subschema that applies to a secret's value (or to an object holding
    one): refuse content assertions on a secret, collect its size rules."""
    sizes: set[SizeRule] = set()
    if not secrets:
        return sizes
    # a nested $id changes what "#/..." means under it: then references are not followed
    rebased = any(
        where and ("$id" in sub or isinstance(sub.get("id"), str)) for where, sub in config_schema.walk(root)
    )
    deepest = max(len(s) for s in secrets) + 1
    seen: set[tuple[Path, Where]] = set()
    todo: list[tuple[Path, Any, Where]] = [((), root, ())]
    while todo:
        doc, sub, inst = todo.pop()
        inst = inst[:deepest]
        if not isinstance(sub, dict) or (doc, inst) in seen:
            continue
        seen.add((doc, inst))
        below = any(len(inst) >= len(s) and _matches(inst, s) for s in secrets)
        above = [s for s in secrets if len(inst) < len(s) and _matches(inst, s)]
        if not below and not above:
            continue
        if below:
            for keyword in VALUE_KEYWORDS:
                if keyword in sub:
                    raise SchemaRefused(
                        ".".join((*doc, keyword)),
                        "must not test a secret's content (a validation error would reveal it)",
                    )
            for keyword in SIZE_KEYWORDS:
                if keyword in sub:
                    sizes.add((doc, inst, keyword, json.dumps(sub[keyword], sort_keys=True)))
        for keyword in _REFS:
            ref = sub.get(keyword)
            if not isinstance(ref, str):
                continue
            target = _resolve(root, ref) if keyword == "$ref" and not rebased else None
            if target is None:
                raise SchemaRefused(
                    ".".join((*doc, keyword)),
                    'applies to a secret and must be a "#/..." pointer the relay can follow',
                )
            todo.append((target[0], target[1], inst))
        for keyword in _IN_PLACE_ONE:
            todo.append(((*doc, keyword), sub.get(keyword), inst))
        for keyword in _IN_PLACE_LISTS:
            members = sub.get(keyword)
            if isinstance(members, list):
                todo.extend(((*doc, keyword, str(i)), m, inst) for i, m in enumerate(members))
        for keyword in _IN_PLACE_MAPS:
            members = sub.get(keyword)
            if isinstance(members, dict):
                todo.extend(((*doc, keyword, name), m, inst) for name, m in members.items())
        if below:  # everything inside a secret is secret: any child keyword, any key
            deeper = (*inst, None)
            for keyword, value in sub.items():
                if keyword in (
                    *_IN_PLACE_ONE,
                    *_IN_PLACE_LISTS,
                    *_IN_PLACE_MAPS,
                    *config_schema.DATA_KEYWORDS,
                ):
                    continue
                if keyword in config_schema.NAME_MAPS and isinstance(value, dict):
                    todo.extend(((*doc, keyword, name), m, deeper) for name, m in value.items())
                elif isinstance(value, dict):
                    todo.append(((*doc, keyword), value, deeper))
                elif isinstance(value, list):
                    todo.extend(((*doc, keyword, str(i)), m, deeper) for i, m in enumerate(value))
            continue
        properties = sub.get("properties") if isinstance(sub.get("properties"), dict) else {}
        patterns = sub.get("patternProperties") if isinstance(sub.get("patternProperties"), dict) else {}
        for name in {s[len(inst)] for s in above}:
            if name in properties:
                todo.append(((*doc, "properties", name), properties[name], (*inst, name)))
            matched = [p for p in patterns if config_schema.search(p, name)]
            todo.extend(((*doc, "patternProperties", p), patterns[p], (*inst, name)) for p in matched)
            if name not in properties and not matched:
                todo.append(((*doc, "additionalProperties"), sub.get("additionalProperties"), (*inst, name)))
    return sizes


# -- masking ---------------------------------------------------------------------------------


def _lookup(obj: Any, path: Path) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return False, None
        obj = obj[part]
    return True, obj


def mask(config: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    """The config as clients see it: every present secret replaced by the mask."""
    out = copy.deepcopy(config)
    for path in secret_paths(schema):
        found, value = _lookup(out, path)
        if found and value is not None:
            parent = out
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = MASK
    return out


def unmask(new: dict[str, Any], stored: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    """A PUT that sends the mask back keeps the stored secret (or drops it if none is stored)."""
    out = copy.deepcopy(new)
    for path in secret_paths(schema):
        found, value = _lookup(out, path)
        if not found or value != MASK:
            continue
        parent = out
        for part in path[:-1]:
            parent = parent[part]
        had, old = _lookup(stored, path)
        if had:
            parent[path[-1]] = old
        else:
            del parent[path[-1]]
    return out


def forget_unmarked_secrets(
    config: dict[str, Any], old_schema: dict[str, Any] | None, new_schema: dict[str, Any] | None
) -> dict[str, Any]:
    """Drop every stored value the old schema marked secret and the new one no longer masks,
    or whose size rules changed.

    Otherwise re-registering the manifest without `"secret": true` would read the secret back,
    and one with `maxLength: n` would tell its length. Dropping (not keeping it masked) needs
    no memory of old schemas and fails closed: no later schema can reveal the value; the
    owner enters it again."""
    new = list(secret_paths(new_schema))
    old_sizes, new_sizes = _size_rules(old_schema), _size_rules(new_schema)
    out = copy.deepcopy(config)
    for path in secret_paths(old_schema):

        def reaching(rules: set[SizeRule], path: Path = path) -> set[SizeRule]:
            return {r for r in rules if len(r[1]) >= len(path) and _matches(r[1], path)}

        # still masked (itself or a parent), under the same size rules
        if covered(path, new) and reaching(old_sizes) == reaching(new_sizes):
            continue
        found, _ = _lookup(out, path)
        if found:
            parent = out
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
    return out
