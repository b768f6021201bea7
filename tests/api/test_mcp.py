"""MCP at /mcp (contract §16) through the official SDK's client, in-process over the app
(httpx2's ASGI transport): the tool list, two agents exchanging a message, a claim race,
completion, a thread, the unread line, refusals as tool errors, and identity (§14)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import httpx2
import pytest
from agent_relay.app import create_app
from agent_relay.mcp_tools.tools import INSTRUCTIONS
from agent_relay.settings import Settings
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

ADMIN = "mcp-admin-token"
TOOL_ARGS = {
    "whoami": set(),
    "list_agents": {"address"},
    "send_message": {"to", "body", "subject", "kind", "replyTo", "claimable"},
    "check_inbox": {"waitSeconds", "includeRead"},
    "claim_message": {"messageId", "leaseMs"},
    "ack_message": {"messageId"},
    "release_message": {"messageId", "delayMs"},
    "get_thread": {"messageId"},
}


class Relay:
    """One app with an admin token; MCP clients and a plain HTTP admin client over it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.transport = httpx2.ASGITransport(app=app)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://relay",
            headers={"X-Agent-Relay-Token": ADMIN},
        )

    async def register(self, agent_id: str, **extra: Any) -> dict[str, Any]:
        r = await self.http.post("/api/agents", json={"id": agent_id, "name": agent_id, **extra})
        assert r.status_code in (200, 201), r.text
        return r.json()

    async def token(self, agent_id: str) -> str:
        await self.register(agent_id)
        r = await self.http.post(f"/api/agents/{agent_id}/tokens", json={"label": "mcp"})
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def http2(self, headers: dict[str, str]) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=self.transport, base_url="http://relay", headers=headers)

    @asynccontextmanager
    async def mcp(self, headers: dict[str, str], mode: str = "auto") -> AsyncIterator[Client]:
        async with (
            self.http2(headers) as http,
            Client(streamable_http_client("http://relay/mcp", http_client=http), mode=mode) as client,
        ):
            yield client

    @asynccontextmanager
    async def agent(self, agent_id: str, mode: str = "auto") -> AsyncIterator[Client]:
        """An MCP client holding the agent's own token."""
        token = await self.token(agent_id)
        async with self.mcp({"Authorization": f"Bearer {token}"}, mode) as client:
            yield client


@pytest.fixture
async def relay(settings: Settings) -> AsyncIterator[Relay]:
    app = create_app(settings.model_copy(update={"token": ADMIN}))
    async with app.router.lifespan_context(app):
        r = Relay(app)
        try:
            yield r
        finally:
            await r.http.aclose()


def text(result: Any) -> str:
    assert len(result.content) == 1
    return result.content[0].text


async def call(client: Client, name: str, args: dict[str, Any] | None = None, *, error: bool = False) -> Any:
    result = await client.call_tool(name, args or {})
    assert result.is_error is error, text(result)
    return result


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_the_tool_list_is_the_eight_tools_and_small(relay: Relay, mode: str) -> None:
    async with relay.agent("alice", mode) as alice:
        listed = await alice.list_tools()
        tools = {t.name: t for t in listed.tools}
        assert {name: set(t.input_schema["properties"]) for name, t in tools.items()} == TOOL_ARGS
        assert tools["send_message"].input_schema["required"] == ["to", "body"]
        assert tools["check_inbox"].input_schema["properties"]["waitSeconds"]["maximum"] == 20
        wire = json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in listed.tools])
        assert len(wire) < 8000, len(wire)
        session = alice.session
        instructions = (session.initialize_result or session.discover_result).instructions  # type: ignore[union-attr]
        assert instructions == INSTRUCTIONS
        assert (
            "check_inbox" in instructions
            and "claim_message" in instructions
            and "ack_message" in instructions
        )


