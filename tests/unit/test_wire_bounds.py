"""The §12 walker: every bound in one pass, without recursion, with the field named."""

from __future__ import annotations

from typing import Any

import pytest
from agent_relay.validation import JsonValueError, check_json_body, check_json_value, describe
from agent_relay.wire import WireModel
from pydantic import ValidationError


def nested(levels: int) -> Any:
    value: Any = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def problem(value: Any) -> str | None:
    try:
        check_json_value(value)
    except JsonValueError as exc:
        return exc.problem
    return None


def test_depth_is_counted_from_the_value_itself() -> None:
    assert problem(nested(32)) is None
    assert problem(nested(33)) == "nested deeper than 32 levels"
    assert problem([[[]]] * 3) is None


def test_a_body_too_deep_for_any_recursive_walker_is_refused_iteratively() -> None:
    deep: Any = []
    for _ in range(200_000):
        deep = [deep]
    assert problem(deep) == "nested deeper than 32 levels"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2**63 - 1, None),
        (-(2**63), None),
        (2**63, "must be an integer from -9223372036854775808 to 9223372036854775807"),
        ({"k": [-(2**63) - 1]}, "holds an integer outside -9223372036854775808 to 9223372036854775807"),
        (float("nan"), "must be a finite number"),
        ({"k": float("inf")}, "holds a number that is not finite (NaN or Infinity)"),
        (1.7976931348623157e308, None),
        ("a\ud800", "must not contain lone surrogates (invalid UTF-16)"),
        ({"\udc00": 1}, "must not contain lone surrogates (invalid UTF-16)"),
        ("snow \u2603 \U0001f600", None),
        ({"k": ["a\x00"]}, "must not contain NUL characters"),
        ({"a\x00": 1}, "must not contain NUL characters"),
        ((1, 2**64), "holds an integer outside -9223372036854775808 to 9223372036854775807"),
        (True, None),
        (None, None),
    ],
)
def test_each_bound(value: Any, expected: str | None) -> None:
    assert problem(value) == expected


def test_a_hand_read_body_names_its_top_level_field() -> None:
    with pytest.raises(JsonValueError) as caught:
        check_json_body({"ok": 1, "payload": {"x": [2**64]}})
    assert caught.value.field == "payload"
    with pytest.raises(JsonValueError) as bad_key:
        check_json_body({"\ud800": 1})
    assert bad_key.value.field == "body"  # a key that cannot be printed is not shown back


class Note(WireModel):
    meta: dict[str, Any] | None = None
    items: list[Any] | None = None


def test_model_fields_translate_to_the_contract_text() -> None:
    with pytest.raises(ValidationError) as caught:
        Note.model_validate({"meta": nested(33)})
    error = {**caught.value.errors()[0]}
    error["loc"] = ("body", *error["loc"])
    assert describe(error) == "meta nested deeper than 32 levels"
    with pytest.raises(ValidationError) as big:
        Note.model_validate_json(b'{"items": [18446744073709551616]}')
    assert describe({**big.value.errors()[0], "loc": ("body", "items")}) == (
        "items holds an integer outside -9223372036854775808 to 9223372036854775807"
    )
