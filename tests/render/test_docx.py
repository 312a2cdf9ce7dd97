"""The Word document parsed back with python-docx and compared with the IssueView."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jianbao.errors import RenderError
from jianbao.records import IssueView
from jianbao.render.docx import DocxStyle, render_docx

W_HYPERLINK = qn("w:hyperlink")


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_weekly_document_layout(weekly: IssueView, tmp_path: Path) -> None:
    path = render_docx(weekly, tmp_path / "w.docx")
    texts = _texts(path)
    assert texts[:4] == [
        "全国卫生信息化舆情监测周报",
        "（第五四六期）",
        "北京市卫生健康大数据与政策研究中心",
        "2023年10月20日",
    ]
    lead_at = texts.index("本期导语：")
    assert texts[lead_at + 1] == weekly.lead
    toc_at, content_at = texts.index("一、信息目录"), texts.index("二、具体内容")
    assert lead_at < toc_at < content_at
    toc = texts[toc_at + 1 : content_at]
    assert toc == [f"{i.position}. {i.title}（{i.source}）" for i in weekly.items]
    headings = [t for t in texts[content_at:] if re.match(r"^\d+\. 标题：", t)]
    assert headings == [f"{i.position}. 标题：{i.title}" for i in weekly.items]
    # each item's fields and paragraphs in order
    first = texts.index(headings[0])
    assert texts[first + 1 : first + 5] == [
        "来源：衡水新闻网",
        "日期：2023-10-14",
        "链接：https://news.example.cn/a/1.html?x=1&y=2",
        "主要内容：",
    ]
    assert texts[first + 5 : first + 7] == weekly.items[0].paragraphs


def test_links_and_bookmarks(weekly: IssueView, tmp_path: Path) -> None:
    doc = Document(str(render_docx(weekly, tmp_path / "w.docx")))
    body = doc.element.body
    anchors = [h.get(qn("w:anchor")) for h in body.iter(W_HYPERLINK) if h.get(qn("w:anchor"))]
    bookmarks = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert anchors == [f"item_{i.position}" for i in weekly.items]
    assert bookmarks == anchors
    external = [p.hyperlinks[0].address for p in doc.paragraphs if p.text.startswith("链接：")]
    assert external == [i.url for i in weekly.items]
    # the bookmark sits on the item's heading
    for paragraph in doc.paragraphs:
        names = [b.get(qn("w:name")) for b in paragraph._p.iter(qn("w:bookmarkStart"))]
        if names:
            assert paragraph.text.startswith(names[0].split("_")[1] + ". 标题：")


def test_page_fonts_and_footer(weekly: IssueView, tmp_path: Path) -> None:
    doc = Document(str(render_docx(weekly, tmp_path / "w.docx")))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    style = DocxStyle()
    expected = {
        "Normal": style.body_font,
        "JB Title": style.title_font,
        "Heading 1": style.heading_font,
        "Heading 2": style.subheading_font,
    }
    for name, font in expected.items():
        rfonts = doc.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            assert rfonts.get(qn(attr)) is None, (name, attr)
    first_style = doc.paragraphs[0].style
    assert first_style is not None and first_style.name == "JB Title"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml
    assert "fldChar" in footer_xml


def test_fonts_are_configurable(weekly: IssueView, tmp_path: Path) -> None:
    custom = DocxStyle(body_font="仿宋", title_font="黑体", body_size=14)
    doc = Document(str(render_docx(weekly, tmp_path / "w.docx", custom)))
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Normal"].font.size.pt == 14


def test_daily_document(view_factory: Callable[..., IssueView], tmp_path: Path) -> None:
    view = view_factory("daily", 4, categories=["国家政策", "卫生健康信息化"])
    doc = Document(str(render_docx(view, tmp_path / "d.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2020年7月16日（周四）今日入伏"
    assert texts[1] == "国家政策"
    items = [p for p in doc.paragraphs if re.match(r"^\d+\. ", p.text)]
    assert [p.text.split(". ", 1)[0] for p in items] == ["1", "2", "3", "4"]
    assert [p.hyperlinks[0].text for p in items] == [i.title for i in view.items]


def test_control_characters_do_not_break_the_document(
    view_factory: Callable[..., IssueView], tmp_path: Path
) -> None:
    view = view_factory("weekly", 1)
    view.items[0].paragraphs = ["正文\x00里有\x0b控制字符"]
    doc = Document(str(render_docx(view, tmp_path / "c.docx")))
    assert "正文里有控制字符" in [p.text for p in doc.paragraphs]


def test_unwritable_path_is_a_render_error(weekly: IssueView, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RenderError) as err:
        render_docx(weekly, blocker / "w.docx")
    assert "Word" in str(err.value)


def test_an_items_heading_and_field_lines_keep_with_the_text(
    weekly: IssueView, tmp_path: Path
) -> None:
    # issue 15, item 23: no 主要内容： (or 来源/日期/链接) left alone at a page's foot
    doc = Document(str(render_docx(weekly, tmp_path / "w.docx")))
    paragraphs = doc.paragraphs
    content_at = next(i for i, p in enumerate(paragraphs) if p.text == "二、具体内容")
    checked = 0
    for at, paragraph in enumerate(paragraphs[content_at:], start=content_at):
        if not re.match(r"^\d+\. 标题：", paragraph.text):
            continue
        block = paragraphs[at : at + 5]  # heading, 来源, 日期, 链接, 主要内容：
        assert block[-1].text == "主要内容："
        for line in block:
            assert line.paragraph_format.keep_with_next is True, line.text
        # the text itself flows: its paragraphs are not chained to the next item
        assert paragraphs[at + 5].paragraph_format.keep_with_next is not True
        checked += 1
    assert checked == len(weekly.items)


def _footer_number(paragraph: Any) -> str:
    """The footer's text with the PAGE field's result: ``— 1 —``."""
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def test_page_numbers_odd_right_even_left_as_gbt_9704(weekly: IssueView, tmp_path: Path) -> None:
    style = DocxStyle()
    doc = Document(str(render_docx(weekly, tmp_path / "w.docx", style)))
    assert doc.settings.odd_and_even_pages_header_footer is True
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    # 空一字: one body character in from the type area's edge, on the outer side
    assert odd.paragraph_format.right_indent == Pt(style.body_size)
    assert even.paragraph_format.left_indent == Pt(style.body_size)
    for paragraph in (odd, even):
        assert _footer_number(paragraph) == "— 1 —"
        assert "PAGE" in paragraph._p.xml
        assert {r.font.size for r in paragraph.runs if r.text} == {Pt(style.footer_size)}
    # the 一字线 about 7 mm below the type area: the footer line's middle sits there
    assert section.bottom_margin is not None and section.footer_distance is not None
    middle = section.footer_distance + Pt(style.footer_size / 2)
    assert abs(section.bottom_margin - middle - Mm(7)) < Mm(0.5)
