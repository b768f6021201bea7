"""The eight tools as an MCP client lists them: names, descriptions and input schemas
written by hand, short on purpose (agents pay for the whole list in context; a test keeps
it under 8,000 characters of JSON), and the argument models that validate a call."""

from __future__ import annotations

from typing import Annotated, Any

import mcp_types as types
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from agent_relay.messages.schemas import MAX_DELAY_MS, MessageKind
from agent_relay.wire import MAX_INT

MAX_WAIT_S = 20  # under common MCP clients' request timeouts
INBOX_PAGE = 20  # messages one check_inbox shows

INSTRUCTIONS = (
    "This server is an agent relay: you message other agents and share work with them. "
    "Call check_inbox when you start and whenever a result says you have unread messages. "
    "Before working on a claimable message, claim_message it (one agent wins); when done, "
    "ack_message it to complete it, or release_message it if you cannot finish. "
    "Answer with send_message and replyTo to keep a thread; get_thread shows one."
)

_ID = {"type": "integer", "minimum": 1, "description": "Message id"}


def _tool(
    name: str, description: str, properties: dict[str, Any], required: list[str] | None = None
) -> types.Tool:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return types.Tool(name=name, description=description, input_schema=schema)


TOOLS: list[types.Tool] = [
    _tool("whoami", "Which agent you act as on the relay, your card and session.", {}),
    _tool(
        "list_agents",
        "Agents on the relay: id, status, label, tags, capabilities, last seen.",
        {"address": {"type": "string", "description": "Only these: an agent id, label:X, tag:X or cap:X"}},
    ),
    _tool(
        "send_message",
        "Send a message. claimable: work exactly one recipient does (claim, then ack).",
        {
            "to": {"type": "string", "description": "Agent id, label:X, tag:X, cap:X or broadcast"},
            "body": {"type": "string"},
            "subject": {"type": "string"},
            "kind": {
                "type": "string",
                "enum": ["chat", "task", "pair", "control", "system", "channel.event"],
            },
            "replyTo": {**_ID, "description": "The message this answers (threads it)"},
            "claimable": {"type": "boolean"},
        },
        ["to", "body"],
    ),
    _tool(
        "check_inbox",
        f"Your unread messages, oldest first (up to {INBOX_PAGE}); it marks them read. "
        "Claimable ones stay open until someone claims them.",
        {
            "waitSeconds": {
                "type": "number",
                "minimum": 0,
                "maximum": MAX_WAIT_S,
                "description": "Wait this long for a message if none is there",
            },
            "includeRead": {"type": "boolean", "description": "Also show messages already read"},
        },
    ),
    _tool(
        "claim_message",
        "Claim a claimable message before working on it; one agent wins. Claim again to extend.",
        {
            "messageId": _ID,
            "leaseMs": {"type": "integer", "minimum": 1, "description": "How long you hold it"},
        },
        ["messageId"],
    ),
    _tool(
        "ack_message",
        "Mark a message read; for one you claimed, this completes the work.",
        {"messageId": _ID},
        ["messageId"],
    ),
    _tool(
        "release_message",
        "Give back a message you claimed but will not finish.",
        {
            "messageId": _ID,
            "delayMs": {
                "type": "integer",
                "minimum": 0,
                "description": "Hide it from everyone this long first",
            },
        },
        ["messageId"],
    ),
    _tool(
        "get_thread",
        "A message with the messages it replies to, oldest first.",
        {"messageId": _ID},
        ["messageId"],
    ),
]
TOOL_NAMES = frozenset(t.name for t in TOOLS)


class Args(BaseModel):
    """A tool's arguments: camelCase names, no unknown ones, JSON types as given."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=False, strict=True, extra="forbid")


MessageId = Annotated[int, Field(ge=1, le=MAX_INT)]


class NoArgs(Args):
    pass


class ListAgentsArgs(Args):
    address: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class SendArgs(Args):
    to: str
    body: str
    subject: str | None = None
    kind: MessageKind = "chat"
    reply_to: int | None = None
    claimable: bool | None = None  # the limits are SendMessage's, checked when it is built


class InboxArgs(Args):
    # strict: a JSON number (5 or 5.0), never "5" or true
    wait_seconds: Annotated[float, Field(ge=0, le=MAX_WAIT_S, allow_inf_nan=False)] = 0
    include_read: bool = False


class ClaimArgs(Args):
    message_id: MessageId
    lease_ms: Annotated[int, Field(ge=1, le=MAX_INT)] | None = None


class MessageArgs(Args):
    message_id: MessageId


class ReleaseArgs(Args):
    message_id: MessageId
    delay_ms: Annotated[int, Field(ge=0, le=MAX_DELAY_MS)] | None = None


ARGS: dict[str, type[Args]] = {
    "whoami": NoArgs,
    "list_agents": ListAgentsArgs,
    "send_message": SendArgs,
    "check_inbox": InboxArgs,
    "claim_message": ClaimArgs,
    "ack_message": MessageArgs,
    "release_message": ReleaseArgs,
    "get_thread": MessageArgs,
}
