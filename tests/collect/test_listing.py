"""Article links and pagination on listing pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from jianbao.collect.listing import find_article_links, find_next_page
from jianbao.errors import ParseError
from jianbao.records import SHANGHAI

BASE = "http://www.nhc.example.gov.cn/xxzx/list.shtml"

GOV_LISTING = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>信息中心 - 工作动态</title></head>
<body>
<div class="nav">
  <a href="/">首页</a> <a href="/xxzx/">信息中心</a> <a href="/xxzx/index.html">工作动态</a>
  <a href="/gzdt/list_2.shtml">更多</a> <a href="javascript:void(0)">打印</a>
  <a href="mailto:web@nhc.example.gov.cn">联系我们</a>
</div>
<ul class="zxxx_list">
  <li><a href="/xxzx/202310/t20231016_12345.shtml" target="_blank" title="关于印发全国医疗卫生机构信息互通共享实施方案的通知">关于印发全国医疗卫生机构信息互通共享…</a><span class="ml">2023-10-16</span></li>
  <li><a href="./202310/t20231015_12344.shtml">国家卫生健康委召开新闻发布会</a><span>2023年10月15日</span></li>
  <li><a href="/xxzx/c100001/content_9876.html">互联网医院监管平台上线运行</a><span>[2023/10/14]</span></li>
  <li><a href="https://www.nhc.example.gov.cn/art/2023/10/13/art_1_2345.html">电子病历系统应用水平分级评价结果公布</a></li>
  <li><a href="http://sub.nhc.example.gov.cn/news/zhihuiyiyuan.html">智慧医院建设经验交流会在京召开</a></li>
  <li><a href="/xxzx/202310/t20231016_12345.shtml#top">关于印发全国医疗卫生机构信息互通共享实施方案的通知</a></li>
  <li><a href="/files/2023/10/plan.pdf">附件：实施方案全文下载地址</a></li>
  <li><a href="http://www.other-site.example.com/2023/10/16/x.html">外部网站的新闻标题足够长足够长</a></li>
  <li><a href="/xxzx/short.html">短</a></li>
</ul>
<div class="page"><a href="list_1.shtml">上一页</a> <a href="list_3.shtml">下一页</a></div>
</body></html>"""


def _urls(html: str, base: str = BASE, selector: str | None = None) -> list[str]:
    return [link.url for link in find_article_links(html, base, selector)]


def test_default_heuristics_find_articles_only() -> None:
    assert _urls(GOV_LISTING) == [
        "http://www.nhc.example.gov.cn/xxzx/202310/t20231016_12345.shtml",
        "http://www.nhc.example.gov.cn/xxzx/202310/t20231015_12344.shtml",
        "http://www.nhc.example.gov.cn/xxzx/c100001/content_9876.html",
        "https://www.nhc.example.gov.cn/art/2023/10/13/art_1_2345.html",
        "http://sub.nhc.example.gov.cn/news/zhihuiyiyuan.html",
    ]


def test_titles_prefer_the_full_title_attribute() -> None:
    first = find_article_links(GOV_LISTING, BASE)[0]
    assert first.title == "关于印发全国医疗卫生机构信息互通共享实施方案的通知"


def test_dates_next_to_links() -> None:
    links = find_article_links(GOV_LISTING, BASE)
    assert [link.published_at for link in links[:3]] == [
        datetime(2023, 10, 16, tzinfo=SHANGHAI),
        datetime(2023, 10, 15, tzinfo=SHANGHAI),
        datetime(2023, 10, 14, tzinfo=SHANGHAI),
    ]
    assert links[3].published_at is None


def test_date_of_a_neighbour_is_not_borrowed() -> None:
    html = """<div><p><a href="/2023/10/16/a.html">第一条新闻的标题足够长</a>
    <a href="/2023/10/17/b.html">第二条新闻的标题足够长</a> 2023-10-17</p></div>"""
    links = find_article_links(html, "http://x.example.cn/")
    assert [link.published_at for link in links] == [None, None]


