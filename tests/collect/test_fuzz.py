"""Property tests: the readers never raise anything but their own errors, whatever the input."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.collect.dates import parse_datetime
from jianbao.collect.feeds import parse_feed
from jianbao.collect.listing import find_article_links, find_next_page
from jianbao.collect.opml import read_opml
from jianbao.collect.sitemaps import parse_sitemap
from jianbao.collect.urls import canonicalize_url, same_site
from jianbao.errors import ParseError

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FRAGMENTS = [
    "<rss version='2.0'>",
    "<channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "<link>",
    "</link>",
    "http://x.cn/2023/10/16/a.html",
    "<guid>g</guid>",
    "<pubDate>2023-10-16</pubDate>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>",
    "<a href='",
    "'>",
    "</a>",
    "卫生健康信息化新闻标题",
    "<urlset>",
    "<url><loc>",
    "</loc></url>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#xD800;",
    "<?xml version='1.0' encoding='gbk'?>",
    "\x00",
    "{",
    '"items": [',
    "]",
    "}",
]
markup = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)


@FAST
@given(st.text(max_size=200))
def test_canonicalize_never_raises_and_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    same_site(url, once)


@FAST
@given(
    st.builds(
        lambda path, query: f"https://a.example.cn/{path}?{query}",
        st.text(max_size=30),
        st.text(max_size=30),
    )
)
def test_canonical_http_urls_stay_http(url: str) -> None:
    result = canonicalize_url(url)
    assert result.startswith("https://a.example.cn/")
    assert "#" not in result


@FAST
@given(st.one_of(markup.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_feed_reader_raises_only_parse_errors(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_feed(body, "http://x.cn/feed")


@FAST
@given(st.one_of(markup.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_sitemap_reader_raises_only_parse_errors(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_sitemap(body, "http://x.cn/sitemap.xml")


@FAST
@given(markup)
def test_listing_reader_never_raises(html: str) -> None:
    for link in find_article_links(html, "http://x.cn/list.html"):
        assert link.url.startswith(("http://", "https://"))
    find_next_page(html, "http://x.cn/list.html")


@FAST
@given(markup)
def test_opml_reader_raises_only_parse_errors(text: str) -> None:
    with contextlib.suppress(ParseError):
        read_opml(text)


@FAST
@given(st.text(max_size=60))
def test_dates_never_raise(text: str) -> None:
    value = parse_datetime(text)
    assert value is None or value.tzinfo is not None
