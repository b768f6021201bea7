"""The webhook channel connector: any HTTP system in, any HTTP endpoint out.

    python -m agent_relay_client.connectors.webhook [--config PATH]

Config (JSON; from --config or the file named by AGENT_RELAY_CONNECTOR_CONFIG, which the
relay writes when it runs the connector — see webhook.manifest.json for the schema):
listenHost, listenPort, secret, outboundUrl, outboundSecret, accountId, channelId, name,
retryAttempts, retryBackoffMs, retryMaxBackoffMs, timeoutMs, bindTarget, bindMode
(bindTarget, e.g. `label:support`, is bound as the channel's default route at start).

Inbound: `POST /` (any path) with a JSON body, signed `X-Webhook-Signature: sha256=<hex>`
(HMAC-SHA256 of the raw body with `secret`; 401 when missing or wrong):

    {"conversationId": "C1", "text": "hello", "actorId": "U1", "actorName": "Ann",
     "messageId": "ext-1", "conversationType": "channel",
     "attachments": [{"url": "https://…", "name": "a.png", "contentType": "image/png"},
                     {"data": "<base64>", "name": "r.pdf", "contentType": "application/pdf"}]}
    {"type": "typing", "conversationId": "C1", "actorId": "U1", "started": true}

A message becomes a channel event for the bound agents (202 `{ok, created, messageIds}`;
`messageId` dedupes platform retries); base64 attachments are uploaded as relay blobs.
Typing becomes an ephemeral activity. `GET /healthz` answers 200.

Outbound: every message the agents address to the channel agent is POSTed to
`outboundUrl` as JSON `{type: "message", channelId, conversationId, text, from, messageId,
replyTo, attachments, payload, meta, createdAt}`, signed the same way with
`outboundSecret` (or `secret`), with `X-Webhook-Id: <messageId>` for deduplication.
Network errors, 408, 429 and 5xx are retried with doubling backoff; the message is acked
only once the receiver answered 2xx (after a permanent 4xx it is logged and acked).
`outboundUrl` may not reach loopback, private, link-local or metadata addresses (checked
after DNS, redirects not followed) unless the host or a CIDR holding the address is listed
in AGENT_RELAY_OUTBOUND_ALLOW (the relay passes its own setting to connectors it runs); a
refused delivery is logged and the message stays unacked.

This file is the template for a real platform bridge: replace the HTTP server with the
platform's event API and `deliver` with its send call.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from agent_relay_client.channel import ChannelConnector, ChannelReply
from agent_relay_client.errors import RelayError
from agent_relay_client.outbound import OutboundRefused, guarded_transport

log = logging.getLogger("agent_relay_client.connectors.webhook")

SIGNATURE_HEADER = "X-Webhook-Signature"
MAX_BODY_BYTES = 32 * 1024 * 1024
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def sign(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=<hex HMAC-SHA256 of the body>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    return header is not None and bool(header) and hmac.compare_digest(sign(secret, body), header.strip())


@dataclass
class Config:
    listen_port: int
    secret: str
    listen_host: str = "127.0.0.1"
    outbound_url: str | None = None
    outbound_secret: str | None = None
    account_id: str = "default"
    channel_id: str | None = None
    name: str | None = None
    retry_attempts: int = 5
    retry_backoff_ms: int = 500
    retry_max_backoff_ms: int = 30_000
    timeout_ms: int = 10_000
    bind_target: str | None = None
    bind_mode: str = "exclusive"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        if not isinstance(data.get("listenPort"), int) or not isinstance(data.get("secret"), str):
            raise ValueError("config needs listenPort (integer) and secret (string)")
        return cls(
            listen_port=data["listenPort"],
            secret=data["secret"],
            listen_host=data.get("listenHost") or "127.0.0.1",
            outbound_url=data.get("outboundUrl") or None,
            outbound_secret=data.get("outboundSecret") or None,
            account_id=data.get("accountId") or "default",
            channel_id=data.get("channelId") or None,
            name=data.get("name") or None,
            retry_attempts=int(data.get("retryAttempts", 5)),
            retry_backoff_ms=int(data.get("retryBackoffMs", 500)),
            retry_max_backoff_ms=int(data.get("retryMaxBackoffMs", 30_000)),
            timeout_ms=int(data.get("timeoutMs", 10_000)),
            bind_target=data.get("bindTarget") or None,
            bind_mode=data.get("bindMode") or "exclusive",
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Config:
        return cls.from_dict(json.loads(Path(path).read_text()))


class PermanentFailure(Exception):
    """The receiver refused the delivery for good (a 4xx other than 408/425/429)."""


class WebhookBridge:
    def __init__(self, config: Config, *, url: str | None = None, token: str | None = None) -> None:
        self.config = config
        self.channel = ChannelConnector(
            "webhook",
            config.account_id,
            agent_id=config.channel_id,
            name=config.name or f"Webhook {config.account_id}",
            url=url,
            token=token,
            meta={"transport": "webhook", "direction": "bidirectional"},
        )
        # loopback, private, link-local and metadata addresses are refused unless listed in
        # AGENT_RELAY_OUTBOUND_ALLOW (outbound.py); redirects are not followed (httpx default)
        self.outbound = httpx.Client(
            timeout=config.timeout_ms / 1000, follow_redirects=False, transport=guarded_transport()
        )
        self.server: ThreadingHTTPServer | None = None
        self._stopped = threading.Event()

    # -- inbound ------------------------------------------------------------------------
    def handle_inbound(self, data: Any) -> tuple[int, dict[str, Any]]:
        """An outside POST (already verified) -> a relay event or activity."""
        if not isinstance(data, dict):
            return 400, {"error": "JSON object body required"}
        conversation_id = data.get("conversationId")
        actor_id = data.get("actorId") or data.get("from") or "webhook"
        if not isinstance(conversation_id, str) or not conversation_id.strip():
            return 400, {"error": "conversationId required"}
        if not isinstance(actor_id, str):
            return 400, {"error": "actorId must be a string"}
        kind = data.get("type") or "message"
        try:
            if kind == "typing":
                self.channel.post_activity(
                    self.channel.typing(
                        conversation_id, actor_id, started=data.get("started", True) is not False
                    )
                )
                return 202, {"ok": True}
            if kind != "message":
                return 400, {"error": "type must be message or typing"}
            text = data.get("text")
            if text is not None and not isinstance(text, str):
                return 400, {"error": "text must be a string"}
            attachments = self._attachments(data.get("attachments"))
            envelope = self.channel.inbound_message(
                conversation_id,
                text or "",
                actor_id,
                actor_name=data.get("actorName") if isinstance(data.get("actorName"), str) else None,
                conversation_type=data.get("conversationType") or "channel",
                message_id=str(data["messageId"]) if data.get("messageId") is not None else None,
                attachments=attachments,
            )
            result = self.channel.post_event(envelope)
        except ValueError as exc:
            return 400, {"error": str(exc)}
        except RelayError as exc:
            status = exc.status if 400 <= exc.status < 500 else 502
            return status, {"error": exc.message}
        return 202, {
            "ok": True,
            "created": result["created"],
            "messageIds": [m["id"] for m in result["messages"]],
        }

    def _attachments(self, raw: Any) -> list[Mapping[str, Any]] | None:
        if raw is None:
            return None
        if not isinstance(raw, list):
            raise ValueError("attachments must be an array")
        out: list[Mapping[str, Any]] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise ValueError(f"attachments[{index}] must be an object")
            name = item.get("name") if isinstance(item.get("name"), str) else None
            content_type = item.get("contentType") if isinstance(item.get("contentType"), str) else None
            if isinstance(item.get("url"), str):
                out.append(
                    self.channel.external_attachment(item["url"], name=name, content_type=content_type)
                )
            elif isinstance(item.get("data"), str):
                try:
                    content = base64.b64decode(item["data"], validate=True)
                except (binascii.Error, ValueError):
                    raise ValueError(f"attachments[{index}].data must be base64") from None
                blob = self.channel.upload_blob(content, content_type or "application/octet-stream")
                out.append(self.channel.blob_attachment(blob, name=name))
            else:
                raise ValueError(f"attachments[{index}] needs url or data")
        return out

    # -- outbound -----------------------------------------------------------------------
    def deliver(self, reply: ChannelReply) -> None:
        """POST one reply to the outbound URL, retrying with backoff; raise to leave it unacked."""
        url = self.config.outbound_url
        if not url:
            log.info("no outboundUrl configured; dropping message %s", reply.id)
            return
        message = reply.message
        body = json.dumps(
            {
                "type": "message",
                "channelId": self.channel.channel_id,
                "conversationId": reply.conversation_id,
                "text": reply.text,
                "from": reply.sender,
                "messageId": reply.id,
                "replyTo": message.get("replyTo"),
                "attachments": [self._public(a) for a in reply.attachments],
                "payload": message.get("payload"),
                "meta": message.get("meta"),
                "createdAt": message.get("createdAt"),
            },
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.config.outbound_secret or self.config.secret, body),
            "X-Webhook-Id": str(reply.id),
            "User-Agent": "agent-relay-webhook-connector",
        }
        traceparent = message.get("traceparent")
        if traceparent:  # §17: the trace the reply was sent in continues at the receiver
            headers["traceparent"] = str(traceparent)
        delay = self.config.retry_backoff_ms / 1000
        attempts = max(1, self.config.retry_attempts)
        for attempt in range(1, attempts + 1):
            try:
                response = self.outbound.post(url, content=body, headers=headers)
                if response.is_success:
                    log.info("delivered message %s to %s (%d)", reply.id, url, response.status_code)
                    return
                if response.status_code not in RETRY_STATUSES:
                    log.error("receiver refused message %s: %d; not retrying", reply.id, response.status_code)
                    return  # acked: a permanent refusal would block every later reply
                problem = f"HTTP {response.status_code}"
            except OutboundRefused as exc:  # no request made; left unacked until allowed
                log.error("delivery of message %s: %s", reply.id, exc)
                raise RuntimeError(f"delivery of message {reply.id}: {exc}") from None
            except httpx.HTTPError as exc:
                problem = repr(exc)
            if attempt == attempts or self._stopped.is_set():
                raise RuntimeError(
                    f"delivery of message {reply.id} failed after {attempt} attempts: {problem}"
                )
            log.warning(
                "delivery of message %s failed (%s); retry %d in %.2fs", reply.id, problem, attempt, delay
            )
            if self._stopped.wait(delay):
                raise RuntimeError("stopping")
            delay = min(delay * 2, self.config.retry_max_backoff_ms / 1000)

    def _public(self, attachment: dict[str, Any]) -> dict[str, Any]:
        """A relay-blob ref gets a `url` the receiver can fetch (with the relay token)."""
        found = attachment.get("ref")
        ref: dict[str, Any] = found if isinstance(found, dict) else {}
        if ref.get("type") == "relay-blob" and isinstance(ref.get("id"), str):
            return {**attachment, "url": self.channel.client.url_for("download_blob", id=ref["id"])}
        return attachment

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        self.channel.start()
        if self.config.bind_target:  # the channel's default route; finer bindings via the API
            self.channel.bind(self.config.bind_target, mode=self.config.bind_mode)  # type: ignore[arg-type]
        self.server = ThreadingHTTPServer(
            (self.config.listen_host, self.config.listen_port), _handler_for(self)
        )
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="webhook-http", daemon=True).start()
        log.info(
            "webhook connector %s listening on http://%s:%d",
            self.channel.agent_id,
            self.config.listen_host,
            self.server.server_address[1],
        )

    def serve(self) -> None:
        """Deliver replies until stopped (blocks)."""
        retry = max(self.config.retry_backoff_ms / 1000, 0.05)
        self.channel.serve(self.deliver, wait=20, retry_delay=retry)

    def stop(self) -> None:
        self._stopped.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        self.channel.stop()
        self.outbound.close()


def _handler_for(bridge: WebhookBridge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "agent-relay-webhook"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/") in ("/healthz", "/health"):
                self._answer(200, {"ok": True, "channelId": bridge.channel.channel_id})
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY_BYTES:
                self._answer(413 if length > 0 else 400, {"error": "bad Content-Length"})
                return
            raw = self.rfile.read(length)
            if not verify(bridge.config.secret, raw, self.headers.get(SIGNATURE_HEADER)):
                self._answer(401, {"error": "invalid signature"})
                return
            try:
                data = json.loads(raw)
            except ValueError:
                self._answer(400, {"error": "invalid JSON body"})
                return
            status, answer = bridge.handle_inbound(data)
            self._answer(status, answer)

    return Handler


def check(config: Config) -> int:
    """`doctor`: the config loads and the relay answers."""
    bridge = WebhookBridge(config)
    try:
        health = bridge.channel.client.health()
    except RelayError as exc:
        print(f"relay unreachable: {exc}")
        return 1
    finally:
        bridge.outbound.close()
    print(f"config ok: listening on {config.listen_host}:{config.listen_port} as {bridge.channel.agent_id}")
    print(f"outbound: {config.outbound_url or '(none: replies are dropped)'}")
    print(f"relay {bridge.channel.client.url}: {'ok' if health.ok else 'not ok'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m agent_relay_client.connectors.webhook", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--config", default=os.environ.get("AGENT_RELAY_CONNECTOR_CONFIG"), help="config JSON file"
    )
    parser.add_argument(
        "--check", action="store_true", help="validate the config and reach the relay, then exit"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stdout
    )
    if not args.config:
        parser.error("no config: pass --config or set AGENT_RELAY_CONNECTOR_CONFIG")
    try:
        config = Config.load(args.config)
    except (OSError, ValueError) as exc:
        print(f"webhook connector: bad config {args.config}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        return check(config)
    bridge = WebhookBridge(config)
    stopping = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        bridge.start()
    except (OSError, RelayError) as exc:
        print(f"webhook connector: cannot start: {exc}", file=sys.stderr)
        return 1
    serving = threading.Thread(target=bridge.serve, name="webhook-replies", daemon=True)
    serving.start()
    while not stopping.is_set() and serving.is_alive():
        stopping.wait(0.5)
    bridge.stop()
    serving.join(timeout=5)
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
