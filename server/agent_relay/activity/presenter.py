"""The activity feed's words: one function per domain event, returning the entry people see
(kind, title, icon, view …). The only place with UI copy; services state what happened
(`activity.service.record_for(uow, presenter.message_sent(message))`) and never spell a
title or an icon themselves. Domains add their events here, grouped by domain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from agent_relay.activity.schemas import SERVER_CLIENT_ID_PREFIX, ActivityEntry

if TYPE_CHECKING:
    from agent_relay.messages.schemas import MessageRecord

# -- messages ------------------------------------------------------------------------------


def message_sent(message: MessageRecord) -> ActivityEntry:
    """Every stored send (not an idempotent repeat). Named server-message-<id>: one per message."""
    is_work = message["kind"] == "task"
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}message-{message['id']}",
        kind="task" if is_work else "message",
        title="Task message sent" if is_work else "Message sent",
        body=message["subject"] or message["body"][:2000],
        meta=f"{message['from']} -> {message['to']}",
        icon="ti-hand-grab" if is_work else "ti-send",
        view="messages",
        message_id=message["id"],
        agent_id=message["from"],
        fresh_client_id=True,
    )


# -- agents --------------------------------------------------------------------------------


def agent_action_requested(agent_id: str, action: str) -> ActivityEntry:
    return ActivityEntry(
        kind="state",
        title=f"Agent {action} requested",
        body=agent_id,
        icon="ti-refresh" if action == "restart" else "ti-power",
        view="agents",
        agent_id=agent_id,
        metadata={"action": action},
    )


# -- system --------------------------------------------------------------------------------


def reaper_ran(counts: Mapping[str, int]) -> ActivityEntry:
    """`counts`: how many ids each reap step returned, by result key."""
    return ActivityEntry(
        kind="state",
        title="Maintenance reaper run",
        body=(
            f"{counts['reapedAgentIds']} stale agent(s), {counts['reapedOrchestratorIds']} stale "
            f"orchestrator(s), {counts['releasedMessageIds']} message claim(s), "
            f"{counts['releasedTaskIds']} task claim(s)"
        ),
        icon="ti-broom",
        view="activity",
    )
