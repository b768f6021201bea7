"""What each tool does, as the calling agent, through the domain services (the same rules
as the HTTP routes: principal.act_as, the session fence, visibility). A refusal comes back
as an error result whose text says what happened and what to do next; nothing a tool call
does reaches the client as a protocol error or a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from agent_relay.addressing import BROADCAST, addresses_for, is_group, split
from agent_relay.agents import service as agents
from agent_relay.clock import now_ms
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, NotFound, RelayError
from agent_relay.inbox import service as inbox
from agent_relay.leases import granted_ms, is_live
from agent_relay.mcp_tools import present
from agent_relay.mcp_tools.tools import (
    ARGS,
    INBOX_PAGE,
    Args,
    ClaimArgs,
    InboxArgs,
    ListAgentsArgs,
    MessageArgs,
    ReleaseArgs,
    SendArgs,
)
from agent_relay.messages import service as messages
from agent_relay.messages.schemas import MessageRecord, SendMessage
from agent_relay.principal import Principal
from agent_relay.session import SUPERSEDED, SessionGuard
from agent_relay.validation import first_message

if TYPE_CHECKING:
    from agent_relay.context import Relay

log = logging.getLogger("agent_relay.mcp")

UNREAD_CAP = 100  # counted exactly up to this many; more reads "100+"
THREAD_MAX = 50  # messages get_thread follows up a reply chain
NO_AGENT = (
    "No agent to act as: this connection holds the admin token (or the relay is open) and names "
    "no agent. Send the header X-Agent-Id: <agent id>, or connect with that agent's own token "
    "(relay token create <agent id>)."
)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a tool call acts as: the token's principal, the agent (an agent token's own, or
    the one X-Agent-Id names for the admin) and the session fence its headers carry."""

    principal: Principal
    agent_id: str | None
    guard: SessionGuard

    @property
    def acting(self) -> Principal:
        """The principal the services see: the agent's own view, also when the admin names it."""
        if self.agent_id is None or self.principal.role == "agent":
            return self.principal
        return Principal("agent", agent_id=self.agent_id)


@dataclass
class Outcome:
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    error: bool = False
    shown: frozenset[int] = frozenset()  # message ids this result listed (not "unread" any more)
    tail_known: tuple[int, bool] | None = None  # (unread, capped) when the tool knows it already


class NeedsAgent(Exception):
    pass


def _agent(caller: Caller) -> str:
    if caller.agent_id is None:
        raise NeedsAgent
    return caller.agent_id


# -- the tools ------------------------------------------------------------------------------


async def whoami(relay: Relay, caller: Caller, _args: Args) -> Outcome:
    role = caller.principal.role
    if caller.agent_id is None:
        return Outcome(
            f"Role {role}, acting as no agent: " + NO_AGENT.split(": ", 1)[1],
            {"role": role, "agentId": None},
        )
    agent_id = caller.agent_id
    card = await relay.db.read(lambda conn: agents.get_card(conn, agent_id))
    lines = [f"You are agent {agent_id} (role {role})."]
    data: dict[str, Any] = {"role": role, "agentId": agent_id, "registered": card is not None}
    if card is None:
        lines.append(
            f"{agent_id} is not registered: messages to it wait until it is "
            "(POST /api/agents, or run `relay mcp --agent` which registers it)."
        )
    else:
        lines.append("Card: " + present.agent(card, now_ms()))
        addresses = addresses_for(agent_id, card)
        lines.append("Messages to any of these reach you: " + ", ".join(addresses))
        data["card"] = present.agent_data(card)
        data["addresses"] = addresses
    if caller.guard.given:
        data["session"] = {"instanceId": caller.guard.instance_id, "epoch": caller.guard.epoch}
    return Outcome("\n".join(lines), data)


async def list_agents(relay: Relay, _caller: Caller, args: ListAgentsArgs) -> Outcome:
    address = args.address
    cards = await relay.db.read(lambda conn: _agents_at(conn, address))
    now = now_ms()
    where = f" at {address}" if address else ""
    if not cards:
        text = f"No agent{where}."
        if address and not is_group(address):
            text += " A message sent there waits until that agent registers."
        return Outcome(text, {"agents": []})
    head = f"{len(cards)} agent{'s' if len(cards) != 1 else ''}{where}:"
    text = "\n".join([head, *(present.agent(c, now) for c in cards)])
    return Outcome(text, {"agents": [present.agent_data(c) for c in cards]})


