"""Every resource's wire shape (wire.WireShape, built from its Out model) against the spec.

Routes answer with dicts built by a WireShape, not through FastAPI's response-model pass,
so nothing at run time checks them against the OpenAPI document clients are generated
from. Here: every shape's keys are exactly its schema's properties, and every resource a
route returns (a schema with an `id`) is built by a shape, so no hand-built dict can drift."""

from __future__ import annotations

from typing import Any

from agent_relay.app import create_app
from agent_relay.settings import Settings
from agent_relay.wire import WireShape

# Answers that echo an id back rather than describe a resource: `{ok, id}`.
ACKNOWLEDGEMENTS = {"DeletedOut"}


def _spec() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://")).openapi()


def _returned_schemas(spec: dict[str, Any]) -> set[str]:
    """Component names a route answers with on a 2xx, directly or as list items."""
    names: set[str] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                schema = schema.get("items", schema)
                for candidate in [schema, *schema.get("anyOf", [])]:
                    ref = candidate.get("$ref", "")
                    if ref:
                        names.add(ref.rsplit("/", 1)[-1])
    return names


def test_every_shape_has_exactly_its_schema_s_properties() -> None:
    schemas = _spec()["components"]["schemas"]
    assert WireShape.registry, "no WireShape registered"
    for shape in WireShape.registry:
        schema = schemas.get(shape.model.__name__)
        assert schema is not None, f"{shape.model.__name__} is not in the spec"
        assert set(shape.keys) == set(schema["properties"]), shape.model.__name__
        assert set(schema.get("required", [])) <= set(shape.keys), shape.model.__name__


def test_every_returned_resource_is_built_by_a_shape() -> None:
    spec = _spec()
    schemas = spec["components"]["schemas"]
    shaped = {shape.model.__name__ for shape in WireShape.registry}
    resources = {
        name
        for name in _returned_schemas(spec)
        if "id" in schemas[name].get("properties", {}) and name not in ACKNOWLEDGEMENTS
    }
    assert resources, "the spec returns no resources?"
    assert resources <= shaped, f"resources returned without a WireShape: {sorted(resources - shaped)}"


def test_a_shape_is_the_model_s_aliases_in_order() -> None:
    from typing import TypedDict

    from agent_relay.wire import OutModel
    from pydantic import Field

    class Thing(OutModel):
        id: int
        from_: str = Field(alias="from")
        created_at: int
        ready: bool

    ThingRecord = TypedDict("ThingRecord", {"id": int, "from": str, "createdAt": int, "ready": bool})
    shape = WireShape(Thing, ThingRecord, columns={"from_": "sender"}, convert={"ready": bool})
    try:
        built = shape.build({"id": 1, "sender": "a", "created_at": 5, "ready": 0})
        assert built == {"id": 1, "from": "a", "createdAt": 5, "ready": False}
        assert list(built) == ["id", "from", "createdAt", "ready"]
        Thing.model_validate(built)
    finally:
        WireShape.registry.remove(shape)


def test_a_record_that_drifts_from_its_model_is_refused() -> None:
    from typing import TypedDict

    import pytest
    from agent_relay.wire import OutModel

    class Thing(OutModel):
        id: int
        created_at: int

    class Stale(TypedDict):
        id: int
        created: int

    with pytest.raises(ValueError, match="keys differ"):
        WireShape(Thing, Stale)
