"""The hub's subscriber index (events/hub.py): an agent-filtered subscriber receives exactly
the events its filter accepts (direct, label, tag, cap, broadcast, replies, claims, status,
tasks, pairs), through the index, and the filters of agents an event does not name are
never even asked."""

from __future__ import annotations

import random
from typing import Any

from agent_relay.db import PendingEvent
from agent_relay.events.filters import AgentFilter
from agent_relay.events.hub import EventHub, Subscriber

CARDS: dict[str, dict[str, Any] | None] = {
    "alice": {"label": "ops", "tags": ["py"], "capabilities": ["review"]},
    "bob": {"label": "ops", "tags": ["go"], "capabilities": []},
    "carol": {"label": "dev", "tags": ["py", "go"], "capabilities": ["review", "deploy"]},
    "dave": None,  # no card yet: its id and broadcast only
}

_ids = iter(range(1, 1_000_000))


def _ev(name: str, **data: Any) -> PendingEvent:
    return PendingEvent(name, data, next(_ids))


class CountingFilter(AgentFilter):
    """An AgentFilter that counts how often the hub asks it."""

    def __init__(self, agent_id: str, card: dict[str, Any] | None) -> None:
        super().__init__(agent_id, card)
        self.asked = 0

    def accept(self, ev: PendingEvent) -> bool:
        self.asked += 1
        return super().accept(ev)


def _setup() -> tuple[EventHub, dict[str, tuple[CountingFilter, Subscriber]], Subscriber]:
    hub = EventHub(queue_size=10_000)
    subs = {}
    for agent, card in CARDS.items():
        f = CountingFilter(agent, card)
        subs[agent] = (f, hub.subscribe(f.accept))
    return hub, subs, hub.subscribe(None)


def _got(sub: Subscriber) -> list[str]:
    return [f"{ev.name}:{ev.data.get('body', ev.data.get('id'))}" for ev in sub.drain()]


def test_each_address_reaches_exactly_its_agents() -> None:
    hub, subs, everyone = _setup()
    events = [
        _ev("message.new", **{"from": "dave", "to": "alice", "body": "direct"}),
        _ev("message.new", **{"from": "dave", "to": "label:ops", "body": "label"}),
        _ev("message.new", **{"from": "dave", "to": "tag:go", "body": "tag"}),
        _ev("message.new", **{"from": "dave", "to": "cap:review", "body": "cap"}),
        _ev("message.new", **{"from": "alice", "to": "broadcast", "body": "broadcast"}),
        _ev("message.new", **{"from": "alice", "to": "dave", "body": "reply", "replyTo": 1}),
        _ev("message.claimed", **{"from": "dave", "to": "label:dev", "claimedBy": "bob", "body": "claim"}),
        _ev("message.new", **{"from": "x", "to": "label:nobody", "body": "unreached"}),
    ]
    hub.publish(events)
    assert _got(subs["alice"][1]) == [
        "message.new:direct",
        "message.new:label",
        "message.new:cap",
        "message.new:broadcast",  # its own group send: as the sender
        "message.new:reply",
    ]
    assert _got(subs["bob"][1]) == [
        "message.new:label",
        "message.new:tag",
        "message.new:broadcast",
        "message.claimed:claim",
    ]
    assert _got(subs["carol"][1]) == [
        "message.new:tag",
        "message.new:cap",
        "message.new:broadcast",
        "message.claimed:claim",
    ]
    assert _got(subs["dave"][1]) == [
        "message.new:direct",  # as the sender of each
        "message.new:label",
        "message.new:tag",
        "message.new:cap",
        "message.new:broadcast",
        "message.new:reply",
        "message.claimed:claim",
    ]
    assert len(everyone.drain()) == len(events)  # unfiltered: everything


def test_filters_of_agents_an_event_does_not_name_are_never_asked() -> None:
    hub, subs, _ = _setup()
    hub.publish([_ev("message.new", **{"from": "alice", "to": "bob", "body": "hi"})])
    assert {a: f.asked for a, (f, _) in subs.items()} == {"alice": 1, "bob": 1, "carol": 0, "dave": 0}
    hub.publish([_ev("task.updated", id="t1", agentId="carol")])
    assert {a: f.asked for a, (f, _) in subs.items()} == {"alice": 1, "bob": 1, "carol": 1, "dave": 0}
    hub.publish([_ev("activity.new", id="a1", kind="note")])  # names no agent
    assert sum(f.asked for f, _ in subs.values()) == 3
    assert _got(subs["carol"][1]) == ["task.updated:t1"]


