"""A program that uses every public helper of the SDK, for `mypy --strict` only (never run:
it needs a relay). tests/unit/test_sdk_types.py type-checks it; a helper whose signature
or return type drifts into `Any` or breaks a caller shows up there as an error."""

from __future__ import annotations

import asyncio
import contextlib
import io

from agent_relay_client import (
    AsyncRelayAgent,
    AsyncRelayClient,
    ChannelConnector,
    ChannelReply,
    RelayAgent,
    RelayClient,
    RelayError,
    RelayEvent,
    SessionSupersededError,
    models,
)
from agent_relay_client._generated.types import File
from agent_relay_client.channel import blob_attachment, channel_file_attachment, external_attachment
from agent_relay_client.connectors.webhook import Config, WebhookBridge
from agent_relay_client.orchestrator.config import load_config
from agent_relay_client.orchestrator.daemon import OrchestratorDaemon


def client_calls(client: RelayClient) -> None:
    health: models.HealthOut = client.health()
    assert health.ok
    card: models.AgentCard = client.register(
        "a1", "Agent", kind="provider", label="rev", tags=["py"], capabilities=["review"], meta={"x": 1}
    )
    legacy: models.AgentCard = client.register("a1", instanceId="one", epoch=1)  # old spelling
    beat: models.HeartbeatOut = client.heartbeat(card.id, status="busy", ready=False)
    agents: list[models.AgentCard] = client.agents(status="online", kind="provider", label="rev")
    sent: models.MessageOut = client.send(
        "label:rev", "hi", sender="boss", kind="task", claimable=True, idempotency_key="k1", meta={"a": 1}
    )
    again: models.MessageOut = client.send("a1", "hi", replyTo=sent.id, idempotencyKey="k2")
    inbox: list[models.MessageOut] = client.inbox("a1", wait=1, after=0, unread=True, limit=10)
    claimed: models.MessageOut = client.claim(sent.id, "a1", lease_ms=60_000)
    released: models.MessageOut = client.release(sent.id, "a1")
    acked: models.AckOut = client.ack(sent.id, "a1")
    # generated operations: real parameters, real answers
    one: models.AgentCard = client.get_agent("a1")
    listed: list[models.MessageOut] = client.list_messages(from_="boss", to="a1", limit=10)
    draft: models.DraftOut = client.set_inbox_draft("a1", body={"to": "b", "body": "later"})
    model_body: models.AgentCard = client.register_agent(body=models.AgentRegister(id="a2", name="B"))
    blob: models.BlobOut = client.upload_blob(body=File(payload=io.BytesIO(b"x"), mime_type="text/plain"))
    data: bytes = client.download_blob(blob.id)
    url: str = client.url_for("download_blob", id=blob.id)
    anything: object = client.call("list_tasks", status="open")
    for event in client.events(agent_id="a1", last_event_id=0, reconnect_delay=0.1):
        name: str = event.event
        event_id: int | None = event.id
        break
    print(health, legacy, beat, agents, again, inbox, claimed, released, acked, one, listed, draft)
    print(model_body, data, url, anything, name, event_id)


async def async_client_calls(client: AsyncRelayClient) -> None:
    card: models.AgentCard = await client.register("a1", label="rev", instance_id="i", epoch=2)
    sent: models.MessageOut = await client.send(card.id, "hi", sender="b", reply_to=None)
    inbox: list[models.MessageOut] = await client.inbox("a1", wait=1)
    claimed: models.MessageOut = await client.claim(sent.id, "a1")
    acked: models.AckOut = await client.ack(sent.id, "a1")
    health: models.HealthOut = await client.get_health()
    stream_event: RelayEvent | None = None
    async for event in client.events(agent_id="a1"):
        stream_event = event
        break
    print(inbox, claimed, acked, health, stream_event)
    await client.aclose()


def agent_calls() -> None:
    with RelayAgent("echo", label="echo", capabilities=["echo"], heartbeat_interval=10) as agent:
        for message in agent.messages(wait=25):
            mine: models.MessageOut | None = agent.claim(message)
            if mine is None:
                continue
            reply: models.MessageOut = agent.reply(message, f"echo: {message.body}", subject="re")
            agent.ack(message)
            agent.release(reply)
        agent.heartbeat(status="idle")
        sent: models.MessageOut = agent.send("boss", "done", kind="chat", reply_to=1)
        tasks: list[models.TaskOut] = agent.tasks("open")
        task: models.TaskOut | None = agent.claim_task(tasks[0], lease_ms=1000)
        updated: models.TaskOut = agent.update_task(tasks[0], "done", note="ok")
        pair: models.PairOut = agent.invite("bob", topic="auth", ttl_ms=1000)
        pairs: list[models.PairOut] = agent.pairs(status="active")
        acted: models.PairOut = agent.pair_action(pair, "end")
        said: models.MessageOut = agent.pair_message(pair, "hello")
        running: bool = agent.running and not agent.superseded
        print(sent, task, updated, pairs, acted, said, running, agent.addresses())


async def async_agent_calls() -> None:
    async with AsyncRelayAgent("echo", label="echo") as agent:
        async for message in agent.messages(wait=5):
            if await agent.claim(message) is not None:
                await agent.reply(message, "ok")
                await agent.ack(message)
            break
        tasks: list[models.TaskOut] = await agent.tasks()
        task: models.TaskOut | None = await agent.claim_task(tasks[0])
        pair: models.PairOut = await agent.invite("bob")
        said: models.MessageOut = await agent.pair_message(pair, "hi")
        print(task, said)


def channel_calls() -> None:
    def deliver(reply: ChannelReply) -> None:
        print(reply.id, reply.text, reply.sender, reply.conversation_id, reply.attachments)

    with ChannelConnector("slack", "T1", label="support", heartbeat_interval=10) as channel:
        binding: dict[str, object] = channel.bind("label:support", mode="claimable", priority=1)
        bindings: list[dict[str, object]] = channel.bindings()
        routes: dict[str, object] = channel.routes("C1")
        blob = channel.upload_blob(b"%PDF", "application/pdf")
        data: bytes = channel.download_blob(str(blob["id"]))
        envelope = channel.inbound_message(
            "C1",
            "hello",
            "U1",
            message_id="m1",
            attachments=[
                blob_attachment(blob, name="r.pdf"),
                external_attachment("https://example.com/a.png"),
                channel_file_attachment("F1"),
            ],
        )
        posted: dict[str, object] = channel.post_event(envelope, idempotency_key="k")
        channel.post_activity(channel.typing("C1", "U1", started=False))
        channel.unbind(int(str(binding["id"])))
        thread = channel.serve_in_background(deliver, mode="sse", retry_delay=0.1)
        with contextlib.suppress(SessionSupersededError):
            channel.serve(deliver, mode="inbox", wait=5, max_attempts=3)
        thread.join()
        print(bindings, routes, data, posted)


def daemon_and_connector() -> None:
    daemon = OrchestratorDaemon(
        orchestrator_id="build", base_dir="/tmp", config=load_config(None), providers=["claude"]
    )
    daemon.stop()
    daemon.close()
    bridge = WebhookBridge(Config(listen_port=0, secret="s"), url="http://127.0.0.1:4850")
    try:
        bridge.start()
    except RelayError as exc:
        print(exc.status, exc.message)
    finally:
        bridge.stop()


def main() -> None:
    client_calls(RelayClient())
    asyncio.run(async_client_calls(AsyncRelayClient()))
    agent_calls()
    asyncio.run(async_agent_calls())
    channel_calls()
    daemon_and_connector()
