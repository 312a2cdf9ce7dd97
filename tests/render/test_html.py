"""HTML parsed back with lxml and compared with the IssueView."""

from __future__ import annotations

from collections.abc import Callable

import lxml.html

from jianbao.records import IssueView
from jianbao.render.html import render_html


def _text(el: lxml.html.HtmlElement) -> str:
    return el.text_content().strip()


def test_weekly_page_matches_the_view(weekly: IssueView) -> None:
    page = render_html(weekly)
    doc = lxml.html.fromstring(page)
    assert _text(doc.xpath("//h1")[0]) == weekly.publication_title
    assert _text(doc.xpath("//p[@class='number']")[0]) == "（第五四六期）"
    assert [_text(h) for h in doc.xpath("//h2")] == ["本期导语：", "一、信息目录", "二、具体内容"]
    assert _text(doc.xpath("//p[@class='lead']")[0]) == weekly.lead
    toc_links = doc.xpath("//ol[@class='toc']/li/a")
    assert [_text(a) for a in toc_links] == [
        f"{i.position}. {i.title}（{i.source}）" for i in weekly.items
    ]
    articles = doc.xpath("//article")
    assert [_text(a.xpath(".//h3")[0]) for a in articles] == [
        f"{i.position}. 标题：{i.title}" for i in weekly.items
    ]
    ids = {a.get("id") for a in articles}
    assert {a.get("href").lstrip("#") for a in toc_links} == ids
    first = articles[0]
    fields = [_text(d) for d in first.xpath(".//div[@class='fields']/div")]
    assert fields == [
        "来源：衡水新闻网",
        "日期：2023-10-14",
        "链接：https://news.example.cn/a/1.html?x=1&y=2",
    ]
    assert first.xpath(".//a/@href") == ["https://news.example.cn/a/1.html?x=1&y=2"]
    assert [_text(p) for p in first.xpath(".//div[@class='body']/p")] == weekly.items[0].paragraphs


def test_page_is_self_contained_and_phone_ready(weekly: IssueView) -> None:
    page = render_html(weekly)
    doc = lxml.html.fromstring(page)
    assert doc.xpath("//meta[@name='viewport']")
    assert not doc.xpath("//link[@rel='stylesheet'] | //script[@src] | //img")
    css = _text(doc.xpath("//style")[0])
    assert "@media print" in css
    assert "@page" in css


def test_everything_is_escaped(weekly: IssueView) -> None:
    page = render_html(weekly)
    doc = lxml.html.fromstring(page)
    assert not doc.xpath("//script")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unsafe_url_is_not_a_link(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("weekly", 1)
    view.items[0].url = "javascript:alert(1)"
    doc = lxml.html.fromstring(render_html(view))
    assert not [h for h in doc.xpath("//a/@href") if h.startswith("javascript")]


def test_daily_page(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 4, categories=["国家政策", "卫生健康信息化"])
    doc = lxml.html.fromstring(render_html(view))
    assert _text(doc.xpath("//h1")[0]) == "2020年7月16日（周四）今日入伏"
    assert [_text(h) for h in doc.xpath("//h2[@class='category']")] == [
        "国家政策",
        "卫生健康信息化",
    ]
    items = doc.xpath("//ol[@class='items']/li")
    assert [li.get("id") for li in items] == ["item-1", "item-2", "item-3", "item-4"]
    assert [li.xpath("./a")[0].text_content() for li in items] == [i.title for i in view.items]