async def test_two_agents_exchange_a_message_and_read_the_thread(relay: Relay) -> None:
    async with relay.agent("alice") as alice, relay.agent("bob") as bob:
        me = await call(alice, "whoami")
        assert me.structured_content["agentId"] == "alice" and me.structured_content["role"] == "agent"
        assert "You are agent alice" in text(me)

        sent = await call(
            alice, "send_message", {"to": "bob", "subject": "Lunch", "body": "Noon at the usual?"}
        )
        first = sent.structured_content["message"]
        assert (
            first["from"] == "alice"
            and first["to"] == "bob"
            and f"Sent message #{first['id']} to bob" in text(sent)
        )

        # bob's next result, whatever the tool, says something waits
        agents = await call(bob, "list_agents")
        assert "1 unread message: call check_inbox" in text(agents)
        assert {a["id"] for a in agents.structured_content["agents"]} == {"alice", "bob"}

        inbox = await call(bob, "check_inbox")
        body = text(inbox)
        assert (
            f"#{first['id']} from alice to bob" in body
            and "Subject: Lunch" in body
            and "Noon at the usual?" in body
        )
        assert inbox.structured_content["messages"][0]["id"] == first["id"]
        assert "unread" not in body.split("Noon at the usual?")[1]  # shown means read: no nag
        assert text(await call(bob, "check_inbox")) == "No unread messages."

        reply = await call(bob, "send_message", {"to": "alice", "body": "Yes!", "replyTo": first["id"]})
        second = reply.structured_content["message"]
        assert second["replyTo"] == first["id"]

        waited = await call(alice, "check_inbox", {"waitSeconds": 5})
        assert f"#{second['id']} from bob to alice" in text(waited) and f"reply to #{first['id']}" in text(
            waited
        )

        thread = await call(alice, "get_thread", {"messageId": second["id"]})
        assert [m["id"] for m in thread.structured_content["messages"]] == [first["id"], second["id"]]
        assert text(thread).index("Noon at the usual?") < text(thread).index("Yes!")


async def test_the_unread_line_counts_what_waits(relay: Relay) -> None:
    async with relay.agent("carol") as carol:
        for i in range(3):
            r = await relay.http.post("/api/messages", json={"from": "dave", "to": "carol", "body": f"m{i}"})
            assert r.status_code == 201
        result = await call(carol, "whoami")
        assert text(result).endswith("\n3 unread messages: call check_inbox")
        assert result.structured_content["unread"] == 3
        await call(carol, "check_inbox")
        assert "unread" not in text(await call(carol, "whoami"))


async def test_a_claim_race_has_one_winner_and_ack_completes_it(relay: Relay) -> None:
    await relay.register("w1", label="workers")
    await relay.register("w2", label="workers")
    async with relay.agent("boss") as boss, relay.agent("w1") as w1, relay.agent("w2") as w2:
        sent = await call(
            boss, "send_message", {"to": "label:workers", "body": "build it", "claimable": True}
        )
        mid = sent.structured_content["message"]["id"]
        for worker in (w1, w2):
            seen = await call(worker, "check_inbox")
            assert "claimable, unclaimed: claim_message before working on it" in text(seen)

        results = await asyncio.gather(
            *(w.call_tool("claim_message", {"messageId": mid}) for w in (w1, w2, w1, w2))
        )
        winners = [r for r in results if not r.is_error]
        losers = [r for r in results if r.is_error]
        holders = {r.structured_content["message"]["claimedBy"] for r in winners}
        assert len(holders) == 1  # a repeat by the winner extends its own lease
        winner_id = holders.pop()
        loser_id = "w2" if winner_id == "w1" else "w1"
        assert losers and all(
            f"Refused: #{mid} is already claimed by {winner_id}. Leave it to them; call check_inbox"
            in text(r)
            for r in losers
        )
        assert all(
            r.structured_content == {"error": f"message already claimed by {winner_id}", "status": 409}
            for r in losers
        )
        winner, loser = (w1, w2) if winner_id == "w1" else (w2, w1)
        assert "unread" not in text(await call(winner, "whoami"))  # a held claim is work in progress

        done = await call(winner, "ack_message", {"messageId": mid})
        assert done.structured_content["ack"]["completed"] is True and "Completed" in text(done)
        again = await call(loser, "claim_message", {"messageId": mid}, error=True)
        assert "already completed" in text(again) and "check_inbox" in text(again)
        ledger = (await relay.http.get(f"/api/messages/{mid}/deliveries")).json()
        assert {row["agentId"]: row["state"] for row in ledger}[winner_id] == "completed"
        assert loser_id in {row["agentId"] for row in ledger}


