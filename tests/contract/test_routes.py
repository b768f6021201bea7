"""Every route group of a real `agent-relay serve`, driven through the SDK."""

from __future__ import annotations

import pytest
from agent_relay_client import (
    AsyncRelayClient,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RelayClient,
    RelayConnectionError,
    RelayError,
    SessionSupersededError,
    UnauthorizedError,
    models,
)

from tests.support import ServerProcess


def test_agents(relay: RelayClient) -> None:
    card = relay.register("a1", "Agent One", label="rev", tags=["py"], capabilities=["review"], meta={"x": 1})
    assert isinstance(card, models.AgentCard)
    assert (card.id, card.name, card.label, card.tags, card.kind) == (
        "a1",
        "Agent One",
        "rev",
        ["py"],
        "provider",
    )
    assert card.meta.to_dict() == {"x": 1}
    # any operation is callable by its id, with a generated model or a dict body
    again = relay.register_agent(body=models.AgentRegister(id="a1", name="Agent One", label="other"))
    assert again.label == "other" and again.tags == ["py"]
    assert [a.id for a in relay.agents()] == ["a1"]
    assert relay.get_agent("a1").label == "other"
    beat = relay.heartbeat("a1", status="busy", ready=False)
    assert beat.ok and beat.agent.status == "busy" and beat.agent.ready is False
    assert [a.id for a in relay.agents(status="busy")] == ["a1"]
    action = relay.request_agent_action("a1", body={"action": "restart"})
    assert action.action == "restart" and action.message.kind == "control" and action.message.to == "a1"
    assert relay.delete_agent("a1").ok is True
    with pytest.raises(NotFoundError) as err:
        relay.get_agent("a1")
    assert (err.value.status, err.value.message) == (404, "agent not found")


def test_agent_errors(relay: RelayClient) -> None:
    with pytest.raises(BadRequestError) as err:
        relay.register_agent(body={"id": "a1", "name": "A", "kind": "robot"})
    assert err.value.status == 400
    assert err.value.message == "kind must be one of: provider, channel, orchestrator, system, user"
    relay.register("a1", instanceId="two", epoch=2)
    with pytest.raises(SessionSupersededError) as superseded:
        relay.register("a1", instanceId="one", epoch=1)
    assert isinstance(superseded.value, ConflictError)
    assert (superseded.value.status, superseded.value.message) == (409, "agent session superseded")
    with pytest.raises(BadRequestError, match="action must be one of: restart, shutdown"):
        relay.request_agent_action("a1", body={"action": "explode"})


def test_messages_inbox_claims(relay: RelayClient) -> None:
    relay.register("worker-1", label="workers")
    relay.register("worker-2", label="workers")
    task = relay.send(
        "label:workers", "build it", sender="boss", kind="task", claimable=True, idempotencyKey="k1"
    )
    assert isinstance(task, models.MessageOut) and task.from_ == "boss" and task.claimable is True
    repeat = relay.send(
        "label:workers", "build it", sender="boss", kind="task", claimable=True, idempotencyKey="k1"
    )
    assert repeat.id == task.id
    assert [m.id for m in relay.inbox("worker-1")] == [task.id]
    assert [m.id for m in relay.inbox("worker-2")] == [task.id]

    claimed = relay.claim(task.id, "worker-1", lease_ms=60_000)
    assert claimed.claimed_by == "worker-1" and isinstance(claimed.claim_expires_at, int)
    with pytest.raises(ConflictError) as err:
        relay.claim(task.id, "worker-2")
    assert err.value.status == 409 and "claimed" in err.value.message
    assert relay.inbox("worker-2") == [], "a message claimed by another agent is left out"
    released = relay.release(task.id, "worker-1")
    assert released.claimed_by is None

    chat = relay.send("worker-1", "hi", sender="boss")
    with pytest.raises(BadRequestError, match="message is not claimable"):
        relay.claim(chat.id, "worker-1")
    ack = relay.ack(chat.id, "worker-1")
    assert ack.ok and ack.message_id == chat.id and ack.agent_id == "worker-1"
    assert [m.id for m in relay.inbox("worker-1", unread=True)] == [task.id]
    assert [m.id for m in relay.inbox("worker-1", after=task.id)] == [chat.id]

    listed = relay.list_messages(from_="boss", limit=10)
    assert [m.id for m in listed] == [chat.id, task.id], "newest first"
    assert relay.get_message(chat.id).body == "hi"
    assert relay.delete_message(chat.id).id == chat.id
    with pytest.raises(NotFoundError, match="message not found"):
        relay.get_message(chat.id)
    with pytest.raises(BadRequestError) as bad:
        relay.send("worker-1", "x", sender="boss", kind="gossip")
    assert bad.value.message == "kind must be one of: chat, channel.event, task, pair, control, system"


