"""Dates: every common printed form, the markup's own statements, and the article's date
rather than a sidebar's."""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from jianbao.extract import extract_article
from jianbao.extract.dates import (
    date_from_json_ld,
    date_from_meta,
    date_from_scripts,
    date_from_url,
    is_ambiguous,
    labelled_date,
    parse_date,
    year_month_line,
)
from jianbao.records import SHANGHAI


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-10-16", at(2023, 10, 16)),
        ("2023-10-16 10:30", at(2023, 10, 16, 10, 30)),
        ("2023-10-16 10:30:05", at(2023, 10, 16, 10, 30, 5)),
        ("2023年10月16日", at(2023, 10, 16)),
        ("2023年10月16日 10:30", at(2023, 10, 16, 10, 30)),
        ("2023年10月16日10时30分", at(2023, 10, 16, 10, 30)),
        ("2023年10月16日 下午3:05", at(2023, 10, 16, 15, 5)),
        ("2023/10/16", at(2023, 10, 16)),
        ("2023.10.16", at(2023, 10, 16)),
        ("2005-5-7 21:23:57", at(2005, 5, 7, 21, 23, 57)),
        ("2023-10-16T10:30:00+08:00", at(2023, 10, 16, 10, 30)),
        ("2023-10-16T02:30:00Z", at(2023, 10, 16, 10, 30)),
        ("2023-10-16T02:30:00.000Z", at(2023, 10, 16, 10, 30)),
        ("1697423400", at(2023, 10, 16, 10, 30)),
        ("9/17/2004 5:54:13 AM", at(2004, 9, 17, 5, 54, 13)),
        ("7/5/2005 9:23:57 PM", at(2005, 7, 5, 21, 23, 57)),
        ("17/09/2004", at(2004, 9, 17)),
        ("发布时间：2023-10-16 09:05", at(2023, 10, 16, 9, 5)),
    ],
)
def test_parse_date_forms(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["版本 3.2.1", "2023.13.40", "电话 010-12345678", "1990-01-01", ""]
)
def test_parse_date_refuses_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_future_dates_are_refused() -> None:
    assert parse_date("2023-10-16", now=at(2023, 1, 1)) is None


def test_results_are_shanghai_aware() -> None:
    value = parse_date("2023-10-16 10:30")
    assert value is not None and value.utcoffset() is not None
    assert value.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("来源：健康报  发布时间：2023-10-16 10:30  浏览次数：12", at(2023, 10, 16, 10, 30)),
        ("发布日期：2023年10月16日", at(2023, 10, 16)),
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", at(2005, 9, 15, 11, 46)),
        ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.", at(2005, 8, 12, 16, 12, 21)),
        ("發佈時間：2023/10/16", at(2023, 10, 16)),
    ],
)
def test_labelled_dates(line: str, expected: datetime) -> None:
    assert labelled_date(line) == expected


def test_unlabelled_line_has_no_labelled_date() -> None:
    assert labelled_date("2023-10-16 会议在北京召开") is None


def test_ambiguous_slash_dates() -> None:
    assert is_ambiguous("06/02/2022 - 13:48")
    assert not is_ambiguous("17/09/2004")
    assert not is_ambiguous("7/5/2005 9:23:57 PM")
    assert not is_ambiguous("2022-02-06")


def test_year_month_lines() -> None:
    assert year_month_line("2003年5月") == at(2003, 5, 1)
    assert year_month_line("——《北京之春》1998年3月号") == at(1998, 3, 1)
    assert year_month_line("2003年5月，我们开展了调查") is None


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html, etree.HTMLParser())


def test_meta_dates() -> None:
    tree = _tree(
        '<html><head><meta property="article:modified_time" content="2023-10-20T00:00:00+08:00">'
        '<meta property="article:published_time" content="2023-10-16T10:30:00+08:00">'
        "</head><body></body></html>"
    )
    assert date_from_meta(tree) == at(2023, 10, 16, 10, 30)
    tree = _tree('<html><head><meta name="PubDate" content="2023-10-16 09:30"></head></html>')
    assert date_from_meta(tree) == at(2023, 10, 16, 9, 30)


def test_json_ld_date() -> None:
    tree = _tree(
        '<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle",'
        '"datePublished":"2023-10-16T08:15:00+08:00"}]}</script></head></html>'
    )
    assert date_from_json_ld(tree) == at(2023, 10, 16, 8, 15)


def test_wechat_script_dates() -> None:
    assert date_from_scripts('var ct = "1697423400";') == at(2023, 10, 16, 10, 30)
    assert date_from_scripts("window.createTime = '2023-10-16 10:30';") == at(2023, 10, 16, 10, 30)
    assert date_from_scripts("var x = 1;") is None


def test_url_dates() -> None:
    assert date_from_url("http://a.cn/2023/1016/c1.html") == at(2023, 10, 16)
    assert date_from_url("http://a.cn/art/20231016/t20231016_1.html") == at(2023, 10, 16)
    assert date_from_url("http://a.cn/2023-10/16/c_1.htm") == at(2023, 10, 16)
    assert date_from_url("http://a.cn/news/12345.html") is None


ARTICLE = (
    "<p>国家卫生健康委员会今天召开新闻发布会，介绍全民健康信息化建设进展情况，"
    "并回答记者提问。会议指出，各地要加快推进电子病历共享。</p>"
    "<p>发布会上，有关负责人表示，将进一步完善全民健康信息平台，推动检查检验结果互认。</p>"
)


def test_article_date_not_sidebar_date() -> None:
    page = (
        "<html><body><div class='side'><ul>"
        "<li><a href='/1'>另一条新闻标题一</a> 2023-10-20</li>"
        "<li><a href='/2'>另一条新闻标题二</a> 2023-10-19</li></ul></div>"
        "<div class='main'><h1>全民健康信息化建设进展发布会召开</h1>"
        "<div class='info'>2023-10-16 10:30 来源：健康报</div>"
        f"<div class='content'>{ARTICLE}</div></div></body></html>"
    )
    article = extract_article(page.encode(), "http://example.com/a.html")
    assert article.published_at == at(2023, 10, 16, 10, 30)
    assert article.source_name == "健康报"


def test_date_in_url_when_page_has_none() -> None:
    page = f"<html><body><h1>全民健康信息化建设进展</h1><div>{ARTICLE}</div></body></html>"
    article = extract_article(page.encode(), "http://example.com/2023/1016/c1.html")
    assert article.published_at == at(2023, 10, 16)
    assert article.confidence["published_at"] < 0.9


def test_forum_footer_date() -> None:
    page = (
        f"<html><body><h1>全民健康信息化建设进展</h1><div>{ARTICLE}</div>"
        "<center>本贴由<b>大卫</b>于2005年8月12日16:12:21在〖健康论坛〗发表.</center>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "http://example.com/bbs/1.html")
    assert article.published_at == at(2005, 8, 12, 16, 12, 21)
