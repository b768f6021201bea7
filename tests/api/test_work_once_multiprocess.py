"""§15 exactly once across processes, on PostgreSQL: three relay processes (one of them a
second uvicorn worker), concurrent claimers and ackers, leases that lapse under them, two
reapers racing. Each message is completed once and dead-lettered once (counted in the
durable event log, which every process writes)."""

from __future__ import annotations

import concurrent.futures
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from tests.support import ServerProcess, fresh_database, postgres_admin_url

pytestmark = pytest.mark.skipif(
    postgres_admin_url() is None, reason="needs PostgreSQL: set AGENT_RELAY_TEST_POSTGRES_URL"
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    home = tmp_path_factory.mktemp("work-once-cluster")
    env = {"AGENT_RELAY_REAP_INTERVAL_MS": "0", "AGENT_RELAY_MAX_DELIVERIES": "3"}
    with fresh_database("postgres", home) as url:
        a = ServerProcess(url, home / "a", env=env).start()
        b = ServerProcess(url, home / "b", workers=2, env=env).start()
        try:
            yield url, [a.url, b.url]
        finally:
            a.stop()
            b.stop()


def _post(url: str, path: str, body: dict | None = None) -> httpx.Response:
    return httpx.post(url + path, json=body or {}, timeout=30)


def _events(db_url: str, name: str, ids: set[int]) -> Counter[int]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM events WHERE name = :n"), {"n": name}).scalars()
            counts = Counter(json.loads(d)["id"] for d in rows)
    finally:
        engine.dispose()
    return Counter({k: v for k, v in counts.items() if k in ids})


def test_concurrent_claimers_and_ackers_complete_each_message_once(cluster) -> None:
    db_url, urls = cluster
    ids = [
        _post(
            urls[0], "/api/messages", {"from": "x", "to": "cap:c1", "body": f"w{n}", "claimable": True}
        ).json()["id"]
        for n in range(10)
    ]
    completions: list[tuple[int, str]] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        rng = random.Random(w)
        agent = f"w{w}"
        for _ in range(30):
            message_id = rng.choice(ids)
            url = rng.choice(urls)
            if (
                _post(
                    url, f"/api/messages/{message_id}/claim", {"agentId": agent, "leaseMs": 60_000}
                ).status_code
                != 200
            ):
                continue
            acked = _post(rng.choice(urls), f"/api/messages/{message_id}/ack", {"agentId": agent}).json()
            if acked["completed"]:
                with lock:
                    completions.append((message_id, agent))

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(worker, range(12)))
    by_message = Counter(m for m, _ in completions)
    assert all(count == 1 for count in by_message.values()), by_message
    for message_id, agent in completions:
        message = httpx.get(f"{urls[1]}/api/messages/{message_id}").json()
        assert message["completedBy"] == agent and message["claimExpiresAt"] is None
    assert _events(db_url, "message.completed", set(ids)) == Counter(dict.fromkeys(by_message, 1))
    # whatever was completed stays completed: no process lets anyone claim it again
    for message_id in by_message:
        for url in urls:
            again = _post(url, f"/api/messages/{message_id}/claim", {"agentId": "late"})
            assert again.status_code == 409 and again.json() == {"error": "message already completed"}


def test_lapsing_leases_and_two_reapers_dead_letter_each_message_once(cluster) -> None:
    db_url, urls = cluster
    ids = {
        _post(
            urls[1], "/api/messages", {"from": "x", "to": "cap:c2", "body": f"d{n}", "claimable": True}
        ).json()["id"]
        for n in range(8)
    }
    stop = threading.Event()
    reaped_dead: list[int] = []

    def claimer(w: int) -> None:
        rng = random.Random(100 + w)
        while not stop.is_set():
            message_id = rng.choice(sorted(ids))
            _post(rng.choice(urls), f"/api/messages/{message_id}/claim", {"agentId": f"c{w}", "leaseMs": 1})
            if rng.random() < 0.3:  # some holders give it back themselves
                _post(rng.choice(urls), f"/api/messages/{message_id}/release", {"agentId": f"c{w}"})

    def reaper(url: str) -> None:
        while not stop.is_set():
            reaped_dead.extend(_post(url, "/api/system/reap").json()["deadLetteredMessageIds"])
            time.sleep(0.005)

    threads = [threading.Thread(target=claimer, args=(w,)) for w in range(8)]
    threads += [threading.Thread(target=reaper, args=(url,)) for url in urls]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            letters = {
                m["id"] for m in httpx.get(f"{urls[0]}/api/dead-letters", params={"limit": 1000}).json()
            }
            if ids <= letters:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    for url in urls:  # a last sweep from each process, after the dust settled
        reaped_dead.extend(_post(url, "/api/system/reap").json()["deadLetteredMessageIds"])
    assert ids <= letters, f"not all dead-lettered: {ids - letters}"
    dead_events = _events(db_url, "message.dead_lettered", ids)
    assert dead_events == Counter(dict.fromkeys(ids, 1)), dead_events
    assert all(n == 1 for n in Counter(reaped_dead).values())  # no reaper reports one twice
    for message_id in ids:
        message = httpx.get(f"{urls[0]}/api/messages/{message_id}").json()
        assert message["deliveryCount"] == 3 and message["claimedBy"] is None
    # redrive from two processes at once: one wins, and the message is claimable again
    target = min(ids)
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda url: _post(url, f"/api/messages/{target}/redrive"), urls * 3))
    assert sorted(r.status_code for r in results) == [200] + [409] * 5
    assert _post(urls[0], f"/api/messages/{target}/claim", {"agentId": "fresh"}).json()["deliveryCount"] == 1
