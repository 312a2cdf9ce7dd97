"""Sitemaps: urlset, index, Google News, gzip, text."""

from __future__ import annotations

import asyncio
import gzip
from datetime import datetime
from pathlib import Path

import pytest

from jianbao.collect.discover import discover_source
from jianbao.collect.fetcher import Fetcher
from jianbao.collect.sitemaps import parse_sitemap
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.errors import ParseError
from jianbao.pipeline import Pipeline
from jianbao.records import SHANGHAI, Link, SourceSpec
from jianbao.testing import LoopbackSite, Route, make_settings

URL = "https://news.example.cn/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example.cn/2023/10/16/a.html</loc><lastmod>2023-10-16T10:00:00+08:00</lastmod></url>
  <url><loc> https://news.example.cn/2023/10/17/b.html </loc></url>
  <url><loc>https://news.example.cn/2023/10/16/a.html</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><lastmod>2023-10-16</lastmod></url>
</urlset>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example.cn/health/1.html</loc>
    <news:news>
      <news:publication><news:name>示例健康网</news:name><news:language>zh</news:language></news:publication>
      <news:publication_date>2023-10-16T08:30:00+08:00</news:publication_date>
      <news:title>医保信息平台全面建成</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://news.example.cn/health/2.html</loc>
    <news:news><news:publication_date>2023-10-17</news:publication_date><news:title>无时区</news:title></news:news>
  </url>
</urlset>""".encode()

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.cn/sitemap-1.xml</loc><lastmod>2023-10-16</lastmod></sitemap>
  <sitemap><loc>https://news.example.cn/sitemap-2.xml.gz</loc></sitemap>
  <sitemap><loc>https://news.example.cn/sitemap-1.xml</loc></sitemap>
</sitemapindex>"""


def test_urlset() -> None:
    result = parse_sitemap(URLSET, URL)
    assert [link.url for link in result.links] == [
        "https://news.example.cn/2023/10/16/a.html",
        "https://news.example.cn/2023/10/17/b.html",
    ]
    assert result.child_sitemaps == []
    assert result.lastmod["https://news.example.cn/2023/10/16/a.html"] == datetime(
        2023, 10, 16, 10, tzinfo=SHANGHAI
    )
    assert result.links[0].published_at is None  # lastmod is no publish date


def test_google_news_sitemap() -> None:
    first, second = parse_sitemap(NEWS, URL).links
    assert first.title == "医保信息平台全面建成"
    assert first.source_name == "示例健康网"
    assert first.published_at == datetime(2023, 10, 16, 8, 30, tzinfo=SHANGHAI)
    assert second.published_at == datetime(2023, 10, 17, tzinfo=SHANGHAI)
    assert second.source_name is None


def test_sitemap_index() -> None:
    result = parse_sitemap(INDEX, URL)
    assert result.links == []
    assert result.child_sitemaps == [
        "https://news.example.cn/sitemap-1.xml",
        "https://news.example.cn/sitemap-2.xml.gz",
    ]


def test_gzipped_sitemap() -> None:
    assert len(parse_sitemap(gzip.compress(URLSET), URL + ".gz").links) == 2


def test_text_sitemap() -> None:
    body = (
        b"https://a.example.cn/1.html\n\nhttps://a.example.cn/2.html\nhttps://a.example.cn/1.html\n"
    )
    assert [link.url for link in parse_sitemap(body, URL).links] == [
        "https://a.example.cn/1.html",
        "https://a.example.cn/2.html",
    ]


def test_truncated_sitemap_keeps_what_it_has() -> None:
    cut = URLSET[: URLSET.index(b"<url><loc> https")]
    assert [link.url for link in parse_sitemap(cut, URL).links] == [
        "https://news.example.cn/2023/10/16/a.html"
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>404</body></html>",
        b'<rss version="2.0"><channel></channel></rss>',
        b"hello world",
        b"\x1f\x8bnot really gzip",
    ],
)
def test_not_a_sitemap(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_sitemap(body, URL)


def test_entities_are_not_expanded() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset><url><loc>https://a.example.cn/&e;</loc></url></urlset>"""
    for link in parse_sitemap(body, URL).links:
        assert "root:" not in link.url


# -- child sitemaps the guard refuses are reported (issue 14, item 3) ----------------------


def _index(*children: str) -> bytes:
    entries = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    return f'<sitemapindex xmlns="{NS}">{entries}</sitemapindex>'.encode()


NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def test_a_refused_child_sitemap_is_reported_in_the_cycle(tmp_path: Path) -> None:
    """127.0.0.1 is the allowlisted site, 127.0.0.2 a forbidden one: the index's
    children on 127.0.0.2 (plainly and spelt in fullwidth digits) are skipped, never
    fetched, and each is an error of the cycle; the allowed child's links are kept."""
    settings = make_settings(tmp_path, ssrf_allowlist=["127.0.0.1/32"], retries=0)
    with (
        LoopbackSite() as public,
        LoopbackSite({"/s.xml": Route(b"<urlset/>")}, host="127.0.0.2") as forbidden,
    ):
        plain = forbidden.url("/s.xml")
        spelt = f"http://１２７.０.０.２:{forbidden.port}/s2.xml"
        urlset = f'<urlset xmlns="{NS}"><url><loc>{public.url("/a.html")}</loc></url></urlset>'
        public.routes["/child.xml"] = Route(urlset.encode(), content_type="application/xml")
        public.routes["/index.xml"] = Route(
            _index(public.url("/child.xml"), plain, spelt), content_type="application/xml"
        )
        db = Database.from_settings(settings)
        try:
            with db.session() as session:
                add_source(
                    session, SourceSpec(name="某报", url=public.url("/index.xml"), kind="sitemap")
                )
            report = asyncio.run(Pipeline(settings, db).run_cycle())
        finally:
            db.close()
        assert sum(forbidden.hits.values()) == 0
    assert report.links_found == 1 and public.hits["/a.html"] == 1
    refused = [e for e in report.errors if "子 sitemap" in e]
    assert len(refused) == 2, report.errors
    assert all(e.startswith("某报: ") and "内网" in e for e in refused)
    assert any(plain in e for e in refused) and any(spelt in e for e in refused)


def test_discovery_says_which_child_sitemaps_it_skipped(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retries=0)
    with LoopbackSite() as site:
        site.routes["/index.xml"] = Route(_index(site.url("/gone.xml"), site.url("/bad.xml")))
        site.routes["/bad.xml"] = Route(b"<html><body>not a sitemap</body></html>")
        spec = SourceSpec(name="x", url=site.url("/index.xml"), kind="sitemap")

        async def go() -> tuple[list[Link], list[str]]:
            problems: list[str] = []
            async with Fetcher(settings) as fetcher:
                page = await fetcher.fetch(spec.url)
                return await discover_source(fetcher, spec, page, problems), problems

        links, problems = asyncio.run(go())
    assert links == []
    assert len(problems) == 2
    assert "404" in problems[0] and "gone.xml" in problems[0]
    assert "不是 sitemap" in problems[1]
