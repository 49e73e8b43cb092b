"""Decide whether an address may be fetched: public Internet addresses yes, the crawler's own networks no."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 forms that carry an IPv4 address inside: a request to one reaches the embedded IPv4 host, so that
# host is what gets judged (::ffff:10.0.0.1 is 10.0.0.1; NAT64 64:ff9b::a00:1 is routed to 10.0.0.1).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def parse_ip(host: str) -> IPAddress | None:
    """``host`` as an IP address when it is an IP literal (``[::1]`` brackets allowed), else ``None``."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def non_public_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public Internet address (``"loopback"``, ``"private"``...), or ``None``."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        return non_public_kind(inner)
    # The specific kinds first: they make the refusal message say what the address is.
    for kind in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind
    # Shared address space (100.64/10, carrier NAT), benchmarking and documentation ranges are not private
    # in Python's sense but are not on the public Internet either.
    if not address.is_global:
        return "non_global"
    return None


@dataclass(frozen=True)
class TargetPolicy:
    """Which addresses a crawl may connect to.

    By default only public Internet addresses: a crawler on a server must not be steered (by a link, a
    redirect or a DNS answer) into its own network, cloud metadata services (169.254.169.254) or localhost.
    """

    allow_private: bool = False
    """Allow every address (tests, a crawl of one's own intranet)."""
    allowed_networks: tuple[IPNetwork, ...] = ()
    """Non-public networks allowed anyway (an intranet news site at 10.1.2.0/24)."""

    @classmethod
    def from_values(cls, allow_private: bool, allowed_networks: Iterable[str]) -> TargetPolicy:
        """Build a policy from setting values; ``ValueError`` names a network that is not one."""
        networks: list[IPNetwork] = []
        for text in allowed_networks:
            text = text.strip()
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError as error:
                raise ValueError(f"NEWSCRAWL_ALLOWED_NETWORKS: {text!r} is not an IP network") from error
        return cls(allow_private=allow_private, allowed_networks=tuple(networks))

    def refusal(self, address: IPAddress | str) -> str | None:
        """The reason ``address`` may not be fetched under this policy, or ``None`` when it may."""
        if isinstance(address, str):
            parsed = parse_ip(address)
            if parsed is None:
                return f"{address!r} is not an IP address"
            address = parsed
        if self.allow_private:
            return None
        kind = non_public_kind(address)
        if kind is None:
            return None
        reached = _embedded_ipv4(address) or address
        if any(
            reached.version == network.version and reached in network for network in self.allowed_networks
        ):
            return None
        return f"{address} is a {kind.replace('_', '-')} address"
