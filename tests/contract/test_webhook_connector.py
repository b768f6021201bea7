"""The webhook connector end to end, installed and run through the connector API:
outside signed POST -> connector -> bound agent's inbox -> reply -> signed POST out."""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from agent_relay_client import RelayAgent
from agent_relay_client.connectors import manifest
from agent_relay_client.connectors.webhook import SIGNATURE_HEADER, sign, verify

from tests.support import ServerProcess, free_port

pytestmark = pytest.mark.timeout(90)

IN_SECRET = "inbound-secret-1"
OUT_SECRET = "outbound-secret-2"


class Receiver:
    """The outside system's endpoint for replies; answers 503 to the first delivery."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        self.fail_next = 1
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries.put((dict(self.headers), body))
                status = 503 if receiver.fail_next > 0 else 200
                receiver.fail_next -= 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _wait_until_up(url: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=1).json()
        except httpx.HTTPError:
            assert time.monotonic() < deadline, f"{url} never came up"
            time.sleep(0.05)


def _post_signed(url: str, data: dict[str, Any], secret: str = IN_SECRET) -> httpx.Response:
    body = json.dumps(data).encode()
    return httpx.post(url, content=body, headers={SIGNATURE_HEADER: sign(secret, body)}, timeout=10)


def test_webhook_connector_end_to_end(live_server: ServerProcess, receiver: Receiver) -> None:
    api = f"{live_server.url}/api/connectors"
    port = free_port()
    hook = f"http://127.0.0.1:{port}/"
    started = False
    stop: httpx.Response | None = None
    with httpx.Client(timeout=30) as relay, RelayAgent("worker", url=live_server.url) as agent:
        # 1. register
        registered = relay.post(api, json=manifest("webhook"))
        assert registered.status_code == 201, registered.text
        assert registered.json()["channelType"] == "webhook"
        # 2. configure (secrets come back masked; bad config is a 400 naming the field)
        config = {
            "listenPort": port,
            "secret": IN_SECRET,
            "outboundUrl": receiver.url,
            "outboundSecret": OUT_SECRET,
            "accountId": "e2e",
            "bindTarget": "worker",
            "retryBackoffMs": 50,
        }
        bad = relay.put(f"{api}/webhook/config", json={**config, "listenPort": "x"})
        assert bad.status_code == 400 and bad.json()["error"] == "config.listenPort must be integer"
        put = relay.put(f"{api}/webhook/config", json=config)
        assert put.status_code == 200, put.text
        stored = relay.get(f"{api}/webhook/config").json()
        assert stored["secret"] == "********" and stored["outboundSecret"] == "********"
        assert stored["listenPort"] == port
        try:
            doctor = relay.post(f"{api}/webhook/actions", json={"action": "doctor"})
            assert doctor.status_code == 200, doctor.text
            assert "config ok" in doctor.json()["output"] and "webhook:e2e" in doctor.json()["output"]
            # 3. start (the manifest's {python} runs the relay's own interpreter)
            start = relay.post(f"{api}/webhook/actions", json={"action": "start"})
            started = True
            assert start.status_code == 200, start.text
            assert start.json()["ok"] is True
            assert _wait_until_up(f"{hook}healthz") == {"ok": True, "channelId": "webhook:e2e"}
            bindings = relay.get(
                f"{live_server.url}/api/channel-bindings", params={"channelId": "webhook:e2e"}
            )
            assert [(b["target"], b["mode"]) for b in bindings.json()] == [
                ({"type": "agent", "id": "worker"}, "exclusive")
            ]

            # a bad or missing signature is refused before anything reaches the relay
            message = {
                "conversationId": "C1",
                "text": "hello from outside",
                "actorId": "U1",
                "messageId": "x1",
            }
            assert _post_signed(hook, message, secret="wrong-secret").status_code == 401
            unsigned = httpx.post(hook, json=message)
            assert unsigned.status_code == 401 and unsigned.json() == {"error": "invalid signature"}
            assert relay.get(f"{live_server.url}/api/messages").json() == []

            # 4. outside POST -> the bound agent's inbox
            accepted = _post_signed(hook, message)
            assert accepted.status_code == 202, accepted.text
            assert accepted.json()["ok"] is True and accepted.json()["created"] is True
            again = _post_signed(hook, message)
            assert again.status_code == 202 and again.json()["created"] is False, "messageId dedupes"
            inbound = next(agent.messages(wait=10))
            assert inbound.kind == "channel.event" and inbound.from_ == "webhook:e2e"
            assert inbound.body == "hello from outside" and inbound.id == accepted.json()["messageIds"][0]
            assert inbound.payload.to_dict()["conversation"]["id"] == "C1"

            # 5. the reply -> delivered, signed, to the outside receiver (503 first: retried)
            sent = agent.reply(inbound, "hello from the agent")
            deliveries = [receiver.deliveries.get(timeout=20), receiver.deliveries.get(timeout=20)]
            assert [h["X-Webhook-Id"] for h, _ in deliveries] == [str(sent.id)] * 2
            headers, body = deliveries[1]
            assert verify(OUT_SECRET, body, headers[SIGNATURE_HEADER])
            assert not verify(IN_SECRET, body, headers[SIGNATURE_HEADER])
            delivered = json.loads(body)
            assert delivered["type"] == "message" and delivered["text"] == "hello from the agent"
            assert delivered["conversationId"] == "C1" and delivered["from"] == "worker"
            assert delivered["messageId"] == sent.id and delivered["replyTo"] == inbound.id

            # 6. status
            status = relay.post(f"{api}/webhook/actions", json={"action": "status"})
            assert status.status_code == 200 and status.json()["output"].startswith("running")
            info = relay.get(f"{api}/webhook").json()
            assert info["running"] is True and info["process"]["pid"] > 0
            pid = info["process"]["pid"]
        finally:
            # 7. stop
            if started:
                stop = relay.post(f"{api}/webhook/actions", json={"action": "stop"})
        assert stop is not None and stop.status_code == 200 and stop.json()["output"].startswith("stopped")
        assert relay.get(f"{api}/webhook").json()["running"] is False
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{hook}healthz", timeout=1)
        assert receiver.deliveries.empty(), "delivered once the receiver said 200: nothing more"
        log = (live_server.home / "connectors" / "webhook" / "connector.log").read_text()
        assert IN_SECRET not in log and OUT_SECRET not in log


async def test_python_placeholder_runs_the_relay_interpreter(client: httpx.AsyncClient) -> None:
    code = "import sys; print(sys.executable); print(sys.argv[1:])"
    body = {
        "id": "py",
        "name": "Py",
        "version": "0.1.0",
        "description": "placeholder",
        "commands": {"install": ["{python}", "-c", code, "{python}x", "x{python}"]},
    }
    assert (await client.post("/api/connectors", json=body)).status_code == 201
    result = (await client.post("/api/connectors/py/actions", json={"action": "install"})).json()
    assert result["ok"] is True
    # only a whole `{python}` argument is expanded; the stored manifest keeps the placeholder
    assert result["output"].splitlines() == [sys.executable, "['{python}x', 'x{python}']"]
    stored = (await client.get("/api/connectors/py")).json()
    assert stored["manifest"]["commands"]["install"][0] == "{python}"


def test_outbound_to_loopback_is_refused_unless_allowed(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connector's outboundUrl obeys AGENT_RELAY_OUTBOUND_ALLOW (the SDK's copy of the
    relay's rule): refused, no request is made and the reply stays unacked (deliver raises)."""
    from agent_relay_client.channel import ChannelReply
    from agent_relay_client.connectors.webhook import Config, WebhookBridge

    reply = ChannelReply({"id": 7, "body": "hi", "from": "worker"}, "C1")
    config = Config(listen_port=0, secret=IN_SECRET, outbound_url=receiver.url, retry_attempts=1)
    monkeypatch.setenv("AGENT_RELAY_OUTBOUND_ALLOW", "")
    refusing = WebhookBridge(config, url="http://127.0.0.1:9", token="t")
    try:
        with pytest.raises(RuntimeError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
            refusing.deliver(reply)
    finally:
        refusing.outbound.close()
    assert receiver.deliveries.empty()

    monkeypatch.setenv("AGENT_RELAY_OUTBOUND_ALLOW", "127.0.0.0/8")
    receiver.fail_next = 0
    allowed = WebhookBridge(config, url="http://127.0.0.1:9", token="t")
    try:
        allowed.deliver(reply)
    finally:
        allowed.outbound.close()
    headers, body = receiver.deliveries.get(timeout=5)
    assert json.loads(body)["messageId"] == 7 and headers["X-Webhook-Id"] == "7"


def test_a_delivery_carries_the_messages_traceparent(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§17: the reply's `traceparent` (stored from the send's header, on the message's wire
    shape) goes out with the webhook delivery; a message without one sends none."""
    from agent_relay_client.channel import ChannelReply
    from agent_relay_client.connectors.webhook import Config, WebhookBridge

    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    monkeypatch.setenv("AGENT_RELAY_OUTBOUND_ALLOW", "127.0.0.0/8")
    config = Config(listen_port=0, secret=IN_SECRET, outbound_url=receiver.url, retry_attempts=1)
    bridge = WebhookBridge(config, url="http://127.0.0.1:9", token="t")
    receiver.fail_next = 0
    try:
        bridge.deliver(ChannelReply({"id": 8, "body": "hi", "from": "w", "traceparent": traceparent}, "C1"))
        bridge.deliver(ChannelReply({"id": 9, "body": "hi", "from": "w", "traceparent": None}, "C1"))
    finally:
        bridge.outbound.close()
    traced, _ = receiver.deliveries.get(timeout=5)
    plain, _ = receiver.deliveries.get(timeout=5)
    assert {k.lower(): v for k, v in traced.items()}["traceparent"] == traceparent
    assert "traceparent" not in {k.lower() for k in plain}
