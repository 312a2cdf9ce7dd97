"""Cleanup: each kind of noise editors remove by hand, on small paragraphs and pages."""

from __future__ import annotations

import pytest

from jianbao.extract import extract_article
from jianbao.extract.cleanup import (
    clean_paragraphs,
    is_noise,
    normalize_text,
    strip_inline_noise,
)

PROSE = "国家卫生健康委员会今天发布通知，要求各地加快推进全民健康信息平台建设，实现数据互通共享。"
PROSE2 = (
    "通知明确，到2025年底，二级以上公立医院要全部接入省级平台，检查检验结果互认项目不少于100项。"
)


def test_stock_quotes_are_removed_inside_sentences() -> None:
    text = "智能机器人(11.170, -0.09, -0.80%)表示，卫宁健康（11.230，0.12，1.08%）也有进展。"
    assert strip_inline_noise(text) == "智能机器人表示，卫宁健康也有进展。"


def test_stock_codes_are_removed() -> None:
    assert strip_inline_noise("卫宁健康(300253.SZ)发布公告。") == "卫宁健康发布公告。"
    assert strip_inline_noise("京东健康（06618.HK）称") == "京东健康称"


def test_editor_credit_in_brackets_is_removed() -> None:
    assert strip_inline_noise("会议要求落实责任。【责任编辑：张三】") == "会议要求落实责任。"
    assert strip_inline_noise("会议要求落实责任。(编辑：李四)") == "会议要求落实责任。"


@pytest.mark.parametrize(
    "paragraph",
    [
        "分享到：微信 微博 QQ空间",
        "【打印本页】【关闭窗口】",
        "字号：[大][中][小]",
        "扫一扫，获取更多医院信息化资讯",
        "长按二维码关注我们",
        "微信扫一扫 关注该公众号",
        "版权所有：某市卫生健康委员会 ICP备12345678号",
        "Copyright © 1996-2023 SINA Corporation, All Rights Reserved",
        "免责声明：本文仅代表作者观点，不代表本站立场。",
        "未经授权不得转载",
        "转载请注明出处",
        "图片来源：视觉中国",
        "（图片来源：网络）",
        "资料图片",
        "【责任编辑：王小明】",
        "责任编辑：王小明",
        "标签：电子病历 智慧医院",
        "上一篇：某某新闻标题",
        "原标题：医疗AI企业加速布局智慧医院",
        "阅读 1234",
        "微信 微博 QQ空间",
        "【列印】【關閉視窗】",
        "字型：大 中 小",
        "掃一掃，分享本文",
        "版權所有 © 2023 某某新聞網",
        "相關新聞",
    ],
)
def test_noise_paragraphs(paragraph: str) -> None:
    assert is_noise(normalize_text(paragraph))


@pytest.mark.parametrize(
    "paragraph", [PROSE, PROSE2, "一、总体要求", "会议指出，要加强版权保护工作。"]
)
def test_prose_is_not_noise(paragraph: str) -> None:
    assert not is_noise(paragraph)


def test_related_list_is_dropped_and_article_resumes() -> None:
    paragraphs = [PROSE, "相关阅读", "医保支付方式改革全面推开", "互联网医院监管办法发布", PROSE2]
    assert clean_paragraphs(paragraphs) == [PROSE, PROSE2]


def test_disclaimer_ends_the_article() -> None:
    paragraphs = [
        PROSE,
        "声明：",
        "凡注明为其他媒体来源的信息，均为转载自其他媒体，转载并不代表本网赞同其观点。",
        PROSE2,
    ]
    assert clean_paragraphs(paragraphs) == [PROSE]


def test_repeated_title_line_is_dropped() -> None:
    title = "国家卫健委推进全民健康信息平台建设"
    assert clean_paragraphs([title, PROSE], title) == [PROSE]
    # …but only at the top
    assert clean_paragraphs([PROSE, title], title) == [PROSE, title]


