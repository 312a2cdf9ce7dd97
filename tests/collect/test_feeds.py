"""The feed reader: RSS, Atom, JSON Feed, broken input, dates, and the real-world corpus."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jianbao.collect.feeds import parse_feed
from jianbao.errors import ParseError
from jianbao.records import SHANGHAI

FEED_URL = "http://news.example.cn/rss/health.xml"
EVAL_FEEDS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "feeds"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>健康时报 &amp; 信息化</title>
  <link>http://news.example.cn/</link>
  <item>
    <title><![CDATA[国家卫健委：推进<b>全民健康信息平台</b>建设]]></title>
    <link>http://news.example.cn/2023/10/16/a1.html?utm_source=rss</link>
    <guid>a1</guid>
    <pubDate>Mon, 16 Oct 2023 10:00:00 +0800</pubDate>
    <description>&lt;p&gt;摘要一&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>全文第一段</p><p>全文第二段</p>]]></content:encoded>
    <dc:creator>张三</dc:creator>
  </item>
  <item>
    <title>没有时区的日期</title>
    <link>/2023/10/17/a2.html</link>
    <pubDate>2023-10-17 09:30:00</pubDate>
  </item>
  <item>
    <title>RFC 822 without zone</title>
    <link>http://news.example.cn/a3.html</link>
    <pubDate>Tue, 17 Oct 2023 08:00:00</pubDate>
  </item>
  <item>
    <title>GMT date</title>
    <link>http://news.example.cn/a4.html</link>
    <pubDate>Tue, 17 Oct 2023 00:00:00 GMT</pubDate>
  </item>
</channel>
</rss>"""


def test_rss_items_become_links() -> None:
    result = parse_feed(RSS.encode(), FEED_URL, "application/rss+xml")
    assert result.title == "健康时报 & 信息化"
    assert result.site_url == "http://news.example.cn/"
    assert result.format == "rss20"
    first = result.links[0]
    assert first.url == "http://news.example.cn/2023/10/16/a1.html?utm_source=rss"
    assert first.title == "国家卫健委：推进 全民健康信息平台 建设"
    assert first.summary == "摘要一"
    assert first.content_html and "全文第二段" in first.content_html
    assert first.author == "张三"
    assert first.source_name == "健康时报 & 信息化"
    assert first.published_at == datetime(2023, 10, 16, 10, 0, tzinfo=SHANGHAI)


def test_relative_links_resolve_against_the_feed_url() -> None:
    result = parse_feed(RSS.encode(), FEED_URL)
    assert result.links[1].url == "http://news.example.cn/2023/10/17/a2.html"


def test_dates_without_zone_are_beijing_time() -> None:
    links = parse_feed(RSS.encode(), FEED_URL).links
    assert links[1].published_at == datetime(2023, 10, 17, 9, 30, tzinfo=SHANGHAI)
    assert links[2].published_at == datetime(2023, 10, 17, 8, 0, tzinfo=SHANGHAI)
    # a zoned date is converted, not relabelled
    assert links[3].published_at == datetime(2023, 10, 17, 8, 0, tzinfo=SHANGHAI)
    assert all(link.published_at.tzinfo is SHANGHAI for link in links if link.published_at)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">动脉网</title>
  <link rel="alternate" href="https://www.vcbeat.example/"/>
  <entry>
    <title>医院信息化招标</title>
    <link rel="alternate" href="https://www.vcbeat.example/news/1001"/>
    <id>tag:vcbeat,2023:1001</id>
    <published>2023-10-16T08:00:00Z</published>
    <updated>2023-10-18T08:00:00Z</updated>
    <author><name>李四</name></author>
    <content type="html">&lt;p&gt;正文&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>只有更新时间</title>
    <link href="https://www.vcbeat.example/news/1002"/>
    <id>tag:vcbeat,2023:1002</id>
    <updated>2023-10-18T20:00:00+08:00</updated>
  </entry>
