"""From a fetched source page to article links, over real loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

import pytest

from jianbao.collect.discover import discover_links, discover_source
from jianbao.collect.fetcher import Fetcher
from jianbao.config import Settings
from jianbao.errors import ParseError
from jianbao.records import FetchedPage, Link, SourceSpec
from jianbao.testing import LoopbackSite, Route

Fetch = Callable[..., FetchedPage]

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>健康报</title>
<item><title>互联网医院发展报告发布</title><link>/2023/10/16/1.html</link></item>
<item><title>智慧医院评价标准</title><link>/2023/10/16/2.html</link></item>
</channel></rss>"""


def _listing(page: int, last: int) -> str:
    items = "".join(
        f'<li><a href="/news/2023{page:02d}/t2023{page:02d}01_{page}{i}.html">第{page}页第{i}条卫生健康信息化新闻</a>'
        f"<span>2023-{page:02d}-0{i + 1}</span></li>"
        for i in range(3)
    )
    pager = f'<script>createPageHTML({last}, {page - 1}, "index", "html");</script>'
    return f"<html><body><ul>{items}</ul>{pager}</body></html>"


def test_feed_source(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    site.routes["/rss.xml"] = Route(FEED.encode(), content_type="application/rss+xml")
    page = fetch_one(settings, site.url("/rss.xml"))
    links = discover_links(SourceSpec(name="健康报", url=site.url("/rss.xml")), page)
    assert [link.url for link in links] == [
        site.url("/2023/10/16/1.html"),
        site.url("/2023/10/16/2.html"),
    ]
    assert {link.source_name for link in links} == {"健康报"}


def test_configured_source_name_wins(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    site.routes["/rss.xml"] = Route(FEED.encode(), content_type="application/rss+xml")
    page = fetch_one(settings, site.url("/rss.xml"))
    spec = SourceSpec(name="x", url=site.url("/rss.xml"), default_source_name="中国卫生健康报")
    assert {link.source_name for link in discover_links(spec, page)} == {"中国卫生健康报"}


def test_html_where_a_feed_should_be(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    site.routes["/rss.xml"] = Route(b"<html><body>maintenance</body></html>")
    page = fetch_one(settings, site.url("/rss.xml"))
    with pytest.raises(ParseError):
        discover_links(SourceSpec(name="x", url=site.url("/rss.xml")), page)


def test_gbk_listing_without_any_label(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    html = _listing(1, 1).replace("卫生健康信息化", "医院信息化建设进展")
    site.routes["/list/index.html"] = Route(html.encode("gbk"), content_type="text/html")
    page = fetch_one(settings, site.url("/list/index.html"))
    spec = SourceSpec(name="卫健委", url=site.url("/list/index.html"), kind="listing")
    links = discover_links(spec, page)
    assert len(links) == 3
    assert links[0].title == "第1页第0条医院信息化建设进展新闻"


def test_listing_with_wrong_charset_label(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    html = '<html><head><meta charset="utf-8"></head><body>' + _listing(1, 1) + "</body></html>"
    site.routes["/l.html"] = Route(html.encode("gb18030"), content_type="text/html; charset=utf-8")
    page = fetch_one(settings, site.url("/l.html"))
    links = discover_links(SourceSpec(name="x", url=site.url("/l.html"), kind="listing"), page)
    assert links[0].title == "第1页第0条卫生健康信息化新闻"


def _discover(settings: Settings, spec: SourceSpec) -> list[Link]:
    async def go() -> list[Link]:
        async with Fetcher(settings) as fetcher:
            page = await fetcher.fetch(spec.url)
            return await discover_source(fetcher, spec, page)

    return asyncio.run(go())


def test_listing_pagination_up_to_max_pages(site: LoopbackSite, settings: Settings) -> None:
    site.routes["/zwgk/index.html"] = Route(_listing(1, 5).encode())
    for n in range(2, 6):
        site.routes[f"/zwgk/index_{n - 1}.html"] = Route(_listing(n, 5).encode())
    spec = SourceSpec(name="x", url=site.url("/zwgk/index.html"), kind="listing", max_pages=3)
    links = _discover(settings, spec)
    assert len(links) == 9
    assert site.hits["/zwgk/index_2.html"] == 1
    assert site.hits["/zwgk/index_3.html"] == 0
    assert links[-1].url.endswith("/news/202303/t20230301_32.html")


def test_listing_pagination_survives_a_broken_page(site: LoopbackSite, settings: Settings) -> None:
    site.routes["/zwgk/index.html"] = Route(_listing(1, 5).encode())
    site.routes["/zwgk/index_1.html"] = Route(b"gone", status=404)
    spec = SourceSpec(name="x", url=site.url("/zwgk/index.html"), kind="listing", max_pages=5)
    assert len(_discover(settings, spec)) == 3


def test_sitemap_index_walk(site: LoopbackSite, settings: Settings) -> None:
    index = f"""<sitemapindex><sitemap><loc>{site.url("/s1.xml")}</loc></sitemap>
    <sitemap><loc>{site.url("/s2.xml")}</loc></sitemap><sitemap><loc>{site.url("/missing.xml")}</loc></sitemap>
    <sitemap><loc>{site.url("/index.xml")}</loc></sitemap></sitemapindex>"""
    child = "<urlset><url><loc>{}</loc></url><url><loc>{}</loc></url></urlset>"
    site.routes["/index.xml"] = Route(index.encode(), content_type="application/xml")
    site.routes["/s1.xml"] = Route(child.format(site.url("/a.html"), site.url("/b.html")).encode())
    site.routes["/s2.xml"] = Route(child.format(site.url("/b.html"), site.url("/c.html")).encode())
    spec = SourceSpec(name="x", url=site.url("/index.xml"), kind="sitemap")
    links = _discover(settings, spec)
    assert [link.url for link in links] == [site.url(p) for p in ("/a.html", "/b.html", "/c.html")]
    assert site.hits["/index.xml"] == 1


def test_single_url(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    site.routes["/old"] = Route(status=301, headers={"Location": "/article.html"})
    site.routes["/article.html"] = Route("<html><body>正文</body></html>".encode())
    page = fetch_one(settings, site.url("/old"))
    spec = SourceSpec(name="x", url=site.url("/old"), kind="url", default_source_name="某公众号")
    assert discover_links(spec, page) == [
        Link(url=site.url("/article.html"), source_name="某公众号")
    ]


def test_unknown_kind(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    site.routes["/x"] = Route(b"x")
    page = fetch_one(settings, site.url("/x"))
    with pytest.raises(ParseError, match="类型"):
        discover_links(SourceSpec(name="x", url=site.url("/x"), kind=cast(Any, "podcast")), page)
