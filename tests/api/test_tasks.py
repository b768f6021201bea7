from __future__ import annotations

import asyncio

import httpx

from tests.api.task_helpers import logged_events


async def make_task(client: httpx.AsyncClient, external_id: str = "t1", **extra) -> dict:
    body = {"externalId": external_id, "title": f"Task {external_id}", **extra}
    response = await client.post("/api/integrations/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_exactly_one_of_many_concurrent_claimers_wins(client: httpx.AsyncClient) -> None:
    task = await make_task(client, target="label:workers")
    responses = await asyncio.gather(
        *(client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": f"agent-{i}"}) for i in range(20))
    )
    winners = [r for r in responses if r.status_code == 200]
    losers = [r for r in responses if r.status_code == 409]
    assert len(winners) == 1 and len(losers) == 19
    winner = winners[0].json()
    assert winner["status"] == "claimed" and winner["claimExpiresAt"] > winner["updatedAt"] - 1
    assert {r.json()["error"] for r in losers} == {f"task already claimed by {winner['claimedBy']}"}
    current = (await client.get(f"/api/tasks/{task['id']}")).json()
    assert current["claimedBy"] == winner["claimedBy"] and current["status"] == "claimed"
    # the task message (to a group, so claimable) is claimed along with the task
    message = (await client.get(f"/api/messages/{task['messageId']}")).json()
    assert message["claimedBy"] == winner["claimedBy"]
    # the winner renews its lease
    renewed = await client.post(
        f"/api/tasks/{task['id']}/claim", json={"agentId": winner["claimedBy"], "leaseMs": 600_000}
    )
    assert renewed.status_code == 200 and renewed.json()["claimExpiresAt"] >= winner["claimExpiresAt"]


async def test_status_state_machine(client: httpx.AsyncClient) -> None:
    task = await make_task(client)
    url = f"/api/tasks/{task['id']}"
    assert (await client.post(f"{url}/claim", json={"agentId": "a1"})).status_code == 200
    other = await client.post(f"{url}/status", json={"status": "in_progress", "agentId": "a2"})
    assert other.status_code == 409 and other.json() == {"error": "task is claimed by a1"}
    working = await client.post(
        f"{url}/status", json={"status": "in_progress", "agentId": "a1", "note": "on it"}
    )
    assert working.status_code == 200
    assert working.json()["status"] == "in_progress" and working.json()["note"] == "on it"
    back = await client.post(f"{url}/status", json={"status": "claimed", "agentId": "a1"})
    assert back.status_code == 200 and back.json()["status"] == "in_progress", "claimed again = lease renewal"
    blocked = await client.post(f"{url}/status", json={"status": "blocked", "agentId": "a1"})
    assert blocked.json()["status"] == "blocked"
    done = await client.post(
        f"{url}/status", json={"status": "done", "agentId": "a1", "note": "fixed in 3f2a"}
    )
    assert done.status_code == 200
    assert done.json()["status"] == "done" and done.json()["claimExpiresAt"] is None
    assert done.json()["claimedBy"] == "a1"
    repeat = await client.post(
        f"{url}/status", json={"status": "done", "agentId": "a1", "note": "fixed in 3f2a"}
    )
    assert repeat.status_code == 200 and repeat.json() == done.json(), "a repeat changes nothing"
    for status in ("open", "in_progress", "failed", "canceled"):
        illegal = await client.post(f"{url}/status", json={"status": status})
        assert illegal.status_code == 409
        assert illegal.json() == {"error": f"cannot move task from done to {status}"}
    claim_done = await client.post(f"{url}/claim", json={"agentId": "a1"})
    assert claim_done.status_code == 409 and claim_done.json() == {"error": "cannot claim task: it is done"}

    # open -> canceled by the dashboard (no agent); in_progress -> claimed is not a move
    other_task = await make_task(client, "t2")
    canceled = await client.post(f"/api/tasks/{other_task['id']}/status", json={"status": "canceled"})
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    third = await make_task(client, "t3")
    await client.post(f"/api/tasks/{third['id']}/status", json={"status": "in_progress"})
    reopened = await client.post(f"/api/tasks/{third['id']}/status", json={"status": "open"})
    assert reopened.json()["status"] == "open"
    no_agent = await client.post(f"/api/tasks/{third['id']}/status", json={"status": "claimed"})
    assert no_agent.status_code == 400 and no_agent.json() == {"error": "agentId required to claim a task"}


async def test_events_and_activity_per_change(client: httpx.AsyncClient, db_url: str) -> None:
    task = await make_task(client)
    await client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": "a1"})
    await client.post(f"/api/tasks/{task['id']}/status", json={"status": "done", "agentId": "a1"})
    await client.post(f"/api/tasks/{task['id']}/status", json={"status": "done", "agentId": "a1"})  # no-op
    events = logged_events(db_url, "task.")
    assert [(name, data["status"]) for name, data in events] == [
        ("task.created", "open"),
        ("task.updated", "claimed"),
        ("task.updated", "done"),
    ]
    assert events[-1][1]["id"] == task["id"] and events[-1][1]["claimedBy"] == "a1"
    activity = (await client.get("/api/activity", params={"kind": "task"})).json()
    titles = [a["title"] for a in activity]
    assert titles == [
        "Task claimed -> done: Task t1",
        "Task open -> claimed: Task t1",
        "Task created: Task t1",
    ]


async def test_expired_lease_is_released_by_the_reaper(client: httpx.AsyncClient, db_url: str) -> None:
    task = await make_task(client)
    keep = await make_task(client, "t2")
    await client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": "a1", "leaseMs": 1})
    await client.post(f"/api/tasks/{keep['id']}/claim", json={"agentId": "a2", "leaseMs": 60_000})
    await asyncio.sleep(0.01)
    reaped = (await client.post("/api/system/reap")).json()
    assert reaped["releasedTaskIds"] == [task["id"]]
    released = (await client.get(f"/api/tasks/{task['id']}")).json()
    assert (
        released["status"] == "open" and released["claimedBy"] is None and released["claimExpiresAt"] is None
    )
    assert (await client.get(f"/api/tasks/{keep['id']}")).json()["claimedBy"] == "a2"
    assert logged_events(db_url, "task.updated")[-1][1]["status"] == "open"
    assert (await client.post("/api/system/reap")).json()["releasedTaskIds"] == []
    # anyone may claim it now
    assert (await client.post(f"/api/tasks/{task['id']}/claim", json={"agentId": "a3"})).status_code == 200


async def test_list_filters(client: httpx.AsyncClient) -> None:
    first = await make_task(client, "t1")
    second = await make_task(client, "t2")
    await client.post(f"/api/tasks/{second['id']}/claim", json={"agentId": "a1"})
    listed = (await client.get("/api/tasks")).json()
    assert [t["id"] for t in listed] == [second["id"], first["id"]], "newest first"
    assert [t["id"] for t in (await client.get("/api/tasks", params={"status": "open"})).json()] == [
        first["id"]
    ]
    assert [t["id"] for t in (await client.get("/api/tasks", params={"claimedBy": "a1"})).json()] == [
        second["id"]
    ]
    assert len((await client.get("/api/tasks", params={"source": "manual"})).json()) == 2
    assert (await client.get("/api/tasks", params={"source": "other"})).json() == []
    assert len((await client.get("/api/tasks", params={"limit": 1})).json()) == 1
    bad = await client.get("/api/tasks", params={"status": "closed"})
    assert bad.status_code == 400
    assert bad.json() == {
        "error": "status must be one of: open, claimed, in_progress, blocked, done, failed, canceled"
    }
    assert (await client.get("/api/tasks", params={"limit": 0})).status_code == 400


async def test_not_found_and_bad_input(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/api/tasks/999"),
        await client.post("/api/tasks/999/claim", json={"agentId": "a1"}),
        await client.post("/api/tasks/999/status", json={"status": "done"}),
        await client.get("/api/tasks/999/deliveries"),
    ):
        assert response.status_code == 404 and response.json() == {"error": "task not found"}
    task = await make_task(client)
    url = f"/api/tasks/{task['id']}"
    cases = [
        (f"{url}/claim", {}, "agentId required"),
        (f"{url}/claim", {"agentId": "a1", "leaseMs": 0}, "leaseMs must be greater than 0"),
        (f"{url}/claim", {"agentId": 7}, "agentId must be a string"),
        (f"{url}/status", {}, "status required"),
        (
            f"{url}/status",
            {"status": "resolved"},
            "status must be one of: open, claimed, in_progress, blocked, done, failed, canceled",
        ),
        (f"{url}/status", {"status": "done", "note": "x" * 2001}, "note must be at most 2000 characters"),
    ]
    for path, body, error in cases:
        response = await client.post(path, json=body)
        assert response.status_code == 400, (path, body, response.text)
        assert response.json() == {"error": error}
    assert (await client.get("/api/tasks/abc")).status_code == 400
    assert (await client.get(url)).json()["status"] == "open"


async def test_session_guard_fences_a_stale_claimer(client: httpx.AsyncClient) -> None:
    await client.post("/api/agents", json={"id": "a1", "name": "A1", "instanceId": "new", "epoch": 2})
    task = await make_task(client)
    stale = await client.post(
        f"/api/tasks/{task['id']}/claim", json={"agentId": "a1", "instanceId": "old", "epoch": 1}
    )
    assert stale.status_code == 409 and stale.json() == {"error": "agent session superseded"}
    current = await client.post(
        f"/api/tasks/{task['id']}/claim", json={"agentId": "a1", "instanceId": "new", "epoch": 2}
    )
    assert current.status_code == 200
