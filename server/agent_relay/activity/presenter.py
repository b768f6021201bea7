"""The activity feed's words: one function per domain event, returning the entry people see
(kind, title, icon, view …). The only place with UI copy; services state what happened
(`activity.service.record_for(uow, presenter.message_sent(message))`) and never spell a
title or an icon themselves. Domains add their events here, grouped by domain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agent_relay.activity.schemas import SERVER_CLIENT_ID_PREFIX, ActivityEntry

if TYPE_CHECKING:
    from agent_relay.messages.schemas import MessageRecord
    from agent_relay.orchestrators.schemas import OrchestratorRecord, SpawnOrder, SpawnRecord
    from agent_relay.pairs.schemas import PairRecord
    from agent_relay.tasks.schemas import TaskRecord

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


# -- tasks ---------------------------------------------------------------------------------


def _task_entry(task: TaskRecord, title: str, previous: str | None) -> ActivityEntry:
    status = task["status"]
    return ActivityEntry(
        kind="task",
        title=title,
        body=task["note"] if previous != status and task["note"] else task["body"],
        meta=f"{task['source']}/{task['externalId']}",
        icon="ti-checklist",
        view="tasks",
        message_id=task["messageId"],
        agent_id=task["claimedBy"],
        metadata={"taskId": task["id"], "status": status, "previousStatus": previous},
    )


def task_created(task: TaskRecord) -> ActivityEntry:
    return _task_entry(task, f"Task created: {task['title']}", None)


def task_updated(task: TaskRecord, previous: str) -> ActivityEntry:
    """`previous`: the status before the change (the same status for an edit or a renewal)."""
    if previous != task["status"]:
        return _task_entry(task, f"Task {previous} -> {task['status']}: {task['title']}", previous)
    return _task_entry(task, f"Task updated: {task['title']}", previous)


def callback_delivery_dead(
    delivery_id: int, task_id: int, url: str, reason: str, attempts: int
) -> ActivityEntry:
    """A task callback given up after its last attempt; `reason`: the last error."""
    return ActivityEntry(
        kind="task",
        title=f"Callback delivery {delivery_id} failed for good",
        body=f"{url}: {reason} after {attempts} attempt(s)",
        icon="ti-alert-triangle",
        view="tasks",
        metadata={"taskId": task_id, "deliveryId": delivery_id},
    )


# -- pairs ---------------------------------------------------------------------------------


def _pair_entry(pair: PairRecord, title: str, actor: str | None) -> ActivityEntry:
    return ActivityEntry(
        kind="pair",
        title=title,
        body=pair["topic"],
        meta=f"{pair['from']} <-> {pair['to']}",
        icon="ti-users",
        view="pairs",
        agent_id=actor,
        metadata={"pairId": pair["id"], "status": pair["status"]},
    )


def pair_invited(pair: PairRecord) -> ActivityEntry:
    return _pair_entry(pair, f"Pair invite: {pair['from']} -> {pair['to']}", pair["from"])


def pair_acted(pair: PairRecord, action: str, agent_id: str) -> ActivityEntry:
    """`action`: accept, reject or end, by `agent_id`."""
    verb = {"accept": "accepted", "reject": "rejected", "end": "ended"}[action]
    return _pair_entry(pair, f"Pair {verb} by {agent_id}", agent_id)


def pair_expired(pair: PairRecord) -> ActivityEntry:
    return _pair_entry(pair, f"Pair invite expired: {pair['from']} -> {pair['to']}", None)


# -- orchestrators -------------------------------------------------------------------------


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def orchestrator_registered(orch: OrchestratorRecord, at: int) -> ActivityEntry:
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}orchestrator-register-{orch['id']}-{at}",
        kind="state",
        title="Orchestrator registered",
        body=orch["hostname"],
        meta=orch["id"],
        icon="ti-server-2",
        view="orchestrators",
        metadata={"orchestratorId": orch["id"], "providers": orch["providers"]},
    )


def orchestrator_spawn_requested(orchestrator_id: str, message_id: int, order: SpawnOrder) -> ActivityEntry:
    """POST /api/orchestrators/{id}/spawn."""
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}orchestrator-spawn-{orchestrator_id}-{message_id}",
        kind="state",
        title=f"Spawn {order.provider} agent requested",
        body=order.cwd,
        meta=orchestrator_id,
        icon="ti-plus",
        view="orchestrators",
        metadata=_present(
            {
                "orchestratorId": orchestrator_id,
                "provider": order.provider,
                "approvalMode": order.approval_mode,
                "label": order.label,
            }
        ),
    )


def agent_spawn_routed(orchestrator_id: str, message_id: int, order: SpawnOrder) -> ActivityEntry:
    """POST /api/agents/spawn, handed to an orchestrator."""
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}agent-spawn-{order.provider}-{message_id}",
        kind="state",
        title=f"{order.provider} agent spawn requested (via {orchestrator_id})",
        body=order.cwd,
        meta=orchestrator_id,
        icon="ti-plus",
        view="agents",
        metadata={
            "provider": order.provider,
            "orchestratorId": orchestrator_id,
            "approvalMode": order.approval_mode,
        },
    )


def agent_spawned_directly(result: SpawnRecord, at: int) -> ActivityEntry:
    """POST /api/agents/spawn, codex started (or dry-run) on the relay's own host."""
    pid = result.get("pid")
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}agent-spawn-codex-{at}-{result.get('tmuxSession') or pid or 'dry'}",
        kind="state",
        title="Codex agent spawn requested (direct)",
        body=result["cwd"],
        meta=f"pid {pid}" if pid else ("dry run" if result.get("dryRun") else result.get("tmuxSession")),
        icon="ti-plus",
        view="agents",
        metadata=_present(
            {
                "provider": "codex",
                "mode": result.get("mode"),
                "dryRun": result.get("dryRun"),
                "cwd": result["cwd"],
            }
        ),
    )


def orchestrator_action_requested(
    orchestrator_id: str, message_id: int, action: str, agent_id: str | None
) -> ActivityEntry:
    return ActivityEntry(
        client_id=f"{SERVER_CLIENT_ID_PREFIX}orchestrator-action-{orchestrator_id}-{action}-{message_id}",
        kind="state",
        title=f"Agent {action} requested",
        body=agent_id or "all",
        meta=orchestrator_id,
        icon="ti-refresh" if action == "restart" else "ti-power",
        view="orchestrators",
        metadata=_present({"orchestratorId": orchestrator_id, "action": action, "agentId": agent_id}),
    )


# -- connectors ----------------------------------------------------------------------------


def connector_action_ran(connector_id: str, outcome: Mapping[str, Any]) -> ActivityEntry:
    """A lifecycle action finished (`outcome`: action, ok, exitCode, durationMs, timedOut)."""
    if outcome.get("timedOut"):
        summary = f"timed out after {outcome['durationMs']} ms"
    else:
        code = outcome.get("exitCode")
        summary = f"exit {code if code is not None else '-'} in {outcome['durationMs']} ms"
    ok = outcome["ok"]
    return ActivityEntry(
        kind="connector",
        title=f"Connector {connector_id}: {outcome['action']} {'ok' if ok else 'failed'}",
        meta=summary,
        icon="ti-plug" if ok else "ti-plug-x",
        view="connectors",
        metadata={
            "connectorId": connector_id,
            "action": outcome["action"],
            "ok": ok,
            "exitCode": outcome.get("exitCode"),
            "durationMs": outcome["durationMs"],
            "timedOut": outcome["timedOut"],
        },
    )
