"""`relay mcp`'s HTTP transport: a relay that cannot be reached, or answers with its own
`{"error": …}`, is a JSON-RPC error for that call, never an exception that ends the SDK's
transport (and with it the process: the MCP client would lose the server)."""

from __future__ import annotations

import socket

import httpx2
from agent_relay_client.mcp_bridge import UNREACHABLE, _Answers


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when this returns: nothing listens


async def test_an_unreachable_relay_is_a_503_jsonrpc_error() -> None:
    async with httpx2.AsyncClient(transport=_Answers()) as http:
        r = await http.post(f"http://127.0.0.1:{_closed_port()}/mcp", json={"jsonrpc": "2.0", "id": 1})
    assert r.status_code == 503
    body = r.json()
    assert body["jsonrpc"] == "2.0" and body["error"]["message"].startswith(UNREACHABLE)


async def test_the_relays_own_error_keeps_its_words() -> None:
    class Relay(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            return httpx2.Response(413, json={"error": "request body too large"})

    answers = _Answers()
    answers.inner = Relay()  # type: ignore[assignment]
    async with httpx2.AsyncClient(transport=answers) as http:
        r = await http.post("http://relay/mcp", json={"jsonrpc": "2.0", "id": 1})
    assert r.status_code == 413
    assert r.json()["error"] == {"code": -32000, "message": "413 request body too large"}
