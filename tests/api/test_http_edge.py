"""The HTTP edge, in process (contract §12, §13): JSON content types, Host and Origin checks,
CORS for listed origins, caps on SSE streams and waiting long-polls, Last-Event-ID bounds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

MESSAGE = b'{"from":"a","to":"b","body":"hello"}'
JSON_ONLY = {"error": "content type must be application/json"}


@asynccontextmanager
async def relay_client(settings: Settings, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    # A fresh Settings (not model_copy) so every derived value follows the overrides.
    app = create_app(Settings(**{**settings.model_dump(), **overrides}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://relay") as c,
    ):
        c.app = app  # type: ignore[attr-defined]
        yield c


# -- 415: JSON bodies must say so ----------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ],
)
async def test_json_route_refuses_a_body_of_another_type(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    request = client.build_request("POST", "/api/messages", content=MESSAGE, headers=headers)
    assert request.headers.get("content-type") == content_type
    response = await client.send(request)
    assert response.status_code == 415
    assert response.json() == JSON_ONLY
    assert (await client.get("/api/messages")).json() == []  # nothing was stored


async def test_put_and_chunked_bodies_are_checked_too(client: httpx.AsyncClient) -> None:
    put = await client.put(
        "/api/inbox/a/draft", content=b'{"body":"x"}', headers={"content-type": "text/plain"}
    )
    assert put.status_code == 415 and put.json() == JSON_ONLY

    async def chunks() -> AsyncIterator[bytes]:
        yield MESSAGE

    streamed = await client.post("/api/messages", content=chunks(), headers={"content-type": "text/plain"})
    assert streamed.status_code == 415


@pytest.mark.parametrize(
    "content_type", ["application/json", "Application/JSON; charset=utf-8", "application/vnd.relay+json"]
)
async def test_json_types_are_accepted(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post("/api/messages", content=MESSAGE, headers={"content-type": content_type})
    assert response.status_code == 201, response.text


async def test_requests_without_a_body_need_no_content_type(client: httpx.AsyncClient) -> None:
    await client.post("/api/agents", json={"id": "a", "name": "A"})
    heartbeat = await client.post("/api/agents/a/heartbeat")  # the body is optional
    assert heartbeat.status_code == 200, heartbeat.text
    typed_but_empty = await client.post(
        "/api/agents/a/heartbeat", content=b"", headers={"content-type": "text/plain"}
    )
    assert typed_but_empty.status_code == 200
    assert (await client.delete("/api/agents/a")).status_code == 200


async def test_raw_uploads_keep_their_own_type(client: httpx.AsyncClient) -> None:
    blob = await client.post("/api/blobs", content=b"\x89PNG", headers={"content-type": "image/png"})
    assert blob.status_code == 201, blob.text


# -- 421: Host must be one the relay answers to --------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:4850", "127.0.0.1.nip.io", "relay.evil", "[::2]", ""]
)
async def test_unknown_host_is_refused(client: httpx.AsyncClient, host: str) -> None:
    response = await client.get("/api/health", headers={"host": host})
    assert response.status_code == 421
    assert response.json() == {"error": "host not allowed"}
    post = await client.post(
        "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"host": host}
    )
    assert post.status_code == 421
    assert (await client.get("/api/messages")).json() == []


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST:4850",
        "localhost.",
        "127.0.0.1",
        "127.0.0.1:4850",
        "127.8.9.10:1",
        "[::1]:4850",
        "relay",
    ],
)
async def test_loopback_and_listed_hosts_are_accepted(client: httpx.AsyncClient, host: str) -> None:
    assert (await client.get("/api/health", headers={"host": host})).status_code == 200


async def test_host_names_come_from_settings(settings: Settings) -> None:
    async with relay_client(settings, allowed_hosts="") as bare:
        # "relay" is accepted in the other tests only because they list it.
        assert (await bare.get("/api/health")).status_code == 421
    async with relay_client(settings, allowed_hosts="", public_url="https://relay.example.com/") as public:
        assert (await public.get("/api/health", headers={"host": "relay.example.com"})).status_code == 200
        assert (await public.get("/api/health", headers={"host": "relay.example.org"})).status_code == 421
    async with relay_client(settings, allowed_hosts="", host="10.1.2.3") as bound:
        assert (await bound.get("/api/health", headers={"host": "10.1.2.3:4850"})).status_code == 200


async def test_host_is_checked_whatever_the_auth_mode(settings: Settings) -> None:
    async with relay_client(settings, token="s3cret") as secured:
        response = await secured.get(
            "/api/agents", headers={"host": "evil.example", "authorization": "Bearer s3cret"}
        )
        assert response.status_code == 421


# -- 403: Origin on state-changing requests ------------------------------------------------


async def test_cross_site_writes_are_refused(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("POST", "/api/messages"),
        ("POST", "/api/connectors"),
        ("PUT", "/api/inbox/a/draft"),
        ("DELETE", "/api/messages/1"),
    ]:
        response = await client.request(
            method,
            path,
            json={"from": "a", "to": "b", "body": "x"},
            headers={"origin": "https://evil.example"},
        )
        assert response.status_code == 403, (method, path)
        assert response.json() == {"error": "origin not allowed"}
    # "null" (sandboxed frames, file://) is an origin too
    assert (await client.post("/api/messages", json={}, headers={"origin": "null"})).status_code == 403
    assert (await client.get("/api/messages")).json() == []
    # reading is not state-changing (and without CORS the page cannot read the answer)
    assert (await client.get("/api/messages", headers={"origin": "https://evil.example"})).status_code == 200


async def test_same_origin_and_originless_writes_are_allowed(client: httpx.AsyncClient) -> None:
    body = {"from": "a", "to": "b", "body": "x"}
    assert (
        await client.post("/api/messages", json=body, headers={"origin": "http://relay"})
    ).status_code == 201
    assert (await client.post("/api/messages", json=body)).status_code == 201  # curl, SDKs
    other_port = await client.post("/api/messages", json=body, headers={"origin": "http://relay:9999"})
    assert other_port.status_code == 403


async def test_origin_is_checked_whatever_the_auth_mode(settings: Settings) -> None:
    async with relay_client(settings, token="s3cret") as secured:
        response = await secured.post(
            "/api/messages",
            json={"from": "a", "to": "b", "body": "x"},
            headers={"origin": "https://evil.example", "authorization": "Bearer s3cret"},
        )
        assert response.status_code == 403


async def test_listed_origins_get_cors(settings: Settings) -> None:
    dash = "https://dash.example.com"
    async with relay_client(settings, cors_origins=f"{dash}, http://localhost:5173") as c:
        preflight = await c.options(
            "/api/messages",
            headers={
                "origin": dash,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, authorization",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == dash
        sent = await c.post(
            "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"origin": dash}
        )
        assert sent.status_code == 201
        assert sent.headers["access-control-allow-origin"] == dash
        # the page may read Retry-After and the request id (§17)
        exposed = {h.strip().lower() for h in sent.headers["access-control-expose-headers"].split(",")}
        assert {"retry-after", "x-request-id"} <= exposed and sent.headers["x-request-id"]

        evil = "https://evil.example"
        refused = await c.options(
            "/api/messages", headers={"origin": evil, "access-control-request-method": "POST"}
        )
        assert "access-control-allow-origin" not in refused.headers
        write = await c.post(
            "/api/messages", json={"from": "a", "to": "b", "body": "x"}, headers={"origin": evil}
        )
        assert write.status_code == 403
        read = await c.get("/api/messages", headers={"origin": evil})
        assert "access-control-allow-origin" not in read.headers


async def test_cors_origins_must_be_origins() -> None:
    with pytest.raises(ValueError, match="expected origins"):
        Settings(cors_origins="*")


# -- 503: caps on waiting long-polls and SSE streams ---------------------------------------


async def test_waiting_long_polls_are_capped(settings: Settings) -> None:
    async with relay_client(settings, max_long_polls=1) as c:
        first = asyncio.create_task(c.get("/api/inbox/a", params={"wait": 5}))
        await _until(lambda: c.app.state.relay.hub.long_polls.held == 1)  # type: ignore[attr-defined]
        refused = await c.get("/api/inbox/a", params={"wait": 5})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.json() == {"error": "too many waiting inbox requests, retry later"}
        # a plain read never waits, so it is never refused
        assert (await c.get("/api/inbox/a")).status_code == 200
        # the waiter is woken, its slot is freed, the next one may wait
        await c.post("/api/messages", json={"from": "x", "to": "a", "body": "wake"})
        assert [m["body"] for m in (await first).json()] == ["wake"]
        again = await c.get("/api/inbox/a", params={"wait": 0.2, "after": 10**6})
        assert again.status_code == 200 and again.json() == []


async def test_sse_streams_are_capped(settings: Settings) -> None:
    async with relay_client(settings, max_sse_streams=1) as c:
        app = c.app  # type: ignore[attr-defined]
        async with _open_stream(app) as status:
            assert status == 200
            async with asyncio.timeout(5):  # a second stream that opened would never end
                refused = await c.get("/api/events")
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            assert refused.json() == {"error": "too many event streams, retry later"}
        await _until(lambda: app.state.relay.hub.streams.held == 0)
        async with _open_stream(app) as status:
            assert status == 200


@pytest.mark.parametrize("value", [str(2**63), "99999999999999999999999", "-1", "1e3", "+5", "1_000", "٣"])
async def test_last_event_id_out_of_range_is_400(client: httpx.AsyncClient, value: str) -> None:
    async with asyncio.timeout(5):  # a stream that opened would never end
        response = await client.get("/api/events", headers={"last-event-id": value.encode()})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Last-Event-ID must be an integer event id")


async def test_last_event_id_at_the_top_of_the_range_streams(settings: Settings) -> None:
    top = [(b"last-event-id", str(2**63 - 1).encode())]
    async with relay_client(settings) as c, _open_stream(c.app, headers=top) as status:  # type: ignore[attr-defined]
        assert status == 200


# -- helpers -------------------------------------------------------------------------------


async def _until(predicate: Callable[[], bool], timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


@asynccontextmanager
async def _open_stream(app: Any, headers: list[tuple[bytes, bytes]] | None = None) -> AsyncIterator[int]:
    """GET /api/events straight through ASGI (httpx's ASGI transport buffers whole
    responses): yields the status once the first chunk arrived, then disconnects."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/events",
        "raw_path": b"/api/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"relay"), *(headers or [])],
        "server": ("relay", 80),
        "client": ("127.0.0.1", 50000),
    }
    disconnected = asyncio.Event()
    sent: asyncio.Queue[dict] = asyncio.Queue()

    async def receive() -> dict:
        await disconnected.wait()
        return {"type": "http.disconnect"}

    task = asyncio.create_task(app(scope, receive, sent.put))
    try:
        async with asyncio.timeout(5):
            start = await sent.get()
            assert start["type"] == "http.response.start"
            if start["status"] == 200:
                await sent.get()  # the first chunk: the stream is running
        yield start["status"]
    finally:
        disconnected.set()
        async with asyncio.timeout(5):
            await task
