"""`relay`: the agent relay from a terminal.

Exit codes: 0 ok, 1 the relay refused (the message says why), 2 bad usage,
3 the relay cannot be reached, 130 interrupted."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from agent_relay_client.client import VERSION, RelayClient
from agent_relay_client.errors import RelayConnectionError, RelayError
from agent_relay_client.events import RelayEvent
from agent_relay_client.orchestrator.cli import add_subcommand as add_orchestrator_subcommand

EPILOG = """\
environment:
  AGENT_RELAY_URL     relay base URL (default http://127.0.0.1:4850)
  AGENT_RELAY_TOKEN   relay token, if the relay requires one

examples:
  relay agents
  relay send --to label:reviewers --from me "please review PR 42"
  relay inbox claude-1 --wait 30
  relay claim 17 --as claude-1
  relay tail --agent claude-1
  relay tail --json | jq .

exit codes: 0 ok, 1 the relay answered with an error, 2 bad usage,
3 the relay cannot be reached, 130 interrupted"""


def _wire(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _print_json(value: Any) -> None:
    print(json.dumps(_wire(value), ensure_ascii=False), flush=True)


def _ago(ms: int) -> str:
    seconds = max(0, int(time.time() - ms / 1000))
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def _clock(ms: int | None) -> str:
    return time.strftime("%H:%M:%S", time.localtime((ms or time.time() * 1000) / 1000))


def _message_line(m: dict[str, Any]) -> str:
    flags = []
    if m.get("claimable"):
        flags.append(f"claimed by {m['claimedBy']}" if m.get("claimedBy") else "claimable")
    subject = f"[{m['subject']}] " if m.get("subject") else ""
    extra = f" ({', '.join(flags)})" if flags else ""
    body = " ".join(str(m.get("body", "")).split())
    head = f"#{m['id']} {_clock(m.get('createdAt'))} {m['from']} -> {m['to']} {m['kind']}{extra}"
    return f"{head}: {subject}{body}"


def cmd_agents(client: RelayClient, args: argparse.Namespace) -> None:
    agents = client.agents(status=args.status, kind=args.kind, label=args.label or None)
    if args.json:
        _print_json(agents)
        return
    if not agents:
        print("no agents")
        return
    rows = [("ID", "STATUS", "KIND", "LABEL", "LAST SEEN")]
    for a in (x.to_dict() for x in agents):
        rows.append((a["id"], a["status"], a["kind"], a.get("label") or "-", _ago(a["lastSeen"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def cmd_send(client: RelayClient, args: argparse.Namespace) -> None:
    text = sys.stdin.read() if args.text == "-" else args.text
    message = client.send(
        args.to,
        text,
        sender=args.sender,
        kind=args.kind,
        subject=args.subject,
        reply_to=args.reply_to,
        claimable=True if args.claimable else None,
        idempotency_key=args.idempotency_key or None,
    )
    if args.json:
        _print_json(message)
    else:
        print(f"sent #{message.id} to {message.to}")


def cmd_inbox(client: RelayClient, args: argparse.Namespace) -> None:
    items = client.inbox(args.agent, wait=args.wait, after=args.after, unread=args.unread, limit=args.limit)
    if args.json:
        _print_json(items)
        return
    if not items:
        print("inbox empty" + (f" (waited {args.wait:g}s)" if args.wait else ""))
    for m in items:
        print(_message_line(m.to_dict()))


def cmd_claim(client: RelayClient, args: argparse.Namespace) -> None:
    message = client.claim(args.id, args.agent, args.lease_ms)
    if args.json:
        _print_json(message)
    else:
        until = (
            f" until {_clock(message.claim_expires_at)}" if isinstance(message.claim_expires_at, int) else ""
        )
        print(f"claimed #{message.id} as {args.agent}{until}")


def _event_line(ev: RelayEvent) -> str:
    data = ev.data if isinstance(ev.data, dict) else {"value": ev.data}
    if ev.event == "message.new" and "from" in data:
        return f"{ev.event:<22} {_message_line(data)}"
    keys = ("id", "agentId", "status", "claimedBy", "title", "kind")
    summary = " ".join(f"{k}={data[k]}" for k in keys if data.get(k) is not None)
    return f"{ev.event:<22} #{ev.id} {_clock(data.get('createdAt'))} {summary}".rstrip()


def cmd_tail(client: RelayClient, args: argparse.Namespace) -> None:
    def disconnected(error: Exception | None) -> None:
        reason = f" ({error})" if error and str(error) else ""
        print(f"relay: event stream lost{reason}; reconnecting", file=sys.stderr, flush=True)

    events = client.events(agent_id=args.agent, last_event_id=args.last_event_id, on_disconnect=disconnected)
    for ev in events:
        if args.json:
            print(
                json.dumps({"id": ev.id, "event": ev.event, "data": ev.data}, ensure_ascii=False), flush=True
            )
        else:
            print(_event_line(ev), flush=True)


def cmd_health(client: RelayClient, args: argparse.Namespace) -> None:
    health = client.health()
    if args.json:
        _print_json(health)
    else:
        print(
            f"{health.status}: relay {health.version}, database {health.database.kind}, "
            f"up {health.uptime_ms // 1000}s"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relay",
        description="Talk to an agent relay: list agents, send, read inboxes, claim work, watch events.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="relay base URL (default: $AGENT_RELAY_URL or http://127.0.0.1:4850)")
    parser.add_argument("--token", help="relay token (default: $AGENT_RELAY_TOKEN)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON (one document per line for tail)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("agents", parents=[common], help="list registered agents")
    p.add_argument("--status", choices=["online", "idle", "busy", "offline"])
    p.add_argument("--kind", choices=["provider", "channel", "orchestrator", "system", "user"])
    p.add_argument("--label")
    p.set_defaults(func=cmd_agents)

    p = sub.add_parser(
        "send", parents=[common], help="send a message", description="Send TEXT ('-' reads stdin)."
    )
    p.add_argument("--to", required=True, help="agent id, label:X, tag:X, cap:X or broadcast")
    p.add_argument("--from", dest="sender", default="user", help="sender id (default: user)")
    p.add_argument("--subject")
    p.add_argument(
        "--kind", default="chat", choices=["chat", "task", "pair", "control", "system", "channel.event"]
    )
    p.add_argument("--claimable", action="store_true", help="let exactly one recipient claim it")
    p.add_argument("--reply-to", type=int, metavar="ID")
    p.add_argument("--idempotency-key", metavar="KEY", help="a repeat with the same key is not stored twice")
    p.add_argument("text", help="message body, or - for stdin")
    p.set_defaults(func=cmd_send)

    p = sub.add_parser("inbox", parents=[common], help="read an agent's inbox (oldest first)")
    p.add_argument("agent")
    p.add_argument(
        "--wait", type=float, default=0, metavar="SECONDS", help="long-poll up to SECONDS (max 60)"
    )
    p.add_argument("--after", type=int, default=0, metavar="ID", help="only messages after this id")
    p.add_argument("--unread", action="store_true", help="only messages the agent has not acked")
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=cmd_inbox)

    p = sub.add_parser("claim", parents=[common], help="claim a claimable message")
    p.add_argument("id", type=int, help="message id")
    p.add_argument("--as", dest="agent", required=True, metavar="AGENT", help="the claiming agent")
    p.add_argument("--lease-ms", type=int, help="lease length (server default otherwise)")
    p.set_defaults(func=cmd_claim)

    p = sub.add_parser("tail", parents=[common], help="follow live events (reconnects, resumes without gaps)")
    p.add_argument("--agent", help="only events that concern this agent")
    p.add_argument("--last-event-id", type=int, metavar="ID", help="replay events after ID first")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("health", parents=[common], help="relay status")
    p.set_defaults(func=cmd_health)

    add_orchestrator_subcommand(sub)  # `relay orchestrator`: the daemon (agent_relay_client/orchestrator/)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    client = RelayClient(args.url, args.token)
    try:
        args.func(client, args)
    except RelayConnectionError as exc:
        print(f"relay: {exc.message}", file=sys.stderr)
        raise SystemExit(3) from None
    except RelayError as exc:
        print(f"relay: {exc.status} {exc.message}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    finally:
        client.close()


if __name__ == "__main__":
    main()