</feed>"""


def test_atom_entries() -> None:
    result = parse_feed(ATOM.encode(), "https://www.vcbeat.example/atom.xml")
    assert result.title == "动脉网"
    assert result.format == "atom10"
    first, second = result.links
    assert first.url == "https://www.vcbeat.example/news/1001"
    assert first.author == "李四"
    assert first.published_at == datetime(2023, 10, 16, 16, 0, tzinfo=SHANGHAI)
    assert first.content_html and "正文" in first.content_html
    assert second.published_at == datetime(2023, 10, 18, 20, 0, tzinfo=SHANGHAI)


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "卫健要闻",
        "home_page_url": "https://j.example.cn/",
        "items": [
            {
                "id": "1",
                "url": "/a/1.html",
                "title": "互联网医院管理办法",
                "content_html": "<p>正文</p>",
                "date_published": "2023-10-16T10:00:00+08:00",
                "authors": [{"name": "王五"}],
            },
            {"id": "2", "external_url": "https://other.example.cn/x", "content_text": "只有文本"},
            {"id": "https://j.example.cn/a/3.html", "title": "以 id 为链接"},
            {"id": "4", "title": "没有链接"},
            {"id": "1", "url": "/a/1-again.html", "title": "重复 id"},
            "not an object",
        ],
    }
    result = parse_feed(json.dumps(doc).encode(), "https://j.example.cn/feed.json")
    assert result.title == "卫健要闻"
    assert result.format == "json11"
    assert [link.url for link in result.links] == [
        "https://j.example.cn/a/1.html",
        "https://other.example.cn/x",
        "https://j.example.cn/a/3.html",
    ]
    assert result.links[0].author == "王五"
    assert result.links[0].published_at == datetime(2023, 10, 16, 10, 0, tzinfo=SHANGHAI)
    assert result.links[1].summary == "只有文本"
    assert result.skipped == 3


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"not": "a feed"}',
        b"[1, 2]",
    ],
)
def test_broken_or_foreign_json_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, FEED_URL, "application/json")


def test_html_page_is_not_a_feed_and_points_at_its_feed() -> None:
    page = b"""<!DOCTYPE html><html><head><title>News</title>
    <link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>
    <body><a href="/a.html">a</a></body></html>"""
    with pytest.raises(ParseError) as caught:
        parse_feed(page, "http://news.example.cn/", "text/html")
    assert "HTML" in caught.value.message
    assert "http://news.example.cn/feed.xml" in (caught.value.hint or "")


def test_404_page_is_not_a_feed() -> None:
    page = "<html><body><h1>404 页面不存在</h1></body></html>".encode()
    with pytest.raises(ParseError):
        parse_feed(page, FEED_URL, "text/html; charset=utf-8")


@pytest.mark.parametrize("body", [b"", b"   \n", b"\x00\x01\x02garbage", b"just some text"])
def test_empty_and_garbage(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, FEED_URL)


def test_truncated_feed_keeps_complete_items() -> None:
    cut = RSS[: RSS.index("<title>RFC 822")]
    result = parse_feed(cut.encode(), FEED_URL)
    assert result.problem
    assert [link.url for link in result.links][:2] == [
        "http://news.example.cn/2023/10/16/a1.html?utm_source=rss",
        "http://news.example.cn/2023/10/17/a2.html",
    ]


def _rss(items: str) -> bytes:
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def test_duplicate_guids_and_links_are_kept_once() -> None:
    body = _rss(
        "<item><title>a</title><link>http://x.cn/1.html</link><guid>g</guid></item>"
        "<item><title>a again</title><link>http://x.cn/2.html</link><guid>g</guid></item>"
        "<item><title>b</title><link>http://x.cn/3.html?utm_medium=x</link></item>"
        "<item><title>b again</title><link>http://x.cn/3.html</link></item>"
    )
    result = parse_feed(body, FEED_URL)
    assert [link.url for link in result.links] == [
        "http://x.cn/1.html",
        "http://x.cn/3.html?utm_medium=x",
    ]
    assert result.skipped == 2


def test_items_without_links_or_dates() -> None:
    body = _rss(
        "<item><title>no link</title></item>"
        "<item><title>guid link</title><guid isPermaLink='true'>http://x.cn/g.html</guid></item>"
        "<item><title>non-link guid</title><guid isPermaLink='false'>abc</guid></item>"
        "<item><title>no date</title><link>http://x.cn/n.html</link></item>"
        "<item><title>bad date</title><link>http://x.cn/b.html</link><pubDate>yesterday</pubDate></item>"
        "<item><title>ftp</title><link>ftp://x.cn/f</link></item>"
    )
    result = parse_feed(body, FEED_URL)
    assert [link.url for link in result.links] == [
        "http://x.cn/g.html",
        "http://x.cn/n.html",
        "http://x.cn/b.html",
    ]
    assert all(link.published_at is None for link in result.links)
    assert result.skipped == 3


def test_future_dates_are_dropped() -> None:
    ahead = (datetime.now(SHANGHAI) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    soon = (datetime.now(SHANGHAI) + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    body = _rss(
        f"<item><link>http://x.cn/1.html</link><pubDate>{ahead}</pubDate></item>"
        f"<item><link>http://x.cn/2.html</link><pubDate>{soon}</pubDate></item>"
        "<item><link>http://x.cn/3.html</link><pubDate>1970-01-01 00:00:00</pubDate></item>"
    )
    links = parse_feed(body, FEED_URL).links
    assert links[0].published_at is None
    assert links[1].published_at is not None
    assert links[2].published_at is None


def test_gbk_feed_with_declaration() -> None:
    text = (
        '<?xml version="1.0" encoding="gb2312"?>'
        + _rss("<item><title>电子病历评级</title><link>http://x.cn/1.html</link></item>").decode()
    )
    result = parse_feed(text.encode("gb18030"), FEED_URL)
    assert result.links[0].title == "电子病历评级"


def test_empty_but_valid_feed() -> None:
    result = parse_feed(_rss(""), FEED_URL)
    assert result.links == [] and result.title == "T"


def _header_content_type(body: bytes) -> str | None:
    match = re.search(rb"Header:\s*Content-type:\s*([^\r\n]+)", body[:3000], re.I)
    return match.group(1).decode("latin-1").strip() if match else None


def test_real_world_corpus_never_crashes() -> None:
    """Every file of feedparser's test corpus: a result or a ParseError, nothing else."""
    if not EVAL_FEEDS.is_dir():
        pytest.skip(f"evaluation feeds not found at {EVAL_FEEDS} (../shared/eval/feeds)")
    files = [p for p in sorted(EVAL_FEEDS.rglob("*")) if p.suffix in (".xml", ".json")]
    assert len(files) > 1000
    crashes: list[str] = []
    parsed = 0
    for path in files:
        body = path.read_bytes()
        try:
            parse_feed(body, "http://example.com/" + path.name, _header_content_type(body))
            parsed += 1
        except ParseError:
            continue
        except Exception as exc:
            crashes.append(f"{path.relative_to(EVAL_FEEDS)}: {exc!r}")
    assert not crashes, crashes[:10]
    assert parsed >= len(files) * 0.98


