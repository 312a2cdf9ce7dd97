"""Reading hand-made reports: Word lists, Markdown marks, broken lines, encodings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from jianbao.editions.check import check_file
from jianbao.editions.report_parse import (
    find_date,
    markdown_lines,
    parse_report,
    parse_report_file,
    read_lines,
)
from jianbao.errors import InputError

HAND_MADE = [
    "全国卫生信息化舆情监测周报",
    "（第三〇一期）",
    "北京市卫生计生委信息中心",
    "2018年6月1日",
    "本期导语：本期周报共收集2篇卫生信息化相关信息，时间从2018年5月28日到2018年6月1日，"
    "监测范围包括全国主流媒体及政府网站等。",
    "一、信息目录",
    "1. 某市上线全民健康信息平台（健康报）",
    "2. 某省发布互联网医院管理办法",
    "（人民网）",
    "二、具体内容",
    "1. 标题：某市上线全民健康信息平台",
    "来源：健康报",
    "日期：2018-05-29",
    "链接：",
    "https://example.cn/1",
    "主要内容：",
    "第一段。",
    "2. 标题：某省发布互联网医院",
    "管理办法",
    "媒体：人民网 2018-5-30",
    "链接：https://example.cn/2",
    "主要内容：",
    "1. 这一段以数字开头，但不是新条目。",
    "责任编辑：李四",
]


def test_hand_made_layout_variants() -> None:
    doc = parse_report(HAND_MADE)
    assert doc.kind == "weekly"
    assert doc.number == 301
    assert doc.publisher == "北京市卫生计生委信息中心"
    assert doc.issue_date == date(2018, 6, 1)
    assert doc.lead.startswith("本期周报共收集2篇")
    assert [(t.number, t.title, t.source) for t in doc.toc] == [
        (1, "某市上线全民健康信息平台", "健康报"),
        (2, "某省发布互联网医院管理办法", "人民网"),
    ]
    first, second = doc.items
    assert (first.source, first.published, first.url) == (
        "健康报",
        date(2018, 5, 29),
        "https://example.cn/1",
    )
    assert second.title == "某省发布互联网医院管理办法"  # rejoined
    assert (second.source, second.source_label, second.date_text) == ("人民网", "媒体", "2018-5-30")
    assert second.paragraphs == ["1. 这一段以数字开头，但不是新条目。", "责任编辑：李四"]


def test_word_lists_are_numbered_as_word_shows_them(tmp_path: Path) -> None:
    document = Document()
    for line in HAND_MADE[:6]:
        document.add_paragraph(line)
    document.add_paragraph("某市上线全民健康信息平台（健康报）", style="List Number")
    document.add_paragraph("某省发布互联网医院管理办法（人民网）", style="List Number")
    document.add_paragraph("二、具体内容")
    for n, (title, source, url) in enumerate(
        [("某市上线全民健康信息平台", "健康报", "1"), ("某省发布互联网医院管理办法", "人民网", "2")]
    ):
        document.add_paragraph(f"标题：{title}", style="List Number 2")
        document.add_paragraph(f"来源：{source}")
        document.add_paragraph(f"日期：2018-05-{29 + n}")
        document.add_paragraph(f"链接：https://example.cn/{url}")
        document.add_paragraph("主要内容：")
        document.add_paragraph("正文(11.170, -0.09, -0.80%)。")
    path = tmp_path / "hand.docx"
    document.save(str(path))
    lines = read_lines(path)
    assert "1. 某市上线全民健康信息平台（健康报）" in lines
    assert "2. 标题：某省发布互联网医院管理办法" in lines
    doc = parse_report_file(path)
    assert [t.number for t in doc.toc] == [1, 2]
    assert [i.number for i in doc.items] == [1, 2]
    findings = check_file(path)
    assert {f.rule for f in findings} == {"noise"}
    assert [f.item for f in findings] == [1, 2]


def test_markdown_lines() -> None:
    lines = markdown_lines(
        "## 2020年7月16日（周四）今日入伏 {#toc_2}\n"
        "  1. [标题 \\[一\\]][7]。摘要\n"
        "**2. 标题：正文**\n"
        "链接：<https://a.cn/x>\n"
        "[7]: https://mp.example.cn/s/abc\n"
    )
    assert lines[0] == "2020年7月16日（周四）今日入伏"
    assert lines[1].strip() == "1. 标题 [一] <https://mp.example.cn/s/abc>。摘要"
    assert lines[2] == "2. 标题：正文"
    assert lines[3] == "链接：https://a.cn/x"


def test_find_date() -> None:
    assert find_date("媒体：社会保障卡 2018-4-23") == (date(2018, 4, 23), "2018-4-23")
    assert find_date("2023年10月20日") == (date(2023, 10, 20), "2023年10月20日")
    assert find_date("2018-02-30") == (None, "2018-02-30")
    assert find_date("无日期") == (None, "")


def test_text_files_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("\n".join(HAND_MADE).encode("gbk"))
    assert parse_report_file(path).number == 301


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_lines(tmp_path / "missing.docx")
    assert "找不到" in str(err.value)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError) as err:
        read_lines(pdf)
    assert ".docx" in str(err.value)
    fake = tmp_path / "old.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    with pytest.raises(InputError) as err:
        read_lines(fake)
    assert "另存为 .docx" in str(err.value)


# -- issue 15, items 16 and 17: 目录 as a bulleted list, Word lists starting at 2 or 3 -----

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_list(document: Document, num_id: int, *, start: int, override: int | None = None) -> str:
    """A decimal Word list numbered from ``start`` (``w:start``), or restarted at
    ``override`` by its list instance (``w:startOverride``), as Word writes them."""
    from docx.oxml import parse_xml

    root = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {_NS} w:abstractNumId="{num_id}"><w:lvl w:ilvl="0">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        "</w:lvl></w:abstractNum>"
    )
    root.insert(0, abstract)  # abstractNum elements come before num elements
    restart = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>'
        if override is not None
        else ""
    )
    root.append(
        parse_xml(
            f'<w:num {_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{restart}</w:num>'
        )
    )
    return str(num_id)


def _numbered(document: Document, text: str, num_id: str) -> None:
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {_NS}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _item(document: Document, n: int, title: str, source: str, day: int) -> None:
    document.add_paragraph(f"来源：{source}")
    document.add_paragraph(f"日期：2018-05-{day}")
    document.add_paragraph(f"链接：https://example.cn/{n}")
    document.add_paragraph("主要内容：")
    document.add_paragraph(f"第{n}条正文。")


TITLES = [
    ("某市上线全民健康信息平台", "健康报"),
    ("某省发布互联网医院管理办法", "人民网"),
    ("某区推进电子病历共享", "新华网"),
]


def test_word_lists_starting_at_2_or_3_count_from_there(tmp_path: Path) -> None:
    # item 17: the first item typed by hand, the rest a Word list that starts at 2
    # (w:start), or the list restarted at 3 (startOverride): Word shows 1, 2, 3
    document = Document()
    for line in HAND_MADE[:5]:
        document.add_paragraph(line.replace("共收集2篇", "共收集3篇"))
    document.add_paragraph("一、信息目录")
    toc = _word_list(document, 90, start=1)
    for title, source in TITLES:
        _numbered(document, f"{title}（{source}）", toc)
    document.add_paragraph("二、具体内容")
    from_two = _word_list(document, 91, start=2)
    from_three = _word_list(document, 92, start=1, override=3)
    for n, (title, source) in enumerate(TITLES, start=1):
        if n == 1:
            document.add_paragraph(f"1. 标题：{title}")
        else:
            _numbered(document, f"标题：{title}", from_two if n == 2 else from_three)
        _item(document, n, title, source, 28 + n)
    path = tmp_path / "starts.docx"
    document.save(str(path))
    doc = parse_report_file(path)
    assert [t.number for t in doc.toc] == [1, 2, 3]
    assert [i.number for i in doc.items] == [1, 2, 3]
    findings = check_file(path)
    assert "item-numbering" not in {f.rule for f in findings}, findings


def test_a_bulleted_toc_is_read_and_its_order_checked(tmp_path: Path) -> None:
    # item 16: a 目录 written as a bulleted list was reported missing, which hid a real
    # 目录/具体内容 order defect
    lines = [*HAND_MADE[:6], "一、信息目录"]
    lines += ["（按发布时间排序）"]  # a note in brackets is no entry
    lines += ["- 某省发布互联网医院管理办法（人民网）", "- 某市上线全民健康信息平台", "（健康报）"]
    lines += ["二、具体内容"]
    for n, (title, source) in enumerate(TITLES[:2], start=1):
        lines += [f"{n}. 标题：{title}", f"来源：{source}", f"日期：2018-05-{28 + n}"]
        lines += [f"链接：https://example.cn/{n}", "主要内容：", "正文。"]
    path = tmp_path / "bulleted.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = parse_report_file(path)
    assert [(t.number, t.title, t.source) for t in doc.toc] == [
        (None, "某省发布互联网医院管理办法", "人民网"),
        (None, "某市上线全民健康信息平台", "健康报"),
    ]
    toc = [f for f in check_file(path) if f.rule == "toc-mismatch"]
    assert len(toc) == 1 and "顺序不一致" in toc[0].message
    # and in Word, a "List Bullet" 目录 gets no invented numbers
    document = Document()
    for line in lines:
        bullet = line.startswith("- ")
        document.add_paragraph(
            line[2:] if bullet else line, style="List Bullet" if bullet else None
        )
    word = tmp_path / "bulleted.docx"
    document.save(str(word))
    assert [t.title for t in parse_report_file(word).toc] == [t.title for t in doc.toc]
    assert [f.message for f in check_file(word) if f.rule == "toc-mismatch"] == [toc[0].message]