def test_inbox_long_poll_and_drafts(relay: RelayClient) -> None:
    import threading

    relay.register("a1")
    timer = threading.Timer(0.3, lambda: relay.send("a1", "wake up", sender="b"))
    timer.start()
    try:
        got = relay.inbox("a1", wait=10)
    finally:
        timer.join()
    assert [m.body for m in got] == ["wake up"]

    with pytest.raises(NotFoundError, match="draft not found"):
        relay.get_inbox_draft("a1")
    draft = relay.set_inbox_draft("a1", body={"to": "b", "body": "later"})
    assert (draft.agent_id, draft.to, draft.body) == ("a1", "b", "later")
    assert relay.get_inbox_draft("a1").body == "later"
    assert relay.delete_inbox_draft("a1").ok is True


def test_activity_and_system(relay: RelayClient) -> None:
    health = relay.health()
    assert health.ok is True and health.status == "ok" and health.database.kind in ("sqlite", "postgresql")
    first = relay.create_activity(body={"clientId": "deploy-1", "kind": "state", "title": "Deployed"})
    again = relay.create_activity(body={"clientId": "deploy-1", "kind": "state", "title": "Deployed"})
    assert first.id == again.id and first.client_id == "deploy-1"
    assert any(a.id == first.id for a in relay.list_activity(kind="state"))
    with pytest.raises(BadRequestError, match="title required"):
        relay.create_activity(body={"kind": "state"})
    broadcast = relay.broadcast_system_message(body={"subject": "Maintenance", "body": "at six"})
    assert (broadcast.from_, broadcast.to, broadcast.kind) == ("system", "broadcast", "system")
    reaped = relay.run_reaper()
    assert reaped.ok is True and reaped.released_message_ids == []


def test_unknown_operation_is_an_attribute_error(relay: RelayClient) -> None:
    with pytest.raises(AttributeError, match="no operation 'fly_away'"):
        relay.fly_away()


async def test_async_client(relay: RelayClient) -> None:
    async with AsyncRelayClient(relay.url, token="") as relay:
        await relay.register("a1")
        sent = await relay.send("a1", "hello", sender="b", claimable=True)
        assert [m.id for m in await relay.inbox("a1")] == [sent.id]
        assert (await relay.claim(sent.id, "a1")).claimed_by == "a1"
        assert (await relay.get_message(sent.id)).claimed_by == "a1"
        with pytest.raises(ConflictError):
            await relay.claim(sent.id, "other")
        with pytest.raises(NotFoundError, match="agent not found"):
            await relay.get_agent("nobody")


def test_token_and_connection_errors(db_url: str, tmp_path) -> None:
    server = ServerProcess(db_url, tmp_path / "home", env={"AGENT_RELAY_TOKEN": "s3cret"}).start()
    try:
        with pytest.raises(UnauthorizedError) as err:
            RelayClient(server.url, token="wrong").agents()
        assert (err.value.status, err.value.message) == (401, "unauthorized")
        assert RelayClient(server.url, token="s3cret").agents() == []
    finally:
        server.stop()
    with pytest.raises(RelayConnectionError) as down:
        RelayClient(server.url, token="s3cret").agents()
    assert isinstance(down.value, RelayError) and down.value.status == 0
    assert "cannot reach the relay" in down.value.message


def test_url_and_token_from_environment(relay: RelayClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_RELAY_URL", relay.url + "/")
    monkeypatch.setenv("AGENT_RELAY_TOKEN", "tok")
    client = RelayClient()
    assert client.url == relay.url and client.token == "tok"
    assert client.health().ok is True


def test_nul_characters_are_a_400_on_every_backend(relay: RelayClient) -> None:
    """PostgreSQL text cannot store NUL; it used to surface as a 500 there."""
    with pytest.raises(BadRequestError) as err:
        relay.send("a1", "x\x00y", sender="b")
    assert err.value.message == "body must not contain NUL characters"
    with pytest.raises(BadRequestError, match="meta must not contain NUL characters"):
        relay.register("a1", meta={"k": ["\x00"]})
    with pytest.raises(BadRequestError, match="path must not contain NUL characters"):
        relay.get_agent("a\x00b")
    with pytest.raises(BadRequestError, match="to must not contain NUL characters"):
        relay.list_messages(to="a\x00")
    assert relay.send("a1", "fine", sender="b").body == "fine"
