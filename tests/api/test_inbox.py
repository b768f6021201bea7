from __future__ import annotations

import asyncio
import time

import httpx

from tests.api.test_agents import register
from tests.api.test_messages import send


async def test_inbox_covers_every_address_form_oldest_first(client: httpx.AsyncClient) -> None:
    await register(client, "a1", label="rev", tags=["py", "ops"], capabilities=["review"])
    await register(client, "a2", label="other")
    wanted = [
        (await send(client, to="a1")).json()["id"],
        (await send(client, to="label:rev")).json()["id"],
        (await send(client, to="tag:ops")).json()["id"],
        (await send(client, to="cap:review")).json()["id"],
        (await send(client, to="broadcast")).json()["id"],
    ]
    await send(client, to="a2")
    await send(client, to="label:other")
    await send(client, to="tag:rust")
    await send(client, **{"from": "a1", "to": "label:rev"})  # own group send is not echoed back
    inbox = (await client.get("/api/inbox/a1")).json()
    assert [m["id"] for m in inbox] == wanted
    a2 = (await client.get("/api/inbox/a2")).json()
    assert len(a2) == 3  # direct, its label, broadcast


async def test_group_address_matches_current_card(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    sent = (await send(client, to="label:late")).json()["id"]
    assert (await client.get("/api/inbox/a1")).json() == []
    await register(client, "a1", label="late")
    assert [m["id"] for m in (await client.get("/api/inbox/a1")).json()] == [sent]


async def test_message_waits_for_unregistered_agent(client: httpx.AsyncClient) -> None:
    sent = (await send(client, to="future")).json()["id"]
    await register(client, "future")
    assert [m["id"] for m in (await client.get("/api/inbox/future")).json()] == [sent]


async def test_after_limit_and_unread(client: httpx.AsyncClient) -> None:
    await register(client, "a1")
    ids = [(await send(client, to="a1" if i % 2 else "broadcast")).json()["id"] for i in range(6)]
    assert [m["id"] for m in (await client.get("/api/inbox/a1", params={"after": ids[2]})).json()] == ids[3:]
    assert [m["id"] for m in (await client.get("/api/inbox/a1", params={"limit": 2})).json()] == ids[:2]
    ack = await client.post(f"/api/messages/{ids[0]}/ack", json={"agentId": "a1"})
    assert ack.status_code == 200 and ack.json()["ok"] is True and ack.json()["messageId"] == ids[0]
    await client.post(f"/api/messages/{ids[1]}/ack", json={"agentId": "a1"})
    unread = (await client.get("/api/inbox/a1", params={"unread": "true"})).json()
    assert [m["id"] for m in unread] == ids[2:]
    # acks are per agent: a broadcast read by a1 is still unread for a2
    await register(client, "a2")
    assert ids[0] in [m["id"] for m in (await client.get("/api/inbox/a2", params={"unread": "true"})).json()]
    # acking twice keeps the first receipt
    again = await client.post(f"/api/messages/{ids[0]}/ack", json={"agentId": "a1"})
    assert again.json()["ackedAt"] == ack.json()["ackedAt"]
    assert (await client.post("/api/messages/999999/ack", json={"agentId": "a1"})).status_code == 404


async def test_long_poll_answers_when_a_message_arrives(client: httpx.AsyncClient) -> None:
    await register(client, "a1", label="rev")

    async def later() -> int:
        await asyncio.sleep(0.3)
        await send(client, to="label:other")  # not for a1: must not end the wait
        await asyncio.sleep(0.2)
        return (await send(client, to="label:rev")).json()["id"]

    started = time.monotonic()
    inbox_task = asyncio.create_task(client.get("/api/inbox/a1", params={"wait": 5}))
    sent_id = await later()
    inbox = (await inbox_task).json()
    elapsed = time.monotonic() - started
    assert [m["id"] for m in inbox] == [sent_id]
    assert 0.4 < elapsed < 3


async def test_long_poll_times_out_empty(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    response = await client.get("/api/inbox/nobody", params={"wait": 0.3})
    assert response.json() == [] and 0.25 < time.monotonic() - started < 2
    assert (await client.get("/api/inbox/a1", params={"wait": 61})).status_code == 400


async def test_drafts(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/inbox/a1/draft")).status_code == 404
    saved = await client.put("/api/inbox/a1/draft", json={"to": "bob", "body": "half a tho"})
    assert saved.status_code == 200 and saved.json()["body"] == "half a tho"
    await client.put("/api/inbox/a1/draft", json={"to": "bob", "body": "half a thought"})
    got = (await client.get("/api/inbox/a1/draft")).json()
    assert got["body"] == "half a thought" and got["to"] == "bob" and got["agentId"] == "a1"
    assert (await client.delete("/api/inbox/a1/draft")).json() == {"ok": True}
    assert (await client.delete("/api/inbox/a1/draft")).status_code == 404


async def test_long_poll_wakes_for_a_group_message_committed_during_its_first_read(
    client: httpx.AsyncClient, app
) -> None:
    """The waiter learns its addresses from its first read; a `label:` message committed
    while that read ran was judged against no addresses and dropped, so the agent slept
    until `wait` ran out (seen as a flaky echo-agent test on a loaded machine)."""
    await register(client, "a1", label="rev")
    db = app.state.relay.db
    original_read = db.read_inline  # the inbox's read (on the event loop on SQLite)
    sent: list[int] = []

    async def read_then_send(fn):  # the first read returns its (empty) snapshot after the send
        result = await original_read(fn)
        if not sent:
            sent.append((await send(client, to="label:rev")).json()["id"])
        return result

    db.read_inline = read_then_send
    try:
        started = time.monotonic()
        inbox = (await client.get("/api/inbox/a1", params={"wait": 5})).json()
    finally:
        db.read_inline = original_read
    assert [m["id"] for m in inbox] == sent
    assert time.monotonic() - started < 3


async def test_pages_merge_every_address_in_id_order(client: httpx.AsyncClient) -> None:
    """The read merges one id-ordered scan per address and stops at `limit` (issue 19): paged
    with every limit, with `after` and with `unread`, it gives exactly what the rules give,
    oldest first: its id and groups, not its own group sends, not others' live claims."""
    await register(client, "a1", label="rev", tags=["py"], capabilities=["review"])
    await register(client, "a2")
    targets = ["a1", "label:rev", "tag:py", "cap:review", "broadcast", "a2", "label:other"]
    expected: list[int] = []
    everything: list[dict] = []
    for i in range(42):
        to = targets[(i * 5) % len(targets)]  # interleaved: consecutive ids change queue
        sender = "a1" if i % 6 == 0 else "alice"
        message = (await send(client, **{"from": sender, "to": to, "claimable": i % 4 == 1})).json()
        everything.append(message)
        if to == "a1" or (to in targets[1:5] and sender != "a1"):
            expected.append(message["id"])
    # a claim held by another agent hides a message; one held by a1 does not
    claimable = [m for m in everything if m["claimable"] and m["id"] in expected]
    taken_by_a2, taken_by_a1 = claimable[0]["id"], claimable[1]["id"]
    for message_id, agent in ((taken_by_a2, "a2"), (taken_by_a1, "a1")):
        claimed = await client.post(f"/api/messages/{message_id}/claim", json={"agentId": agent})
        assert claimed.status_code == 200
    expected.remove(taken_by_a2)
    assert len(expected) > 20
    for limit in (1, 2, 5, 7, 100):
        got: list[int] = []
        after = 0
        while True:
            page = (await client.get("/api/inbox/a1", params={"after": after, "limit": limit})).json()
            assert len(page) <= limit
            if not page:
                break
            got += [m["id"] for m in page]
            after = page[-1]["id"]
        assert got == expected, limit
    for message_id in expected[::3]:
        await client.post(f"/api/messages/{message_id}/ack", json={"agentId": "a1"})
    unread = [m for m in expected if m not in expected[::3]]
    page = (await client.get("/api/inbox/a1", params={"unread": "true", "limit": 4})).json()
    assert [m["id"] for m in page] == unread[:4]
    full = (await client.get("/api/inbox/a1", params={"unread": "true", "after": unread[3]})).json()
    assert [m["id"] for m in full] == unread[4:]
