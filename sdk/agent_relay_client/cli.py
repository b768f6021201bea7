"""`relay`: the agent relay from a terminal (Typer for the commands, Rich for the output).

Every command calls the SDK's typed client (`RelayClient`); only `relay api` takes a path.
`--url`, `--token` and `--json/--no-json` are accepted before or after any subcommand.
Output: tables and colour on a terminal, JSON when stdout is not a terminal or with
`--json` (`--no-json` forces the human form). User text is never read as Rich markup.

Exit codes: 0 ok, 1 the relay refused (the message says why), 2 bad usage,
3 the relay cannot be reached, 130 interrupted."""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import anyio
import httpx
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from agent_relay_client._generated.models.agent_register_kind_type_0 import check_agent_register_kind_type_0
from agent_relay_client._generated.models.agent_register_status_type_0 import (
    check_agent_register_status_type_0,
)
from agent_relay_client._generated.models.list_agents_kind_type_0 import check_list_agents_kind_type_0
from agent_relay_client._generated.models.list_agents_status_type_0 import check_list_agents_status_type_0
from agent_relay_client._generated.models.list_pairs_status_type_0 import check_list_pairs_status_type_0
from agent_relay_client._generated.models.list_tasks_status_type_0 import check_list_tasks_status_type_0
from agent_relay_client._generated.models.send_message_kind import check_send_message_kind
from agent_relay_client.client import DEFAULT_URL, VERSION, RelayClient
from agent_relay_client.errors import BadGatewayError, RelayConnectionError, RelayError, error_message
from agent_relay_client.events import RelayEvent
from agent_relay_client.orchestrator import cli as orchestrator_cli

HELP = """\
Talk to an agent relay: the agent's loop (register, inbox, claim, ack, release, send) and the
operator's jobs (agents, tasks, pairs, channels, orchestrators, spawn, connectors, tail).
[bold]relay api[/bold] reaches every other route of the HTTP API."""

EPILOG = """\
[bold]environment[/bold]
  AGENT_RELAY_URL     relay base URL (default http://127.0.0.1:4850)
  AGENT_RELAY_TOKEN   relay token, if the relay requires one
  NO_COLOR            no colour on a terminal

[bold]examples[/bold]
  relay register worker-1 --label workers
  relay send --to label:workers --from boss --claimable "build it"
  relay inbox worker-1 --unread --wait 30
  relay claim 17 --as worker-1 ; relay ack 17 --as worker-1
  relay tail --event 'message.*' --agent worker-1
  relay agents --json | jq '.[].id'
  relay api POST /api/messages -f from=me -f to=worker-1 -f body=hi
  relay mcp --agent worker-1          (MCP over stdio; needs agent-relay-client[mcp])

[bold]output[/bold]  tables on a terminal; JSON when piped or with --json (--no-json: tables anyway)

[bold]exit codes[/bold]  0 ok, 1 the relay answered with an error, 2 bad usage,
3 the relay cannot be reached, 130 interrupted

More: docs/cli.md"""

GLOBAL = "Global options (anywhere on the line)"


