"""Sources behind a JavaScript cookie challenge, fetched through Debian's Chromium."""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from jianbao.collect.browser import BrowserFetcher
from jianbao.collect.fetcher import Fetcher
from jianbao.config import Settings
from jianbao.errors import FetchError
from jianbao.testing import LoopbackSite, Route, make_settings

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Debian's chromium is not installed"
)

CHALLENGE = (
    b"<html><head><script>document.cookie='jsl_clearance=ok; path=/';"
    b"location.reload();</script></head><body>\xe8\xaf\xb7\xe7\xa8\x8d\xe5\x80\x99</body></html>"
)


def guarded(content: bytes):
    """A page that answers 412 with a cookie-setting script until the cookie is sent."""

    def answer(request: BaseHTTPRequestHandler) -> Route:
        if "jsl_clearance=ok" in (request.headers.get("Cookie") or ""):
            return Route(content)
        return Route(CHALLENGE, status=412)

    return answer


ARTICLE = (
    "<html><head><meta charset='utf-8'><title>某省推进全民健康信息平台建设</title></head><body>"
    "<h1>某省推进全民健康信息平台建设</h1><div class='info'>发布时间：2026-11-18 10:00 "
    "来源：某省卫生健康委员会</div><div class='content'>"
    "<p>近日，某省卫生健康委员会印发方案，加快推进全民健康信息平台建设，实现电子病历互联互通。</p>"
    "<p>方案要求，年底前全省二级以上医院全部接入省级平台，检查检验结果实现互认共享。</p>"
    "</div></body></html>"
).encode()


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        running.routes["/xxgk/t20261118_1.html"] = guarded(ARTICLE)
        running.routes["/xxgk/index.html"] = guarded(
            "<html><body><ul><li><a href='/xxgk/t20261118_1.html'>某省推进全民健康信息平台建设</a>"
            "<span>2026-11-18</span></li></ul></body></html>".encode()
        )
        yield running


def test_plain_http_is_refused_by_the_challenge(sqlite_settings: Settings, site) -> None:
    async def go() -> None:
        async with Fetcher(sqlite_settings) as fetcher:
            await fetcher.fetch(site.url("/xxgk/t20261118_1.html"))

    with pytest.raises(FetchError) as caught:
        asyncio.run(go())
    assert caught.value.status == 412


def test_the_browser_passes_the_challenge(sqlite_settings: Settings, site) -> None:
    async def go():
        async with BrowserFetcher(sqlite_settings) as fetcher:
            return await fetcher.fetch(site.url("/xxgk/t20261118_1.html"))

    page = asyncio.run(go())
    assert page.status == 200
    assert "全民健康信息平台" in page.body.decode("utf-8")


def test_the_browser_keeps_the_ssrf_guard(tmp_path, site) -> None:
    closed = make_settings(tmp_path, ssrf_allowlist=[])

    async def go():
        async with BrowserFetcher(closed) as fetcher:
            return await fetcher.fetch(site.url("/xxgk/t20261118_1.html"))

    with pytest.raises(FetchError, match="内网"):
        asyncio.run(go())
    assert site.hits["/xxgk/t20261118_1.html"] == 0


def test_a_missing_browser_is_a_clear_error(tmp_path) -> None:
    settings = make_settings(tmp_path, browser_path=str(tmp_path / "no-chromium"))

    async def go() -> None:
        async with BrowserFetcher(settings):
            pass

    with pytest.raises(FetchError, match="Chromium"):
        asyncio.run(go())


def test_a_browser_source_is_collected_by_the_pipeline(sqlite_settings: Settings, site) -> None:
    from jianbao.db.session import Database
    from jianbao.db.store import add_source
    from jianbao.pipeline import Pipeline
    from jianbao.records import SourceSpec

    db = Database.from_settings(sqlite_settings)
    with db.session() as session:
        add_source(
            session,
            SourceSpec(
                name="某省卫健委",
                url=site.url("/xxgk/index.html"),
                kind="listing",
                render="browser",
            ),
        )
    report = asyncio.run(Pipeline(sqlite_settings, db).run_cycle())
    db.close()
    assert report.errors == [] and report.articles_new == 1


# -- the SSRF guard on every hop (issue 14, item 2) ----------------------------------------
#
# 127.0.0.1 is the allowlisted "public" site, 127.0.0.2 (loopback too, not allowlisted) the
# forbidden one: whatever the page does, the forbidden site must see no request at all.


@pytest.fixture
def forbidden() -> Iterator[LoopbackSite]:
    with LoopbackSite(host="127.0.0.2") as running:
        running.routes["/secret"] = Route(b"<html><body>internal secret</body></html>")
        yield running


@pytest.fixture
def public() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        yield running


@pytest.fixture
def allow_one(tmp_path) -> Settings:
    return make_settings(tmp_path, ssrf_allowlist=["127.0.0.1/32"], browser_wait=1.5)


