"""Who a message reaches: the one addressing module (messages, inbox, tasks, channels and
the SSE agent filter use it). A group address is stored once and matched against each
agent's current card when the agent reads (so an agent that joins a label later still
sees the label's queue)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BROADCAST = "broadcast"
GROUP_PREFIXES = ("label:", "tag:", "cap:")


def is_group(address: str) -> bool:
    return address == BROADCAST or address.startswith(GROUP_PREFIXES)


# What each group prefix names, as a target's `type` (channel bindings spell an address as
# {type, id}); an address without one of them (and not broadcast) is an agent id.
GROUP_KINDS = {"label:": "label", "tag:": "tag", "cap:": "capability"}


def split(address: str) -> tuple[str, str | None]:
    """An address as (type, id): ("label", "ops"), ("capability", "review"),
    ("broadcast", None), or ("agent", address)."""
    if address == BROADCAST:
        return BROADCAST, None
    for prefix, kind in GROUP_KINDS.items():
        if address.startswith(prefix):
            return kind, address[len(prefix) :]
    return "agent", address


def join(kind: str, target_id: str | None) -> str:
    """The address of a (type, id) target: the inverse of `split`."""
    if kind == BROADCAST:
        return BROADCAST
    for prefix, group_kind in GROUP_KINDS.items():
        if kind == group_kind:
            return f"{prefix}{target_id}"
    return target_id or ""


def addresses_for(agent_id: str, card: Mapping[str, Any] | None) -> list[str]:
    """Every `to` value that reaches this agent, its own id first."""
    out = [agent_id, BROADCAST]
    if card is not None:
        if card.get("label"):
            out.append(f"label:{card['label']}")
        out.extend(f"tag:{t}" for t in _strings(card.get("tags")))
        out.extend(f"cap:{c}" for c in _strings(card.get("capabilities")))
    return list(dict.fromkeys(out))


def _strings(values: Iterable[Any] | None) -> Iterable[str]:
    return (v for v in values or () if isinstance(v, str))


def reaches(message: Mapping[str, Any], agent_id: str, addresses: set[str] | frozenset[str]) -> bool:
    """Whether a message (wire dict) belongs in this agent's inbox. Agents do not receive
    their own group sends."""
    to = message.get("to")
    if to == agent_id:
        return True
    return to in addresses and message.get("from") != agent_id


@dataclass(frozen=True, slots=True)
class Viewer:
    """What an agent token may see (§14): messages it sent, holds, or that reach it; work
    addressed to it. Built from its card by agents.service.viewer (None for the admin)."""

    agent_id: str
    addresses: frozenset[str]

    def reached_by(self, address: str | None) -> bool:
        return address is not None and address in self.addresses

    def may_work_on(self, target: str | None, claimed_by: str | None) -> bool:
        """A task: one without a target is open to every agent; otherwise its target must
        reach this agent, or the agent holds it."""
        return target is None or target in self.addresses or claimed_by == self.agent_id

    def sees_message(self, message: Mapping[str, Any]) -> bool:
        """A message as a wire dict."""
        agent = self.agent_id
        return (
            message.get("from") == agent
            or message.get("claimedBy") == agent
            or message.get("to") in self.addresses
        )
