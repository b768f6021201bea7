"""Which events concern one agent (the SSE `agentId` filter)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent_relay.addressing import addresses_for, reaches
from agent_relay.db import PendingEvent

# Fields that name an agent (or an address) in event payloads across domains.
_AGENT_FIELDS = ("agentId", "from", "to", "claimedBy", "target", "orchestratorAgentId")


class AgentFilter:
    def __init__(self, agent_id: str, card: Mapping[str, Any] | None) -> None:
        self.agent_id = agent_id
        self._set_card(card)

    def _set_card(self, card: Mapping[str, Any] | None) -> None:
        self.addresses = frozenset(addresses_for(self.agent_id, card))

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
