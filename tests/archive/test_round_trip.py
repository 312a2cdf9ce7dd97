"""Round trip: every format jianbao renders, read back, gives the same items.

Titles, sources, links and dates exactly; bodies (a weekly's 主要内容, a daily's summary)
exactly, except from PDF, whose bodies are held to character-F1 ≥ 0.98. A daily PDF
carries no links: LibreOffice 7.4 writes no link annotations, so only the link's colour
survives, which still tells the title from the summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.archive.parse import parse_issues
from jianbao.archive.readers import read_document
from jianbao.archive.samples import char_f1
from jianbao.records import IssueView

EXACT = ("docx", "md", "html", "txt")


def read_back(path: Path):
    issues, _doc = parse_issues(read_document(path), origin=str(path))
    assert len(issues) == 1
    return issues[0]


@pytest.mark.parametrize("fmt", EXACT)
def test_a_weekly_comes_back_the_same(fmt: str, rendered, weekly_view: IssueView) -> None:
    issue = read_back(rendered[("weekly", fmt)])
    assert (issue.kind, issue.title, issue.number, issue.issue_date) == (
        "weekly",
        weekly_view.publication_title,
        weekly_view.number,
        weekly_view.issue_date,
    )
    assert issue.publisher == weekly_view.publisher
    assert issue.lead == weekly_view.lead
    got = [(i.title, i.source, i.url, i.published, i.paragraphs) for i in issue.items]
    want = [(i.title, i.source, i.url, i.published_at, i.paragraphs) for i in weekly_view.items]
    assert got == want


@pytest.mark.parametrize("fmt", EXACT)
def test_a_daily_comes_back_the_same(fmt: str, rendered, daily_view: IssueView) -> None:
    issue = read_back(rendered[("daily", fmt)])
    assert (issue.kind, issue.issue_date, issue.heading) == (
        "daily",
        daily_view.issue_date,
        daily_view.heading,
    )
    assert [(i.title, i.url, i.summary) for i in issue.items] == [
        (i.title, i.url, i.summary) for i in daily_view.items
    ]


def test_a_weekly_pdf_comes_back_with_its_fields_exact(rendered, weekly_view: IssueView) -> None:
    if ("weekly", "pdf") not in rendered:
        pytest.skip("LibreOffice is not installed: no PDF to read")
    issue = read_back(rendered[("weekly", "pdf")])
    assert (issue.number, issue.issue_date, issue.lead) == (
        weekly_view.number,
        weekly_view.issue_date,
        weekly_view.lead,
    )
    assert [(i.title, i.source, i.url, i.published) for i in issue.items] == [
        (i.title, i.source, i.url, i.published_at) for i in weekly_view.items
    ]
    for got, want in zip(issue.items, weekly_view.items, strict=True):
        assert char_f1("\n".join(want.paragraphs), "\n".join(got.paragraphs)) >= 0.98
        # paragraphs are put back together, not left as the PDF's lines
        assert abs(len(got.paragraphs) - len(want.paragraphs)) <= 1


def test_a_daily_pdf_keeps_titles_apart_from_summaries(rendered, daily_view: IssueView) -> None:
    if ("daily", "pdf") not in rendered:
        pytest.skip("LibreOffice is not installed: no PDF to read")
    issue = read_back(rendered[("daily", "pdf")])
    assert issue.issue_date == daily_view.issue_date
    assert [i.title for i in issue.items] == [i.title for i in daily_view.items]
    for got, want in zip(issue.items, daily_view.items, strict=True):
        assert char_f1(want.summary, got.summary) >= 0.98


def test_page_numbers_and_running_heads_are_dropped_and_lines_joined() -> None:
    from jianbao.archive.readers import join_pdf_lines

    def line(text: str, x0: float, x1: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x1, "size": 16.0, "width": 595.0}

    pages = [
        [
            line("卫生信息化周报（内部资料）", 200, 400),
            line("主要内容：", 80, 160),
            line("医院信息平台接入全市二级以上医院，实现检查结果互", 112, 521),
            line("认和电子病历共享，AI and big", 80, 521),
            line(f"— {n} —", 290, 340),
        ]
        for n in (1, 2, 3)
    ]
    pages[1][3] = line("data help doctors。", 80, 300)
    joined = join_pdf_lines(pages)
    assert "卫生信息化周报（内部资料）" not in joined
    assert not any("—" in text for text in joined)
    assert (
        joined[1] == "医院信息平台接入全市二级以上医院，实现检查结果互认和电子病历共享，AI and big"
    )
    assert "认和电子病历共享，AI and big" not in joined


def test_items_numbered_by_word_lists_are_read(tmp_path: Path) -> None:
    """An editor's Word file numbers its 目录 and items with automatic lists, whose
    numbers are not in the text (the checker's reader counts them as Word shows them)."""
    from docx import Document

    document = Document()
    for line in ("全国卫生信息化舆情监测周报", "（第三〇二期）", "2023年11月3日", "一、信息目录"):
        document.add_paragraph(line)
    for entry in ("甲市互联网医院上线（健康报）", "乙省医保平台运行（人民网）"):
        document.add_paragraph(entry, style="List Number")
    document.add_paragraph("二、具体内容")
    for title, source in (("甲市互联网医院上线", "健康报"), ("乙省医保平台运行", "人民网")):
        document.add_paragraph(f"标题：{title}", style="List Number 2")
        for line in (f"来源：{source}", "链接：https://a.example/x", "主要内容：", "正文。"):
            document.add_paragraph(line)
    path = tmp_path / "手工周报.docx"
    document.save(str(path))
    issue = read_back(path)
    assert issue.number == 302
    assert [(i.title, i.source, i.paragraphs) for i in issue.items] == [
        ("甲市互联网医院上线", "健康报", ["正文。"]),
        ("乙省医保平台运行", "人民网", ["正文。"]),
    ]
