"""The SSRF guard, alone and inside the fetcher over real loopback sockets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.collect.ssrf import address_allowed, check_url, is_public, parse_allowlist
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
    assert not is_public(__import__("ipaddress").ip_address("10.9.9.9"))


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
