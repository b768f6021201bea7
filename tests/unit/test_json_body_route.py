"""JsonBodyRoute: the send route's body is validated from raw bytes, with FastAPI's errors."""

from __future__ import annotations

import httpx
import pytest
from agent_relay.json_body_route import JsonBodyRoute
from fastapi import APIRouter, FastAPI, Query, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse


class Note(BaseModel):
    text: str
    count: int = 1


async def take_note(note: Note, request: Request):
    return JSONResponse({"text": note.text, "count": note.count, "path": request.url.path})


def _app() -> FastAPI:
    router = APIRouter()
    router.add_api_route("/notes", take_note, methods=["POST"], route_class_override=JsonBodyRoute)
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
