"""Hosts spelt so the guard and the HTTP client read them differently (issue 14, item 1).

yarl, which aiohttp uses, maps a host through IDNA/NFKC: ``１２７.０.０.２``,
``127。0。0。2`` or circled digits become the IP literal ``127.0.0.2`` and aiohttp connects
without asking the resolver. The C resolver reads ``2130706433`` or ``0x7f.1`` as IPv4.
These tests spell forbidden addresses every way the client accepts, and send them down
every path a URL takes into jianbao, against a real server on 127.0.0.2 that must never be
reached (127.0.0.1 is the allowlisted "public" site).
"""

from __future__ import annotations

import asyncio
import ipaddress
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from unicodedata import ucd_3_2_0

import aiohttp
import idna
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jianbao.collect.ssrf import (
    BlockedAddress,
    check_url,
    client_url,
    guarded_socket,
    parse_allowlist,
)
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.errors import FetchError
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.sources import probe_source
from jianbao.testing import LoopbackSite, Route, make_settings

#: the spellings the attacker used, with 127.0.0.2 (the forbidden test site) inside
SPELLINGS = [
    "１２７.０.０.２",  # fullwidth digits
    "127。0。0。2",  # ideographic full stops
    "127．0．0．2",  # fullwidth full stops
    "127｡0｡0｡2",  # halfwidth ideographic full stops
    "①②⑦.⓪.⓪.②",  # circled digits
    "⑫7.0.0.2",  # one circled number for two digits
    "𝟏𝟐𝟕.𝟎.𝟎.𝟐",  # mathematical bold digits
    "2130706434",  # the address as one decimal number
    "0x7f.2",  # hexadecimal, two parts
    "0177.0.0.2",  # octal
    "127.2",
]

FORBIDDEN_V4 = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "224.0.0.0/4",
    "240.0.0.0/4",
]