def test_byline_lines_leave_the_body() -> None:
    paragraphs = ["来源：健康报  作者：张三  发布时间：2023-10-16", PROSE, "（来源：人民日报）"]
    assert clean_paragraphs(paragraphs) == [PROSE]


def test_duplicated_article_is_given_once() -> None:
    assert clean_paragraphs([PROSE, PROSE2, PROSE, PROSE2]) == [PROSE, PROSE2]


def test_spacing_between_chinese_and_latin() -> None:
    assert normalize_text("  医院　信息化  建设 ") == "医院 信息化 建设"
    assert normalize_text("会议指出 ， 要加强建设 。") == "会议指出，要加强建设。"
    assert normalize_text("记者 张三 李四") == "记者 张三 李四"
    assert normalize_text("推进 AI 辅助诊断") == "推进 AI 辅助诊断"
    assert normalize_text("ＡＩ辅助诊断达到１００项") == "AI辅助诊断达到100项"
    assert normalize_text("医院\xa0\xa0信息化") == "医院 信息化"


def test_widgets_on_a_page() -> None:
    page = (
        "<html><body><h1>全民健康信息平台建设推进会召开</h1>"
        "<div class='content'>"
        f"<p>{PROSE}</p><p>{PROSE2}</p>"
        "<p>分享到：</p><p>扫一扫 在手机打开当前页</p><p>【打印】【关闭】</p>"
        "<p>相关新闻</p><ul><li><a href='/1'>另一条新闻</a></li><li><a href='/2'>又一条新闻</a></li></ul>"
        "<p>版权所有 © 某某网 未经授权禁止转载</p>"
        "</div></body></html>"
    )
    article = extract_article(page.encode(), "http://example.com/a.html")
    assert article.paragraphs == [PROSE, PROSE2]


@pytest.mark.parametrize(
    "paragraph",
    ["附件：", "广告", "东川省人民医院门诊大厅，患者在自助机上办理业务。记者 陈子航 摄"],
)
def test_leftover_labels_ads_and_captions_are_noise(paragraph: str) -> None:
    assert is_noise(paragraph)


def test_a_paragraph_that_mentions_a_reporter_is_kept() -> None:
    assert not is_noise("记者了解到，医院近三年投入建设了统一预约平台。")


def test_one_scan_says_what_the_patterns_say_one_by_one() -> None:
    """is_noise, starts_tail and ends_article scan a paragraph once with all their
    patterns together (issue 21): on real pages' sentences and on furniture, each says
    what asking its patterns one by one says; full-width digits still become half-width."""
    import csv
    import re
    from pathlib import Path

    from jianbao.extract.cleanup import ends_article, starts_tail
    from jianbao.extract.patterns import END_MARKERS, NOISE_PARAGRAPHS, TAIL_STARTERS

    rows = []
    for name in ("stories-dev.tsv", "stories-pages.tsv", "stories-tune4.tsv"):
        data = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / name
        with data.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    texts = [
        piece
        for row in rows
        if len(row) >= 5
        for piece in re.split(r"(?<=[。！？\n])", row[3] + "\n" + row[4])
        if piece
    ]
    texts += [
        "分享到：微信 微博 QQ空间",
        "责任编辑：王小明",
        "扫一扫在手机打开当前页",
        "版权所有 示例日报社 备案号 示ICP备00000000号",
        "相关阅读：",
        "免责声明：本文仅代表作者观点",
        "网友评论",
        "打印本页 关闭窗口",
    ]
    assert len(texts) > 300
    for test, patterns in (
        (is_noise, NOISE_PARAGRAPHS),
        (starts_tail, TAIL_STARTERS),
        (ends_article, END_MARKERS),
    ):
        said = [test(text) for text in texts]
        assert said == [any(re.search(p, text) for p in patterns) for text in texts]
        assert any(said)
    assert normalize_text("第１２期ＡＢＣ会议") == "第12期ABC会议"
