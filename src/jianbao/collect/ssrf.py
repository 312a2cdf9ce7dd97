"""The SSRF guard: jianbao fetches public web pages, never the machine's own network.

Sources and pasted URLs come from people and from feeds, so a link may point at
``127.0.0.1``, a router on ``192.168.x.x`` or a cloud metadata address. A URL is refused
when its host resolves to a loopback, private, link-local, reserved, multicast or
unspecified address, unless that address is in ``Settings.ssrf_allowlist``.

The check runs on the address actually connected to (``GuardedResolver`` is the
connector's resolver, so a DNS answer that changes between check and connect cannot slip
through), and the fetcher calls ``check_url`` on every redirect hop, which also covers IP
literals (aiohttp does not send those through the resolver).

Hosts are judged as the HTTP client will connect to them, not as they are spelt: yarl
(which aiohttp uses) maps a host through IDNA/NFKC, so ``１２７.０.０.１``, ``127。0。0。1``
or circled digits become the literal ``127.0.0.1``, and the C resolver reads
``2130706433``, ``0x7f.1`` or ``0177.0.0.1`` as IPv4. ``check_url`` parses with yarl and
reads those numeric forms the way the resolver does; ``guarded_socket`` then checks the
very address each socket is about to connect to, whatever path led there.

IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible, 6to4, Teredo, NAT64)
are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from jianbao.errors import AddressRefused, FetchError

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


#: NAT64 prefixes (RFC 6052 well-known, RFC 8215 local use) whose last 32 bits are IPv4
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
#: IPv4-compatible (::a.b.c.d, deprecated) and IPv4-translated (::ffff:0:a.b.c.d, SIIT)
_TAIL_IPV4 = (ipaddress.ip_network("::/96"), ipaddress.ip_network("::ffff:0:0:0/96"))


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (none for a plain address).

    Such an address reaches, or is translated to, the IPv4 address inside it, so the
    guard judges it by that address: ``2002:7f00:1::`` (6to4) is 127.0.0.1.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if any(address in net for net in _NAT64 + _TAIL_IPV4):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def _plainly_public(address: IPAddress) -> bool:
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet (an IPv6 address carrying an IPv4 one
    is public when the IPv4 address is): allowed with nothing allowlisted."""
    return address_allowed(address, ())


def address_allowed(address: str | IPAddress, allowlist: Iterable[IPNetwork]) -> bool:
    """True when ``address`` is public or explicitly allowlisted (for an IPv6 address
    carrying an IPv4 one: when the IPv4 address is)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    networks = list(allowlist)

    def listed(candidate: IPAddress) -> bool:
        return any(candidate.version == net.version and candidate in net for net in networks)

    if listed(ip):
        return True
    carried = embedded_ipv4(ip)
    if carried:
        return all(listed(inner) or _plainly_public(inner) for inner in carried)
    return _plainly_public(ip)


def blocked_error(url: str, host: str, address: str) -> AddressRefused:
    return AddressRefused(
        f"拒绝访问内网或保留地址：{host} → {address}",
        item=url,
        hint="若确需抓取该地址，把它加入 ssrf_allowlist（如 127.0.0.1/32）",
        retryable=False,
    )


def client_url(url: str | URL) -> URL:
    """The URL as aiohttp will use it (yarl applies IDNA/NFKC to the host)."""
    try:
        parsed = url if isinstance(url, URL) else URL(url)
        parsed.raw_host  # noqa: B018 - IDNA decoding of the host may fail here
    except (ValueError, UnicodeError) as exc:
        raise FetchError("网址格式错误", item=str(url), hint="检查网址是否完整") from exc
    return parsed


def host_address(host: str) -> IPAddress | None:
    """The address a host connects to without DNS: an IP literal, or an IPv4 number in
    a form the C resolver accepts (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``).
    A trailing dot (``127.0.0.1.``) is read past: a resolver may accept it."""
    host = host.rstrip(".") if ":" not in host else host
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
        return None
    if not host[0].isdigit():
        return None  # a name such as "abc.de" or "fade.cafe"
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def check_url(url: str | URL, allowlist: Iterable[IPNetwork]) -> URL:
    """Refuse a URL before any connection: wrong scheme, no host, or a host that is a
    forbidden address as the client will read it. Returns the URL the client should use.

    Host names are checked later, on their resolved addresses, by ``GuardedResolver``,
    and every socket by ``guarded_socket``.
    """
    parsed = client_url(url)
    text = str(url)
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(
            f"只支持 http 和 https 网址，不支持 {scheme or '（无协议）'}",
            item=text,
            hint="使用以 http:// 或 https:// 开头的网址",
        )
    host = parsed.raw_host
    if not host:
        raise FetchError("网址缺少主机名", item=text, hint="检查网址是否完整")
    literal = host_address(host)
    if literal is not None and not address_allowed(literal, allowlist):
        raise blocked_error(text, _spelt_host(text) or host, str(literal))
    return parsed


def _spelt_host(url: str) -> str | None:
    """The host as written in the URL (may differ from what the client connects to)."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def guarded_socket(
    allowlist: Iterable[IPNetwork],
) -> Callable[[tuple[Any, Any, int, str, tuple[Any, ...]]], socket.socket]:
    """A socket factory for aiohttp's connector that refuses to create a socket for a
    forbidden address: the last check, on the address actually connected to."""
    networks = list(allowlist)

    def factory(addr_info: tuple[Any, Any, int, str, tuple[Any, ...]]) -> socket.socket:
        family, kind, proto, _canonical, sockaddr = addr_info
        address = str(sockaddr[0])
        if not address_allowed(address.split("%", 1)[0], networks):
            raise BlockedAddress(address, address)
        return socket.socket(family=family, type=kind, proto=proto)

    return factory


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


def blocked_cause(exc: BaseException) -> BlockedAddress | None:
    """The guard's refusal behind a connector error (aiohttp wraps it once or twice), so
    the caller can report a refused address instead of a plain connection failure."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, BlockedAddress):
            return seen
        os_error = getattr(seen, "os_error", None)
        if isinstance(os_error, BlockedAddress):
            return os_error
        seen = seen.__cause__ or seen.__context__
    return None
