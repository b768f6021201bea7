"""Several real relay processes on one PostgreSQL behave as one relay (issue: scale-out)."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.api.channel_helpers import CHANNEL_ID, GUARD, envelope
from tests.api.test_events_stream import collect, read_events
from tests.support import ServerProcess, fresh_database, postgres_admin_url

pytestmark = pytest.mark.skipif(
    postgres_admin_url() is None, reason="needs PostgreSQL: set AGENT_RELAY_TEST_POSTGRES_URL"
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two relay processes, the second with two uvicorn workers, on one fresh database."""
    home = tmp_path_factory.mktemp("cluster")
    with fresh_database("postgres", home) as url:
        a = ServerProcess(url, home / "a").start()
        b = ServerProcess(url, home / "b", workers=2).start()
        try:
            yield a, b
        finally:
            a.stop()
            b.stop()


def post(url: str, path: str, body: dict, headers: dict | None = None) -> httpx.Response:
    return httpx.post(url + path, json=body, headers=headers, timeout=20)


def subscribe(
    url: str, count: int, out: list[dict], ready: threading.Event, **params: str
) -> threading.Thread:
    def run() -> None:
        with httpx.stream("GET", f"{url}/api/events", params=params, timeout=20) as response:
            for item in read_events(response):
                if item.get("comment") == "connected":
                    ready.set()
                elif "event" in item:
                    out.append(item)
                    if len(out) >= count:
                        return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_event_posted_on_b_reaches_subscriber_on_a_then_replays_on_b(cluster) -> None:
    a, b = cluster
    got: list[dict] = []
    ready = threading.Event()
    listener = subscribe(a.url, 6, got, ready, agentId="mp-1")
    assert ready.wait(10)
    sent = [
        post(b.url, "/api/messages", {"from": "x", "to": "mp-1", "body": f"n{i}"}).json()["id"]
        for i in range(3)
    ]
    sent += [
        post(a.url, "/api/messages", {"from": "x", "to": "mp-1", "body": f"m{i}"}).json()["id"]
        for i in range(3)
    ]
    listener.join(15)
    assert [e["data"]["id"] for e in got] == sent, "every event, once, in commit order"
    ids = [int(e["id"]) for e in got]
    assert ids == sorted(ids)
    # a client that reconnects to the *other* process resumes exactly after what A delivered
    replayed = collect(b.url, 3, headers={"Last-Event-ID": str(ids[2])}, params={"agentId": "mp-1"})
    assert [e["data"]["id"] for e in replayed] == sent[3:]


def test_concurrent_claimers_across_processes_have_one_winner(cluster) -> None:
    a, b = cluster
    message_id = post(
        a.url, "/api/messages", {"from": "x", "to": "cap:mp", "body": "w", "claimable": True}
    ).json()["id"]
    urls = [a.url, b.url] * 25

    def claim(i: int) -> int:
        return post(urls[i], f"/api/messages/{message_id}/claim", {"agentId": f"w{i}"}).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(claim, range(50)))
    assert statuses.count(200) == 1 and statuses.count(409) == 49


def test_one_idempotency_key_sent_to_both_processes_stores_one_message(cluster) -> None:
    a, b = cluster
    body = {"from": "mp-sender", "to": "mp-2", "body": "once", "idempotencyKey": "mp-key"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda i: post((a.url, b.url)[i % 2], "/api/messages", body), range(20)))
    assert {r.status_code for r in responses} == {200, 201}, [
        r.text for r in responses if r.status_code > 201
    ]
    assert sorted(r.status_code for r in responses).count(201) == 1
    assert len({r.json()["id"] for r in responses}) == 1
    stored = httpx.get(f"{a.url}/api/messages", params={"from": "mp-sender"}).json()
    assert len(stored) == 1


def test_two_reapers_release_each_expired_claim_once(cluster) -> None:
    a, b = cluster
    ids = []
    for i in range(20):
        mid = post(
            a.url, "/api/messages", {"from": "x", "to": "cap:reap", "body": str(i), "claimable": True}
        ).json()["id"]
        assert (
            post(b.url, f"/api/messages/{mid}/claim", {"agentId": "holder", "leaseMs": 1}).status_code == 200
        )
        ids.append(mid)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda u: post(u, "/api/system/reap", {}).json(), [a.url, b.url, a.url, b.url])
        )
    released = [set(r["releasedMessageIds"]) & set(ids) for r in results]
    assert set().union(*released) == set(ids)
    assert sum(len(r) for r in released) == len(ids), "no claim released twice"


def test_session_fencing_holds_across_processes(cluster) -> None:
    a, b = cluster
    assert (
        post(
            a.url, "/api/agents", {"id": "mp-fenced", "name": "F", "instanceId": "old", "epoch": 1}
        ).status_code
        == 201
    )
    assert (
        post(
            b.url, "/api/agents", {"id": "mp-fenced", "name": "F", "instanceId": "new", "epoch": 2}
        ).status_code
        == 200
    )
    stale = post(a.url, "/api/agents/mp-fenced/heartbeat", {"instanceId": "old", "epoch": 1})
    assert stale.status_code == 409 and stale.json()["error"] == "agent session superseded"


def test_channel_activity_reaches_subscribers_on_every_process(cluster) -> None:
    a, b = cluster
    registered = post(
        a.url,
        "/api/agents",
        {
            "id": CHANNEL_ID,
            "name": "Slack",
            "kind": "channel",
            "meta": {"channelType": "slack"},
            "instanceId": "bridge-1",
            "epoch": 1,
        },
    )
    assert registered.status_code in (200, 201)
    got: list[dict] = []
    ready = threading.Event()
    listener = subscribe(a.url, 1, got, ready)
    assert ready.wait(10)
    typing = envelope(event={"type": "typing.started"}, message=None, activity={"kind": "typing"})
    typing.pop("message")
    response = post(b.url, f"/api/channels/{CHANNEL_ID}/activities", {"payload": typing}, headers=GUARD)
    assert response.status_code == 202, response.text
    listener.join(10)
    assert got and got[0]["event"] == "channel.activity" and "id" not in got[0]
