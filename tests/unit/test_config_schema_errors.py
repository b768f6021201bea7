"""anyOf/oneOf errors keep a bounded number of sub-errors (issue #12): jsonschema keeps all
of them, each linked to its parent (a reference cycle), so an exponential schema filled the
heap within its budget and the cyclic garbage collector, holding the GIL, stalled the event
loop for over a second (measured: 1.4 s for GET /api/agents)."""

from __future__ import annotations

from typing import Any

import pytest
from agent_relay.connectors import config_schema
from jsonschema import ValidationError


def doubling(keyword: str, depth: int) -> dict[str, Any]:
    defs: dict[str, Any] = {"d0": {"type": "string"}}
    for i in range(1, depth + 1):
        defs[f"d{i}"] = {keyword: [{"$ref": f"#/$defs/d{i - 1}"}, {"$ref": f"#/$defs/d{i - 1}"}]}
    return {"$defs": defs, "$ref": f"#/$defs/d{depth}"}


def tree_size(error: ValidationError) -> int:
    root = error
    while root.parent is not None:
        root = root.parent
    todo, count = [root], 0
    while todo:
        node = todo.pop()
        count += 1
        todo.extend(node.context)
    return count


@pytest.mark.parametrize("keyword", ["anyOf", "oneOf"])
def test_sub_errors_kept_are_bounded(keyword: str) -> None:
    error = config_schema.first_error({}, doubling(keyword, 13), budget_s=30)  # 8,192 failing leaves
    assert error is not None
    assert tree_size(error) <= config_schema.MAX_CONTEXT_ERRORS + 1


def test_small_schemas_keep_every_sub_error() -> None:
    schema = {"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]}}}
    error = config_schema.first_error({"a": 1}, schema)
    assert error is not None and error.validator == "minimum"  # best_match still looks inside
    assert error.parent is not None and len(error.parent.context) == 2
