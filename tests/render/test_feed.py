"""The Atom feed of issues, read back with feedparser."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import feedparser
from lxml import etree

from jianbao.records import SHANGHAI, IssueView
from jianbao.render.feed import render_atom_feed, write_atom_feed


def test_feed_lists_issues_newest_first(
    view_factory: Callable[..., IssueView], tmp_path: Path
) -> None:
    weekly, daily = view_factory("weekly", 3), view_factory("daily", 2)
    path = write_atom_feed(
        [daily, weekly],
        tmp_path / "feed.atom",
        feed_title="简报",
        base_url="https://reports.example.cn/archive/",
        published=[None, datetime(2023, 10, 20, 9, 30, tzinfo=SHANGHAI)],
    )
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "简报"
    titles = [e.title for e in parsed.entries]
    assert titles == ["全国卫生信息化舆情监测周报（第五四六期）", "2020年7月16日（周四）今日入伏"]
    first = parsed.entries[0]
    assert first.link == "https://reports.example.cn/archive/weekly-2023-10-20-546.html"
    assert first.summary == weekly.lead
    assert first.published.startswith("2023-10-20T09:30:00+08:00")
    assert parsed.entries[1].published.startswith("2020-07-16T08:00:00+08:00")
    content = first.content[0].value
    assert weekly.items[0].url.replace("&", "&amp;") in content


def test_feed_escapes_everything(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("weekly", 5)  # item 5 has <script> in its title
    xml = render_atom_feed([view], feed_title="a<b", base_url="https://x.cn")
    root = etree.fromstring(xml.encode())
    assert root.findtext("{http://www.w3.org/2005/Atom}title") == "a<b"
    html = root.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content")
    assert html is not None
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_invisible_control_characters_are_dropped_not_fatal(
    view_factory: Callable[..., IssueView], tmp_path: Path
) -> None:
    """A control character XML 1.0 refuses (\\x08 pasted into a title, \\x1b in a summary,
    \\x0c in the 导语, a lone surrogate) made lxml refuse the string, and publishing, which
    writes the feed last, failed with a bare 500; the feed drops them as Word does."""
    weekly, daily = view_factory("weekly", 2), view_factory("daily", 2)
    weekly.items[0].title = "国家卫健委\x08发布通知"
    weekly.items[1].url = "https://news.example.cn/a\x07.html"
    weekly.lead = "本期\x0c导语\ud800。"
    daily.items[0].summary = "摘要\x1b一句。"
    daily.publisher = "研究\x01中心"
    path = write_atom_feed(
        [weekly, daily], tmp_path / "feed.atom", feed_title="简\x02报", base_url="https://x.cn"
    )
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "简报"
    first, second = parsed.entries
    assert first.summary == "本期导语。"
    assert "国家卫健委发布通知" in first.content[0].value
    # a URL holding a control character is printed as text, never made a link
    assert "a\x07.html" not in first.content[0].value
    assert "摘要一句。" in second.content[0].value
    assert second.author == "研究中心"