def _equivalents(mapping: str) -> dict[str, list[str]]:
    """Every character the client's IDNA mapping reads as a run of ASCII digits and dots
    (①→1, ⑫→12, ⒈→1., ．→.), by that run.

    yarl encodes a host with UTS #46 (the ``idna`` package, current Unicode) and, when
    that refuses it, with Python's IDNA 2003 codec (nameprep, Unicode 3.2): the two
    read different characters as digits, and a host mixing both is read by neither as
    an address. So there are two alphabets, ``mapping`` names one: candidates are the
    characters that version's NFKC maps to such a run, plus the ideographic full stop
    (a label separator in both); each is kept only when that encoder reads it so."""
    normalize = unicodedata.normalize if mapping == "uts46" else ucd_3_2_0.normalize
    table: dict[str, list[str]] = {}
    for code in range(0x80, 0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        mapped = "." if char == "。" else normalize("NFKC", char)
        if not mapped or len(mapped) > 3 or not all(c in "0123456789." for c in mapped):
            continue
        try:
            if mapping == "uts46":
                read = idna.encode(f"a{char}b", uts46=True).decode()
            else:
                read = f"a{char}b".encode("idna").decode()
        except (UnicodeError, idna.IDNAError):
            continue
        if read == f"a{mapped}b":
            table.setdefault(mapped, []).append(char)
    return table


ALPHABETS = [_equivalents("uts46"), _equivalents("nameprep")]


@st.composite
def unicode_spelling(draw: st.DrawFn, address: str) -> str:
    """``address`` with each run of characters replaced, at random, by a Unicode spelling
    from one alphabet."""
    alphabet = draw(st.sampled_from(ALPHABETS))
    out: list[str] = []
    rest = address
    while rest:
        choices = [run for run in alphabet if rest.startswith(run)]
        run = draw(st.sampled_from(sorted(choices, key=len)) | st.just(rest[0]))
        out.append(draw(st.sampled_from([*alphabet.get(run, []), run])))
        rest = rest[len(run) :]
    return "".join(out)


@st.composite
def forbidden_ipv4(draw: st.DrawFn) -> ipaddress.IPv4Address:
    network = draw(st.sampled_from(FORBIDDEN_V4))
    return draw(st.ip_addresses(v=4, network=network))


@st.composite
def numeric_spelling(draw: st.DrawFn, address: ipaddress.IPv4Address) -> str:
    """The address as the C resolver's inet_aton reads it: 1 to 4 parts, the last one
    holding the remaining bits, each in decimal, octal or hexadecimal."""
    value = int(address)
    parts = draw(st.integers(min_value=1, max_value=4))
    numbers = [(value >> (8 * (3 - i))) & 0xFF for i in range(parts - 1)]
    numbers.append(value & ((1 << (8 * (5 - parts))) - 1))

    def spell(n: int) -> str:
        form = draw(st.sampled_from(["dec", "oct", "hex", "HEX"]))
        if form == "oct":
            return "0" + format(n, "o")
        if form == "hex":
            return "0x" + format(n, "x")
        if form == "HEX":
            return "0X" + format(n, "X")
        return str(n)

    return ".".join(spell(n) for n in numbers)


@hypothesis_settings(max_examples=300, deadline=None)
@given(data=st.data(), address=forbidden_ipv4())
def test_every_unicode_spelling_of_a_forbidden_address_is_refused(
    data: st.DataObject, address: ipaddress.IPv4Address
) -> None:
    spelt = data.draw(unicode_spelling(str(address)))
    url = f"http://{spelt}:8080/latest/meta-data/"
    # the spelling is dangerous: the HTTP client reads it as the forbidden literal
    assert client_url(url).raw_host == str(address)
    with pytest.raises(FetchError, match="内网"):
        check_url(url, [])


@hypothesis_settings(max_examples=300, deadline=None)
@given(data=st.data(), address=forbidden_ipv4())
def test_every_numeric_spelling_of_a_forbidden_address_is_refused(
    data: st.DataObject, address: ipaddress.IPv4Address
) -> None:
    spelt = data.draw(numeric_spelling(address))
    with pytest.raises(FetchError, match=str(address).replace(".", r"\.")):
        check_url(f"http://{spelt}/", [])


@pytest.mark.parametrize(
    "host",
    [
        "[::１]",  # a fullwidth digit inside IPv6 brackets
        "[::ｆｆｆｆ:１２７.０.０.１]",
        "[２００２:７ｆ００:１::１]",  # 6to4 carrying 127.0.0.1
        "127.0.0.1.",  # a trailing dot
        "１２７.０.０.１.",
        "0x7f.0x0.0x0.0x1",
    ],
)
def test_other_spellings_of_loopback_are_refused(host: str) -> None:
    with pytest.raises(FetchError, match="内网"):
        check_url(f"http://{host}:8080/", [])


@pytest.mark.parametrize("name", ["fade.cafe", "0x.example.cn", "1e100.net", "a1.b2"])
def test_names_that_look_numeric_are_left_to_the_resolver(name: str) -> None:
    assert client_url(check_url(f"http://{name}/", [])).raw_host == name


def test_an_allowlisted_unicode_spelling_is_read_as_its_address() -> None:
    allow = parse_allowlist(["127.0.0.2/32"])
    assert check_url("http://１２７.０.０.２:80/", allow).raw_host == "127.0.0.2"


# -- over real sockets: the forbidden site must never see a request ------------------------


@pytest.fixture
def forbidden() -> Iterator[LoopbackSite]:
    """A site on 127.0.0.2, which the settings below do not allowlist."""
    with LoopbackSite({"/secret": Route(b"internal secret")}, host="127.0.0.2") as site:
        yield site


@pytest.fixture
def public() -> Iterator[LoopbackSite]:
    """The allowlisted "public" site on 127.0.0.1."""
    with LoopbackSite() as site:
        yield site


@pytest.fixture
def guarded(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, ssrf_allowlist=["127.0.0.1/32"], retries=0)


def _secret(forbidden: LoopbackSite, spelling: str) -> str:
    """The forbidden site's secret page, its address spelt ``spelling``."""
    return f"http://{spelling}:{forbidden.port}/secret"


def _fetch(settings: Settings, url: str) -> None:
    from jianbao.collect.fetcher import Fetcher

    async def go() -> None:
        async with Fetcher(settings) as fetcher:
            await fetcher.fetch(url)

    asyncio.run(go())


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_direct_fetch_of_a_spelt_address_never_connects(
    spelling: str, forbidden: LoopbackSite, guarded: Settings
) -> None:
    with pytest.raises(FetchError, match="内网") as caught:
        _fetch(guarded, _secret(forbidden, spelling))
    assert not caught.value.retryable
    assert sum(forbidden.hits.values()) == 0


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_redirect_to_a_spelt_address_never_connects(
    spelling: str, forbidden: LoopbackSite, public: LoopbackSite, guarded: Settings
) -> None:
    # the Location header carries the UTF-8 bytes as sent on the wire
    location = _secret(forbidden, spelling).encode().decode("latin-1")
    public.routes["/go"] = Route(status=302, headers={"Location": location})
    with pytest.raises(FetchError, match="内网"):
        _fetch(guarded, public.url("/go"))
    assert public.hits["/go"] == 1
    assert sum(forbidden.hits.values()) == 0


def _feed(link: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>健康报</title>"
        f"<item><title>某省推进全民健康信息平台建设</title><link>{link}</link></item>"
        "</channel></rss>"
    ).encode()


def test_sources_test_of_a_spelt_address_never_connects(
    forbidden: LoopbackSite, public: LoopbackSite, guarded: Settings
) -> None:
    """``jianbao sources test`` and the workstation's 试抓 both run ``probe_spec``."""
    from jianbao.web.services import preview_source

    with pytest.raises(FetchError, match="内网"):
        asyncio.run(probe_source(guarded, _secret(forbidden, "１２７.０.０.２")))
    public.routes["/rss.xml"] = Route(
        _feed(_secret(forbidden, "127。0。0。2")), content_type="application/rss+xml"
    )
    probe = asyncio.run(probe_source(guarded, public.url("/rss.xml")))
    assert probe.article is None and "内网" in (probe.article_error or "")
    tried = preview_source(guarded, SourceSpec(name="健康报", url=public.url("/rss.xml")))
    assert tried.article is None and "内网" in (tried.article_error or "")
    assert sum(forbidden.hits.values()) == 0


def test_collect_url_of_a_spelt_address_never_connects(
    forbidden: LoopbackSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JIANBAO_SSRF_ALLOWLIST", '["127.0.0.1/32"]')
    monkeypatch.setenv("JIANBAO_DATABASE_URL", "")
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["collect", "--url", _secret(forbidden, "①②⑦.⓪.⓪.②")])
    assert "内网" in result.output
    assert sum(forbidden.hits.values()) == 0


@pytest.mark.parametrize("kind", ["feed", "sitemap", "listing"])
def test_links_to_a_spelt_address_are_refused_in_a_cycle(
    kind: str, forbidden: LoopbackSite, public: LoopbackSite, guarded: Settings
) -> None:
    link = _secret(forbidden, "127．0．0．2")
    if kind == "feed":
        public.routes["/src"] = Route(_feed(link), content_type="application/rss+xml")
    elif kind == "sitemap":
        body = f"<urlset><url><loc>{link}</loc></url></urlset>".encode()
        public.routes["/src"] = Route(body, content_type="application/xml")
    else:
        body = f"<html><body><ul><li><a href='{link}'>某省推进全民健康信息平台建设</a></li></ul>"
        public.routes["/src"] = Route(f"{body}</body></html>".encode())
    db = Database.from_settings(guarded)
    try:
        with db.session() as session:
            add_source(session, SourceSpec(name="某省卫健委", url=public.url("/src"), kind=kind))
        report = asyncio.run(Pipeline(guarded, db).run_cycle())
    finally:
        db.close()
    assert public.hits["/src"] == 1
    assert report.articles_new == 0
    if kind == "listing":
        # a listing keeps links of its own site only: the other address is never a link
        assert report.links_found == 0
    else:
        assert report.links_found == 1
        assert any("内网" in error for error in report.errors), report.errors
    assert sum(forbidden.hits.values()) == 0


def test_the_socket_factory_refuses_what_slipped_past_the_url_check(
    forbidden: LoopbackSite,
) -> None:
    """The last line: even a URL never passed to ``check_url`` cannot open a socket to a
    forbidden address when the connector uses ``guarded_socket``."""

    async def get(allow: list[str]) -> int:
        connector = aiohttp.TCPConnector(socket_factory=guarded_socket(parse_allowlist(allow)))
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.get(forbidden.url("/secret")) as response,
        ):
            return response.status

    with pytest.raises(aiohttp.ClientConnectorError) as caught:
        asyncio.run(get(["127.0.0.1/32"]))
    assert isinstance(caught.value.os_error, BlockedAddress)
    assert sum(forbidden.hits.values()) == 0
    assert asyncio.run(get(["127.0.0.2/32"])) == 200
    assert forbidden.hits["/secret"] == 1
