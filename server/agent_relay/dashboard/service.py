"""What the dashboard shows that no single API route answers: per agent, its unread
messages and the claims it holds. Read through the agents' and messages' services."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from agent_relay.addressing import addresses_for
from agent_relay.agents import service as agents
from agent_relay.clock import now_ms
from agent_relay.messages import service as messages

UNREAD_CAP = 100  # counted up to here (a read of up to this many rows per agent); shown as "100+"


def agent_stats(conn: Connection) -> dict[str, dict[str, int]]:
    """{agentId: {unread, openClaims}} for every registered agent. Counting reads nothing:
    unlike an inbox read it records no delivery in the ledger (§15). One inbox query per
    agent (measured on SQLite: 200 agents, 3,000 messages, 357 ms), so the dashboard asks at
    most once every 3 s."""
    now = now_ms()
    claims = messages.live_claims_by_holder(conn, now)
    out: dict[str, dict[str, int]] = {}
    for card in agents.list_agents(conn):
        agent_id = card["id"]
        addresses = addresses_for(agent_id, card)
        unread = messages.visible_to(
            conn, agent_id, addresses, after=0, unread=True, limit=UNREAD_CAP, now=now
        )
        out[agent_id] = {"unread": len(unread), "openClaims": claims.get(agent_id, 0)}
    return out
