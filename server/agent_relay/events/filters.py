"""Which events concern one agent (the SSE `agentId` filter), and the keys the hub indexes
subscribers by so that an event only reaches the filters it may concern."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agent_relay.addressing import addresses_for, reaches
from agent_relay.db import PendingEvent

# Fields that name an agent (or an address) in event payloads across domains.
_AGENT_FIELDS = ("agentId", "from", "to", "claimedBy", "target", "orchestratorAgentId")


def event_keys(ev: PendingEvent) -> list[str]:
    """Every agent id or address an event names: an `AgentFilter` can only accept an event
    one of whose keys is among its own (`AgentFilter.keys`). The hub's index relies on
    this (events/hub.py); keep it a superset of what `AgentFilter.accept` looks at."""
    data = ev.data
    keys = [v for f in _AGENT_FIELDS if isinstance(v := data.get(f), str)]
    if ev.name == "agent.status" and isinstance(agent := data.get("id"), str):
        keys.append(agent)
    members = data.get("agentIds")
    if isinstance(members, list):
        keys.extend(m for m in members if isinstance(m, str))
    return keys


class AgentFilter:
    def __init__(self, agent_id: str, card: Mapping[str, Any] | None) -> None:
        self.agent_id = agent_id
        # Called with the filter when its keys change (an agent.status changed the card):
        # the hub re-indexes the subscriber.
        self.on_keys_change: Callable[[AgentFilter], None] | None = None
        self._set_card(card)

    @property
    def keys(self) -> frozenset[str]:
        """What an event must name (`event_keys`) to concern this agent: its id and every
        address that reaches it (its own id is one of them)."""
        return self.addresses

    def _set_card(self, card: Mapping[str, Any] | None) -> None:
        addresses = frozenset(addresses_for(self.agent_id, card))
        if addresses == getattr(self, "addresses", None):
            return
        self.addresses = addresses
        if self.on_keys_change is not None:
            self.on_keys_change(self)

    def accept(self, ev: PendingEvent) -> bool:
        data = ev.data
        if ev.name.startswith("message."):
            return (
                data.get("from") == self.agent_id
                or data.get("claimedBy") == self.agent_id
                or reaches(data, self.agent_id, self.addresses)
            )
        if ev.name == "agent.status":
            if data.get("id") != self.agent_id:
                return False
            self._set_card(None if data.get("deleted") else data)  # follow label/tag changes
            return True
        for field in _AGENT_FIELDS:
            value = data.get(field)
            if value == self.agent_id or (
                isinstance(value, str) and value in self.addresses and field == "target"
            ):
                return True
        members = data.get("agentIds")
        return isinstance(members, list) and self.agent_id in members
