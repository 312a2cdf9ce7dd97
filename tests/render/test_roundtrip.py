"""Each rendered report read back by the checker's parser: same data, no findings.

This is the strongest form of "parse the output back": the file a reader receives says
exactly what the IssueView says, and the checker that audits hand-made reports finds
nothing wrong with ours.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.editions.check import check_file, format_findings
from jianbao.editions.report_parse import parse_report_file
from jianbao.records import IssueView
from jianbao.render import render


@pytest.mark.parametrize("fmt", ["md", "txt", "docx"])
@pytest.mark.parametrize("kind", ["weekly", "monthly"])
def test_report_reads_back(
    fmt: str, kind: str, view_factory: Callable[..., IssueView], tmp_path: Path
) -> None:
    view = view_factory(kind, 12)
    doc = parse_report_file(render(view, fmt, tmp_path))
    assert doc.kind == kind
    assert doc.title == view.publication_title
    assert doc.number == view.number and doc.number_text == view.number_text
    assert doc.publisher == view.publisher
    assert doc.issue_date == view.issue_date
    assert doc.lead == view.lead
    assert [(t.number, t.title, t.source) for t in doc.toc] == [
        (i.position, i.title, i.source) for i in view.items
    ]
    assert [
        (i.number, i.title, i.source, i.source_label, i.published, i.url, i.paragraphs)
        for i in doc.items
    ] == [
        (
            i.position,
            i.title,
            i.source,
            view.source_label,
            i.published_at,
            i.url,
            i.paragraphs,
        )
        for i in view.items
    ]
    findings = check_file(tmp_path / f"{render(view, fmt, tmp_path).name}")
    assert findings == [], format_findings(findings)


@pytest.mark.parametrize("fmt", ["md", "txt", "docx"])
def test_daily_reads_back(fmt: str, view_factory: Callable[..., IssueView], tmp_path: Path) -> None:
    view = view_factory("daily", 6, categories=["国家政策", "卫生健康信息化"])
    doc = parse_report_file(render(view, fmt, tmp_path))
    assert doc.kind == "daily"
    assert [d.heading for d in doc.days] == [view.heading]
    items = doc.days[0].items
    assert [(i.number, i.url, i.category) for i in items] == [
        (v.position, v.url, v.category) for v in view.items
    ]
    for parsed, item in zip(items, view.items, strict=True):
        assert parsed.title.rstrip("。") == item.title.rstrip("。")
        assert item.summary in parsed.summary or parsed.summary in f"。{item.summary}"
    findings = check_file(render(view, fmt, tmp_path))
    assert findings == [], format_findings(findings)
