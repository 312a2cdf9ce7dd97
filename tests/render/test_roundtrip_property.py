"""Property: whatever the titles, sources and paragraphs, a rendered report reads back
to the same items (Markdown and plain text; Word is covered by the fixed examples)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.editions.compose import build_issue_view
from jianbao.editions.report_parse import parse_report_file
from jianbao.records import IssueItemView
from jianbao.render import render

CJK = "卫生健康信息化医院数据平台互联网智慧医疗国家委员会省市县发布推进建设"
PUNCT = "，！？：“”《》（）·—-+%、；0123456789abcXYZ*_#<>[]&"
text = st.text(alphabet=CJK + PUNCT, min_size=1, max_size=40).filter(
    lambda s: any(ch in CJK for ch in s)
)
source = st.text(alphabet=CJK + "ABC", min_size=2, max_size=10)
paragraph = st.text(alphabet=CJK + PUNCT + "。", min_size=1, max_size=120).filter(
    lambda s: any(ch in CJK for ch in s)
)
item = st.tuples(text, source, st.lists(paragraph, min_size=1, max_size=3), st.integers(0, 6))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(item, min_size=1, max_size=6), st.sampled_from(["md", "txt"]))
def test_any_report_reads_back(rows: list[tuple[str, str, list[str], int]], fmt: str) -> None:
    items = [
        IssueItemView(
            position=0,
            title=title,
            url=f"https://example.cn/{n}?a=1&b=2",
            source=src,
            published_at=date(2023, 10, 14) + timedelta(days=day),
            paragraphs=paras,
        )
        for n, (title, src, paras, day) in enumerate(rows)
    ]
    view = build_issue_view(
        "weekly",
        publication_title="全国卫生信息化舆情监测周报",
        issue_date=date(2023, 10, 20),
        number=546,
        items=items,
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体及政府网站等",
    )
    with tempfile.TemporaryDirectory() as tmp:
        doc = parse_report_file(render(view, fmt, Path(tmp)))
    assert [(t.number, t.title, t.source) for t in doc.toc] == [
        (i.position, i.title, i.source) for i in view.items
    ]
    assert [(i.title, i.source, i.published, i.url) for i in doc.items] == [
        (i.title, i.source, i.published_at, i.url) for i in view.items
    ]
    assert [i.paragraphs for i in doc.items] == [i.paragraphs for i in view.items]
