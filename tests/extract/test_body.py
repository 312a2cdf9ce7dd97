"""Main text: the density method, the projection of another extractor's text onto the page's
blocks, and the choice between candidates by measured prose."""

from __future__ import annotations

from lxml import etree

from jianbao.extract.blocks import page_blocks
from jianbao.extract.body import (
    Candidate,
    choose_body,
    density_candidate,
    measure,
    project_onto_blocks,
    prose_score,
)

P1 = "国家卫生健康委员会今天发布通知，要求各地加快推进全民健康信息平台建设，实现数据互通共享。"
P2 = "通知明确，到2025年底，二级以上公立医院要全部接入省级平台，检查检验结果互认项目不少于100项。"
P3 = "通知还要求，各地要落实网络安全责任，加强数据分类分级保护，防止患者信息泄露。"


def tree(html: str) -> etree._Element:
    return etree.fromstring(html, etree.HTMLParser())


def test_article_beats_link_list_and_comment_rules() -> None:
    page = tree(
        "<html><body><div class='nav'><a href='/1'>首页</a><a href='/2'>新闻</a></div>"
        "<div class='side'><ul>"
        + "".join(
            f"<li><a href='/n{i}'>另一条较长的新闻标题第{i}条，内容很多</a></li>" for i in range(12)
        )
        + "</ul></div>"
        f"<h1>全民健康信息平台建设提速</h1><div class='summary'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        "<form><fieldset><p>【1】留言限140字以内。留言将于发送留言72小时后，由系统自动删除。</p>"
        "<p>【2】与本报报道内容无关、涉及人身攻击言论、张贴广告与涉及交易讯息、重复张贴，一律删除。</p>"
        "<p>【3】请勿留下个人隐私资料，以免遭人盗用，本报将不负管理之责。</p>"
        "<p>【4】网友应谨慎发言，遵守相关法律规定，违者自负法律责任。</p>"
        "<textarea></textarea></fieldset></form></body></html>"
    )
    blocks = page_blocks(page)
    title_at = next(i for i, b in enumerate(blocks) if b.tag == "h1")
    candidate = density_candidate(page, blocks, title_at)
    assert candidate is not None
    assert candidate.paragraphs == [P1, P2, P3]


def test_article_wrapped_in_a_link_is_still_found() -> None:
    page = tree(
        "<html><body><div class='footer'><p>Copyright 2012 某某电视台 All Rights Reserved</p></div>"
        f"<div class='intro'><a href='/a.html'>{P1}<br><br>{P2}<br><br>{P3}</a></div></body></html>"
    )
    candidate = density_candidate(page)
    assert candidate is not None
    assert P2 in candidate.paragraphs


def test_projection_restores_page_paragraphs() -> None:
    page = tree(
        f"<html><body><h1>标题</h1><p>来源：健康报</p><p>{P1}</p><p>{P2}</p>"
        "<p>相关阅读</p></body></html>"
    )
    merged = f"来源：健康报 {P1}{P2}"
    paragraphs, links = project_onto_blocks(merged, page_blocks(page))
    assert paragraphs == ["来源：健康报", P1, P2]
    assert links == 0


def test_prose_scores_sentences_above_lists() -> None:
    assert prose_score([P1, P2]) > prose_score(["首页", "新闻中心", "另一条新闻标题"] * 10)
    assert prose_score(["| 首页 | 新闻 | 体育 |"]) < 0


def test_choice_prefers_prose_and_keeps_the_first_on_a_near_tie() -> None:
    ours = Candidate("density", [P1, P2, P3])
    ours.features = measure(ours.paragraphs)
    noisy = Candidate("trafilatura", ["首页", "新闻", *[f"热门文章标题{i}" for i in range(30)], P1])
    noisy.features = measure(noisy.paragraphs)
    assert choose_body([ours, noisy]) is ours
    same = Candidate("trafilatura", [P1, P2, P3])
    same.features = measure(same.paragraphs)
    assert choose_body([ours, same]) is ours
    assert choose_body([]) is None
