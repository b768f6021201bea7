"""Where the relay's own outbound requests may go (task callbacks): the one address rule.

A URL someone else chose (an integration's `callbackUrl`) must not aim the relay at
itself, its network or the cloud's metadata service. So every connection is checked AFTER
DNS resolution: each address the name resolves to must be public (not loopback, private,
link-local — 169.254.169.254 is there —, shared/CGNAT, multicast, reserved or unspecified;
IPv4 inside IPv6 is judged as IPv4), unless the host name, or a CIDR holding the address, is
listed in AGENT_RELAY_OUTBOUND_ALLOW. The connection then goes to the address that was
checked (pinned: a second lookup cannot answer differently — DNS rebinding), while TLS still
verifies the certificate against the host name. Redirects are never followed by the callers.

The SDK's webhook connector keeps a copy of this rule (sdk/agent_relay_client/outbound.py):
`server/` and `sdk/` never import each other."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SETTING = "AGENT_RELAY_OUTBOUND_ALLOW"


class OutboundRefused(httpx.ConnectError):
    """The destination is inward and not allowed: no connection was made."""


def _embedded_v4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), else the address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def inward_kind(address: IPAddress) -> str | None:
    """Why an address is not a public destination ("loopback", ...), or None if it is."""
    address = _embedded_v4(address)
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


@dataclass(frozen=True, slots=True)
class OutboundPolicy:
    """The allow list: host names (exact, case-insensitive) and networks."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, value: str) -> OutboundPolicy:
        """`host,10.0.0.0/8,127.0.0.1,::1`; raises ValueError naming a bad entry."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (part.strip() for part in value.split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            name = entry.lower().rstrip(".")
            if not name or any(c in name for c in "/:@ *") or name.startswith("."):
                raise ValueError(f"expected host names or CIDRs, got {entry!r}")
            hosts.add(name)
        return cls(frozenset(hosts), tuple(networks))

    def host_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """The reason a connection to `address` (for `host`) is refused, or None."""
        kind = inward_kind(address)
        if kind is None or any(address in net for net in self.networks):
            return None
        if (mapped := _embedded_v4(address)) is not address and any(mapped in n for n in self.networks):
            return None
        shown = host if host == str(address) else f"{host} ({address})"
        return f"refused: {shown} is a {kind} address, not listed in {SETTING}"

    def pick(self, host: str, addresses: Iterable[str]) -> str:
        """The address to connect to: the first one, once every one passed (a name that
        resolves to one public and one private address is refused)."""
        found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
        if not found:
            raise OutboundRefused(f"refused: {host} did not resolve")
        for address in found:
            if (reason := self.refusal(host, address)) is not None:
                raise OutboundRefused(reason)
        return str(found[0])


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, and connects to the checked address (httpcore still does TLS
    against the original host name)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, policy: OutboundPolicy) -> None:
        self.inner = inner
        self.policy = policy

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not self.policy.host_allowed(host):
            if (literal := _literal(host)) is not None:
                addresses = [literal]
            else:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
                addresses = [str(info[4][0]) for info in infos]
            host = self.policy.pick(host, addresses)
        return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused("refused: unix sockets are not an outbound destination")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(policy: OutboundPolicy, **kwargs: Any) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection obeys `policy` (kwargs: limits, ...)."""
    transport = httpx.AsyncHTTPTransport(**kwargs)
    pool = transport._pool  # httpx keeps its httpcore pool here; the backend is its seam
    pool._network_backend = _GuardedBackend(pool._network_backend, policy)
    return transport