def test_a_card_change_re_indexes_the_subscriber() -> None:
    hub, subs, _ = _setup()
    hub.publish([_ev("agent.status", id="dave", label="ops", tags=["rust"], capabilities=[])])
    hub.publish(
        [
            _ev("message.new", **{"from": "x", "to": "label:ops", "body": "ops"}),
            _ev("message.new", **{"from": "x", "to": "tag:rust", "body": "rust"}),
        ]
    )
    assert _got(subs["dave"][1]) == ["agent.status:dave", "message.new:ops", "message.new:rust"]
    hub.publish([_ev("agent.status", id="dave", label="dev", tags=[], capabilities=[])])
    hub.publish([_ev("message.new", **{"from": "x", "to": "label:ops", "body": "ops again"})])
    assert _got(subs["dave"][1]) == ["agent.status:dave"]  # left ops: no longer indexed there
    hub.publish([_ev("agent.status", id="dave", deleted=True)])
    hub.publish([_ev("message.new", **{"from": "x", "to": "label:dev", "body": "dev"})])
    assert _got(subs["dave"][1]) == ["agent.status:dave"]


def test_unsubscribed_and_ephemeral() -> None:
    hub, subs, everyone = _setup()
    hub.unsubscribe(subs["alice"][1])
    hub.publish_ephemeral("channel.activity", {"agentId": "alice", "channel": "c"})
    hub.publish_ephemeral("channel.activity", {"agentId": "bob", "channel": "c"})
    assert subs["alice"][1].drain() == []
    assert [ev.data["agentId"] for ev in subs["bob"][1].drain()] == ["bob"]
    assert len(everyone.drain()) == 2
    assert hub.subscriber_count == len(CARDS)  # alice gone, `everyone` counted


def test_the_index_delivers_what_a_scan_of_every_filter_would() -> None:
    """Random events of every shape against the plain definition: every filter asked."""
    rng = random.Random(7)
    agents = [*CARDS, "erin", "frank"]
    addresses = [*agents, "broadcast", "label:ops", "label:dev", "tag:py", "tag:go", "cap:review", "cap:x"]
    hub = EventHub(queue_size=100_000)
    filters = {a: AgentFilter(a, CARDS.get(a)) for a in agents}
    reference = {a: AgentFilter(a, CARDS.get(a)) for a in agents}  # scanned by hand below
    subs = {a: hub.subscribe(f.accept) for a, f in filters.items()}
    expected: dict[str, list[int]] = {a: [] for a in agents}
    for _ in range(3000):
        kind = rng.random()
        if kind < 0.6:
            name = rng.choice(["message.new", "message.claimed", "message.deleted"])
            data: dict[str, Any] = {"from": rng.choice(agents), "to": rng.choice(addresses)}
            if rng.random() < 0.3:
                data["claimedBy"] = rng.choice(agents)
        elif kind < 0.7:
            name = "agent.status"
            data = {
                "id": rng.choice(agents),
                "label": rng.choice(["ops", "dev", None]),
                "tags": rng.sample(["py", "go"], rng.randrange(3)),
                "capabilities": rng.sample(["review", "x"], rng.randrange(3)),
            }
        elif kind < 0.8:
            name = "task.updated"
            data = {rng.choice(["agentId", "claimedBy", "target"]): rng.choice(addresses)}
        elif kind < 0.9:
            name = "pair.updated"
            data = {"agentIds": rng.sample(agents, 2)}
        else:
            name = "orchestrator.status"
            data = {"orchestratorAgentId": rng.choice(agents)}
        ev = _ev(name, **data)
        for a, f in reference.items():
            if f.accept(ev):
                expected[a].append(ev.id)
        hub.publish([ev])
    for a in agents:
        assert [ev.id for ev in subs[a].drain()] == expected[a], a
    assert sum(map(len, expected.values())) > 3000  # the events did reach agents