# -- choices (the spec's enums; tests/contract/test_cli.py checks they match) -----------------
class AgentStatus(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    online = "online"
    idle = "idle"
    busy = "busy"
    offline = "offline"


class AgentKind(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    provider = "provider"
    channel = "channel"
    orchestrator = "orchestrator"
    system = "system"
    user = "user"


class MessageKind(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    chat = "chat"
    task = "task"
    pair = "pair"
    control = "control"
    system = "system"
    channel_event = "channel.event"


class TaskStatus(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    open = "open"
    claimed = "claimed"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"
    failed = "failed"
    canceled = "canceled"


class PairStatus(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    pending = "pending"
    active = "active"
    ended = "ended"
    rejected = "rejected"
    expired = "expired"


class Provider(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    claude = "claude"
    codex = "codex"


class ApprovalMode(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    guarded = "guarded"
    open = "open"
    read_only = "read-only"


class ConnectorAction(str, Enum):  # noqa: UP042 (StrEnum is 3.11+, the SDK runs on 3.10)
    install = "install"
    doctor = "doctor"
    start = "start"
    stop = "stop"
    restart = "restart"
    status = "status"
    enable = "enable"
    disable = "disable"
    uninstall = "uninstall"


CHOICES: dict[str, type[Enum]] = {
    "list_agents_status_type_0": AgentStatus,
    "list_agents_kind_type_0": AgentKind,
    "send_message_kind": MessageKind,
    "list_tasks_status_type_0": TaskStatus,
    "task_status_in_status": TaskStatus,
    "list_pairs_status_type_0": PairStatus,
    "agent_spawn_in_provider": Provider,
    "orchestrator_spawn_in_provider": Provider,
    "agent_spawn_in_approvalmode": ApprovalMode,
    "connector_action_in_action": ConnectorAction,
}
"""generated model module -> the CLI's choice enum for it (a test compares the values)."""


# -- global options ---------------------------------------------------------------------
Url = Annotated[
    str | None,
    typer.Option(
        "--url",
        metavar="URL",
        help=f"relay base URL [dim](default: $AGENT_RELAY_URL or {DEFAULT_URL})[/dim]",
        rich_help_panel=GLOBAL,
        show_default=False,
    ),
]
Token = Annotated[
    str | None,
    typer.Option(
        "--token",
        metavar="TOKEN",
        help="relay token [dim](default: $AGENT_RELAY_TOKEN)[/dim]",
        rich_help_panel=GLOBAL,
        show_default=False,
    ),
]
AsJson = Annotated[
    bool | None,
    typer.Option(
        "--json/--no-json",
        help="JSON output (the default when stdout is not a terminal); --no-json: tables anyway",
        rich_help_panel=GLOBAL,
        show_default=False,
    ),
]
AsAgent = Annotated[str, typer.Option("--as", metavar="AGENT", help="the agent acting", show_default=False)]


@dataclass(frozen=True)
class Globals:
    url: str | None = None
    token: str | None = None
    json: bool | None = None

    def merge(self, url: str | None, token: str | None, as_json: bool | None) -> Globals:
        """Options given after a subcommand win over the same ones given before it."""
        return Globals(
            url if url is not None else self.url,
            token if token is not None else self.token,
            as_json if as_json is not None else self.json,
        )


def _globals(ctx: typer.Context) -> Globals:
    obj = ctx.obj
    return obj if isinstance(obj, Globals) else Globals()


# -- output -----------------------------------------------------------------------------
STATUS_STYLE = {
    "online": "green",
    "idle": "yellow",
    "busy": "magenta",
    "offline": "dim",
    "open": "cyan",
    "claimed": "yellow",
    "in_progress": "yellow",
    "blocked": "red",
    "done": "green",
    "failed": "red",
    "canceled": "dim",
    "pending": "cyan",
    "active": "green",
    "ended": "dim",
    "rejected": "red",
    "expired": "dim",
    "ok": "green",
    "degraded": "yellow",
    "error": "red",
}


def _wire(value: Any) -> Any:
    """A generated model (or a list of them) as its wire JSON."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _ago(ms: Any) -> str:
    if not isinstance(ms, int):
        return "-"
    seconds = max(0, int(time.time() - ms / 1000))
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def _clock(ms: Any) -> str:
    value = ms if isinstance(ms, int) else time.time() * 1000
    return time.strftime("%H:%M:%S", time.localtime(value / 1000))


def _status(value: Any) -> Text:
    text = str(value) if value is not None else "-"
    return Text(text, style=STATUS_STYLE.get(text, ""))


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _message_summary(m: Mapping[str, Any]) -> Text:
    """`from -> to kind (flags): [subject] body` (no id, no time)."""
    t = Text()
    t.append(str(m.get("from")), style="green")
    t.append(" -> ")
    t.append(str(m.get("to")), style="green")
    t.append(f" {m.get('kind')}", style="magenta")
    if m.get("claimable"):
        claimed = f"claimed by {m['claimedBy']}" if m.get("claimedBy") else "claimable"
        t.append(f" ({claimed})", style="yellow")
    t.append(": ")
    if m.get("subject"):
        t.append(f"[{_one_line(m['subject'])}] ", style="bold")
    t.append(_one_line(m.get("body")))
    return t


def _message_line(m: Mapping[str, Any]) -> Text:
    """`#ID HH:MM:SS from -> to kind: [subject] body`; `#N` is always a message id."""
    t = Text()
    t.append(f"#{m.get('id')}", style="bold cyan")
    t.append(f" {_clock(m.get('createdAt'))} ", style="dim")
    t.append_text(_message_summary(m))
    return t


Column = tuple[str, Callable[[Mapping[str, Any]], "str | Text"]]


@dataclass
class Session:
    """One command's client and output settings."""

    client: RelayClient
    json: bool
    out: Console
    err: Console

    def emit_json(self, value: Any) -> None:
        data = _wire(value)
        if self.out.is_terminal:
            self.out.print_json(json.dumps(data, ensure_ascii=False))
        else:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            sys.stdout.flush()

    def line(self, text: str | Text) -> None:
        self.out.print(text if isinstance(text, Text) else Text(text), soft_wrap=True)

    def table(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], empty: str) -> None:
        if not rows:
            self.line(empty)
            return
        table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
        for header, _ in columns:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(getter(row) for _, getter in columns))
        if self.out.is_terminal:
            self.out.print(table)
            return
        with self.out.capture() as captured:  # into a pipe: no trailing padding
            self.out.print(table)
        sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
        sys.stdout.flush()

    def waiting(self, what: str) -> AbstractContextManager[Any]:
        """A spinner on stderr while something waits (only when stderr is a terminal)."""
        if self.err.is_terminal:
            return self.err.status(Text(what), spinner="dots")
        return nullcontext()


def _consoles() -> tuple[Console, Console]:
    tty = sys.stdout.isatty()
    # Not a terminal (--no-json into a pipe): no wrapping at 80 columns.
    out = Console(highlight=False, width=None if tty else 100_000)
    err = Console(stderr=True, highlight=False)
    return out, err


def _error(err: Console, text: str) -> None:
    err.print(Text(text), soft_wrap=True, style="red" if err.is_terminal else "")


@contextmanager
def _session(
    ctx: typer.Context, url: str | None, token: str | None, as_json: bool | None
) -> Iterator[Session]:
    """The client for one command, and the one place errors become exit codes."""
    g = _globals(ctx).merge(url, token, as_json)
    out, err = _consoles()
    client = RelayClient(g.url, g.token)
    json_out = g.json if g.json is not None else not sys.stdout.isatty()
    try:
        yield Session(client, json_out, out, err)
    except RelayConnectionError as exc:
        _error(err, f"relay: {exc.message}")
        raise typer.Exit(3) from None
    except RelayError as exc:
        _error(err, f"relay: {exc.status} {exc.message}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader went away (`relay tail | head -1`): stop quietly, flush nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    finally:
        client.close()


# -- the app ----------------------------------------------------------------------------
app = typer.Typer(
    name="relay",
    help=HELP,
    epilog=EPILOG,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # a traceback with locals would print the token
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relay {VERSION}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit"),
    ] = False,
) -> None:
    ctx.obj = Globals(url, token, as_json)


def _group_globals(ctx: typer.Context, url: str | None, token: str | None, as_json: bool | None) -> None:
    ctx.obj = _globals(ctx).merge(url, token, as_json)


# -- the agent's loop ---------------------------------------------------------------------
@app.command(rich_help_panel="Agent loop")
def register(
    ctx: typer.Context,
    agent: Annotated[str, typer.Argument(metavar="AGENT", help="agent id")],
    name: Annotated[str | None, typer.Option("--name", help="display name (default: the id)")] = None,
    kind: Annotated[AgentKind | None, typer.Option("--kind", help="default provider")] = None,
    label: Annotated[
        str | None, typer.Option("--label", help="a group: messages to label:X reach it")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="a tag (repeatable): tag:X reaches it")
    ] = None,
    cap: Annotated[
        list[str] | None, typer.Option("--cap", help="a capability (repeatable): cap:X reaches it")
    ] = None,
    status: Annotated[AgentStatus | None, typer.Option("--status", help="default online")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Register an agent, or update one (by id)."""
    with _session(ctx, url, token, as_json) as s:
        card = s.client.register(
            agent,
            name,
            kind=check_agent_register_kind_type_0(kind.value) if kind else None,
            label=label,
            tags=tag,
            capabilities=cap,
            status=check_agent_register_status_type_0(status.value) if status else None,
        )
        if s.json:
            s.emit_json(card)
        else:
            a = card.to_dict()
            s.line(f"registered {a['id']} ({a['kind']}, {a['status']})")


@app.command(rich_help_panel="Agent loop")
def send(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="message body, or - to read stdin")],
    to: Annotated[
        str, typer.Option("--to", help="agent id, label:X, tag:X, cap:X or broadcast", show_default=False)
    ],
    sender: Annotated[
        str | None,
        typer.Option("--from", help="sender id (default: the agent token's own agent, else user)"),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="a short subject line")] = None,
    kind: Annotated[MessageKind, typer.Option("--kind", help="message kind")] = MessageKind.chat,
    claimable: Annotated[
        bool, typer.Option("--claimable", help="let exactly one recipient claim it")
    ] = False,
    reply_to: Annotated[int | None, typer.Option("--reply-to", metavar="ID", help="message id")] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            "--idempotency-key",
            metavar="KEY",
            help="a repeat with the same key is not stored twice",
        ),
    ] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Send a message."""
    with _session(ctx, url, token, as_json) as s:
        body = sys.stdin.read() if text == "-" else text
        message = s.client.send(
            to,
            body,
            sender=sender,
            kind=check_send_message_kind(kind.value),
            subject=subject,
            reply_to=reply_to,
            claimable=True if claimable else None,
            idempotency_key=idempotency_key or None,
        )
        if s.json:
            s.emit_json(message)
        else:
            s.line(f"sent #{message.id} to {message.to}")


@app.command(rich_help_panel="Agent loop")
def inbox(
    ctx: typer.Context,
    agent: Annotated[str, typer.Argument(metavar="AGENT", help="whose inbox")],
    wait: Annotated[
        float,
        typer.Option("--wait", metavar="SECONDS", help="long-poll up to SECONDS (max 60) for something new"),
    ] = 0,
    after: Annotated[int, typer.Option("--after", metavar="ID", help="only messages after this id")] = 0,
    unread: Annotated[
        bool,
        typer.Option("--unread/--all", help="only messages the agent has not acked (the default), or all"),
    ] = True,
    limit: Annotated[int, typer.Option("--limit", help="at most this many")] = 100,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Read an agent's unread messages, oldest first (its id, its label, tags, capabilities,
    broadcast); `--all` includes the ones it acked."""
    with _session(ctx, url, token, as_json) as s:
        with (
            s.waiting(f"waiting up to {wait:g}s for messages to {agent} (Ctrl-C stops)")
            if wait
            else nullcontext()
        ):
            items = s.client.inbox(agent, wait=wait, after=after, unread=unread, limit=limit)
        if s.json:
            s.emit_json(items)
            return
        if not items:
            s.line("inbox empty" + (f" (waited {wait:g}s)" if wait else ""))
        for m in items:
            s.line(_message_line(m.to_dict()))


def _claimed_line(verb: str, m: Mapping[str, Any], agent: str) -> str:
    until = f" until {_clock(m['claimExpiresAt'])}" if isinstance(m.get("claimExpiresAt"), int) else ""
    return f"{verb} #{m['id']} as {agent}{until}"


@app.command(rich_help_panel="Agent loop")
def claim(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="message id")],
    agent: AsAgent,
    lease_ms: Annotated[
        int | None, typer.Option("--lease-ms", metavar="MS", help="lease length (server default otherwise)")
    ] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Claim a claimable message (exactly one claimer wins; claiming again renews your lease)."""
    with _session(ctx, url, token, as_json) as s:
        message = s.client.claim(message_id, agent, lease_ms)
        if s.json:
            s.emit_json(message)
        else:
            s.line(_claimed_line("claimed", message.to_dict(), agent))


@app.command(rich_help_panel="Agent loop")
def ack(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="message id")],
    agent: AsAgent,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Mark a message read for an agent (it leaves `relay inbox`); from the holder of its
    claim this completes the message."""
    with _session(ctx, url, token, as_json) as s:
        receipt = s.client.ack(message_id, agent)
        if s.json:
            s.emit_json(receipt)
        else:
            done = " (completed)" if receipt.completed else ""
            s.line(f"acked #{receipt.message_id} as {receipt.agent_id}{done}")


@app.command(rich_help_panel="Agent loop")
def release(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="message id")],
    agent: AsAgent,
    delay_ms: Annotated[
        int | None, typer.Option("--delay-ms", metavar="MS", help="keep it out of every inbox this long")
    ] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Give back a message you claimed, so another agent can claim it (dead-lettered when
    its deliveries are spent)."""
    with _session(ctx, url, token, as_json) as s:
        message = s.client.release(message_id, agent, delay_ms)
        if s.json:
            s.emit_json(message)
        elif message.dead_lettered_at:
            s.line(f"released #{message.id}: dead-lettered after {message.delivery_count} deliveries")
        else:
            s.line(f"released #{message.id}")


# -- agents --------------------------------------------------------------------------------
AGENT_COLUMNS: list[Column] = [
    ("ID", lambda a: str(a["id"])),
    ("STATUS", lambda a: _status(a.get("status"))),
    ("KIND", lambda a: _cell(a.get("kind"))),
    ("LABEL", lambda a: _cell(a.get("label"))),
    ("READY", lambda a: _cell(a.get("ready"))),
    ("LAST SEEN", lambda a: _ago(a.get("lastSeen"))),
]


@app.command(rich_help_panel="Operator")
def agents(
    ctx: typer.Context,
    status: Annotated[
        AgentStatus | None, typer.Option("--status", help="only agents with this status")
    ] = None,
    kind: Annotated[AgentKind | None, typer.Option("--kind", help="only agents of this kind")] = None,
    label: Annotated[str | None, typer.Option("--label", help="only agents with this label")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List registered agents."""
    with _session(ctx, url, token, as_json) as s:
        items = s.client.agents(
            status=check_list_agents_status_type_0(status.value) if status else None,
            kind=check_list_agents_kind_type_0(kind.value) if kind else None,
            label=label,
        )
        if s.json:
            s.emit_json(items)
        else:
            s.table([a.to_dict() for a in items], AGENT_COLUMNS, "no agents")


# -- tail -------------------------------------------------------------------------------
def _event_message_id(ev: RelayEvent) -> int | None:
    """The message an event is about: a `message.*` event's `id`, or a record's `messageId`."""
    data = ev.data if isinstance(ev.data, dict) else {}
    value = data.get("id") if ev.event.startswith("message.") else data.get("messageId")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _event_time(ev: RelayEvent) -> Any:
    data = ev.data if isinstance(ev.data, dict) else {}
    if ev.event == "message.new":
        return data.get("createdAt")
    if ev.event.startswith("message."):
        return None  # the message's createdAt is not this event's time: the time it arrived
    return data.get("updatedAt") or data.get("lastSeen") or data.get("createdAt")


def _event_summary(ev: RelayEvent) -> Text:
    data: dict[str, Any] = ev.data if isinstance(ev.data, dict) else {"value": ev.data}
    name = ev.event
    if name == "message.new" and "from" in data:
        return _message_summary(data)
    if name == "message.claimed":
        until = (
            f" until {_clock(data['claimExpiresAt'])}" if isinstance(data.get("claimExpiresAt"), int) else ""
        )
        return Text(f"claimed by {data.get('claimedBy')}{until}")
    if name == "message.claim_released":
        return Text("claim released")
    if name == "message.deleted":
        return Text(f"deleted ({data.get('from')} -> {data.get('to')})")
    if name == "agent.status":
        t = Text(f"{data.get('id')} ")
        t.append_text(_status(data.get("status")))
        if data.get("deleted"):
            t.append(" (deleted)", style="dim")
        return t
    if name.startswith("task."):
        t = Text(f"task {data.get('id')} ")
        t.append_text(_status(data.get("status")))
        t.append(f" {_one_line(data.get('title'))!r}")
        if data.get("claimedBy"):
            t.append(f" claimed by {data['claimedBy']}")
        return t
    if name == "pair.updated":
        t = Text(f"pair {data.get('id')} {data.get('from')} <-> {data.get('to')} ")
        t.append_text(_status(data.get("status")))
        return t
    if name.startswith("orchestrator."):
        return Text(f"{data.get('id')} {data.get('status') or 'removed'}")
    keys = ("id", "agentId", "channelId", "status", "kind", "title", "type")
    summary = " ".join(f"{k}={data[k]}" for k in keys if data.get(k) is not None)
    return Text(summary or _one_line(json.dumps(data, ensure_ascii=False))[:200])


def _event_line(ev: RelayEvent) -> Text:
    """`EVENT-ID  TIME  NAME  #MESSAGE-ID  summary`: the first column is always the event id
    (what --last-event-id takes; `-` for an ephemeral event), `#N` always a message id."""
    message_id = _event_message_id(ev)
    t = Text()
    t.append(f"{ev.id if ev.id is not None else '-':>6}", style="dim")
    t.append(f"  {_clock(_event_time(ev))}  ", style="dim")
    t.append(f"{ev.event:<22}", style="bold")
    t.append(f" {'#' + str(message_id) if message_id is not None else '-':<7} ", style="cyan")
    t.append_text(_event_summary(ev))
    return t


def _patterns(values: list[str] | None) -> list[str]:
    return [p.strip() for v in values or [] for p in v.split(",") if p.strip()]


@app.command(rich_help_panel="Operator")
def tail(
    ctx: typer.Context,
    agent: Annotated[
        str | None, typer.Option("--agent", metavar="AGENT", help="only events that concern this agent")
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            "-e",
            metavar="NAME",
            help="only these events (repeatable, comma-separated, globs: 'message.*')",
        ),
    ] = None,
    last_event_id: Annotated[
        int | None,
        typer.Option("--last-event-id", metavar="ID", help="replay events after this event id first"),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", metavar="SECONDS", help="stop after SECONDS (exit 0)")
    ] = None,
    count: Annotated[int | None, typer.Option("--count", metavar="N", help="stop after N events")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Follow live events; reconnects and resumes without gaps.

    Columns: event id (for --last-event-id; - for an ephemeral event), time, event name,
    the message id (#N) when the event is about a message, and a summary.
    JSON: one {"id", "event", "data"} document per line."""
    patterns = _patterns(event)
    with _session(ctx, url, token, as_json) as s:
        if s.out.is_terminal and not s.json:
            s.out.print(Text(f"{'EVENT':>6}  {'TIME':<8}  {'NAME':<22} {'MESSAGE':<7} DETAILS", style="bold"))
        shown = 0
        for ev in _follow(s, agent, last_event_id, timeout):
            if patterns and not any(fnmatch.fnmatchcase(ev.event, p) for p in patterns):
                continue
            if s.json:
                sys.stdout.write(
                    json.dumps({"id": ev.id, "event": ev.event, "data": ev.data}, ensure_ascii=False) + "\n"
                )
                sys.stdout.flush()
            else:
                s.line(_event_line(ev))
            shown += 1
            if count is not None and shown >= count:
                return


def _follow(
    s: Session, agent: str | None, last_event_id: int | None, timeout: float | None
) -> Iterator[RelayEvent]:
    """The SDK's event stream read on a thread, so that --timeout and Ctrl-C end it at once
    (a blocked socket read would not notice either)."""
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        try:
            for ev in s.client.events(
                agent_id=agent,
                last_event_id=last_event_id,
                on_connect=lambda: inbox.put(("connected", None)),
                on_disconnect=lambda error: inbox.put(("lost", error)),
                wait=stop.wait,
            ):
                if stop.is_set():
                    return
                inbox.put(("event", ev))
        except BaseException as exc:  # handed to the main thread
            inbox.put(("error", exc))

    threading.Thread(target=read, name="relay-tail", daemon=True).start()
    deadline = time.monotonic() + timeout if timeout is not None else None
    spinner = s.waiting(f"connecting to {s.client.url}")
    spinner.__enter__()
    try:
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return
            try:
                kind, value = inbox.get(timeout=remaining)
            except queue.Empty:
                return
            if kind == "event":
                yield value
            elif kind == "connected":
                spinner.__exit__(None, None, None)
                spinner = nullcontext()
            elif kind == "lost":
                reason = f" ({value})" if value and str(value) else ""
                _error(s.err, f"relay: event stream lost{reason}; reconnecting")
                spinner = s.waiting(f"reconnecting to {s.client.url}")
                spinner.__enter__()
            elif kind == "error":
                raise value
    finally:
        stop.set()
        spinner.__exit__(None, None, None)


# -- tasks ------------------------------------------------------------------------------
TASK_COLUMNS: list[Column] = [
    ("ID", lambda t: str(t["id"])),
    ("STATUS", lambda t: _status(t.get("status"))),
    ("SEVERITY", lambda t: _cell(t.get("severity"))),
    ("SOURCE", lambda t: f"{t.get('source')}:{t.get('externalId')}"),
    ("TITLE", lambda t: _one_line(t.get("title"))),
    ("CLAIMED BY", lambda t: _cell(t.get("claimedBy"))),
    ("UPDATED", lambda t: _ago(t.get("updatedAt"))),
]

tasks_app = typer.Typer(
    help="List tasks (from integrations); show, claim or move one.",
    invoke_without_command=True,
    rich_markup_mode="rich",
)
app.add_typer(tasks_app, name="tasks", rich_help_panel="Operator")


@tasks_app.callback()
def tasks_list(
    ctx: typer.Context,
    status: Annotated[TaskStatus | None, typer.Option("--status", help="only tasks with this status")] = None,
    claimed_by: Annotated[str | None, typer.Option("--claimed-by", metavar="AGENT")] = None,
    source: Annotated[str | None, typer.Option("--source", help="only tasks from this integration")] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="only tasks addressed to this target")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="at most this many, newest first")] = 100,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List tasks, newest first (without a subcommand)."""
    _group_globals(ctx, url, token, as_json)
    if ctx.invoked_subcommand is not None:
        return
    with _session(ctx, None, None, None) as s:
        items = s.client.list_tasks(
            status=check_list_tasks_status_type_0(status.value) if status else None,
            claimed_by=claimed_by,
            source=source,
            target=target,
            limit=limit,
        )
        if s.json:
            s.emit_json(items)
        else:
            s.table([t.to_dict() for t in items], TASK_COLUMNS, "no tasks")


def _task_out(s: Session, task: Any) -> None:
    if s.json:
        s.emit_json(task)
        return
    t = task.to_dict()
    line = Text(f"task {t['id']} ")
    line.append_text(_status(t.get("status")))
    line.append(f" {_one_line(t.get('title'))!r}")
    if t.get("claimedBy"):
        line.append(f" claimed by {t['claimedBy']}")
        if isinstance(t.get("claimExpiresAt"), int):
            line.append(f" until {_clock(t['claimExpiresAt'])}")
    s.line(line)


@tasks_app.command("show")
def tasks_show(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID", help="task id")],
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """One task."""
    with _session(ctx, url, token, as_json) as s:
        _task_out(s, s.client.get_task(task_id))


@tasks_app.command("claim")
def tasks_claim(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID", help="task id")],
    agent: AsAgent,
    lease_ms: Annotated[int | None, typer.Option("--lease-ms", metavar="MS", help="lease length")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Claim a task for a lease (exactly one claimer wins; again renews it)."""
    with _session(ctx, url, token, as_json) as s:
        body: dict[str, Any] = {"agentId": agent}
        if lease_ms is not None:
            body["leaseMs"] = lease_ms
        _task_out(s, s.client.claim_task(task_id, body=body))


@tasks_app.command("status")
def tasks_status(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID", help="task id")],
    status: Annotated[TaskStatus, typer.Argument(metavar="STATUS", help="the new status")],
    agent: Annotated[
        str | None, typer.Option("--as", metavar="AGENT", help="the agent holding the claim")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="a note kept with the task")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Move a task (done, failed and canceled are final; an illegal move is a 409)."""
    with _session(ctx, url, token, as_json) as s:
        body: dict[str, Any] = {"status": status.value}
        if agent is not None:
            body["agentId"] = agent
        if note is not None:
            body["note"] = note
        _task_out(s, s.client.set_task_status(task_id, body=body))


# -- pairs, orchestrators ---------------------------------------------------------------
PAIR_COLUMNS: list[Column] = [
    ("ID", lambda p: str(p["id"])),
    ("STATUS", lambda p: _status(p.get("status"))),
    ("FROM", lambda p: str(p.get("from"))),
    ("TO", lambda p: str(p.get("to"))),
    ("TOPIC", lambda p: _one_line(p.get("topic")) or "-"),
    ("UPDATED", lambda p: _ago(p.get("updatedAt"))),
]


@app.command(rich_help_panel="Operator")
def pairs(
    ctx: typer.Context,
    agent: Annotated[
        str | None, typer.Option("--agent", metavar="AGENT", help="pairs with this agent in them")
    ] = None,
    status: Annotated[PairStatus | None, typer.Option("--status", help="only pairs with this status")] = None,
    limit: Annotated[int, typer.Option("--limit", help="at most this many, newest first")] = 100,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List pairs (two agents working together), newest first."""
    with _session(ctx, url, token, as_json) as s:
        items = s.client.list_pairs(
            agent_id=agent,
            status=check_list_pairs_status_type_0(status.value) if status else None,
            limit=limit,
        )
        if s.json:
            s.emit_json(items)
        else:
            s.table([p.to_dict() for p in items], PAIR_COLUMNS, "no pairs")


ORCHESTRATOR_COLUMNS: list[Column] = [
    ("ID", lambda o: str(o["id"])),
    ("STATUS", lambda o: _status(o.get("status"))),
    ("HOST", lambda o: _cell(o.get("hostname"))),
    ("PROVIDERS", lambda o: _cell(o.get("providers"))),
    ("AGENTS", lambda o: str(len(o.get("managedAgents") or []))),
    ("BASE DIR", lambda o: _cell(o.get("baseDir"))),
    ("HEARTBEAT", lambda o: _ago(o.get("lastHeartbeat"))),
]


@app.command(rich_help_panel="Operator")
def orchestrators(
    ctx: typer.Context,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List orchestrators (daemons that run coding agents), newest first."""
    with _session(ctx, url, token, as_json) as s:
        items = s.client.list_orchestrators()
        if s.json:
            s.emit_json(items)
        else:
            s.table([o.to_dict() for o in items], ORCHESTRATOR_COLUMNS, "no orchestrators")


@app.command(rich_help_panel="Operator")
def spawn(
    ctx: typer.Context,
    provider: Annotated[Provider, typer.Argument(metavar="PROVIDER", help="claude or codex")],
    orchestrator: Annotated[
        str | None,
        typer.Option(
            "--orchestrator",
            metavar="ID",
            help="on this orchestrator (default: the relay picks the least busy one)",
        ),
    ] = None,
    cwd: Annotated[
        str | None, typer.Option("--cwd", metavar="DIR", help="working directory (under its base dir)")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="the new agent's label")] = None,
    approval_mode: Annotated[ApprovalMode, typer.Option("--approval-mode", help="what it may do unasked")] = (
        ApprovalMode.guarded
    ),
    prompt: Annotated[str | None, typer.Option("--prompt", help="first prompt (with --orchestrator)")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Start a coding agent (through an orchestrator, or codex on the relay's host)."""
    body: dict[str, Any] = {"provider": provider.value, "approvalMode": approval_mode.value}
    if cwd is not None:
        body["cwd"] = cwd
    if label is not None:
        body["label"] = label
    if prompt is not None and orchestrator is None:
        raise typer.BadParameter("--prompt needs --orchestrator", param_hint="--prompt")
    with _session(ctx, url, token, as_json) as s:
        if orchestrator is not None:
            if prompt is not None:
                body["prompt"] = prompt
            answer: Any = s.client.spawn_on_orchestrator(orchestrator, body=body)
        else:
            answer = s.client.spawn_agent(body=body)
        if s.json:
            s.emit_json(answer)
            return
        out = answer.to_dict()
        message = out.get("message") or {}
        if out.get("orchestratorId"):
            s.line(
                f"asked orchestrator {out['orchestratorId']} to spawn {provider.value} (message #{message.get('id')})"
            )
        elif out.get("dryRun"):
            argv = (out.get("command") or {}).get("argv") or []
            s.line("dry run, would run: " + " ".join(str(a) for a in argv))
        else:
            where = (
                f"tmux session {out['tmuxSession']}" if out.get("tmuxSession") else f"pid {out.get('pid')}"
            )
            s.line(f"started {provider.value} in {where}")


# -- channels ---------------------------------------------------------------------------
CHANNEL_COLUMNS: list[Column] = [
    ("ID", lambda c: str(c["id"])),
    ("NAME", lambda c: _cell(c.get("name"))),
    ("TYPE", lambda c: _cell(c.get("type"))),
    ("STATUS", lambda c: _status(c.get("status"))),
    ("READY", lambda c: _cell(c.get("ready"))),
    ("DIRECTION", lambda c: _cell(c.get("direction"))),
    ("AGENT", lambda c: _cell(c.get("agentId"))),
]

channels_app = typer.Typer(
    help="List chat channels; explain where a conversation's events go.",
    invoke_without_command=True,
    rich_markup_mode="rich",
)
app.add_typer(channels_app, name="channels", rich_help_panel="Operator")


@channels_app.callback()
def channels_list(
    ctx: typer.Context,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List channels, ready ones first (without a subcommand)."""
    _group_globals(ctx, url, token, as_json)
    if ctx.invoked_subcommand is not None:
        return
    with _session(ctx, None, None, None) as s:
        items = s.client.list_channels()
        if s.json:
            s.emit_json(items)
        else:
            s.table([c.to_dict() for c in items], CHANNEL_COLUMNS, "no channels")


def _target(binding: Mapping[str, Any]) -> str:
    target = binding.get("target")
    if isinstance(target, dict):
        return ":".join(str(v) for v in target.values() if v is not None)
    return _cell(target)


@channels_app.command("explain")
def channels_explain(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(metavar="CHANNEL", help="channel id")],
    conversation: Annotated[
        str | None,
        typer.Option(
            "--conversation", metavar="ID", help="the conversation (default: the channel's default routes)"
        ),
    ] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Which bindings an event for a conversation would go to, and why."""
    with _session(ctx, url, token, as_json) as s:
        routes = s.client.explain_channel_routes(channel, conversation_id=conversation)
        if s.json:
            s.emit_json(routes)
            return
        r = routes.to_dict()
        s.line(
            f"channel {r['channelId']}, conversation {r.get('conversationId') or '-'}: "
            f"tier {r.get('tier') or 'none'}, {len(r.get('bindings') or [])} binding(s)"
        )
        columns: list[Column] = [
            ("BINDING", lambda c: str(c["binding"]["id"])),
            ("CHOSEN", lambda c: Text("yes", style="green") if c.get("chosen") else Text("no", style="dim")),
            ("TIER", lambda c: _cell(c.get("tier"))),
            ("MODE", lambda c: _cell(c.get("mode"))),
            ("PRIORITY", lambda c: _cell(c.get("priority"))),
            ("TO", lambda c: _cell(c.get("to"))),
            ("REASON", lambda c: _cell(c.get("reason"))),
        ]
        s.table(r.get("candidates") or [], columns, "no binding matches: events for it go nowhere")
        for u in r.get("unreachable") or []:
            s.line(
                Text(
                    f"unreachable: binding {u['binding']['id']} ({u.get('tier')}): {u.get('reason')}",
                    style="yellow",
                )
            )


# -- connectors -------------------------------------------------------------------------
CONNECTOR_COLUMNS: list[Column] = [
    ("ID", lambda c: str(c["id"])),
    ("NAME", lambda c: _cell(c.get("name"))),
    ("VERSION", lambda c: _cell(c.get("version"))),
    ("ENABLED", lambda c: _cell(c.get("enabled"))),
    ("RUNNING", lambda c: Text("yes", style="green") if c.get("running") else Text("no", style="dim")),
    (
        "LAST ACTION",
        lambda c: (
            f"{c['lastAction'].get('action')} {'ok' if c['lastAction'].get('ok') else 'failed'}"
            if isinstance(c.get("lastAction"), dict)
            else "-"
        ),
    ),
]

connectors_app = typer.Typer(
    help="List connectors; run a lifecycle action (install, start, stop, …).",
    invoke_without_command=True,
    rich_markup_mode="rich",
)
app.add_typer(connectors_app, name="connectors", rich_help_panel="Operator")


@connectors_app.callback()
def connectors_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="at most this many, newest first")] = 100,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List registered connectors (without a subcommand)."""
    _group_globals(ctx, url, token, as_json)
    if ctx.invoked_subcommand is not None:
        return
    with _session(ctx, None, None, None) as s:
        items = s.client.list_connectors(limit=limit)
        if s.json:
            s.emit_json(items)
        else:
            s.table([c.to_dict() for c in items], CONNECTOR_COLUMNS, "no connectors")


@connectors_app.command("action")
def connectors_action(
    ctx: typer.Context,
    connector: Annotated[str, typer.Argument(metavar="ID", help="connector id")],
    action: Annotated[ConnectorAction, typer.Argument(metavar="ACTION", help="the lifecycle action")],
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Run a connector's lifecycle action (a failed command exits 1 with its output)."""
    with _session(ctx, url, token, as_json) as s:
        try:
            with s.waiting(f"{connector}: {action.value}"):
                r: dict[str, Any] = s.client.run_connector_action(
                    connector, body={"action": action.value}
                ).to_dict()
        except BadGatewayError as exc:  # the command ran and failed: its result is the answer
            r = _action_result(exc.message)
        if s.json:
            s.emit_json(r)
        else:
            exit_code = f" (exit {r['exitCode']})" if r.get("exitCode") not in (None, 0) else ""
            verdict = "ok" if r.get("ok") else ("timed out" if r.get("timedOut") else "failed")
            s.line(f"{connector} {r.get('action')}: {verdict}{exit_code} in {r.get('durationMs')} ms")
            if r.get("output"):
                s.out.print(Text(str(r["output"]).rstrip()), soft_wrap=True)
        if not r.get("ok"):
            raise typer.Exit(1)


def _action_result(message: str) -> dict[str, Any]:
    """A 502 from a connector action carries the failed run's result as its body."""
    try:
        result = json.loads(message)
    except ValueError:
        result = None
    if not isinstance(result, dict) or "action" not in result:
        raise BadGatewayError(502, message)
    return result


# -- identity (contract §14) --------------------------------------------------------------
@app.command(rich_help_panel="Operator")
def whoami(
    ctx: typer.Context,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Who the relay takes this token for: admin, agent (and which), integration or open."""
    with _session(ctx, url, token, as_json) as s:
        me = s.client.get_whoami().to_dict()
        if s.json:
            s.emit_json(me)
        else:
            s.line(f"{me['role']} {me['agentId']}" if me.get("agentId") else str(me["role"]))


token_app = typer.Typer(
    help="Agent tokens: create (the secret is shown once), list, revoke.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(token_app, name="token", rich_help_panel="Operator")

TOKEN_COLUMNS: list[Column] = [
    ("ID", lambda t: str(t["id"])),
    ("LABEL", lambda t: _cell(t.get("label"))),
    ("CREATED", lambda t: _ago(t.get("createdAt"))),
    ("LAST USED", lambda t: _ago(t.get("lastUsedAt")) if t.get("lastUsedAt") else "never"),
]
AgentArg = Annotated[str, typer.Argument(metavar="AGENT", help="the agent id")]


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    agent: AgentArg,
    label: Annotated[str | None, typer.Option("--label", help="what the token is for")] = None,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Mint a token for AGENT (admin, or the agent itself). Prints the secret: store it now,
    the relay keeps only its hash."""
    with _session(ctx, url, token, as_json) as s:
        issued = s.client.create_agent_token(agent, body={"label": label} if label else None).to_dict()
        if s.json:
            s.emit_json(issued)
        else:
            s.err.print(Text(f"token {issued['id']} for {agent} (shown once):"), soft_wrap=True)
            s.line(str(issued["token"]))


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    agent: AgentArg,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """List AGENT's tokens (never their secrets), newest first."""
    with _session(ctx, url, token, as_json) as s:
        items = s.client.list_agent_tokens(agent)
        if s.json:
            s.emit_json(items)
        else:
            s.table([t.to_dict() for t in items], TOKEN_COLUMNS, f"no tokens for {agent}")


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    agent: AgentArg,
    token_id: Annotated[int, typer.Argument(metavar="TOKEN_ID", help="the token's id (relay token list)")],
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Revoke one of AGENT's tokens: it is refused (401) from now on."""
    with _session(ctx, url, token, as_json) as s:
        result = s.client.revoke_agent_token(agent, token_id)
        if s.json:
            s.emit_json(result)
        else:
            s.line(f"revoked token {token_id} of {agent}")


# -- MCP (contract §16) ---------------------------------------------------------------------
MCP_MISSING = "relay mcp needs the MCP SDK: pip install 'agent-relay-client[mcp]'"


@app.command("mcp", rich_help_panel="Agent loop")
def mcp_stdio(
    ctx: typer.Context,
    agent: Annotated[str, typer.Option("--agent", metavar="AGENT", help="the agent the tools act as")],
    name: Annotated[str | None, typer.Option("--name", help="display name (default: the id)")] = None,
    label: Annotated[str | None, typer.Option("--label", help="a group: label:X reaches it")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="a tag (repeatable)")] = None,
    cap: Annotated[list[str] | None, typer.Option("--cap", help="a capability (repeatable)")] = None,
    heartbeat: Annotated[
        float, typer.Option("--heartbeat", metavar="SECONDS", help="seconds between heartbeats", min=0.1)
    ] = 30.0,
    url: Url = None,
    token: Token = None,
) -> None:
    """Serve the relay's MCP tools over stdio as AGENT, for MCP clients that start a command
    (claude mcp add relay -- relay mcp --agent AGENT). Registers AGENT with a fresh session,
    heartbeats while it runs, and stops (exit 1) when a newer process registers as AGENT.
    Give the token through $AGENT_RELAY_TOKEN: an agent token for AGENT, or the admin token."""
    try:
        from agent_relay_client import mcp_bridge
    except ImportError as exc:
        if exc.name not in ("mcp", "mcp_types", "httpx2"):
            raise
        _error(Console(stderr=True, highlight=False), MCP_MISSING)
        raise typer.Exit(2) from None
    g = _globals(ctx).merge(url, token, None)
    try:
        code = anyio.run(
            functools.partial(
                mcp_bridge.serve,
                agent,
                url=g.url,
                token=g.token,
                name=name,
                label=label,
                tags=tag,
                capabilities=cap,
                heartbeat_interval=heartbeat,
            )
        )
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    raise typer.Exit(code)


# -- health -----------------------------------------------------------------------------
@app.command(rich_help_panel="Operator")
def health(
    ctx: typer.Context,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """The relay's status, version and database."""
    with _session(ctx, url, token, as_json) as s:
        h = s.client.health()
        if s.json:
            s.emit_json(h)
            return
        line = _status(h.status)
        line.append(f": relay {h.version}, database {h.database.kind}, up {h.uptime_ms // 1000}s", style="")
        s.line(line)


# -- api passthrough --------------------------------------------------------------------
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    out = []
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint=option)
        out.append((key, value))
    return out


def _typed(value: str) -> Any:
    """`-F` values: @FILE (or @- for stdin) reads a file; JSON literals (numbers, true, false,
    null, objects, arrays) are typed; anything else stays a string."""
    if value.startswith("@"):
        return sys.stdin.read() if value == "@-" else Path(value[1:]).read_text()
    try:
        return json.loads(value)
    except ValueError:
        return value


def _split_target(target: list[str], method: str | None) -> tuple[str | None, str]:
    if len(target) == 1:
        return method, target[0]
    if len(target) == 2 and target[0].upper() in METHODS:
        if method is not None and method.upper() != target[0].upper():
            raise typer.BadParameter(f"two methods: {target[0]} and -X {method}")
        return target[0], target[1]
    raise typer.BadParameter("expected [METHOD] PATH, e.g. GET /api/agents", param_hint="[METHOD] PATH")


@app.command("api", rich_help_panel="Anything else")
def api(
    ctx: typer.Context,
    target: Annotated[list[str], typer.Argument(metavar="[METHOD] PATH", help="e.g. GET /api/agents")],
    method: Annotated[str | None, typer.Option("--method", "-X", help="the HTTP method")] = None,
    raw_field: Annotated[
        list[str] | None,
        typer.Option("--raw-field", "-f", metavar="KEY=VALUE", help="a string field (repeatable)"),
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            "-F",
            metavar="KEY=VALUE",
            help="a typed field: JSON literal, @FILE or @- (repeatable)",
        ),
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option("--header", "-H", metavar="NAME:VALUE", help="a request header (repeatable)"),
    ] = None,
    input_file: Annotated[
        str | None, typer.Option("--input", metavar="FILE", help="the request body from FILE (- for stdin)")
    ] = None,
    include: Annotated[
        bool, typer.Option("--include", "-i", help="print the status line and headers")
    ] = False,
    url: Url = None,
    token: Token = None,
    as_json: AsJson = None,
) -> None:
    """Call any route of the HTTP API, like `gh api` (the relay's URL and token are added).

    Fields (-f, -F) go into a JSON object body, or into the query string for GET, HEAD
    and DELETE or together with --input. The method defaults to GET, or POST with fields
    or --input. A JSON answer is printed (pretty on a terminal); an error status prints
    the answer too and exits 1.

    [dim]relay api GET /api/agents
    relay api POST /api/messages -f from=me -f to=worker-1 -f body=hi -F claimable=true
    relay api PUT /api/connectors/ID/config --input config.json[/dim]"""
    given_method, path = _split_target(target, method)
    fields: dict[str, Any] = dict(_pairs(raw_field, "-f"))
    fields.update({k: _typed(v) for k, v in _pairs(field, "-F")})
    headers = {k.strip(): v.strip() for k, v in (h.partition(":")[::2] for h in header or [])}
    content: bytes | None = None
    if input_file is not None:
        content = sys.stdin.buffer.read() if input_file == "-" else Path(input_file).read_bytes()
        headers.setdefault("Content-Type", "application/json")
    verb = (given_method or ("POST" if fields or content is not None else "GET")).upper()
    if verb not in METHODS:
        raise typer.BadParameter(f"{verb} is not one of {', '.join(METHODS)}", param_hint="METHOD")
    request: dict[str, Any] = {"headers": headers}
    if content is not None:
        request["content"] = content
    if fields and (content is not None or verb in ("GET", "HEAD", "DELETE")):
        request["params"] = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    elif fields:
        request["json"] = fields
    with _session(ctx, url, token, as_json) as s:
        http = s.client.raw.get_httpx_client()
        try:
            response = http.request(verb, path if path.startswith("/") else "/" + path, **request)
        except httpx.TransportError as exc:
            raise RelayConnectionError(
                0, f"cannot reach the relay at {s.client.url}: {exc or type(exc).__name__}"
            ) from exc
        if include:
            s.out.print(Text(f"{response.http_version} {response.status_code} {response.reason_phrase}"))
            for name, value in response.headers.items():
                s.out.print(Text(f"{name}: {value}"), soft_wrap=True)
            s.out.print()
        _print_answer(s, response)
        if response.status_code >= 400:
            raise RelayError(response.status_code, error_message(response.content))


def _print_answer(s: Session, response: httpx.Response) -> None:
    if not response.content:
        return
    if "json" in response.headers.get("content-type", ""):
        if s.out.is_terminal and not s.json:
            s.out.print_json(response.text)
        else:
            sys.stdout.write(response.text.rstrip("\n") + "\n")
            sys.stdout.flush()
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(response.content)
        sys.stdout.buffer.flush()


# -- the orchestrator daemon (its own argparse options) ---------------------------------
@app.command(
    "orchestrator",
    rich_help_panel="Operator",
    add_help_option=False,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Run an orchestrator daemon (coding agents in tmux); [bold]relay orchestrator --help[/bold] for its options.",
)
def orchestrator(ctx: typer.Context) -> None:
    g = _globals(ctx)
    argv = [*(["--url", g.url] if g.url else []), *(["--token", g.token] if g.token else []), *ctx.args]
    orchestrator_cli.main(argv, prog="relay orchestrator")


def main(argv: Sequence[str] | None = None) -> None:
    app(args=list(argv) if argv is not None else None, prog_name="relay")


if __name__ == "__main__":
    main()
