"""`relay orchestrator …` (and the `relay-orchestrator` script): run the daemon."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from agent_relay_client.errors import RelayError
from agent_relay_client.orchestrator.config import ConfigError, load_config
from agent_relay_client.orchestrator.daemon import DEFAULT_TMUX_SOCKET, OrchestratorDaemon

DESCRIPTION = """\
Run an orchestrator daemon: register with the relay, heartbeat, and start, restart and stop
coding agents in tmux sessions when the relay's control messages say so."""

EPILOG = """\
environment:
  AGENT_RELAY_URL, AGENT_RELAY_TOKEN   the relay (also passed to every spawned agent)
  AGENT_RELAY_ORCHESTRATOR_ID          default for --id

example:
  AGENT_RELAY_URL=http://relay.lan:4850 AGENT_RELAY_TOKEN=… \\
    relay orchestrator --id build-host --base-dir ~/src --providers claude,codex"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--id",
        dest="orchestrator_id",
        default=os.environ.get("AGENT_RELAY_ORCHESTRATOR_ID"),
        help="orchestrator id (default: $AGENT_RELAY_ORCHESTRATOR_ID)",
    )
    p.add_argument("--base-dir", required=True, help="agents may only run in directories under this one")
    p.add_argument("--providers", default="claude,codex", help="comma-separated (default: claude,codex)")
    p.add_argument("--hostname", help="shown in the relay (default: this host's name)")
    p.add_argument("--config", help="provider commands and flags (JSON, or TOML by suffix)")
    p.add_argument("--tmux-socket", help=f"tmux -L socket name (default: config or {DEFAULT_TMUX_SOCKET!r})")
    p.add_argument("--state-file", help="default: ~/.agent-relay-orchestrator/<id>.json")
    p.add_argument("--heartbeat-interval", type=float, metavar="SECONDS", help="default 30")
    p.add_argument(
        "--poll-interval",
        type=float,
        metavar="SECONDS",
        help="how often sessions and the inbox are checked besides SSE wake-ups (default 5)",
    )
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def run(args: argparse.Namespace, url: str | None = None, token: str | None = None) -> int:
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per poll
    if not args.orchestrator_id:
        print("relay orchestrator: --id is required (or $AGENT_RELAY_ORCHESTRATOR_ID)", file=sys.stderr)
        return 2
    try:
        config = load_config(args.config)
        daemon = OrchestratorDaemon(
            orchestrator_id=args.orchestrator_id,
            base_dir=args.base_dir,
            config=config,
            providers=[p.strip() for p in args.providers.split(",") if p.strip()],
            hostname=args.hostname,
            url=url,
            token=token,
            tmux_socket=args.tmux_socket,
            state_file=args.state_file,
            heartbeat_interval=args.heartbeat_interval,
            poll_interval=args.poll_interval,
        )
    except (ConfigError, ValueError) as exc:
        print(f"relay orchestrator: {exc}", file=sys.stderr)
        return 2

    def _stop(signum: int, _frame: Any) -> None:
        logging.getLogger("agent_relay_client.orchestrator").info(
            "signal %d: stopping (agents keep running)", signum
        )
        daemon.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        daemon.run()
    except RelayError as exc:  # e.g. a wrong token: say so and stop
        print(f"relay orchestrator: {exc}", file=sys.stderr)
        return 1
    finally:
        daemon.close()
    return 0


def main(argv: Sequence[str] | None = None, prog: str = "relay-orchestrator") -> None:
    """`relay-orchestrator …`; `relay orchestrator …` calls it with prog="relay orchestrator"
    (and the --url/--token given before the subcommand, in front of the rest)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="relay base URL (default: $AGENT_RELAY_URL)")
    parser.add_argument("--token", help="relay token (default: $AGENT_RELAY_TOKEN)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    raise SystemExit(run(args, args.url, args.token))


if __name__ == "__main__":
    main()
