"""Ids are never handed out twice, even after the row with the highest id is deleted.

On SQLite without AUTOINCREMENT the next message got the deleted one's id again; its
activity row (`server-message-<id>`) still existed, so that send and every later one was a
500, for good, and cursors (`after`, Last-Event-ID) pointed at different rows."""

from __future__ import annotations

import httpx
import sqlalchemy as sa
from agent_relay.events.log import events_table, prune_events

from tests.api.test_messages import send


async def test_sends_go_on_after_the_newest_message_is_deleted(client: httpx.AsyncClient) -> None:
    first = (await send(client, body="one")).json()["id"]
    newest = (await send(client, body="two")).json()["id"]
    assert (await client.delete(f"/api/messages/{newest}")).status_code == 200

    for _ in range(3):  # not just the next send: every later one
        response = await send(client, body="again")
        assert response.status_code == 201, response.text
        assert response.json()["id"] > newest
        newest = response.json()["id"]

    # a cursor taken before the delete sees only the new messages
    after = (await client.get("/api/messages", params={"after": first})).json()
    assert [m["body"] for m in after] == ["again"] * 3
    activity = (await client.get("/api/activity", params={"limit": 10})).json()
    assert len({row["clientId"] for row in activity}) == len(activity)


async def test_event_ids_go_on_after_every_old_event_is_pruned(client: httpx.AsyncClient, app) -> None:
    """A Last-Event-ID cursor must never see an id again. The log has no AUTOINCREMENT on
    SQLite (migration 0007): that holds because pruning always keeps the newest row."""
    db = app.state.relay.db

    def event_ids(conn: sa.Connection) -> set[int]:
        return set(conn.execute(sa.select(events_table.c.id)).scalars())

    await send(client, body="one")
    await send(client, body="two")
    newest = max(await db.read(event_ids))
    far_future = 2**62
    await db.write(lambda uow: prune_events(uow.conn, far_future))  # everything is "old"
    assert await db.read(event_ids) == {newest}
    await send(client, body="three")
    assert min(await db.read(event_ids) - {newest}) > newest


async def test_a_client_cannot_take_the_name_of_a_future_send_s_activity(client: httpx.AsyncClient) -> None:
    """`server-message-<id>` is the relay's own activity name for each send: a client that
    posted one ahead made that send fail on the unique key, for good on SQLite."""
    newest = (await send(client, body="one")).json()["id"]
    taken = await client.post(
        "/api/activity", json={"clientId": f"server-message-{newest + 1}", "kind": "note", "title": "x"}
    )
    assert taken.status_code == 400
    assert taken.json() == {
        "error": 'clientId must not start with "server-" (reserved for the relay\'s own entries)'
    }
    for _ in range(2):
        response = await send(client, body="next")
        assert response.status_code == 201, response.text
    own = await client.post("/api/activity", json={"clientId": "deploy-1", "kind": "note", "title": "x"})
    assert own.status_code == 201
