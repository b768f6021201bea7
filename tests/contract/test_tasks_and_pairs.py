"""Tasks and pairs through the SDK against a real server: intake → claim → progress → done,
and the whole pair life."""

from __future__ import annotations

import threading

import pytest
from agent_relay_client import ConflictError, ForbiddenError, RelayAgent, RelayClient

from tests.support import ServerProcess


@pytest.fixture
def agents(shared_server: ServerProcess, relay: RelayClient):
    made: list[RelayAgent] = []

    def make(agent_id: str, **card) -> RelayAgent:
        agent = RelayAgent(agent_id, url=shared_server.url, token="", heartbeat_interval=60, **card)
        agent.start()
        made.append(agent)
        return agent

    yield make
    for agent in made:
        agent.stop()


def test_integration_task_claimed_progressed_done(relay: RelayClient, agents) -> None:
    alice = agents("alice", label="backend")
    bob = agents("bob", label="backend")
    created = relay.call(
        "post_integration_event",
        body={
            "externalId": "ci-1",
            "source": "ci",
            "title": "CI red",
            "target": "label:backend",
            "severity": "critical",
        },
    )
    assert created.status == "open" and created.source == "ci"
    # both see it as claimable work; the task message reached their shared label too
    assert [t.id for t in alice.tasks()] == [created.id] == [t.id for t in bob.tasks()]
    assert any(m.kind == "task" for m in relay.inbox("alice"))
    # concurrent claims: exactly one winner
    results: list = []
    threads = [
        threading.Thread(target=lambda a=a: results.append(a.claim_task(created))) for a in (alice, bob)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].claimed_by in ("alice", "bob")
    holder = alice if winners[0].claimed_by == "alice" else bob
    assert holder.update_task(created, "in_progress").status == "in_progress"
    assert holder.update_task(created, "done", note="fixed in abc123").status == "done"
    with pytest.raises(ConflictError) as excinfo:
        holder.update_task(created, "open")
    assert "done" in excinfo.value.message and "open" in excinfo.value.message
    assert alice.tasks() == []
    # an update from the integration with the same externalId updates, not duplicates
    again = relay.call(
        "post_integration_event", body={"externalId": "ci-1", "source": "ci", "status": "resolved"}
    )
    assert again.id == created.id
    assert len(relay.call("list_tasks")) == 1


def test_pair_life(relay: RelayClient, agents) -> None:
    alice, bob, carol = agents("alice"), agents("bob"), agents("carol")
    pair = alice.invite("bob", topic="refactor auth")
    assert pair.status == "pending"
    with pytest.raises(ForbiddenError):
        alice.pair_action(pair, "accept")  # only the invitee accepts
    assert bob.pair_action(pair, "accept").status == "active"
    message = alice.pair_message(pair, "I take the tests")
    assert message.kind == "pair" and message.to == "bob"
    assert any(m.id == message.id for m in relay.inbox("bob"))
    with pytest.raises((ForbiddenError, ConflictError)):
        carol.pair_message(pair, "let me in")
    assert [p.id for p in bob.pairs(status="active")] == [pair.id]
    assert bob.pair_action(pair, "end").status == "ended"
    with pytest.raises(ConflictError):
        alice.pair_message(pair, "still there?")