async def test_release_and_dead_letter_come_back_as_guidance(relay: Relay) -> None:
    async with relay.agent("solo") as solo:
        r = await relay.http.post(
            "/api/messages",
            json={"from": "boss", "to": "solo", "body": "once", "claimable": True, "maxDeliveries": 1},
        )
        mid = r.json()["id"]
        await call(solo, "claim_message", {"messageId": mid, "leaseMs": 60000})
        released = await call(solo, "release_message", {"messageId": mid})
        assert "dead-lettered" in text(released) and released.structured_content["message"]["deadLetteredAt"]
        refused = await call(solo, "claim_message", {"messageId": mid}, error=True)
        assert "dead-lettered" in text(refused) and "redrive" in text(refused)
        nothing = await call(solo, "release_message", {"messageId": mid}, error=True)
        assert "dead-lettered" in text(nothing)
        plain = (
            await relay.http.post("/api/messages", json={"from": "boss", "to": "solo", "body": "hi"})
        ).json()
        not_work = await call(solo, "claim_message", {"messageId": plain["id"]}, error=True)
        assert "not claimable" in text(not_work)
        missing = await call(solo, "get_thread", {"messageId": 999999}, error=True)
        assert "no message #999999" in text(missing)
        bad = await call(solo, "claim_message", {"messageId": "seven"}, error=True)
        assert text(bad).startswith("Invalid input: messageId")
        unknown = await call(solo, "check_inbox", {"waitSecs": 3}, error=True)
        assert "waitSecs" in text(unknown)


async def test_an_agent_token_cannot_act_as_another_agent(relay: Relay) -> None:
    mallory = await relay.token("mallory")
    await relay.register("victim")
    headers = {"Authorization": f"Bearer {mallory}", "X-Agent-Id": "victim"}
    async with relay.http2(headers) as raw:
        r = await raw.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert r.status_code == 403 and r.json() == {"error": "token is for agent mallory"}
    with pytest.raises(Exception) as refused:  # the SDK client cannot even connect
        async with relay.mcp(headers) as client:
            await client.call_tool("check_inbox", {})
    assert "403" in repr(refused.value) or isinstance(refused.value, (MCPError, ExceptionGroup))
    # its own id is fine; what it sees is only its own
    async with relay.mcp({"Authorization": f"Bearer {mallory}", "X-Agent-Id": "mallory"}) as client:
        await relay.http.post("/api/messages", json={"from": "boss", "to": "victim", "body": "secret"})
        mine = await call(client, "check_inbox")
        assert "secret" not in text(mine)
        assert (await call(client, "whoami")).structured_content["agentId"] == "mallory"


