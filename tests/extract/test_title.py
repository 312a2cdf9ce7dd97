"""Titles: the headline, not the site's name, whatever the page's markup offers."""

from __future__ import annotations

from jianbao.extract import extract_article
from jianbao.extract.page import find_title, parse_html, site_like

BODY = (
    "<p>国家卫生健康委员会今天发布通知，要求各地加快推进全民健康信息平台建设，实现数据互通共享。</p>"
    "<p>通知明确，到2025年底，二级以上公立医院要全部接入省级平台，检查检验结果互认项目不少于100项。</p>"
)


def title_of(html: str) -> str:
    tree = parse_html(html)
    assert tree is not None
    return find_title(tree)[0]


def test_site_name_is_cut_from_the_title_tag() -> None:
    assert (
        title_of("<title>卫健委推进信息平台建设_新闻中心_某某网</title>")
        == "卫健委推进信息平台建设"
    )
    assert title_of("<title>卫健委推进信息平台建设-健康-某某网</title>") == "卫健委推进信息平台建设"
    assert title_of("<title>多维博客 » 播客热潮迅速蔓延</title>") == "播客热潮迅速蔓延"


def test_heading_inside_the_title_tag_wins() -> None:
    html = (
        "<html><head><title>卫健委推进信息平台建设 二级医院全部接入_某某网</title></head>"
        "<body><h1>某某网</h1><h2>卫健委推进信息平台建设 二级医院全部接入</h2></body></html>"
    )
    assert title_of(html) == "卫健委推进信息平台建设 二级医院全部接入"


def test_outlet_prefix_is_removed() -> None:
    assert (
        title_of("<title>中國評論新聞：看病送火車票 折射春運之殤</title>")
        == "看病送火車票 折射春運之殤"
    )


def test_site_like_names() -> None:
    assert site_like("经济参考网")
    assert site_like("Taiwan News Online")
    assert site_like("臺灣英文新聞:")
    assert not site_like("卫健委推进信息平台建设")


def test_headline_block_when_markup_names_only_the_site() -> None:
    page = (
        "<html><head><title>经济参考网</title><meta property='og:title' content='经济参考网'>"
        "</head><body><div class='logo'><a href='/'>首页</a></div>"
        "<div class='tt'>卫健委推进信息平台建设 二级医院全部接入</div>"
        "<div class='info'>2023-10-16 来源：经济参考报</div>"
        f"<div class='content'>{BODY}</div></body></html>"
    )
    article = extract_article(page.encode(), "http://example.com/a.html")
    assert article.title == "卫健委推进信息平台建设 二级医院全部接入"
    assert article.source_name == "经济参考报"


def test_an_invisible_control_character_in_the_headline_is_dropped() -> None:
    """A page's <title> and <h1> holding a backspace (pasted from a word processor): the
    headline is kept without it, since no issue format can print it and the Atom feed
    cannot hold it."""
    page = (
        "<html><head><meta charset='utf-8'><title>国家卫健委\x08发布通知</title></head>"
        f"<body><h1>国家卫健委\x08发布\x1b通知</h1><div class='content'>{BODY * 3}</div>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "https://www.example.gov.cn/a.html")
    assert article.title == "国家卫健委发布通知"