def test_corpus_gb2312_feed_without_declaration() -> None:
    path = EVAL_FEEDS / "tests" / "illformed" / "chardet" / "gb2312.xml"
    if not path.is_file():
        pytest.skip(f"evaluation feed not found: {path}")
    body = path.read_bytes().replace(b"<item>", b"<item><link>http://x.cn/1</link>", 1)
    result = parse_feed(body, FEED_URL)
    assert result.links[0].title == "不归移民漫画系列：专业工作"


def test_xml_feed_mislabelled_as_json() -> None:
    body = _rss("<item><title>a</title><link>http://x.cn/1.html</link></item>")
    assert len(parse_feed(body, FEED_URL, "application/json").links) == 1


def test_json_feed_with_bom_and_no_content_type() -> None:
    body = b'\xef\xbb\xbf{"version": "https://jsonfeed.org/version/1", "items": [{"url": "http://x.cn/1"}]}'
    result = parse_feed(body, FEED_URL)
    assert result.format == "json1" and len(result.links) == 1


def test_an_rss_link_with_a_uri_attribute_keeps_its_http_text() -> None:
    # issue 15, item 27: a bridge writes <link uri="at://…">https://…</link>; feedparser
    # read the attribute (no web address) and the item was dropped
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>bridge</title><link>https://bsky.app/profile/x</link>
<item><title>A post</title>
  <link uri="at://did:plc:abc/app.bsky.feed.post/3k">https://bsky.app/profile/x/post/3k</link>
  <guid isPermaLink="false">at://did:plc:abc/app.bsky.feed.post/3k</guid></item>
<item><title>Plain</title><link>https://bsky.app/profile/x/post/4m</link></item>
</channel></rss>"""
    result = parse_feed(body, FEED_URL)
    assert [link.url for link in result.links] == [
        "https://bsky.app/profile/x/post/3k",
        "https://bsky.app/profile/x/post/4m",
    ]
    assert result.skipped == 0


def test_atom_links_are_still_read_from_href() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title>
<entry><title>E</title><id>urn:x:1</id><link rel="alternate" href="https://ex.cn/e1"/>
<updated>2023-10-16T10:00:00+08:00</updated></entry></feed>"""
    assert [link.url for link in parse_feed(body, FEED_URL).links] == ["https://ex.cn/e1"]
