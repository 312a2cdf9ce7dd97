"""Sources behind a JavaScript cookie challenge, fetched through Debian's Chromium."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

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
