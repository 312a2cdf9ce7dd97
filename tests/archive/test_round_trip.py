"""Round trip: every format jianbao renders, read back, gives the same items.

One test per format per publication kind (weekly, monthly, daily). Titles, sources,
links and dates exactly; bodies (a weekly's or monthly's 主要内容, a daily's summary)
exactly, except from PDF, whose bodies are held to character-F1 ≥ 0.98 (a PDF keeps
lines, not paragraphs). A daily prints no URL, only linked titles: its PDF gives the
links back through the link annotations jianbao adds after LibreOffice (which writes
none); a PDF made without them (an older jianbao) still tells titles from summaries by
the link colour, and says so by coming back without links.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.support import needs_soffice
from jianbao.archive.parse import ImportedIssue, parse_issues
from jianbao.archive.readers import read_document
from jianbao.archive.samples import char_f1
from jianbao.records import IssueView
from jianbao.render.pdf import find_soffice
from jianbao.soffice import convert

FORMATS = ("docx", "pdf", "md", "html", "txt")
KINDS = ("weekly", "monthly", "daily")


def read_back(path: Path) -> ImportedIssue:
    issues, _doc = parse_issues(read_document(path), origin=str(path))
    assert len(issues) == 1
    return issues[0]


def _bodies_match(want: str, got: str, fmt: str) -> None:
    if fmt == "pdf":
        assert char_f1(want, got) >= 0.98, (want, got)
    else:
        assert got == want


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_an_issue_comes_back_the_same(
    kind: str, fmt: str, rendered: dict[tuple[str, str], Path], views: dict[str, IssueView]
) -> None:
    if (kind, fmt) not in rendered:
        pytest.skip("LibreOffice is not installed: no PDF to read")
    view = views[kind]
    issue = read_back(rendered[(kind, fmt)])
    assert (issue.kind, issue.issue_date, issue.number) == (kind, view.issue_date, view.number)
    if kind == "daily":
        assert issue.heading == view.heading
        assert [(i.title, i.url) for i in issue.items] == [(i.title, i.url) for i in view.items]
        for got, want in zip(issue.items, view.items, strict=True):
            _bodies_match(want.summary, got.summary, fmt)
        return
    assert (issue.title, issue.publisher, issue.lead) == (
        view.publication_title,
        view.publisher,
        view.lead,
    )
    assert [(i.title, i.source, i.url, i.published) for i in issue.items] == [
        (i.title, i.source, i.url, i.published_at) for i in view.items
    ]
    for got, want in zip(issue.items, view.items, strict=True):
        _bodies_match("\n".join(want.paragraphs), "\n".join(got.paragraphs), fmt)
        if fmt == "pdf":  # paragraphs are put back together, not left as the PDF's lines
            assert abs(len(got.paragraphs) - len(want.paragraphs)) <= 1


def test_the_pdf_links_are_clickable(
    rendered: dict[tuple[str, str], Path], views: dict[str, IssueView]
) -> None:
    """The PDF itself carries the links (what a leader clicks), one annotation per line
    of a link's text, each over the link's own words (letters and digits: LibreOffice
    does not draw a comma it would hang past a line's end) and saying them whole as its
    Contents (what a screen reader reads)."""
    if ("daily", "pdf") not in rendered:
        pytest.skip("LibreOffice is not installed: no PDF to read")
    import pdfplumber

    def letters(text: str) -> str:
        return "".join(char for char in text if char.isalnum())

    under: dict[str, str] = {}
    said: dict[str, set[str]] = {}
    with pdfplumber.open(rendered[("daily", "pdf")]) as pdf:
        for page in pdf.pages:
            for link in page.hyperlinks:
                box = (link["x0"], link["top"], link["x1"], link["bottom"])
                under[link["uri"]] = under.get(link["uri"], "") + page.crop(box).extract_text()
                said.setdefault(link["uri"], set()).add(link["contents"])
    items = views["daily"].items
    assert {uri: letters(words) for uri, words in under.items()} == {
        item.url: letters(item.title) for item in items
    }
    assert said == {item.url: {item.title} for item in items}


def test_a_daily_pdf_without_link_annotations_keeps_titles_apart(
    rendered: dict[tuple[str, str], Path], views: dict[str, IssueView], tmp_path: Path
) -> None:
    """A daily PDF converted by LibreOffice alone (as jianbao did before it added the
    links): the titles still come back by their colour, the links cannot, and a title is
    only nearly exact — LibreOffice leaves out a full-width comma it would hang past a
    line's end, and writes stray spaces between Chinese and Latin letters in a link."""
    needs_soffice()
    plain = convert(
        find_soffice(),
        rendered[("daily", "docx")],
        tmp_path,
        "pdf:writer_pdf_Export",
        profile=tmp_path / "profile",
        home=tmp_path,
    )
    issue = read_back(plain)
    view = views["daily"]
    assert [i.url for i in issue.items] == [""] * len(view.items)
    for got, want in zip(issue.items, view.items, strict=True):
        assert char_f1(want.title, got.title) >= 0.95, (want.title, got.title)
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


def test_a_link_is_found_in_the_pdf_text_despite_a_comma_left_out() -> None:
    """LibreOffice leaves out a full-width comma it would hang past a line's end: the
    link is still found (and annotated); a missing letter is another text."""
    from jianbao.render.pdf_links import locate

    text = "1.新场景——北湖区上线全省AI赋能4大场景。2.白石县"
    assert locate(text, "新场景——北湖区上线全省，AI赋能4大场景", 0) == (2, 22)
    assert locate(text, "新场景——北湖区上线全市，AI赋能4大场景", 0) is None
    assert locate(text, "白石县", 22) == (25, 28)
    assert locate(text, "新场景", 3) is None  # links are looked for in order
    # the same opening words twice: the second is the link
    assert locate("新场景甲乙。新场景丙丁", "新场景丙丁", 0) == (6, 11)
