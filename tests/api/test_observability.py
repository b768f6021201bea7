"""Operators can see it (contract §17): /metrics (who may read it, what it shows, how the
numbers move), X-Request-Id on every response, and the request log line."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings
from prometheus_client.parser import text_string_to_metric_families

ADMIN = {"X-Agent-Relay-Token": "s3cret"}
REQUIRED = [
    "agent_relay_http_requests_total",
    "agent_relay_http_request_duration_seconds",
    "agent_relay_messages_sent_total",
    "agent_relay_sse_subscribers",
    "agent_relay_claims_outstanding",
    "agent_relay_dead_letters",
    "agent_relay_writer_queue_depth",
    "agent_relay_callback_backlog",
]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) -> value, from a Prometheus text exposition."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
async def secured(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"token": "s3cret"}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://relay") as c,
    ):
        yield c


async def test_metrics_needs_the_admin_token(secured: httpx.AsyncClient) -> None:
    none = await secured.get("/metrics")
    assert none.status_code == 401 and none.json() == {"error": "unauthorized"}
    wrong = await secured.get("/metrics", headers={"X-Agent-Relay-Token": "nope"})
    assert wrong.status_code == 401
    reg = await secured.post("/api/agents", json={"id": "a1", "name": "A", "issueToken": True}, headers=ADMIN)
    assert reg.status_code == 201
    agent = await secured.get("/metrics", headers={"Authorization": f"Bearer {reg.json()['token']}"})
    assert agent.status_code == 403 and agent.json() == {"error": "admin token required"}
    admin = await secured.get("/metrics", headers=ADMIN)
    assert admin.status_code == 200
    assert admin.headers["content-type"].startswith("text/plain")
    assert "agent_relay_http_requests_total" in admin.text


async def test_metrics_is_open_on_an_open_relay(client: httpx.AsyncClient) -> None:
    got = await client.get("/metrics")
    assert got.status_code == 200
    names = {f.name for f in text_string_to_metric_families(got.text)}
    # the parser drops a counter's _total from the family name
    for name in REQUIRED:
        assert name.removesuffix("_total") in names, name


async def test_metrics_move(client: httpx.AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    for i in range(3):
        sent = await client.post("/api/messages", json={"from": "a", "to": "b", "body": f"m{i}"})
        assert sent.status_code == 201
    task = await client.post(
        "/api/messages", json={"from": "a", "to": "b", "body": "work", "claimable": True, "kind": "task"}
    )
    claimed = await client.post(f"/api/messages/{task.json()['id']}/claim", json={"agentId": "b"})
    assert claimed.status_code == 200
    await client.get("/api/messages/99999999")  # a 404 on a templated route
    await client.get("/no/such/path/at/all")
    after = (await client.get("/metrics")).text

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    route = {"method": "POST", "route": "/api/messages"}
    assert delta("agent_relay_http_requests_total", **route, status="201") == 4
    assert delta("agent_relay_http_request_duration_seconds_count", **route) == 4
    assert delta("agent_relay_messages_sent_total", kind="chat") == 3
    assert delta("agent_relay_messages_sent_total", kind="task") == 1
    # the route template, never the raw path: ids and unknown paths do not make new series
    assert (
        delta("agent_relay_http_requests_total", method="GET", route="/api/messages/{id}", status="404") == 1
    )
    assert delta("agent_relay_http_requests_total", method="GET", route="(unmatched)", status="404") == 1
    routes = {dict(labels).get("route", "") for _, labels in samples(after)}
    assert not any("99999999" in r or "/no/such" in r for r in routes), routes
    assert value(after, "agent_relay_claims_outstanding") == 1
    assert value(after, "agent_relay_dead_letters") == 0
    assert value(after, "agent_relay_callback_backlog") == 0
    # a level sampled at the scrape (a write may be queued at that instant: no exact value)
    assert ("agent_relay_writer_queue_depth", ()) in samples(after)
    assert value(after, "agent_relay_writer_stalled") == 0
    assert value(after, "agent_relay_database_up") == 1


# -- X-Request-Id ------------------------------------------------------------------------------


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    ids = set()
    for response in (
        await client.get("/api/health"),
        await client.post("/api/messages", json={"from": "a", "to": "b", "body": "x"}),
        await client.post("/api/messages", json={"from": "a"}),  # 400
        await client.get("/nowhere"),  # 404
        await client.post("/api/messages", content=b"x", headers={"content-type": "text/plain"}),  # 415
        await client.post("/api/messages", json={}, headers={"origin": "https://evil.example"}),  # 403 guard
    ):
        rid = response.headers.get("x-request-id")
        assert rid and len(rid) <= 128, response
        ids.add(rid)
    assert len(ids) == 6  # fresh for each


@pytest.mark.parametrize("sent", ["abc-123", "4bf92f3577b34da6a3ce929d0e0e4736", "req_1.2:3/x=y@z"])
async def test_a_sane_client_request_id_is_echoed(client: httpx.AsyncClient, sent: str) -> None:
    got = await client.get("/api/health", headers={"x-request-id": sent})
    assert got.headers["x-request-id"] == sent


@pytest.mark.parametrize("sent", ["a" * 129, "has space", 'quote"', "new\tline", ""])
async def test_an_odd_client_request_id_is_replaced(client: httpx.AsyncClient, sent: str) -> None:
    got = await client.get("/api/health", headers={"x-request-id": sent})
    rid = got.headers["x-request-id"]
    assert rid != sent and rid and len(rid) <= 128


# -- the request log ---------------------------------------------------------------------------


async def test_one_request_line_per_request_without_tokens(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings.model_copy(update={"token": "s3cret"}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://relay") as c,
    ):
        with caplog.at_level(logging.INFO, logger="agent_relay.request"):
            sent = await c.post(
                "/api/messages",
                json={"from": "a", "to": "b", "body": "x"},
                headers={**ADMIN, "x-request-id": "trace-me-1"},
            )
            listed = await c.get("/api/agents?limit=5&token=s3cret", headers=ADMIN)
            denied = await c.get("/api/agents?token=s3cret")
    assert sent.status_code == 201 and denied.status_code == 401
    lines = [r for r in caplog.records if r.name == "agent_relay.request"]
    assert len(lines) == 3
    send_line = lines[0]
    assert send_line.requestId == "trace-me-1"  # type: ignore[attr-defined]
    assert (send_line.method, send_line.path, send_line.status) == ("POST", "/api/messages", 201)  # type: ignore[attr-defined]
    assert send_line.durationMs >= 0 and send_line.role == "admin"  # type: ignore[attr-defined]
    assert listed.status_code == 200
    assert lines[1].path == "/api/agents?limit=5&token=***"  # type: ignore[attr-defined]
    assert lines[2].status == 401 and lines[2].role is None  # type: ignore[attr-defined]
    for record in caplog.records:
        assert "s3cret" not in record.getMessage() and "s3cret" not in str(record.__dict__)
