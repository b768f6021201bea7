"""The outbound address rule, for the relay's copy (task callbacks) and the SDK's (the
webhook connector): the same table must hold for both, and both transports connect only to
the address they checked."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from types import ModuleType
from typing import Any

import agent_relay.outbound as server_outbound
import agent_relay_client.outbound as sdk_outbound
import httpcore
import httpx
import pytest
from agent_relay.settings import Settings

COPIES = [pytest.param(server_outbound, id="server"), pytest.param(sdk_outbound, id="sdk")]

INWARD = {
    "127.0.0.1": "loopback",
    "127.9.9.9": "loopback",
    "::1": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "192.168.1.1": "private",
    "fd00::1": "private",
    "fd00:ec2::254": "private",  # AWS metadata over IPv6
    "169.254.169.254": "link-local",  # cloud metadata
    "fe80::1": "link-local",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "100.64.0.1": "non-public",  # shared address space (CGNAT), Alibaba's metadata lives here
    "100.100.100.200": "non-public",
    "::ffff:127.0.0.1": "loopback",  # IPv4 inside IPv6 is judged as IPv4
    "::ffff:169.254.169.254": "link-local",
    "64:ff9b::7f00:1": "loopback",  # NAT64
    "2002:7f00:1::": "loopback",  # 6to4
}
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("module", COPIES)
def test_inward_addresses_are_named_and_public_ones_pass(module: ModuleType) -> None:
    for address, kind in INWARD.items():
        assert module.inward_kind(ipaddress.ip_address(address)) == kind, address
    for address in PUBLIC:
        assert module.inward_kind(ipaddress.ip_address(address)) is None, address


@pytest.mark.parametrize("module", COPIES)
def test_the_allow_list_takes_host_names_and_cidrs(module: ModuleType) -> None:
    policy = module.OutboundPolicy.parse(" hooks.internal. , 10.0.0.0/8,127.0.0.1,[::1]")
    assert policy.host_allowed("HOOKS.internal") and not policy.host_allowed("other.internal")
    assert policy.refusal("x", ipaddress.ip_address("10.200.0.1")) is None
    assert policy.refusal("x", ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal("x", ipaddress.ip_address("::1")) is None
    assert policy.refusal("x", ipaddress.ip_address("::ffff:10.0.0.1")) is None  # mapped: judged as IPv4
    assert policy.refusal("x", ipaddress.ip_address("127.0.0.2")) == (
        "refused: x (127.0.0.2) is a loopback address, not listed in AGENT_RELAY_OUTBOUND_ALLOW"
    )
    empty = module.OutboundPolicy.parse("")
    assert empty.refusal("169.254.169.254", ipaddress.ip_address("169.254.169.254")) == (
        "refused: 169.254.169.254 is a link-local address, not listed in AGENT_RELAY_OUTBOUND_ALLOW"
    )
    for bad in ("http://x", "a b", "*.example.com", "user@host"):
        with pytest.raises(ValueError, match="expected host names or CIDRs"):
            module.OutboundPolicy.parse(bad)


@pytest.mark.parametrize("module", COPIES)
def test_a_name_with_any_inward_address_is_refused(module: ModuleType) -> None:
    """A name answering one public and one private address could be aimed at either."""
    policy = module.OutboundPolicy.parse("")
    assert policy.pick("ok.example", ["93.184.216.34", "2606:4700:4700::1111"]) == "93.184.216.34"
    with pytest.raises(module.OutboundRefused, match=r"mixed.example \(10.0.0.5\) is a private"):
        policy.pick("mixed.example", ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(module.OutboundRefused, match="did not resolve"):
        policy.pick("none.example", [])


def test_the_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="outbound_allow"):
        Settings(outbound_allow="http://example.com")
    assert (
        Settings(outbound_allow="10.0.0.0/8").outbound_policy.refusal("h", ipaddress.ip_address("10.0.0.1"))
        is None
    )


class _Recorder:
    """An httpcore backend that records where it was asked to connect, then fails."""

    def __init__(self) -> None:
        self.hosts: list[str] = []

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.hosts.append(host)
        raise httpcore.ConnectError("recorded")

    def sleep(self, seconds: float) -> None:
        pass


def _fake_dns(answers: dict[str, list[str]]) -> Any:
    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    return getaddrinfo


def test_sdk_transport_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinning: the connection goes to the address that was checked, never to a second
    lookup of the name (DNS rebinding); an inward answer makes no connection at all."""
    monkeypatch.setattr(
        socket, "getaddrinfo", _fake_dns({"hook.test": ["127.0.0.1"], "bad.test": ["10.0.0.1"]})
    )
    transport = sdk_outbound.guarded_transport(sdk_outbound.OutboundPolicy.parse("127.0.0.0/8"))
    recorder = _Recorder()
    transport._pool._network_backend.inner = recorder
    with httpx.Client(transport=transport) as client:
        with pytest.raises(httpx.ConnectError, match="recorded"):
            client.post("http://hook.test:9/x", content=b"{}")
        assert recorder.hosts == ["127.0.0.1"]
        with pytest.raises(sdk_outbound.OutboundRefused, match=r"bad.test \(10.0.0.1\) is a private"):
            client.post("http://bad.test:9/x", content=b"{}")
        with pytest.raises(sdk_outbound.OutboundRefused, match=r"169\.254\.169\.254 is a link-local"):
            client.get("http://169.254.169.254/latest/meta-data/")
    assert recorder.hosts == ["127.0.0.1"], "refused destinations are never connected to"


async def test_server_transport_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"hook.test": ["127.0.0.1"], "bad.test": ["::1"]}

    async def getaddrinfo(self: Any, host: str, port: Any, **kwargs: Any) -> list[Any]:
        return _fake_dns(answers)(host, port)

    monkeypatch.setattr(type(asyncio.get_running_loop()), "getaddrinfo", getaddrinfo)
    transport = server_outbound.guarded_transport(
        server_outbound.OutboundPolicy.parse("127.0.0.1,named.test")
    )
    recorder = _Recorder()

    class AsyncRecorder:
        async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
            return recorder.connect_tcp(host, port)

    transport._pool._network_backend.inner = AsyncRecorder()
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(httpx.ConnectError, match="recorded"):
            await client.post("http://hook.test:9/x", content=b"{}")
        with pytest.raises(httpx.ConnectError, match="recorded"):  # allowed by name: not resolved here
            await client.post("http://named.test:9/x", content=b"{}")
        with pytest.raises(server_outbound.OutboundRefused, match=r"bad.test \(::1\) is a loopback"):
            await client.post("http://bad.test:9/x", content=b"{}")
        with pytest.raises(server_outbound.OutboundRefused, match=r"10\.0\.0\.1 is a private"):
            await client.post("http://10.0.0.1/x", content=b"{}")
    assert recorder.hosts == ["127.0.0.1", "named.test"]
