"""The committed corpus of hostile inputs (issue #12, contract §12): every free-form JSON
field, on every route that takes one, refuses what the database, the event log or a response
could not hold, with a 400 that names the field, and keeps the valid edge values exactly.

Bodies are written as JSON text (not built with json=) so they can carry what Python's JSON
encoder would never write: NaN, 1e999, lone surrogates, 100 000 levels of nesting.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.api.channel_helpers import CHANNEL_ID, GUARD, envelope, register_channel

JSON = {"content-type": "application/json"}
INT64_MAX, INT64_MIN = 2**63 - 1, -(2**63)
NESTED_INT = "holds an integer outside -9223372036854775808 to 9223372036854775807"
NOT_FINITE = "holds a number that is not finite (NaN or Infinity)"
SURROGATE = "must not contain lone surrogates (invalid UTF-16)"
NUL = "must not contain NUL characters"
TOO_DEEP = "nested deeper than 32 levels"


def nested(levels: int, inner: str = "{}") -> str:
    """JSON text of `levels` objects, one inside the other (the outermost is level 1)."""
    return '{"a":' * (levels - 1) + inner + "}" * (levels - 1)


# (case id, the field's value as JSON text, the problem the 400 names; None: the body is unreadable)
HOSTILE: list[tuple[str, str, str | None]] = [
    ("depth-33", nested(33), TOO_DEEP),
    ("depth-254", nested(254), TOO_DEEP),
    ("array-depth-254", '{"k": ' + "[" * 253 + "]" * 253 + "}", TOO_DEEP),
    ("depth-100000", nested(100_000), None),
    ("int-2^64", '{"k": 18446744073709551616}', NESTED_INT),
    ("int-2^63", '{"k": 9223372036854775808}', NESTED_INT),
    ("int-below-int64", '{"k": -9223372036854775809}', NESTED_INT),
    ("int-2^64-in-array", '{"k": [1, [18446744073709551616]]}', NESTED_INT),
    ("lone-surrogate-value", '{"k": "a\\ud800b"}', SURROGATE),
    ("lone-surrogate-key", '{"\\udc00": 1}', SURROGATE),
    ("nul-value", '{"k": "a\\u0000b"}', NUL),
    ("nul-key", '{"a\\u0000": 1}', NUL),
    ("huge-float", '{"k": 1e999}', NOT_FINITE),
    ("nan", '{"k": NaN}', NOT_FINITE),
    ("infinity", '{"k": [Infinity]}', NOT_FINITE),
    ("minus-infinity", '{"k": {"x": -Infinity}}', NOT_FINITE),
]

# Valid edges: (case id, the field's value as JSON text, the value it must read back as)
EDGES: list[tuple[str, str, Any]] = [
    ("depth-32", nested(32, '{"x": 1}'), json.loads(nested(32, '{"x": 1}'))),
    ("int64-max", f'{{"k": {INT64_MAX}}}', {"k": INT64_MAX}),
    ("int64-min", f'{{"k": [{INT64_MIN}]}}', {"k": [INT64_MIN]}),
    ("largest-float", '{"k": 1.7976931348623157e308}', {"k": 1.7976931348623157e308}),
    (
        "surrogate-pair",
        '{"k": "\\ud83d\\ude00", "\\ud83d\\ude00": "snow \\u2603"}',
        {"k": "😀", "😀": "snow ☃"},
    ),
]


@dataclass
class Target:
    """A route and the free-form field in its body that the cases fill."""

    method: str
    url: str
    field: str
    body: Callable[[str], str]  # the field's JSON text -> the whole body
    setup: Callable[[httpx.AsyncClient], Awaitable[Any]] | None = None
    read: Callable[[dict[str, Any]], Any] | None = None  # the stored value from a 2xx answer
    headers: dict[str, str] = field(default_factory=dict)


def obj(prefix: dict[str, Any], key: str) -> Callable[[str], str]:
    """A body: `prefix` (valid fields) plus `key` set to the given JSON text."""
    head = json.dumps(prefix)[:-1]
    return lambda value: f'{head}{", " if prefix else ""}"{key}": {value}}}'


async def _pair(client: httpx.AsyncClient) -> None:
    pair = (await client.post("/api/pairs", json={"from": "a", "to": "b"})).json()
    accepted = await client.post(
        f"/api/pairs/{pair['id']}/actions", json={"action": "accept", "agentId": "b"}
    )
    assert accepted.status_code == 200, accepted.text


async def _connector(client: httpx.AsyncClient) -> None:
    registered = await client.post("/api/connectors", json={"manifest": json.loads(MANIFEST)})
    assert registered.status_code == 201, registered.text


async def _channel(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    bound = await client.post(
        "/api/channel-bindings", json={"channelId": CHANNEL_ID, "target": "b"}, headers=GUARD
    )
    assert bound.status_code == 201, bound.text


# Registered, never run: no test here starts a connector action.
MANIFEST = json.dumps(
    {
        "id": "hooks",
        "name": "Hooks",
        "version": "1.0.0",
        "description": "hostile input target",
        "channelType": "webhook",
        "commands": {"status": ["true"]},
    }
)

TARGETS: dict[str, Target] = {
    # JsonBodyRoute (pydantic's Rust parser first)
    "send.meta": Target(
        "POST",
        "/api/messages",
        "meta",
        obj({"from": "a", "to": "b", "body": "x"}, "meta"),
        read=lambda r: r["meta"],
    ),
    "send.payload": Target(
        "POST",
        "/api/messages",
        "payload",
        obj({"from": "a", "to": "b", "body": "x"}, "payload"),
        read=lambda r: r["payload"],
    ),
    # WireModel bodies read by FastAPI (json.loads)
    "draft.meta": Target(
        "PUT", "/api/inbox/b/draft", "meta", obj({"body": "x"}, "meta"), read=lambda r: r["meta"]
    ),
    "agent.meta": Target(
        "POST", "/api/agents", "meta", obj({"id": "h", "name": "h"}, "meta"), read=lambda r: r["meta"]
    ),
    "activity.metadata": Target(
        "POST",
        "/api/activity",
        "metadata",
        obj({"kind": "state", "title": "t"}, "metadata"),
        read=lambda r: r["metadata"],
    ),
    "orchestrator.meta": Target(
        "POST",
        "/api/orchestrators",
        "meta",
        obj({"id": "o", "hostname": "h", "baseDir": "/tmp"}, "meta"),
        read=lambda r: r["meta"],
    ),
    "integration.meta": Target(
        "POST",
        "/api/integrations/events",
        "meta",
        obj({"externalId": "e-1", "title": "t"}, "meta"),
        read=lambda r: r["meta"],
    ),
    "pair-message.payload": Target(
        "POST", "/api/pairs/1/messages", "payload", obj({"from": "a", "body": "x"}, "payload"), setup=_pair
    ),
    # Free-form Body() parameters
    "connector.config": Target(
        "POST",
        "/api/connectors",
        "config",
        lambda value: f'{{"manifest": {MANIFEST}, "config": {value}}}',
        read=lambda r: r["config"],
    ),
    "connector-config.settings": Target(
        "PUT",
        "/api/connectors/hooks/config",
        "settings",
        obj({}, "settings"),
        setup=_connector,
        read=lambda r: r["settings"],
    ),
    # Bodies read by hand (channel envelopes): a top-level field is named
    "channel-event.payload": Target(
        "POST",
        f"/api/channels/{CHANNEL_ID}/events",
        "payload",
        obj({}, "payload"),
        setup=_channel,
        headers=GUARD,
    ),
    "channel-activity.payload": Target(
        "POST",
        f"/api/channels/{CHANNEL_ID}/activities",
        "payload",
        obj({}, "payload"),
        setup=_channel,
        headers=GUARD,
    ),
    "channel-binding.target": Target(
        "POST",
        "/api/channel-bindings",
        "target",
        obj({"channelId": CHANNEL_ID}, "target"),
        setup=_channel,
        headers=GUARD,
    ),
}


async def _send(client: httpx.AsyncClient, target: Target, value: str) -> httpx.Response:
    content = target.body(value).encode()
    return await client.request(
        target.method, target.url, content=content, headers={**JSON, **target.headers}
    )


# One test per route: the cases in a loop (none of them writes, so they share one database
# state), every wrong answer reported at once.


@pytest.mark.parametrize("name", list(TARGETS))
async def test_hostile_values_are_a_400_naming_the_field(client: httpx.AsyncClient, name: str) -> None:
    target = TARGETS[name]
    if target.setup is not None:
        await target.setup(client)
    wrong = {}
    for case, value, problem in HOSTILE:
        response = await _send(client, target, value)
        expected = "invalid JSON body" if problem is None else f"{target.field} {problem}"
        if (response.status_code, response.json()) != (400, {"error": expected}):
            wrong[case] = (response.status_code, response.text[:200])
    assert wrong == {}


@pytest.mark.parametrize("name", [n for n, t in TARGETS.items() if t.read is not None])
async def test_valid_edge_values_are_kept_exactly(client: httpx.AsyncClient, name: str) -> None:
    target = TARGETS[name]
    assert target.read is not None
    if target.setup is not None:
        await target.setup(client)
    for case, value, stored in EDGES:
        response = await _send(client, target, value)
        assert response.status_code in (200, 201), (case, response.text)
        assert target.read(response.json()) == stored, case


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("send.meta", '"text"', "meta must be an object"),
        ("send.payload", "[1]", "payload must be an object"),
        ("draft.meta", "7", "meta must be an object"),
        ("agent.meta", "true", "meta must be an object"),
        ("activity.metadata", '"x"', "metadata must be an object"),
        ("integration.meta", "[]", "meta must be an object"),
    ],
)
async def test_wrong_types_are_a_400_naming_the_field(
    client: httpx.AsyncClient, name: str, value: str, error: str
) -> None:
    target = TARGETS[name]
    if target.setup is not None:
        await target.setup(client)
    response = await _send(client, target, value)
    assert (response.status_code, response.json()) == (400, {"error": error})


async def test_edge_values_survive_a_channel_envelope_round_trip(client: httpx.AsyncClient) -> None:
    await _channel(client)
    # payload (level 1) > message (2) > extra: 30 more levels reach exactly 32.
    extra = json.loads(nested(30, f'{{"max": {INT64_MAX}, "min": {INT64_MIN}, "pair": "\\ud83d\\ude00"}}'))
    payload = envelope(message={"text": "edge", "extra": extra})
    sent = await client.post(f"/api/channels/{CHANNEL_ID}/events", json={"payload": payload}, headers=GUARD)
    assert sent.status_code == 201, sent.text
    inbox = (await client.get("/api/inbox/b")).json()
    assert inbox[0]["payload"]["message"]["extra"] == extra

    payload["message"]["extra"] = {"deeper": extra}
    deeper = await client.post(f"/api/channels/{CHANNEL_ID}/events", json={"payload": payload}, headers=GUARD)
    assert (deeper.status_code, deeper.json()) == (400, {"error": f"payload {TOO_DEEP}"})


async def test_typed_strings_refuse_lone_surrogates_and_nul(client: httpx.AsyncClient) -> None:
    cases = [
        ("POST", "/api/messages", '{"from": "a", "to": "b", "body": "x\\udfffy"}', f"body {SURROGATE}"),
        ("POST", "/api/messages", '{"from": "a\\ud800", "to": "b", "body": "x"}', f"from {SURROGATE}"),
        (
            "POST",
            "/api/agents",
            '{"id": "h", "name": "h", "tags": ["ok", "\\ud800"]}',
            f"tags[1] {SURROGATE}",
        ),
        ("PUT", "/api/inbox/b/draft", '{"body": "\\u0000"}', f"body {NUL}"),
        ("POST", "/api/activity", '{"kind": "state", "title": "\\udc00"}', f"title {SURROGATE}"),
    ]
    for method, url, body, error in cases:
        response = await client.request(method, url, content=body.encode(), headers=JSON)
        assert (response.status_code, response.json()) == (400, {"error": error}), body


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (f"/api/messages?after={2**63}", f"after must be at most {INT64_MAX}"),
        (f"/api/messages?before={2**64}", f"before must be at most {INT64_MAX}"),
        ("/api/messages?after=" + "9" * 5000, f"after must be an integer from {INT64_MIN} to {INT64_MAX}"),
        (f"/api/messages?limit={2**64}", "limit must be at most 1000"),
        (f"/api/messages/{2**63}", f"id must be at most {INT64_MAX}"),
        (f"/api/messages/{2**64}", f"id must be at most {INT64_MAX}"),
        (f"/api/inbox/b?after={2**64}", f"after must be at most {INT64_MAX}"),
        (f"/api/activity?before={2**64}", f"before must be at most {INT64_MAX}"),
        (f"/api/tasks/{2**64}", f"id must be at most {INT64_MAX}"),
        (f"/api/tasks?before={2**64}", f"before must be at most {INT64_MAX}"),
        (f"/api/tasks/{2**64}/deliveries", f"id must be at most {INT64_MAX}"),
        (f"/api/pairs/{2**64}", f"id must be at most {INT64_MAX}"),
        (f"/api/pairs?before={2**64}", f"before must be at most {INT64_MAX}"),
        (f"/api/connectors?limit={2**64}", "limit must be at most 1000"),
        (f"/api/channel-bindings?limit={2**64}", "limit must be at most 1000"),
    ],
)
async def test_path_and_query_integers_out_of_range_are_400(
    client: httpx.AsyncClient, url: str, error: str
) -> None:
    response = await client.get(url)
    assert (response.status_code, response.json()) == (400, {"error": error})


async def test_delete_ids_out_of_range_are_400(client: httpx.AsyncClient) -> None:
    for url in (f"/api/messages/{2**64}", f"/api/channel-bindings/{2**63}"):
        response = await client.delete(url)
        assert (response.status_code, response.json()) == (
            400,
            {"error": f"id must be at most {INT64_MAX}"},
        ), url


async def test_epoch_is_at_most_2_pow_53_minus_1(client: httpx.AsyncClient) -> None:
    """§12: `epoch` (body field or X-Agent-Epoch) is a JSON-safe integer, 0 to 2^53 - 1."""
    top = 2**53 - 1
    ok = await client.post("/api/agents", json={"id": "e", "name": "e", "instanceId": "i", "epoch": top})
    assert ok.status_code == 201 and ok.json()["epoch"] == top
    for body in (
        {"id": "e", "name": "e", "epoch": 2**53},
        {"id": "e", "name": "e", "epoch": 2**63},
    ):
        response = await client.post("/api/agents", json=body)
        assert (response.status_code, response.json()) == (400, {"error": f"epoch must be at most {top}"})
    sent = await client.post("/api/messages", json={"from": "a", "to": "b", "body": "x", "epoch": 2**64})
    assert (sent.status_code, sent.json()) == (400, {"error": f"epoch must be at most {top}"})

    await register_channel(client)
    binding = {"channelId": CHANNEL_ID, "target": "b", "instanceId": "bridge-1", "epoch": 2**53}
    response = await client.post("/api/channel-bindings", json=binding)
    assert (response.status_code, response.json()) == (400, {"error": f"epoch must be at most {top}"})

    headers = [
        (str(2**53), f"X-Agent-Epoch must be at most {top}"),
        (str(2**64), f"X-Agent-Epoch must be at most {top}"),
        ("9" * 5000, f"X-Agent-Epoch must be at most {top}"),
        ("-1", "X-Agent-Epoch must be a non-negative integer"),
        ("1_0", "X-Agent-Epoch must be an integer"),
        ("1e9", "X-Agent-Epoch must be an integer"),
    ]
    for value, error in headers:
        response = await client.post("/api/agents/e/heartbeat", json={}, headers={"X-Agent-Epoch": value})
        assert (response.status_code, response.json()) == (400, {"error": error}), value
    fine = await client.post("/api/agents/e/heartbeat", json={}, headers={"X-Agent-Epoch": str(top)})
    assert fine.status_code == 200, fine.text


async def test_lease_and_delay_integers_out_of_range_are_400(client: httpx.AsyncClient) -> None:
    message = (
        await client.post("/api/messages", json={"from": "a", "to": "b", "body": "x", "claimable": True})
    ).json()
    claim = await client.post(f"/api/messages/{message['id']}/claim", json={"agentId": "b", "leaseMs": 2**64})
    assert (claim.status_code, claim.json()) == (400, {"error": f"leaseMs must be at most {INT64_MAX}"})
    task = await client.post(
        "/api/integrations/events", json={"externalId": "e-1", "title": "t", "target": "b"}
    )
    task_id = task.json()["id"]
    for body in (
        {"agentId": "b", "leaseMs": 2**64},
        {"agentId": "b", "status": "in_progress", "leaseMs": 2**63},
    ):
        url = f"/api/tasks/{task_id}/{'status' if 'status' in body else 'claim'}"
        response = await client.post(url, json=body)
        assert (response.status_code, response.json()) == (
            400,
            {"error": f"leaseMs must be at most {INT64_MAX}"},
        )
