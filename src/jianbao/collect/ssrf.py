"""The SSRF guard: jianbao fetches public web pages, never the machine's own network.

Sources and pasted URLs come from people and from feeds, so a link may point at
``127.0.0.1``, a router on ``192.168.x.x`` or a cloud metadata address. A URL is refused
when its host resolves to a loopback, private, link-local, reserved, multicast or
unspecified address, unless that address is in ``Settings.ssrf_allowlist``.

The check runs on the address actually connected to (``GuardedResolver`` is the
connector's resolver, so a DNS answer that changes between check and connect cannot slip
through), and the fetcher calls ``check_url`` on every redirect hop, which also covers IP
literals (aiohttp does not send those through the resolver).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from jianbao.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = ("http", "https")


class BlockedAddress(OSError):
    """Raised inside the connector when a host resolves only to forbidden addresses.

    An OSError so aiohttp wraps it like any resolution failure; the fetcher unwraps it and
    reports a non-retryable FetchError.
    """

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} resolves to a non-public address {address}")
        self.host = host
        self.address = address


def parse_allowlist(entries: Iterable[str]) -> list[IPNetwork]:
    """Turn allowlist entries (addresses or CIDR networks) into networks."""
    networks: list[IPNetwork] = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise FetchError(
                f"SSRF 白名单条目无法解析：{text}",
                item=text,
                hint="ssrf_allowlist 只接受 IP 地址或 CIDR 网段，如 127.0.0.1/32",
            ) from exc
    return networks


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def address_allowed(address: str | IPAddress, allowlist: Iterable[IPNetwork]) -> bool:
    """True when ``address`` is public or explicitly allowlisted."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip.version == net.version and ip in net for net in allowlist):
        return True
    return is_public(ip)


def blocked_error(url: str, host: str, address: str) -> FetchError:
    return FetchError(
        f"拒绝访问内网或保留地址：{host} → {address}",
        item=url,
        hint="若确需抓取该地址，把它加入 ssrf_allowlist（如 127.0.0.1/32）",
        retryable=False,
    )


def check_url(url: str, allowlist: Iterable[IPNetwork]) -> None:
    """Refuse a URL before any connection: wrong scheme, no host, or a forbidden IP literal.

    Host names are checked later, on their resolved addresses, by ``GuardedResolver``.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError("网址格式错误", item=url, hint="检查网址是否完整") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError(
            f"只支持 http 和 https 网址，不支持 {parts.scheme or '（无协议）'}",
            item=url,
            hint="使用以 http:// 或 https:// 开头的网址",
        )
    if not host:
        raise FetchError("网址缺少主机名", item=url, hint="检查网址是否完整")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return
    if not address_allowed(literal, list(allowlist)):
        raise blocked_error(url, host, str(literal))


class GuardedResolver(AbstractResolver):
    """A resolver that drops forbidden addresses from every answer.

    When nothing is left it raises ``BlockedAddress``, so the connector never opens a
    socket to a forbidden address, whatever the DNS answered.
    """

    def __init__(self, allowlist: Iterable[IPNetwork], inner: AbstractResolver | None = None):
        self._allowlist = list(allowlist)
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        allowed = [a for a in answers if address_allowed(a["host"], self._allowlist)]
        if not allowed:
            first = answers[0]["host"] if answers else "?"
            raise BlockedAddress(host, first)
        return allowed

    async def close(self) -> None:
        await self._inner.close()