def _render(settings: Settings, url: str):
    async def go():
        async with BrowserFetcher(settings) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def _page(body: str) -> Route:
    return Route(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode())


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_top_level_redirect_to_a_forbidden_address_is_refused(
    status: int, public: LoopbackSite, forbidden: LoopbackSite, allow_one: Settings
) -> None:
    public.routes["/go"] = Route(status=status, headers={"Location": forbidden.url("/secret")})
    with pytest.raises(FetchError, match="内网") as caught:
        _render(allow_one, public.url("/go"))
    assert not caught.value.retryable
    assert public.hits["/go"] == 1
    assert sum(forbidden.hits.values()) == 0


def test_a_redirect_to_a_forbidden_https_address_is_refused(
    public: LoopbackSite, forbidden: LoopbackSite, allow_one: Settings
) -> None:
    """https:// goes through the proxy as a tunnel: refused before it is opened."""
    target = f"https://127.0.0.2:{forbidden.port}/secret"
    public.routes["/go"] = Route(status=302, headers={"Location": target})
    with pytest.raises(FetchError, match=r"内网.*127\.0\.0\.2") as caught:
        _render(allow_one, public.url("/go"))
    assert not caught.value.retryable
    assert sum(forbidden.hits.values()) == 0


def test_subresources_behind_redirects_never_reach_a_forbidden_address(
    public: LoopbackSite, forbidden: LoopbackSite, allow_one: Settings
) -> None:
    """An image behind a 302, a fetch behind a 307, a script and a stylesheet behind a
    301, an iframe behind a 303: the page still renders, the forbidden site sees nothing."""
    hop = {
        "/img": 302,
        "/api": 307,
        "/app.js": 301,
        "/style.css": 308,
        "/frame": 303,
    }
    for path, status in hop.items():
        target = forbidden.url("/secret") + "?from=" + path
        public.routes[path] = Route(status=status, headers={"Location": target})
    public.routes["/article.html"] = _page(
        "<p>某省推进全民健康信息平台建设</p><img src='/img'><script src='/app.js'></script>"
        "<link rel='stylesheet' href='/style.css'><iframe src='/frame'></iframe>"
        "<script>fetch('/api').catch(() => {});</script>"
    )
    page = _render(allow_one, public.url("/article.html"))
    assert "全民健康信息平台" in page.body.decode("utf-8")
    assert all(public.hits[path] >= 1 for path in hop), public.hits
    assert sum(forbidden.hits.values()) == 0


def test_a_websocket_to_a_forbidden_address_is_refused(
    public: LoopbackSite, forbidden: LoopbackSite, allow_one: Settings
) -> None:
    target = f"ws://127.0.0.2:{forbidden.port}/socket"
    public.routes["/live.html"] = _page(
        f"<p>直播</p><script>const s = new WebSocket('{target}');"
        "s.onerror = () => { document.body.dataset.ws = 'refused'; };</script>"
    )
    page = _render(allow_one, public.url("/live.html"))
    assert "直播" in page.body.decode("utf-8")
    assert sum(forbidden.hits.values()) == 0


def test_a_direct_subresource_on_a_forbidden_address_is_refused(
    public: LoopbackSite, forbidden: LoopbackSite, allow_one: Settings
) -> None:
    secret = forbidden.url("/secret")
    spelt = f"http://１２７.０.０.２:{forbidden.port}/secret"
    public.routes["/p.html"] = _page(
        f"<p>正文</p><img src='{secret}'><img src='{spelt}'>"
        f"<script>fetch('{secret}', {{mode: 'no-cors'}}).catch(() => {{}});</script>"
    )
    assert "正文" in _render(allow_one, public.url("/p.html")).body.decode("utf-8")
    assert sum(forbidden.hits.values()) == 0


class _RebindingDns(AbstractResolver):
    """DNS for the attack: ``news.test`` answers the allowed site first, the forbidden
    address after; other names (Chromium's own background requests) do not exist."""

    def __init__(self) -> None:
        self.questions = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host != "news.test":
            raise OSError(f"{host}: no such name")
        self.questions += 1
        address = "127.0.0.1" if self.questions == 1 else "127.0.0.2"
        return [
            ResolveResult(
                hostname=host, host=address, port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        return None


def test_dns_rebinding_has_no_window(public: LoopbackSite, allow_one: Settings) -> None:
    """The page's host answers the allowed address once, then the forbidden one: the first
    answer is pinned, so the page, its image and its fetch all reach the allowed site."""
    public.routes["/article.html"] = _page(
        "<p>正文</p><img src='/logo.png'><script>fetch('/api').catch(() => {});</script>"
    )
    dns = _RebindingDns()

    async def go():
        async with BrowserFetcher(allow_one, resolver=dns) as fetcher:
            return await fetcher.fetch(f"http://news.test:{public.port}/article.html")

    with LoopbackSite(port=public.port, host="127.0.0.2") as twin:
        page = asyncio.run(go())
    assert "正文" in page.body.decode("utf-8")
    assert public.hits["/logo.png"] == 1 and public.hits["/api"] == 1
    assert dns.questions == 1
    assert sum(twin.hits.values()) == 0
