"""All configuration, read once from AGENT_RELAY_* environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent_relay.outbound import OutboundPolicy

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGENT_RELAY_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(4850, ge=1, le=65535)
    home: Path = Path("~/.agent-relay")
    database_url: str | None = None
    token: str | None = None
    # Binding a non-loopback host without a token needs this explicit opt-in.
    allow_open_remote: bool = False
    # "name=token,name2=token2": each token authorizes only POST /api/integrations/events.
    integration_tokens: str = ""
    integration_rate_limit_per_minute: int = Field(120, ge=1)
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    blob_max_bytes: int = Field(25 * 1024 * 1024, ge=1)  # POST /api/blobs
    agent_stale_after_ms: int = Field(5 * 60_000, ge=1000)
    orchestrator_stale_after_ms: int = Field(2 * 60_000, ge=1000)  # daemons heartbeat every ~15 s
    reap_interval_ms: int = Field(30_000, ge=0)  # 0 turns the timer off
    default_lease_ms: int = Field(5 * 60_000, ge=1000)
    max_lease_ms: int = Field(24 * 3600_000, ge=1000)
    event_retention_ms: int = Field(7 * 24 * 3600_000, ge=60_000)
    sse_heartbeat_ms: int = Field(15_000, ge=100)
    sse_queue_size: int = Field(1000, ge=10)
    # The writer (db.py): writes waiting this long with no batch finishing make /api/health
    # answer 503 (a batch normally takes milliseconds; a slow disk or lock wait, seconds).
    writer_stall_ms: int = Field(10_000, ge=100)
    host_root: Path | None = None
    codex_command: str = "codex"
    spawn_dry_run: bool = False
    public_url: str | None = None  # how spawned processes and connectors reach us
    # Connectors (connectors/): lifecycle commands and the supervised bridge processes.
    connector_action_timeout_ms: int = Field(60_000, ge=100)
    connector_output_max_bytes: int = Field(64 * 1024, ge=1024)
    connector_start_check_ms: int = Field(300, ge=0)  # a `start` that dies this fast is a 502
    connector_stop_grace_ms: int = Field(5_000, ge=0)  # SIGTERM -> SIGKILL
    connector_backoff_initial_ms: int = Field(1_000, ge=10)
    connector_backoff_max_ms: int = Field(60_000, ge=10)
    # Tasks, callbacks and pairs. "name=secret,...": HMAC secret per integration for callback
    # signatures (an integration without one signs with its token).
    integration_secrets: str = ""
    callback_max_attempts: int = Field(8, ge=1, le=100)
    callback_backoff_base_ms: int = Field(2_000, ge=1)
    callback_backoff_max_ms: int = Field(15 * 60_000, ge=1)
    callback_timeout_ms: int = Field(10_000, ge=10)
    callback_poll_interval_ms: int = Field(1_000, ge=10)
    callback_concurrency: int = Field(32, ge=1, le=256)  # async I/O: slow receivers must not fill every slot
    # Outbound requests (task callbacks; outbound.py): host names and CIDRs that may be
    # reached although they are loopback, private, link-local or metadata addresses.
    outbound_allow: str = ""
    # Work done once (contract §15). max_deliveries: claims a claimable message gets before
    # a lapsed or released lease dead-letters it (a send's maxDeliveries overrides it).
    max_deliveries: int = Field(5, ge=1, le=1000)
    stuck_after_ms: int = Field(600_000, ge=1000)  # direct/claimable still unread: message.stuck
    # Unread this long, an orchestrator-managed agent is woken (action `wake`); 0 turns it off.
    wake_after_ms: int = Field(120_000, ge=0)
    pair_ttl_ms: int = Field(10 * 60_000, ge=1000)  # how long a pair invite stays pending
    # The HTTP edge (contract §12, §13). Browsers: comma-separated origins allowed to make
    # state-changing requests (and CORS), and Host names accepted besides loopback, the
    # bound address and public_url's host. Caps are per server process.
    cors_origins: str = ""
    allowed_hosts: str = ""
    max_header_bytes: int = Field(16 * 1024, ge=1024)  # request line + headers -> 431
    # A connection whose client sends nothing for header_timeout_ms while a request is awaited
    # or read (head or body) is closed, as is one whose head takes longer than that; never
    # while a response is being sent (SSE streams, long-polls).
    header_timeout_ms: int = Field(10_000, ge=100)
    # A request body not complete this long after its head: 408 and the connection closed
    # (a body trickled a byte at a time). Raise it for big blob uploads over slow links.
    body_timeout_ms: int = Field(60_000, ge=100)
    max_connections: int = Field(1000, ge=1)
    max_sse_streams: int = Field(400, ge=1)  # these two leave connections for other requests
    max_long_polls: int = Field(400, ge=1)  # inbox `wait=` requests waiting at once
    # Logs (contract §17, logs.py): `json` or `text`; unset: text on a terminal, JSON otherwise.
    log_format: Literal["json", "text"] | None = None
    access_log: bool | None = (
        None  # a log line per request; unset: on a terminal only (logs.resolve_access_log)
    )

    @field_validator("cors_origins")
    @classmethod
    def _check_cors_origins(cls, value: str) -> str:
        for origin in _split(value):
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
                raise ValueError(f"expected origins like https://dash.example.com[:port], got {origin!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("integration_tokens", "integration_secrets")
    @classmethod
    def _check_integration_tokens(cls, value: str) -> str:
        for pair in filter(None, (p.strip() for p in value.split(","))):
            name, sep, token = pair.partition("=")
            if not sep or not name.strip() or not token.strip():
                raise ValueError(f"expected name=token pairs, got {pair!r}")
        return value

    @field_validator("outbound_allow")
    @classmethod
    def _check_outbound_allow(cls, value: str) -> str:
        OutboundPolicy.parse(value)
        return value

    @property
    def outbound_policy(self) -> OutboundPolicy:
        return OutboundPolicy.parse(self.outbound_allow)

    @cached_property
    def home_dir(self) -> Path:
        return self.home.expanduser()

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home_dir / 'relay.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @cached_property
    def integration_token_map(self) -> dict[str, str]:
        """token -> integration name."""
        out: dict[str, str] = {}
        for pair in filter(None, (p.strip() for p in self.integration_tokens.split(","))):
            name, _, token = pair.partition("=")
            out[token.strip()] = name.strip()
        return out

    @cached_property
    def integration_secret_map(self) -> dict[str, str]:
        """integration name -> callback signing secret (its token when no secret is set)."""
        out = {name: token for token, name in self.integration_token_map.items()}
        for pair in filter(None, (p.strip() for p in self.integration_secrets.split(","))):
            name, _, secret = pair.partition("=")
            out[name.strip()] = secret.strip()
        return out

    @property
    def relay_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    @property  # this and the next: not cached, model_copy(update=...) would keep stale values
    def cors_origin_set(self) -> frozenset[str]:
        """Origins (scheme://host[:port], lower case) that may make state-changing requests."""
        return frozenset(o.rstrip("/").lower() for o in _split(self.cors_origins))

    @property
    def allowed_host_set(self) -> frozenset[str]:
        """Host names accepted besides loopback addresses and the local address a request
        arrived at (§13: defeats DNS rebinding)."""
        hosts = {"localhost", *(h.lower().rstrip(".") for h in _split(self.allowed_hosts))}
        if self.host not in ("0.0.0.0", "::", ""):
            hosts.add(self.host.lower())
        if self.public_url and (public_host := urlsplit(self.public_url).hostname):
            hosts.add(public_host)
        return frozenset(hosts)

    def ensure_home(self) -> None:
        self.home_dir.mkdir(parents=True, exist_ok=True)


def _split(value: str) -> list[str]:
    return [p for p in (part.strip() for part in value.split(",")) if p]


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
