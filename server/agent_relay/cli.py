"""`agent-relay serve | migrate | openapi | reap`."""

from __future__ import annotations

import argparse
import json
import logging
import logging.config
import os
import sys

from pydantic import ValidationError

from agent_relay import __version__
from agent_relay.settings import LOOPBACK_HOSTS, Settings

log = logging.getLogger("agent_relay")
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # metrics.MULTIPROC_ENV (not imported: see _prepare_metrics_dir)


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = "AGENT_RELAY_" + str(err["loc"][0]).upper() if err.get("loc") else "settings"
        print(f"agent-relay: bad setting {field}: {err['msg']}", file=sys.stderr)
        raise SystemExit(2) from None


def _migrate(settings: Settings) -> None:
    from agent_relay.migrations import upgrade

    if settings.is_sqlite:
        settings.ensure_home()
    try:
        upgrade(settings.resolved_database_url)
    except Exception as exc:
        print(
            f"agent-relay: cannot migrate {_redact(settings.resolved_database_url)}: {exc}", file=sys.stderr
        )
        raise SystemExit(1) from None


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = _settings(host=args.host, port=args.port)
    workers = args.workers or 1
    if workers > 1 and settings.is_sqlite:
        print(
            "agent-relay: --workers > 1 needs PostgreSQL (SQLite allows one writer process)", file=sys.stderr
        )
        raise SystemExit(2)
    if not settings.token and settings.host not in LOOPBACK_HOSTS and not settings.allow_open_remote:
        print(
            f"agent-relay: refusing to listen on {settings.host} without AGENT_RELAY_TOKEN "
            "(set a token, or AGENT_RELAY_ALLOW_OPEN_REMOTE=1 to accept anyone)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    _migrate(settings)
    from agent_relay import http_server, logs

    access_log = logs.resolve_access_log(settings.access_log if args.access_log is None else args.access_log)
    config = http_server.log_config(args.log_level, access_log, logs.resolve_format(settings.log_format))
    logging.config.dictConfig(config)
    auth = "token required" if settings.token else "OPEN (no AGENT_RELAY_TOKEN): loopback only"
    log.info(
        "agent-relay on http://%s:%s, API docs %s/docs, database %s, auth %s",
        settings.host,
        settings.port,
        settings.relay_url,
        _redact(settings.resolved_database_url),
        auth,
    )
    # Settings travel to workers through the environment, so every worker builds the same app.
    os.environ["AGENT_RELAY_HOST"] = settings.host
    os.environ["AGENT_RELAY_PORT"] = str(settings.port)
    if workers > 1:
        _prepare_metrics_dir(settings)
    _raise_open_files_limit(settings.max_connections)
    uvicorn.run(
        "agent_relay.asgi:app",
        host=settings.host,
        port=settings.port,
        workers=workers,
        http=http_server.PROTOCOL,  # header size and time limits, connection cap (§12)
        log_config=config,  # no credentials in it; the relay's format
        # The levels are set by log_config; uvicorn's own would hide the access log. Only
        # trace needs uvicorn to know (it then logs every ASGI message).
        log_level="trace" if args.log_level == "trace" else None,
        access_log=False,  # the relay's request log (observe.py) replaces uvicorn's access line
        ws="none",  # the relay serves no websockets: an upgrade request is a plain request
        lifespan="on",
        timeout_graceful_shutdown=3,
    )


def _prepare_metrics_dir(settings: Settings) -> None:
    """/metrics across workers (metrics.py): prometheus-client's multiprocess mode needs a
    directory, set before any worker imports it, emptied of an earlier run's values."""
    from pathlib import Path

    path = os.environ.get(MULTIPROC_ENV) or str(settings.home_dir / "metrics" / str(settings.port))
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in directory.glob("*.db"):  # only the value files: the directory may be the operator's
        stale.unlink(missing_ok=True)
    os.environ[MULTIPROC_ENV] = path


def _raise_open_files_limit(max_connections: int) -> None:
    """Let the connection cap, not the file descriptor limit, be what refuses clients:
    past the descriptor limit accept() fails and nobody gets an answer."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + 256  # database connections, connector pipes, logs
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        if target < wanted:
            log.warning("open files limit %d is below AGENT_RELAY_MAX_CONNECTIONS + 256 (%d)", target, wanted)


def cmd_migrate(_args: argparse.Namespace) -> None:
    settings = _settings()
    _migrate(settings)
    print(f"migrated {_redact(settings.resolved_database_url)} to head")


def cmd_openapi(_args: argparse.Namespace) -> None:
    from agent_relay.app import create_app

    print(json.dumps(create_app(_settings()).openapi(), indent=2, sort_keys=True))


def cmd_reap(_args: argparse.Namespace) -> None:
    import agent_relay.app  # noqa: F401 - importing the domains registers their reap steps
    from agent_relay.db import Database
    from agent_relay.events.bus import create_bus
    from agent_relay.system.reaper import reap

    settings = _settings()
    _migrate(settings)
    db = Database(settings.resolved_database_url)
    # The bus is not started (no live subscribers here): events still land in the durable
    # log, in order, and the servers pick them up from it.
    db.start(create_bus(settings, db))
    try:
        result = db.write_sync(lambda uow: reap(uow, settings, always_record=True))
    finally:
        db.stop()
    print(json.dumps(result))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agent-relay", description="The agent relay server.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate the database to head, then serve HTTP")
    serve.add_argument("--host", help="bind address (AGENT_RELAY_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (AGENT_RELAY_PORT, default 4850)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only for > 1)")
    serve.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug", "trace"]
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a log line per request, whatever the --log-level (default AGENT_RELAY_ACCESS_LOG, else on a terminal only)",
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="migrate the database to head").set_defaults(func=cmd_migrate)
    sub.add_parser("openapi", help="print the OpenAPI spec").set_defaults(func=cmd_openapi)
    sub.add_parser("reap", help="run one maintenance sweep").set_defaults(func=cmd_reap)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