def _agents_at(conn: Connection, address: str | None) -> list[Any]:
    if not address or address == BROADCAST:
        return agents.list_agents(conn)
    kind, target = split(address)
    if kind == "agent":
        card = agents.get_card(conn, address)
        return [card] if card is not None else []
    if kind == "label":
        return agents.list_agents(conn, label=target)
    key = "tags" if kind == "tag" else "capabilities"
    return [c for c in agents.list_agents(conn) if target in (c.get(key) or [])]


async def send_message(relay: Relay, caller: Caller, args: SendArgs) -> Outcome:
    sender = _agent(caller)
    try:
        cmd = SendMessage.model_validate(
            {
                "from": caller.acting.sender(sender),
                "to": args.to,
                "body": args.body,
                "subject": args.subject,
                "kind": args.kind,
                "replyTo": args.reply_to,
                "claimable": args.claimable,
            }
        )
    except ValidationError as exc:
        raise BadRequest(first_message(exc.errors())) from None
    settings = relay.settings
    max_bytes, max_deliveries = settings.max_body_bytes, settings.max_deliveries

    guard = caller.guard
    message, _ = await relay.db.write(
        lambda uow: messages.send(
            uow, cmd, guard, max_body_bytes=max_bytes, default_max_deliveries=max_deliveries
        )
    )

    def after(conn: Connection) -> tuple[bool, tuple[int, bool]]:
        # on a reader, not in the writer's transaction: whether the recipient exists, and the unread line
        known = is_group(cmd.to) or agents.get_card(conn, cmd.to) is not None
        return known, _unread(conn, sender, guard, frozenset())

    known, tail = await relay.db.read(after)
    what = "claimable work" if message.get("claimable") else "message"
    lines = [f"Sent {what} #{message['id']} to {message['to']}."]
    if not known:
        lines.append(f"{message['to']} is not registered yet: it gets the message when it registers.")
    elif message.get("claimable"):
        lines.append("One recipient will claim it and ack it when done.")
    return Outcome(" ".join(lines), {"message": present.message_data(message)}, tail_known=tail)


async def check_inbox(relay: Relay, caller: Caller, args: InboxArgs) -> Outcome:
    agent_id = _agent(caller)
    unread_only = not args.include_read
    items = await inbox.read_inbox(
        relay,
        agent_id,
        caller.guard,
        after=0,
        unread=unread_only,
        limit=INBOX_PAGE,
        wait_s=args.wait_seconds,
    )
    now = now_ms()
    mine = [m["id"] for m in items if _held_by(m, agent_id, now)]
    to_mark = [m["id"] for m in items if m["id"] not in mine and not m.get("completedAt")]
    if to_mark:  # shown is read: one result per message, not a nag on every later call
        principal, guard = caller.acting, caller.guard
        await relay.db.write(lambda uow: _mark_read(uow, to_mark, agent_id, guard, principal))
    if not items:
        waited = f" (waited {args.wait_seconds:g}s)" if args.wait_seconds else ""
        text = f"No {'unread ' if unread_only else ''}messages{waited}."
    else:
        noun = "message" if len(items) == 1 else "messages"
        text = f"{len(items)} {noun}, oldest first:\n\n" + present.messages(items, agent_id, now)
    outcome = Outcome(
        text, {"messages": [present.message_data(m) for m in items]}, shown=frozenset(m["id"] for m in items)
    )
    if unread_only and len(items) < INBOX_PAGE:
        outcome.tail_known = (0, False)  # the read saw every unread message: no second read
    return outcome


def _held_by(m: Mapping[str, Any], agent_id: str, now: int) -> bool:
    return (
        bool(m.get("claimable"))
        and m.get("claimedBy") == agent_id
        and not m.get("completedAt")
        and is_live(m.get("claimedBy"), m.get("claimExpiresAt"), now)
    )


def _mark_read(
    uow: UnitOfWork, ids: list[int], agent_id: str, guard: SessionGuard, principal: Principal
) -> None:
    for message_id in ids:
        try:
            messages.ack(uow, message_id, agent_id, guard, principal)
        except NotFound:  # deleted since the read: nothing to mark
            continue


