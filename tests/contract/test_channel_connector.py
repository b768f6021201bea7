"""The SDK's ChannelConnector against a real server: an inbound message with an attachment
reaches the bound agent, its reply comes back to the connector; typing reaches SSE only."""

from __future__ import annotations

import queue
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from agent_relay_client import ChannelConnector, ChannelReply, RelayAgent
from agent_relay_client.errors import BadRequestError, ConflictError

from tests.support import ServerProcess

pytestmark = pytest.mark.timeout(60)


def _connector(server: ServerProcess, **kwargs) -> ChannelConnector:
    return ChannelConnector("webhook", "acme", url=server.url, name="Acme webhook", **kwargs)


def test_envelopes_match_the_relay_checks(live_server: ServerProcess) -> None:
    with _connector(live_server) as channel:
        assert channel.agent_id == "webhook:acme" and channel.channel_id == "webhook:acme"
        summary = httpx.get(f"{live_server.url}/api/channels").json()
        assert [(c["id"], c["type"], c["accountId"]) for c in summary] == [
            ("webhook:acme", "webhook", "acme")
        ]

        message = channel.inbound_message("C1", "hi", "U1", message_id="m1")
        assert message["schema"] == "agent-relay.channel.v1"
        assert message["channel"] == {"provider": "webhook", "accountId": "acme", "agentId": "webhook:acme"}
        assert message["event"] == {"type": "message.created"} and message["dedupe"] == {"key": "webhook:m1"}
        # nothing bound yet: the relay accepted the envelope and refused only for routing
        with pytest.raises(ConflictError, match="channel has no binding"):
            channel.post_event(message)
        # a typing envelope is not an event
        with pytest.raises(BadRequestError, match="channel activity must use /api/channels/:id/activities"):
            channel.post_event(channel.typing("C1", "U1"))


def test_bindings_are_guarded_by_the_connector_session(live_server: ServerProcess) -> None:
    with _connector(live_server) as channel:
        binding = channel.bind("worker", mode="claimable", priority=5)
        assert binding["mode"] == "claimable" and binding["priority"] == 5
        conv = channel.bind({"type": "label", "id": "vip"}, conversation_id="C9")
        assert [b["id"] for b in channel.bindings()] == [conv["id"], binding["id"]]
        routes = channel.routes("C9")
        assert routes["tier"] == "conversation" and [b["id"] for b in routes["bindings"]] == [conv["id"]]
        # without the session headers the relay refuses
        bare = httpx.delete(f"{live_server.url}/api/channel-bindings/{conv['id']}")
        assert bare.status_code == 400 and bare.json()["error"] == "channel session guard required"
        assert channel.unbind(conv["id"])["id"] == conv["id"]
        assert [b["id"] for b in channel.bindings()] == [binding["id"]]

        # a second process of the same bridge supersedes the first
        time.sleep(0.002)  # epochs are wall-clock ms: the newer process has a later one
        newer = _connector(live_server)
        assert newer.epoch > channel.epoch and newer.instance_id != channel.instance_id
        newer.start()
        try:
            with pytest.raises(ConflictError, match="agent session superseded"):
                channel.bind("worker")
            assert not channel.running
            assert newer.bind("worker")["id"] == binding["id"]
        finally:
            newer.stop()


@pytest.mark.parametrize("mode", ["inbox", "sse"])
def test_message_with_attachment_round_trip(live_server: ServerProcess, mode: str) -> None:
    replies: queue.Queue[ChannelReply] = queue.Queue()
    with _connector(live_server) as channel, RelayAgent("worker", url=live_server.url) as agent:
        channel.bind("worker")
        blob = channel.upload_blob(b"%PDF-1.4 report", "application/pdf")
        assert blob["size"] == 15 and blob["contentType"] == "application/pdf"
        assert channel.download_blob(blob["id"]) == b"%PDF-1.4 report"

        attempts: list[int] = []

        def handler(reply: ChannelReply) -> None:
            attempts.append(reply.id)
            if len(attempts) == 1:
                raise RuntimeError("platform down")  # not acked: delivered again
            replies.put(reply)

        server_thread = channel.serve_in_background(handler, mode=mode, wait=5, retry_delay=0.05)

        envelope = channel.inbound_message(
            "C1",
            "please summarise",
            "U1",
            actor_name="Ann",
            message_id="ext-1",
            attachments=[
                channel.blob_attachment(blob, name="report.pdf"),
                channel.external_attachment("https://example.com/a.png", name="a.png"),
            ],
        )
        posted = channel.post_event(envelope)
        assert posted["created"] is True and len(posted["messages"]) == 1
        assert channel.post_event(envelope)["created"] is False, "the platform message id dedupes"

        inbound = next(agent.messages(wait=5))
        assert inbound.kind == "channel.event" and inbound.from_ == "webhook:acme"
        assert inbound.body == "please summarise"
        payload = inbound.payload.to_dict()
        assert payload["conversation"]["id"] == "C1"
        assert payload["attachments"][0]["ref"] == {"type": "relay-blob", "id": blob["id"]}
        assert payload["attachments"][1]["ref"]["url"] == "https://example.com/a.png"

        sent = agent.reply(inbound, "here is the summary")
        reply = replies.get(timeout=15)
        assert reply.id == sent.id and reply.text == "here is the summary" and reply.sender == "worker"
        assert reply.conversation_id == "C1", "found through replyTo -> the channel event"
        assert reply.in_reply_to is not None and reply.in_reply_to["id"] == inbound.id
        assert attempts == [sent.id, sent.id], "the failed attempt was retried"

        # acked once the handler succeeded: nothing unread is left for the channel agent
        def unread() -> list:
            return channel.client.inbox(channel.agent_id, unread=True)

        deadline = time.monotonic() + 5
        while unread() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert unread() == []

        # an agent may also address a conversation directly
        agent.send("webhook:acme", "ping", meta={"conversationId": "C2"})
        assert replies.get(timeout=15).conversation_id == "C2"
        channel.stop()
        server_thread.join(timeout=10)
        assert not server_thread.is_alive()


def test_typing_reaches_sse_and_is_never_stored(live_server: ServerProcess, db_url: str) -> None:
    frames: queue.Queue[str] = queue.Queue()
    connected = threading.Event()

    def listen() -> None:
        with httpx.stream("GET", f"{live_server.url}/api/events", timeout=20) as stream:
            for line in stream.iter_lines():
                connected.set()
                if line.startswith(("event:", "data:")):
                    frames.put(line)
                if line.startswith("data:") and "typing.stopped" in line:
                    return

    with _connector(live_server) as channel:
        channel.bind("worker")
        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert connected.wait(10)
        started = channel.post_activity(channel.typing("C1", "U1"))
        assert started["ok"] is True and started["activity"]["conversationId"] == "C1"
        channel.post_activity(channel.typing("C1", "U1", started=False))
        listener.join(timeout=15)
        lines = []
        while not frames.empty():
            lines.append(frames.get())
        activity = [line for line in lines if line.startswith("data:") and '"typing.' in line]
        assert len(activity) == 2 and '"typing.started"' in activity[0] and '"typing.stopped"' in activity[1]
        assert "event: channel.activity" in lines
        assert httpx.get(f"{live_server.url}/api/messages").json() == []
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        names = set(conn.execute(sa.text("SELECT name FROM events")).scalars())
    engine.dispose()
    assert "channel.activity" not in names
