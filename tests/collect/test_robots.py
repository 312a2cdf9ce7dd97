"""robots.txt: parsing per RFC 9309 and obedience inside the fetcher, over loopback."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from jianbao.collect.fetcher import Fetcher
from jianbao.collect.robots import RobotsCache, agent_token, parse_robots, robots_url
from jianbao.config import Settings
from jianbao.errors import FetchError
from jianbao.records import FetchedPage
from jianbao.testing import LoopbackSite, Route, make_settings

ROBOTS = b"""User-agent: *
Disallow: /private/

User-agent: jianbao
Disallow: /no-jianbao/
Crawl-delay: 0.3
"""


def test_agent_token() -> None:
    assert agent_token("jianbao/0.1 (+news monitoring)") == "jianbao"
    assert agent_token("") == "*"


def test_robots_url() -> None:
    assert robots_url("https://a.example.cn:8443/x/y?z=1") == "https://a.example.cn:8443/robots.txt"


def test_rules_follow_the_specific_group() -> None:
    rules = parse_robots(200, ROBOTS, "jianbao")
    assert not rules.allows("http://a.cn/no-jianbao/1.html", "jianbao")
    assert rules.allows("http://a.cn/private/1.html", "jianbao")  # the specific group wins
    assert not rules.allows("http://a.cn/private/1.html", "otherbot")
    assert rules.crawl_delay == 0.3


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (403, True), (500, False), (0, False)]
)
def test_missing_allows_unreachable_forbids(status: int, allowed: bool) -> None:
    assert parse_robots(status, b"", "jianbao").allows("http://a.cn/x", "jianbao") is allowed


def test_unreachable_answer_expires_sooner() -> None:
    assert (
        parse_robots(503, b"", "j", now=0).expires_at
        < parse_robots(404, b"", "j", now=0).expires_at
    )


def test_huge_crawl_delay_is_bounded() -> None:
    assert parse_robots(200, b"User-agent: *\nCrawl-delay: 3600\n", "j").crawl_delay == 30.0


def test_cache_loads_each_origin_once_under_concurrency() -> None:
    calls: list[str] = []

    async def load(url: str) -> tuple[int, bytes]:
        calls.append(url)
        await asyncio.sleep(0.05)
        return 200, b"User-agent: *\nDisallow: /x/\n"

    async def go() -> list[bool]:
        cache = RobotsCache(load, "jianbao/1")
        urls = [f"http://a.cn/x/{i}" for i in range(5)] + ["http://a.cn/ok", "http://b.cn/x/1"]
        return list(await asyncio.gather(*(cache.allowed(u) for u in urls)))

    assert asyncio.run(go()) == [False] * 5 + [True, False]
    assert sorted(calls) == ["http://a.cn/robots.txt", "http://b.cn/robots.txt"]


def _fetch(
    settings: Settings, urls: list[str], respect_robots: bool | None = None
) -> list[FetchedPage | FetchError]:
    async def go() -> list[FetchedPage | FetchError]:
        async with Fetcher(settings, respect_robots=respect_robots) as fetcher:
            results: list[FetchedPage | FetchError] = []
            for url in urls:
                try:
                    results.append(await fetcher.fetch(url))
                except FetchError as exc:
                    results.append(exc)
            return results

    return asyncio.run(go())


def test_fetcher_obeys_robots(site: LoopbackSite, settings: Settings) -> None:
    site.routes.update(
        {
            "/robots.txt": Route(ROBOTS, content_type="text/plain"),
            "/no-jianbao/a": Route(b"a"),
            "/ok": Route(b"ok"),
        }
    )
    settings = settings.model_copy(update={"user_agent": "jianbao/test"})
    refused, fine = _fetch(
        settings, [site.url("/no-jianbao/a"), site.url("/ok")], respect_robots=True
    )
    assert isinstance(refused, FetchError) and "robots" in refused.message
    assert not refused.retryable
    assert isinstance(fine, FetchedPage) and fine.body == b"ok"
    assert site.hits["/robots.txt"] == 1
    assert site.hits["/no-jianbao/a"] == 0


def test_robots_follow_the_setting_and_the_call(site: LoopbackSite, tmp_path: Path) -> None:
    site.routes.update({"/robots.txt": Route(b"User-agent: *\nDisallow: /\n"), "/a": Route(b"a")})
    (refused,) = _fetch(make_settings(tmp_path), [site.url("/a")])
    assert isinstance(refused, FetchError)  # respect_robots is on by default
    (page,) = _fetch(make_settings(tmp_path, respect_robots=False), [site.url("/a")])
    assert isinstance(page, FetchedPage)

    async def per_call(default: bool, robots: bool) -> FetchError | None:
        async with Fetcher(make_settings(tmp_path), respect_robots=default) as fetcher:
            try:
                await fetcher.fetch(site.url("/a"), robots=robots)
            except FetchError as exc:
                return exc
        return None

    assert asyncio.run(per_call(default=False, robots=True)) is not None
    assert asyncio.run(per_call(default=True, robots=False)) is None


def test_unreachable_site_reports_the_network_error(tmp_path: Path, raw_server: object) -> None:
    import socket

    def silent(sock: socket.socket) -> None:
        time.sleep(3)

    server = raw_server(silent)  # type: ignore[operator]
    settings = make_settings(tmp_path, fetch_timeout=0.5, retries=0)
    first, second = _fetch(settings, [server.url("/a"), server.url("/b")], respect_robots=True)
    assert isinstance(first, FetchError) and "超时" in first.message and first.retryable
    assert isinstance(second, FetchError) and "超时" in second.message
    assert server.connections == 1  # the failure was remembered, not waited for twice


def test_robots_redirect_loop_counts_as_missing(site: LoopbackSite, settings: Settings) -> None:
    site.routes.update(
        {"/robots.txt": Route(status=302, headers={"Location": "/robots.txt"}), "/a": Route(b"a")}
    )
    (page,) = _fetch(settings, [site.url("/a")], respect_robots=True)
    assert isinstance(page, FetchedPage)


def test_robots_server_error_pauses_the_site(site: LoopbackSite, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retries=0)
    site.routes.update({"/robots.txt": Route(b"down", status=503), "/a": Route(b"a")})
    (result,) = _fetch(settings, [site.url("/a")], respect_robots=True)
    assert isinstance(result, FetchError) and result.retryable and "503" in result.message


def test_missing_robots_allows(site: LoopbackSite, settings: Settings) -> None:
    site.routes["/a"] = Route(b"a")
    (page,) = _fetch(settings, [site.url("/a")], respect_robots=True)
    assert isinstance(page, FetchedPage)
    assert site.hits["/robots.txt"] == 1


def test_crawl_delay_spaces_requests(site: LoopbackSite, settings: Settings) -> None:
    site.routes.update({"/robots.txt": Route(ROBOTS), "/a": Route(b"a")})
    settings = settings.model_copy(update={"user_agent": "jianbao/test"})
    started = time.monotonic()
    _fetch(settings, [site.url("/a?1"), site.url("/a?2"), site.url("/a?3")], respect_robots=True)
    assert time.monotonic() - started >= 0.55