async def claim_message(relay: Relay, caller: Caller, args: ClaimArgs) -> Outcome:
    agent_id = _agent(caller)
    lease = granted_ms(args.lease_ms, relay.settings)
    principal, guard, message_id = caller.acting, caller.guard, args.message_id
    result = await relay.db.write(
        lambda uow: messages.claim_or_refusal(uow, message_id, agent_id, lease, guard, principal)
    )
    if isinstance(result, RelayError):
        raise result
    text = (
        f"Claimed #{message_id} until {present.when(result.get('claimExpiresAt'))} "
        f"(lease {lease // 1000}s; claim again to extend). Do the work, then ack_message to "
        "complete it, or release_message to give it back.\n\n" + present.message(result, agent_id, now_ms())
    )
    return Outcome(text, {"message": present.message_data(result)}, shown=frozenset({message_id}))


async def ack_message(relay: Relay, caller: Caller, args: MessageArgs) -> Outcome:
    agent_id = _agent(caller)
    principal, guard, message_id = caller.acting, caller.guard, args.message_id
    result = await relay.db.write(lambda uow: messages.ack(uow, message_id, agent_id, guard, principal))
    if result["completed"]:
        text = f"Completed #{message_id}: the work is done and has left every inbox."
    else:
        text = f"Marked #{message_id} read."
    return Outcome(text, {"ack": dict(result)})


async def release_message(relay: Relay, caller: Caller, args: ReleaseArgs) -> Outcome:
    agent_id = _agent(caller)
    principal, guard, message_id, delay = caller.acting, caller.guard, args.message_id, args.delay_ms
    message = await relay.db.write(
        lambda uow: messages.release(uow, message_id, agent_id, guard, delay, principal)
    )
    if message.get("deadLetteredAt"):
        text = (
            f"Released #{message_id}; its deliveries are spent, so it is now dead-lettered "
            "(out of every inbox until an operator redrives it)."
        )
    elif delay:
        text = f"Released #{message_id}: nobody can claim it until {present.when(now_ms() + delay)}."
    else:
        text = f"Released #{message_id}: back in the queue for any recipient to claim."
    return Outcome(text, {"message": present.message_data(message)})


async def get_thread(relay: Relay, caller: Caller, args: MessageArgs) -> Outcome:
    principal, message_id = caller.acting, args.message_id
    chain = await relay.db.read(lambda conn: _thread(conn, message_id, principal))
    noun = "message" if len(chain) == 1 else "messages"
    text = f"Thread of #{message_id}, {len(chain)} {noun}, oldest first:\n\n" + present.messages(
        chain, caller.agent_id, now_ms()
    )
    return Outcome(text, {"messages": [present.message_data(m) for m in chain]})


def _thread(conn: Connection, message_id: int, principal: Principal) -> list[MessageRecord]:
    chain = [messages.get_visible(conn, message_id, principal)]
    seen = {message_id}
    while len(chain) < THREAD_MAX:
        parent = chain[-1].get("replyTo")
        if not parent or parent in seen:
            break
        seen.add(parent)
        try:
            chain.append(messages.get_visible(conn, parent, principal))
        except NotFound:  # deleted, or not the caller's to see: the thread starts here
            break
    chain.reverse()
    return chain


Tool = Callable[["Relay", Caller, Any], Awaitable[Outcome]]
TOOLS: dict[str, Tool] = {
    "whoami": whoami,
    "list_agents": list_agents,
    "send_message": send_message,
    "check_inbox": check_inbox,
    "claim_message": claim_message,
    "ack_message": ack_message,
    "release_message": release_message,
    "get_thread": get_thread,
}


# -- one call, start to end -----------------------------------------------------------------


async def call(relay: Relay, caller: Caller, name: str, arguments: Mapping[str, Any] | None) -> Outcome:
    """Run one tool and add the unread line; every failure becomes an error Outcome."""
    tool, model = TOOLS.get(name), ARGS.get(name)
    if tool is None or model is None:
        return _error(f"Unknown tool {name!r}. The tools are: {', '.join(TOOLS)}.", 404, "unknown tool")
    message_id = (arguments or {}).get("messageId")
    try:
        try:
            args = model.model_validate(dict(arguments or {}))
        except ValidationError as exc:
            raise BadRequest(first_message(exc.errors())) from None
        outcome = await tool(relay, caller, args)
        if caller.agent_id is not None:
            await _add_tail(relay, caller, outcome)
        return outcome
    except NeedsAgent:
        return _error(NO_AGENT, 400, "no agent")
    except RelayError as exc:
        return _error(refusal(exc, caller, message_id), exc.status_code, exc.message)
    except TimeoutError:
        return _error(
            "The relay's database did not answer in time. Try again in a few seconds.", 503, "timeout"
        )
    except Exception:
        log.exception("MCP tool %s failed", name)
        return _error(
            "The relay hit an internal error running this tool. Try again; if it persists, tell an operator.",
            500,
            "internal error",
        )


