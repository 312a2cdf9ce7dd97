"""Sitemaps: urlset, index, Google News, gzip, text."""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest

from jianbao.collect.sitemaps import parse_sitemap
from jianbao.errors import ParseError
from jianbao.records import SHANGHAI

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
