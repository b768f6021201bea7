"""JsonBodyRoute: the send route's body is validated from raw bytes, with FastAPI's errors."""

from __future__ import annotations

import threading

import httpx
import pytest
from agent_relay.errors import BadRequest
from agent_relay.json_body_route import OFF_LOOP_BYTES, JsonBodyRoute, read_json_body
from fastapi import APIRouter, FastAPI, Query, Request
from pydantic import BaseModel, field_validator
from starlette.responses import JSONResponse

validated_in: list[str] = []  # the thread each Note was validated in


class Note(BaseModel):
    text: str
    count: int = 1

    @field_validator("text")
    @classmethod
    def _where(cls, value: str) -> str:
        validated_in.append(threading.current_thread().name)
        return value


async def take_note(note: Note, request: Request):
    return JSONResponse({"text": note.text, "count": note.count, "path": request.url.path})


async def read_free_form(request: Request):
    body = await read_json_body(request)
    return JSONResponse({"keys": sorted(body), "thread": threading.current_thread().name})


def _app() -> FastAPI:
    router = APIRouter()
    router.add_api_route("/notes", take_note, methods=["POST"], route_class_override=JsonBodyRoute)
    router.add_api_route("/free", read_free_form, methods=["POST"])
    app = FastAPI()
    app.include_router(router)
    return app


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://test")


async def test_valid_body_reaches_the_endpoint_as_the_model() -> None:
    async with _client() as client:
        response = await client.post("/notes", content=b'{"text": "hi", "count": 3}')
    assert response.json() == {"text": "hi", "count": 3, "path": "/notes"}


async def test_errors_are_fastapis_with_the_body_location() -> None:
    async with _client() as client:
        wrong = await client.post("/notes", content=b'{"text": 5}')
        empty = await client.post("/notes", content=b"")
        broken = await client.post("/notes", content=b"{")
    assert wrong.status_code == 422
    assert [(e["type"], e["loc"]) for e in wrong.json()["detail"]] == [("string_type", ["body", "text"])]
    assert [(e["type"], e["loc"]) for e in empty.json()["detail"]] == [("missing", ["body"])]
    assert broken.json()["detail"][0]["type"] == "json_invalid"


def test_the_spec_still_documents_the_body() -> None:
    operation = _app().openapi()["paths"]["/notes"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Note"
    }


def test_endpoints_with_other_inputs_are_refused() -> None:
    async def with_query(note: Note, request: Request, limit: int = Query(1)):
        return JSONResponse({})

    router = APIRouter()
    with pytest.raises(AssertionError, match="exactly one body model and the request"):
        router.add_api_route("/notes", with_query, methods=["POST"], route_class_override=JsonBodyRoute)


async def test_big_bodies_are_validated_off_the_event_loop() -> None:
    """A legal body near 1 MB costs a quarter second of CPU: it must not hold the loop (every
    other client waits for it). Small ones stay on the loop, where they are cheapest."""
    loop_thread = threading.current_thread().name
    big = b'{"text": "' + b"x" * OFF_LOOP_BYTES + b'"}'
    validated_in.clear()
    async with _client() as client:
        small = await client.post("/notes", content=b'{"text": "hi"}')
        large = await client.post("/notes", content=big)
        wrong = await client.post("/notes", content=big[:-2] + b'", "count": "x"}')
        broken = await client.post("/notes", content=big[:-1])
    assert small.status_code == 200 and large.status_code == 200
    assert large.json()["text"] == "x" * OFF_LOOP_BYTES
    assert validated_in[0] == loop_thread
    assert validated_in[1] != loop_thread and validated_in[1].startswith("json-body")
    assert [(e["type"], e["loc"]) for e in wrong.json()["detail"]] == [("int_parsing", ["body", "count"])]
    assert broken.json()["detail"][0]["type"] == "json_invalid"


async def test_big_free_form_bodies_are_parsed_and_checked_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import agent_relay.json_body_route as module

    checked_in: list[str] = []
    check = module.raise_for_json_body

    def spy(body: object) -> object:
        checked_in.append(threading.current_thread().name)
        return check(body)

    monkeypatch.setattr(module, "raise_for_json_body", spy)
    deep = b'{"meta": ' + b"[" * 40 + b"]" * 40 + b', "pad": "' + b"x" * OFF_LOOP_BYTES + b'"}'
    async with _client() as client:
        small = await client.post("/free", content=b'{"a": 1}')
        large = await client.post("/free", content=b'{"a": "' + b"x" * OFF_LOOP_BYTES + b'"}')
        with pytest.raises(BadRequest, match="meta nested deeper than 32 levels"):
            await client.post("/free", content=deep)
    assert small.json()["keys"] == ["a"] and large.json()["keys"] == ["a"]
    loop_thread = threading.current_thread().name
    assert checked_in[0] == loop_thread
    assert checked_in[1].startswith("json-body") and checked_in[2].startswith("json-body")
