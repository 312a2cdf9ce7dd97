"""Probing a URL: kind detection and declared feeds, over loopback."""

from __future__ import annotations

import asyncio

import pytest

from jianbao.collect.fetcher import Fetcher
from jianbao.collect.probe import SourceProbe, find_feed_links, probe_source
from jianbao.config import Settings
from jianbao.errors import FetchError
from jianbao.records import SourceKind
from jianbao.testing import LoopbackSite, Route

RSS = b"""<?xml version="1.0"?><!-- a comment --><rss version="2.0"><channel><title>T</title>
<item><title>a</title><link>http://x.cn/1.html</link></item></channel></rss>"""
SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://x.cn/1.html</loc></url></urlset>"""
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}'


def _listing() -> bytes:
    rows = "".join(
        f'<li><a href="/2023/10/16/{i}.html">第{i}条卫生健康信息化工作新闻标题</a></li>'
        for i in range(8)
    )
    return (
        '<html><head><title> 工作 动态 </title><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        f"</head><body><ul>{rows}</ul></body></html>"
    ).encode()


ARTICLE = "<html><head><title>一篇文章</title></head><body><h1>一篇文章</h1><p>正文。</p></body></html>".encode()


def _probe(settings: Settings, url: str, kind: SourceKind | None = None) -> SourceProbe:
    async def go() -> SourceProbe:
        async with Fetcher(settings) as fetcher:
            return await probe_source(fetcher, url, kind=kind)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("path", "route", "kind", "links"),
    [
        ("/rss.xml", Route(RSS, content_type="text/xml"), "feed", 1),
        ("/feed.json", Route(JSON_FEED, content_type="application/json"), "feed", 0),
        ("/sitemap.xml", Route(SITEMAP, content_type="application/xml"), "sitemap", 1),
        ("/list.html", Route(_listing()), "listing", 8),
        ("/article.html", Route(ARTICLE), "url", 1),
    ],
)
def test_kind_is_detected(
    site: LoopbackSite, settings: Settings, path: str, route: Route, kind: str, links: int
) -> None:
    site.routes[path] = route
    probe = _probe(settings, site.url(path))
    assert probe.kind == kind
    assert len(probe.links) == links
    assert probe.error is None


def test_listing_probe_reports_title_and_declared_feed(
    site: LoopbackSite, settings: Settings
) -> None:
    site.routes["/list.html"] = Route(_listing())
    probe = _probe(settings, site.url("/list.html"))
    assert probe.title == "工作 动态"
    assert probe.declared_feeds == [site.url("/rss.xml")]


def test_forced_kind_that_does_not_fit(site: LoopbackSite, settings: Settings) -> None:
    site.routes["/list.html"] = Route(_listing())
    probe = _probe(settings, site.url("/list.html"), kind="feed")
    assert probe.kind == "feed" and probe.links == [] and probe.error


def test_fetch_errors_propagate(site: LoopbackSite, settings: Settings) -> None:
    with pytest.raises(FetchError):
        _probe(settings, site.url("/missing"))


def test_find_feed_links() -> None:
    html = """<head><link rel="alternate" type="application/atom+xml" href="atom.xml">
    <link rel="alternate stylesheet" type="text/css" href="x.css">
    <link rel="alternate" type="application/rss+xml" href="atom.xml"></head>"""
    assert find_feed_links(html, "http://x.cn/news/") == ["http://x.cn/news/atom.xml"]
    assert find_feed_links("", "http://x.cn/") == []
