"""Where a webhook may be delivered: public addresses only, checked after DNS resolution.

Loopback, private, link-local (cloud metadata lives at 169.254.169.254), shared, multicast, reserved and
unspecified addresses are refused, at registration and again at each delivery, so a name that later
resolves to 127.0.0.1 is refused too. Delivery connects to the address that was checked, not to whatever
the name resolves to a moment later. STANDING_WEBHOOKS_ALLOW_LOOPBACK=true allows loopback alone, for
tests and local development.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from domain.infra.config import Settings

MAX_URL_LENGTH = 2000
RESOLVE_TIMEOUT_SECONDS = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not public, not flagged private


class AddressRefused(Exception):
    """The URL may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Destination:
    url: SplitResult
    address: IPAddress  # the checked address delivery connects to

    @property
    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address (the original host goes in Host and SNI)."""
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = host + (f":{self.url.port}" if self.url.port else "")
        return self.url._replace(netloc=netloc).geturl()


def why_refused(address: IPAddress, *, allow_loopback: bool) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if allow_loopback else "loopback addresses cannot receive webhooks"
    if address.is_link_local:
        return "link-local addresses (such as the cloud metadata service) cannot receive webhooks"
    if address.is_private or (address.version == 4 and address in SHARED):
        return "private addresses cannot receive webhooks"
    if address.is_multicast or address.is_reserved or address.is_unspecified or not address.is_global:
        return "only public addresses can receive webhooks"
    return None


def parse_url(url: str) -> SplitResult:
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"at most {MAX_URL_LENGTH} characters")
    if "\x00" in url or any(c.isspace() for c in url):
        raise AddressRefused("must not contain spaces or NUL characters")
    try:
        parsed = urlsplit(url)
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as bad:
        raise AddressRefused(f"is not a URL ({bad})") from None
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise AddressRefused("must be an http or https URL")
    if parsed.username or parsed.password:
        raise AddressRefused("must not carry credentials")
    return parsed


async def resolve(url: str, *, allow_loopback: bool | None = None) -> Destination:
    """The checked destination of a webhook URL, or AddressRefused."""
    allow = Settings.from_env().webhooks_allow_loopback if allow_loopback is None else allow_loopback
    parsed = parse_url(url)
    host = parsed.hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = await _lookup(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    for address in addresses:  # every address the name has must be acceptable, or a later lookup could pick one
        if (problem := why_refused(address, allow_loopback=allow)) is not None:
            raise AddressRefused(f"{host} resolves to {address}: {problem}")
    return Destination(parsed, addresses[0])


async def _lookup(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, UnicodeError) as failed:
        raise AddressRefused(f"{host} does not resolve ({type(failed).__name__})") from None
    found = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not found:
        raise AddressRefused(f"{host} does not resolve")
    return found
