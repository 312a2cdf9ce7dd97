"""The SSRF guard, alone and inside the fetcher over real loopback sockets."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from jianbao.collect.ssrf import (
    BlockedAddress,
    GuardedResolver,
    address_allowed,
    check_url,
    is_public,
    parse_allowlist,
)
from jianbao.errors import FetchError
from jianbao.records import FetchedPage
from jianbao.testing import LoopbackSite, Route, make_settings

Fetch = Callable[..., FetchedPage]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not address_allowed(address, [])


@pytest.mark.parametrize("address", ["1.1.1.1", "223.5.5.5", "2400:3200::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_allowed(address, [])


def test_allowlist_opens_exactly_its_networks() -> None:
    allow = parse_allowlist(["127.0.0.1/32", "10.0.0.0/8"])
    assert address_allowed("127.0.0.1", allow)
    assert address_allowed("10.9.9.9", allow)
    assert not address_allowed("127.0.0.2", allow)
    assert not address_allowed("192.168.0.1", allow)
    assert not is_public(ipaddress.ip_address("10.9.9.9"))


def test_bad_allowlist_entry_is_a_clear_error() -> None:
    with pytest.raises(FetchError, match=r"ssrf|SSRF"):
        parse_allowlist(["not-a-network"])


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="http"):
        check_url(url, [])


def test_ip_literal_checked_before_connecting() -> None:
    with pytest.raises(FetchError, match="内网"):
        check_url("http://192.168.0.1/admin", [])
    check_url("http://8.8.8.8/", [])


def test_loopback_refused_without_allowlist(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path, ssrf_allowlist=[])
    site.routes.update({"/": Route(b"secret")})
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, site.url("/"))
    assert not caught.value.retryable
    assert site.hits["/"] == 0


def test_host_name_checked_on_its_resolved_address(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    """``localhost`` is no IP literal: the guarded resolver refuses it at connect time."""
    settings = make_settings(tmp_path, ssrf_allowlist=[])
    site.routes.update({"/": Route(b"secret")})
    with pytest.raises(FetchError, match="内网") as caught:
        fetch_one(settings, f"http://localhost:{site.port}/")
    assert not caught.value.retryable
    assert site.hits["/"] == 0


def test_allowlisted_host_name_resolves(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path, ssrf_allowlist=["127.0.0.0/8", "::1/128"])
    site.routes.update({"/": Route(b"ok")})
    assert fetch_one(settings, f"http://localhost:{site.port}/").body == b"ok"


def test_redirect_to_private_address_refused(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path, ssrf_allowlist=["127.0.0.1/32"])
    routes = {
        "/go": Route(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        "/go6": Route(status=301, headers={"Location": "http://[::1]:9/x"}),
    }
    site.routes.update(routes)
    with pytest.raises(FetchError, match=r"169\.254\.169\.254"):
        fetch_one(settings, site.url("/go"))
    with pytest.raises(FetchError, match="内网"):
        fetch_one(settings, site.url("/go6"))


def test_redirect_to_other_scheme_refused(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path)
    routes = {"/go": Route(status=302, headers={"Location": "file:///etc/passwd"})}
    site.routes.update(routes)
    with pytest.raises(FetchError, match="http"):
        fetch_one(settings, site.url("/go"))


# -- IPv6 forms carrying an IPv4 address (issue 14, item 3) --------------------------------

FORBIDDEN_V4 = ["127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"]


def _carriers(v4: str) -> dict[str, str]:
    """``v4`` inside each IPv6 form that carries an IPv4 address."""
    n = int(ipaddress.IPv4Address(v4))
    hi, lo = f"{n >> 16:x}", f"{n & 0xFFFF:x}"
    obfuscated = n ^ 0xFFFFFFFF
    return {
        "6to4": f"2002:{hi}:{lo}::1",
        "6to4 host part": f"2002:{hi}:{lo}:1:2:3:4:5",
        "NAT64": f"64:ff9b::{v4}",
        "NAT64 local use": f"64:ff9b:1::{v4}",
        "IPv4-compatible": f"::{v4}",
        "IPv4-mapped": f"::ffff:{v4}",
        "IPv4-translated": f"::ffff:0:{v4}",
        # Teredo: a public server, the client's address obfuscated in the last 32 bits
        "Teredo": f"2001:0:0808:0808:8000:0:{obfuscated >> 16:x}:{obfuscated & 0xFFFF:x}",
    }


@pytest.mark.parametrize("v4", FORBIDDEN_V4)
def test_ipv6_forms_carrying_a_forbidden_ipv4_are_refused(v4: str) -> None:
    for form, address in _carriers(v4).items():
        assert not address_allowed(address, []), (form, address)
        with pytest.raises(FetchError, match="内网"):
            check_url(f"http://[{address}]/", [])


def test_ipv6_forms_are_judged_by_the_ipv4_they_carry() -> None:
    carriers = _carriers("8.8.8.8")
    for form in ("6to4", "NAT64", "IPv4-mapped"):
        assert address_allowed(carriers[form], []), form
    # allowlisting the IPv4 address opens its IPv6 spellings too
    allow = parse_allowlist(["127.0.0.1/32"])
    assert address_allowed(_carriers("127.0.0.1")["6to4"], allow)
    assert not address_allowed(_carriers("127.0.0.2")["6to4"], allow)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    v4=st.sampled_from(["127.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16"]).flatmap(
        lambda net: st.ip_addresses(v=4, network=net)
    ),
    suffix=st.integers(min_value=0, max_value=2**80 - 1),
)
def test_any_6to4_address_of_a_forbidden_ipv4_is_refused(
    v4: ipaddress.IPv4Address, suffix: int
) -> None:
    address = ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | suffix)
    assert not address_allowed(address, [])


def test_a_resolver_answer_in_6to4_form_is_refused() -> None:
    """A DNS answer is judged the same way: a name resolving to 2002:7f00:1:: is refused."""

    class Answers(AbstractResolver):
        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> list[ResolveResult]:
            return [
                ResolveResult(
                    hostname=host, host=a, port=port, family=socket.AF_INET6, proto=0, flags=0
                )
                for a in ("2002:7f00:1::1", "64:ff9b::a00:1")
            ]

        async def close(self) -> None:
            return None

    resolver = GuardedResolver([], Answers())
    with pytest.raises(BlockedAddress):
        asyncio.run(resolver.resolve("rebind.example.cn", 80))
