"""Every class of bad input is a 400 (413 for size) naming the field; none reaches a 500."""

from __future__ import annotations

import httpx
import pytest

BASE = {"from": "alice", "to": "bob", "body": "hi"}

CASES = [
    ({**BASE, "kind": "bad"}, "kind must be one of: chat, channel.event, task, pair, control, system"),
    ({"to": "bob", "body": "hi"}, "from required"),
    ({**BASE, "from": ""}, "from must not be empty"),
    ({**BASE, "from": "x" * 201}, "from must be at most 200 characters"),
    ({**BASE, "to": "y" * 201}, "to must be at most 200 characters"),
    ({**BASE, "idempotencyKey": "k" * 241}, "idempotencyKey must be at most 240 characters"),
    ({**BASE, "claimable": "true"}, "claimable must be a boolean"),
    ({**BASE, "replyTo": 0}, "replyTo must be greater than 0"),
    ({**BASE, "replyTo": "7"}, "replyTo must be an integer"),
    ({**BASE, "meta": "x"}, "meta must be an object"),
    ({**BASE, "payload": [1]}, "payload must be an object"),
    ({**BASE, "body": 5}, "body must be a string"),
    ({**BASE, "epoch": -1}, "epoch must be at least 0"),
]


@pytest.mark.parametrize(("body", "error"), CASES)
async def test_message_field_errors(client: httpx.AsyncClient, body: dict, error: str) -> None:
    response = await client.post("/api/messages", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": error}


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"{not json", "invalid JSON body"),
        (b"[1, 2]", "JSON object body required"),
        (b'"text"', "JSON object body required"),
        (b"", "JSON object body required"),
        (b"null", "JSON object body required"),
        (b"  \n", "JSON object body required"),
        (b'{"from":"a","to":"b","body":"c"} trailing', "invalid JSON body"),
    ],
)
async def test_malformed_bodies(client: httpx.AsyncClient, raw: bytes, error: str) -> None:
    response = await client.post("/api/messages", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": error}


async def test_body_without_json_content_type_is_refused(client: httpx.AsyncClient) -> None:
    # A web page can post text/plain without a CORS preflight: never read it as JSON (§12).
    response = await client.post(
        "/api/messages", content=b'{"from":"a","to":"b","body":"c"}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {"error": "content type must be application/json"}


async def test_agent_field_errors(client: httpx.AsyncClient) -> None:
    cases = [
        ({"name": "x"}, "id required"),
        (
            {"id": "a", "name": "x", "kind": "robot"},
            "kind must be one of: provider, channel, orchestrator, system, user",
        ),
        ({"id": "a", "name": "x", "label": "l" * 121}, "label must be at most 120 characters"),
        ({"id": "a", "name": "x", "tags": "py"}, "tags must be an array"),
        ({"id": "a", "name": "x", "tags": [1]}, "tags[0] must be a string"),
        ({"id": "a", "name": "x", "ready": 1}, "ready must be a boolean"),
        ({"id": "a", "name": "x", "epoch": "2"}, "epoch must be an integer"),
    ]
    for body, error in cases:
        response = await client.post("/api/agents", json=body)
        assert (response.status_code, response.json()) == (400, {"error": error}), body


async def test_query_and_path_errors(client: httpx.AsyncClient) -> None:
    checks = [
        ("/api/messages?limit=0", "limit must be at least 1"),
        ("/api/messages?limit=1001", "limit must be at most 1000"),
        ("/api/messages?after=x", "after must be an integer"),
        ("/api/messages?kind=nope", "kind must be one of: chat, channel.event, task, pair, control, system"),
        ("/api/messages/abc", "id must be an integer"),
        ("/api/messages/0", "id must be at least 1"),
        ("/api/inbox/a1?wait=-1", "wait must be at least 0"),
        ("/api/activity?before=z", "before must be an integer"),
    ]
    for url, error in checks:
        response = await client.get(url)
        assert (response.status_code, response.json()) == (400, {"error": error}), url


async def test_unknown_routes_and_methods(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/nothing-here")).json() == {"error": "not found"}
    response = await client.put("/api/messages")
    assert response.status_code == 405 and response.json() == {"error": "method not allowed"}


async def test_oversize_request_is_413(client: httpx.AsyncClient, app) -> None:
    limit = app.state.relay.settings.max_body_bytes
    big = {"from": "a", "to": "b", "body": "x" * (limit + 10)}
    response = await client.post("/api/messages", json=big)
    assert response.status_code == 413 and "too large" in response.json()["error"]

    async def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    streamed = await client.post(
        "/api/messages", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


async def test_huge_numbers_and_odd_unicode_do_not_500(client: httpx.AsyncClient) -> None:
    odd = await client.post("/api/messages", json={**BASE, "replyTo": 2**70})
    assert odd.status_code == 400
    text = await client.post("/api/messages", json={**BASE, "body": "snow \u2603 and \U0001f600"})
    assert text.status_code == 201
    assert (await client.get(f"/api/messages/{text.json()['id']}")).json()[
        "body"
    ] == "snow \u2603 and \U0001f600"
    nul = await client.post("/api/messages", json={**BASE, "body": "a\u0000b"})
    assert nul.status_code == 400 and nul.json() == {"error": "body must not contain NUL characters"}
    for url in ("/api/inbox/a%00b", "/api/messages?from=a%00b", "/api/agents/x%00"):
        response = await client.get(url)
        assert response.status_code == 400, url
    deep = await client.post("/api/messages", json={**BASE, "meta": {"a": {"b": {"c": [1, {"d": None}]}}}})
    assert deep.status_code == 201
