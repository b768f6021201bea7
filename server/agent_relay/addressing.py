"""Who a message reaches: the one addressing module (messages, inbox, tasks, channels and
the SSE agent filter use it). A group address is stored once and matched against each
agent's current card when the agent reads (so an agent that joins a label later still
sees the label's queue)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