def test_selector_decides_when_given() -> None:
    html = """<div class="main"><ul class="news">
      <li><a href="/x/1.html">一</a></li><li><a href="/x/2.html">二</a></li></ul></div>
      <div class="side"><a href="/2023/10/16/side.html">侧栏的很长很长很长的标题</a></div>"""
    assert _urls(html, "http://x.example.cn/", "ul.news") == [
        "http://x.example.cn/x/1.html",
        "http://x.example.cn/x/2.html",
    ]
    assert _urls(html, "http://x.example.cn/", "ul.news li a") == _urls(
        html, "http://x.example.cn/", "ul.news"
    )


def test_bad_selector_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="选择器"):
        find_article_links(GOV_LISTING, BASE, "ul[[[")


def test_base_href_is_honoured() -> None:
    html = """<html><head><base href="http://x.example.cn/news/"></head>
    <body><a href="2023/10/16/a.html">新闻标题足够长的一条新闻</a></body></html>"""
    assert _urls(html, "http://x.example.cn/other/page.html") == [
        "http://x.example.cn/news/2023/10/16/a.html"
    ]


@pytest.mark.parametrize("html", ["", "   ", "<?xml version='1.0' encoding='gbk'?>", "\x00\x00"])
def test_empty_or_odd_documents(html: str) -> None:
    assert find_article_links(html, BASE) == []


def test_xml_declaration_with_encoding_is_tolerated() -> None:
    html = "<?xml version='1.0' encoding='gbk'?><html><body><a href='/2023/10/16/a.html'>x</a></body></html>"
    assert _urls(html, "http://x.example.cn/") == ["http://x.example.cn/2023/10/16/a.html"]


def test_next_page_by_text() -> None:
    assert find_next_page(GOV_LISTING, BASE) == "http://www.nhc.example.gov.cn/xxzx/list_3.shtml"


def test_next_page_by_rel() -> None:
    html = '<html><head><link rel="next" href="?page=2"></head><body></body></html>'
    assert find_next_page(html, "http://x.example.cn/news/") == "http://x.example.cn/news/?page=2"


def test_next_page_from_trs_pager_zero_based() -> None:
    html = '<div id="page"></div><script>createPageHTML(5, 0, "index", "html");</script>'
    assert (
        find_next_page(html, "http://x.gov.cn/zwgk/index.html")
        == "http://x.gov.cn/zwgk/index_1.html"
    )
    html = '<script>createPageHTML(5, 3, "index", "html");</script>'
    assert (
        find_next_page(html, "http://x.gov.cn/zwgk/index_3.html")
        == "http://x.gov.cn/zwgk/index_4.html"
    )
    html = '<script>createPageHTML(5, 4, "index", "html");</script>'
    assert find_next_page(html, "http://x.gov.cn/zwgk/index_4.html") is None


def test_next_page_from_trs_pager_one_based() -> None:
    html = "<script>createPageHTML('page_div',43, 1,'list','shtml',860);</script>"
    assert find_next_page(html, "http://x.gov.cn/a/list.shtml") == "http://x.gov.cn/a/list_2.shtml"
    html = "<script>createPageHTML('page_div',43, 43,'list','shtml',860);</script>"
    assert find_next_page(html, "http://x.gov.cn/a/list_43.shtml") is None


def test_no_next_page() -> None:
    assert find_next_page("<html><body><a href='/a'>a</a></body></html>", BASE) is None
    assert find_next_page("", BASE) is None
    html = f'<a href="{BASE}">下一页</a>'
    assert find_next_page(html, BASE) is None


def test_links_in_nav_and_footer_are_skipped() -> None:
    html = """<html><body><nav><a href="/2023/10/16/menu.html">导航里的很长很长的栏目标题</a></nav>
    <ul><li><a href="/2023/10/16/a.html">正文列表里的一条新闻标题</a></li></ul>
    <footer><a href="/2023/10/16/about.html">页脚里的很长很长的链接文字</a></footer></body></html>"""
    assert _urls(html, "http://x.example.cn/") == ["http://x.example.cn/2023/10/16/a.html"]
