"""Site rules: the data is well formed, and rules apply only where they should."""

from __future__ import annotations

from lxml import etree

from jianbao.extract import extract_article
from jianbao.extract.page import match_rule, parse_html
from jianbao.extract.site_rules import SITE_RULES

NHC_LIKE = (
    "<html><body><div class='tit'>不相关的标题</div><div id='xw_box'><p>正文</p></div>"
    "</body></html>"
)


def test_every_xpath_compiles_and_names_are_unique() -> None:
    names = [rule.name for rule in SITE_RULES]
    assert len(names) == len(set(names))
    for rule in SITE_RULES:
        for xpath in (
            rule.detect,
            *rule.body,
            *rule.title,
            *rule.source,
            *rule.author,
            *rule.date,
            *rule.remove,
        ):
            etree.XPath(xpath)


def test_host_bound_rule_needs_its_host() -> None:
    tree = parse_html(NHC_LIKE)
    assert tree is not None
    nhc = match_rule(tree, "http://www.nhc.gov.cn/a/b.shtml")
    assert nhc is not None and nhc.name == "nhc-xw_box"
    assert match_rule(tree, "http://www.example.com/a/b.shtml") is None


def test_wechat_rule_applies_on_any_host() -> None:
    tree = parse_html("<html><body><div id='js_content'><p>正文</p></div></body></html>")
    assert tree is not None
    rule = match_rule(tree, "https://mirror.example.com/s/abc")
    assert rule is not None and rule.name == "wechat"


def test_rule_removes_widgets_inside_the_body() -> None:
    page = (
        "<html><body><h1 id='activity-name'>智慧医院建设的关键问题</h1>"
        "<a id='js_name'>医院信息化观察</a><div id='js_content'>"
        "<p>近年来，智慧医院建设成为公立医院高质量发展的重要抓手，各地积极探索。</p>"
        "<div id='js_pc_qr_code'><p>微信扫一扫关注该公众号</p></div></div>"
        '<script>var ct = "1697423400";</script></body></html>'
    )
    article = extract_article(page.encode(), "https://mp.weixin.qq.com/s/x")
    assert article.paragraphs == [
        "近年来，智慧医院建设成为公立医院高质量发展的重要抓手，各地积极探索。"
    ]
    assert article.source_name == "医院信息化观察"
    assert article.confidence["body"] >= 0.9


def test_nhc_ucap_template() -> None:
    page = (
        "<html><head><meta name='ArticleTitle' content='国家卫生健康委关于推进智慧医院建设的通知'>"
        "<meta name='PubDate' content='2024-03-05 10:00'>"
        "<meta name='ContentSource' content='医政司'></head><body>"
        "<div class='nav'><a href='/'>首页</a></div>"
        "<div class='article'><h1>国家卫生健康委关于推进智慧医院建设的通知</h1>"
        "<div class='source'>发布时间：2024-03-05 来源：医政司</div>"
        "<div id='UCAP-CONTENT'><p>各省、自治区、直辖市卫生健康委：</p>"
        "<p>为推进智慧医院建设，提升医疗服务质量和效率，现就有关事项通知如下。</p></div>"
        "</div><div class='side'><ul><li><a href='/1'>另一条通知</a> 2024-03-08</li></ul></div>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "http://www.nhc.gov.cn/yzygj/s3594q/202403/x.shtml")
    assert article.title == "国家卫生健康委关于推进智慧医院建设的通知"
    assert article.paragraphs == [
        "各省、自治区、直辖市卫生健康委：",
        "为推进智慧医院建设，提升医疗服务质量和效率，现就有关事项通知如下。",
    ]
    assert article.source_name == "医政司"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2024-03-05T10:00:00+08:00"