def _error(text: str, status: int, error: str) -> Outcome:
    return Outcome(text, {"error": error, "status": status}, error=True)


async def _add_tail(relay: Relay, caller: Caller, outcome: Outcome) -> None:
    """The unread line: read once after the action, which also fences the session for tools
    that read nothing fenced (whoami, list_agents …). A claim this agent holds is work in
    progress, not unread."""
    agent_id = caller.agent_id
    assert agent_id is not None
    known = outcome.tail_known
    if known is None:
        shown, guard = outcome.shown, caller.guard
        known = await relay.db.read(lambda conn: _unread(conn, agent_id, guard, shown))
    count, capped = known
    outcome.data["unread"] = count
    if count:
        outcome.text += "\n\n" + present.unread_line(count, capped)


def _unread(conn: Connection, agent_id: str, guard: SessionGuard, shown: frozenset[int]) -> tuple[int, bool]:
    card = agents.validate_session(conn, agent_id, guard, load=True)
    addresses = addresses_for(agent_id, card)
    now = now_ms()
    limit = UNREAD_CAP + len(shown) + 1
    items = messages.visible_to(conn, agent_id, addresses, after=0, unread=True, limit=limit, now=now)
    rest = [m for m in items if m["id"] not in shown and not _held_by(m, agent_id, now)]
    capped = len(items) >= limit and len(rest) >= UNREAD_CAP
    return min(len(rest), UNREAD_CAP), capped


# -- refusals, in words an agent can act on ---------------------------------------------------


def refusal(exc: RelayError, caller: Caller, message_id: Any) -> str:
    """What happened, and what to do next."""
    msg, status = exc.message, exc.status_code
    ref = f"#{message_id}" if isinstance(message_id, int) else "the message"
    agent = caller.agent_id or "this agent"
    if msg == SUPERSEDED:
        return (
            f"Refused: this session of {agent} was superseded: a newer process registered as {agent}. "
            "Stop working as this agent and do not retry; restart the MCP server if this one should be the live one."
        )
    if msg.startswith("message already claimed by "):
        holder = msg.removeprefix("message already claimed by ")
        return f"Refused: {ref} is already claimed by {holder}. Leave it to them; call check_inbox for other work."
    if msg == "message already completed":
        return f"Refused: {ref} is already completed; nothing is left to do. Call check_inbox for other work."
    if msg == "message is dead-lettered":
        return (
            f"Refused: {ref} is dead-lettered (it was claimed and let go too many times). It cannot be claimed; "
            "tell its sender or an operator (they can redrive it) and call check_inbox for other work."
        )
    if msg.startswith("message is held back until "):
        until = msg.removeprefix("message is held back until ")
        moment = present.when(int(until)) if until.isdigit() else until
        return f"Refused: {ref} was released with a delay and cannot be claimed until {moment}. Try again after that."
    if msg.startswith("message is not claimed by "):
        return (
            f"Refused: you hold no claim on {ref} (it was never claimed by you, or your lease ran out). "
            "Nothing to release; claim_message it first if you still work on it."
        )
    if msg == "message is not claimable":
        return f"Refused: {ref} is a plain message, not claimable work. Read it, reply if needed, ack_message marks it read."
    if msg == "message not found":
        return (
            f"Refused: no message {ref} that {agent} can see. Check the id; check_inbox lists your messages."
        )
    if msg == "agent not found":
        return (
            f"Refused: agent {agent} is not registered (or was deleted). Register it again "
            "(restart `relay mcp`, or POST /api/agents) and retry."
        )
    if status == 403:
        return f"Refused: {msg}. This connection acts as {agent} only."
    if status == 400:
        return f"Invalid input: {msg}. Fix the argument and call again."
    if status in (429, 503):
        return f"The relay is busy ({msg}). Try again in a few seconds."
    return f"Refused ({status}): {msg}."