async def test_the_admin_names_the_agent_and_nobody_else_gets_in(relay: Relay) -> None:
    async with relay.mcp({"X-Agent-Relay-Token": ADMIN, "X-Agent-Id": "ops"}) as ops:
        assert (await call(ops, "whoami")).structured_content == {
            "role": "admin",
            "agentId": "ops",
            "registered": False,
            "unread": 0,
        }
        await call(ops, "send_message", {"to": "someone", "body": "hello"})
    async with relay.mcp({"X-Agent-Relay-Token": ADMIN}) as nobody:
        refused = await call(nobody, "check_inbox", error=True)
        assert "X-Agent-Id" in text(refused) and "relay token create" in text(refused)
        assert (await call(nobody, "whoami")).structured_content == {"role": "admin", "agentId": None}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    async with relay.http2({}) as anonymous:
        r = await anonymous.post("/mcp", json=body)
        assert r.status_code == 401 and r.json() == {"error": "unauthorized"}
    async with relay.http2({"X-Agent-Relay-Token": ADMIN, "Origin": "https://evil.example"}) as page:
        r = await page.post("/mcp", json=body)
        assert r.status_code == 403 and r.json() == {"error": "origin not allowed"}
    async with relay.http2({"X-Agent-Relay-Token": ADMIN}) as admin:
        cap = 2 * relay.app.state.relay.settings.max_body_bytes + 65536
        r = await admin.post("/mcp", content=b"x" * (cap + 1), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        r = await admin.post("/mcp", json=body, headers={"Host": "rebound.example"})
        assert r.status_code == 421
    async with relay.http2({"X-Agent-Relay-Token": ADMIN, "X-Agent-Epoch": "soon"}) as bad:
        r = await bad.post("/mcp", json=body)
        assert r.status_code == 400 and r.json() == {"error": "X-Agent-Epoch must be an integer"}


async def test_a_superseded_session_gets_a_tool_error(relay: Relay) -> None:
    await relay.register("w", instanceId="old", epoch=5)
    guard = {
        "X-Agent-Relay-Token": ADMIN,
        "X-Agent-Id": "w",
        "X-Agent-Instance-Id": "old",
        "X-Agent-Epoch": "5",
    }
    async with relay.mcp(guard) as stale:
        await call(stale, "check_inbox")
        await relay.register("w", instanceId="new", epoch=6)  # a restarted process
        for tool, args in (("check_inbox", {}), ("whoami", {}), ("send_message", {"to": "x", "body": "y"})):
            refused = await call(stale, tool, args, error=True)
            assert "superseded" in text(refused) and "do not retry" in text(refused)
            assert refused.structured_content == {"error": "agent session superseded", "status": 409}


async def test_get_on_mcp_is_405_not_a_stream_held_open_forever(relay: Relay) -> None:
    """The endpoint is stateless: it never sends anything unasked, so a GET (which clients
    of the initialize era send after the handshake) is refused at once rather than held
    open with nothing on it for as long as the client lives."""
    for headers in (
        {"Authorization": f"Bearer {await relay.token('getter')}", "Accept": "text/event-stream"},
        {"X-Agent-Relay-Token": ADMIN, "X-Agent-Id": "getter", "Accept": "text/event-stream"},
    ):
        async with relay.http2(headers) as raw:
            r = await asyncio.wait_for(raw.get("/mcp"), timeout=30)
            assert r.status_code == 405 and r.headers["allow"] == "POST"
            assert r.json() == {"error": "method not allowed"}
            r = await asyncio.wait_for(raw.delete("/mcp"), timeout=30)
            assert r.status_code == 405 and r.headers["allow"] == "POST"
    async with relay.http2({"Accept": "text/event-stream"}) as anonymous:  # nobody: still 401 first
        r = await asyncio.wait_for(anonymous.get("/mcp"), timeout=30)
        assert r.status_code == 401


async def test_release_of_a_message_you_cannot_see_says_nothing_about_it(relay: Relay) -> None:
    """Releasing another pair's message is a 404 like claim/ack/thread, whatever state it is
    in: not "not claimed by you", "completed" or "dead-lettered", which tell that it exists."""
    async with relay.agent("sender") as sender, relay.agent("worker") as worker, relay.agent("eve") as eve:
        sent = await call(sender, "send_message", {"to": "worker", "body": "SECRET", "claimable": True})
        mid = sent.structured_content["message"]["id"]
        r = await relay.http.post("/api/agents/eve/tokens", json={"label": "http"})
        eve_token = r.json()["token"]
        for step in ("open", "claimed", "completed"):
            if step == "claimed":
                await call(worker, "claim_message", {"messageId": mid})
            if step == "completed":
                await call(worker, "ack_message", {"messageId": mid})
            for tool in ("release_message", "claim_message", "ack_message", "get_thread"):
                refused = await call(eve, tool, {"messageId": mid}, error=True)
                assert refused.structured_content["status"] == 404, (step, tool, text(refused))
                assert "SECRET" not in text(refused)
            async with relay.http2({"Authorization": f"Bearer {eve_token}"}) as eve_http:
                r = await eve_http.post(f"/api/messages/{mid}/release", json={"agentId": "eve"})
            assert r.status_code == 404 and r.json() == {"error": "message not found"}, (step, r.text)


async def test_arguments_keep_their_json_types(relay: Relay) -> None:
    """The schema says number and boolean: a string or a boolean in their place is refused,
    not read as 5 or as true."""
    async with relay.agent("typed") as typed:
        for args in (
            {"waitSeconds": "5"},
            {"waitSeconds": True},
            {"includeRead": 1},
            {"includeRead": "yes"},
        ):
            refused = await call(typed, "check_inbox", args, error=True)
            name = next(iter(args))
            assert text(refused).startswith(f"Invalid input: {name}"), text(refused)
        assert (await call(typed, "check_inbox", {"waitSeconds": 0.5, "includeRead": True})).is_error is False
        assert (await call(typed, "check_inbox", {"waitSeconds": 0})).is_error is False
