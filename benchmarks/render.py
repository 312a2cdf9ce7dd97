"""Benchmark: a 30-item weekly issue rendered to every format, against a baseline.

The issue is realistic in size (30 articles of 12 paragraphs of ~150 characters, about
60,000 characters of Chinese). Each format is timed over several rounds (best of N);
the baseline, timed in the same run, is the straightforward python-docx approach (one
``add_paragraph(text, style=name)`` per line, nothing else: no fonts, links, bookmarks),
which is what our Word renderer must not be much slower than. The budget from issue 6
is 5 seconds for all formats together.

    .venv/bin/python benchmarks/render.py [--items 30] [--rounds 3]

Prints the figures and ends with one JSON line; exits 1 when over budget.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from docx import Document

from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueView
from jianbao.render import available_formats, render, render_many
from jianbao.render.layout import item_fields, item_heading, toc_line

BUDGET_SECONDS = 5.0
SENTENCE = "近日，某市卫生健康委员会发布全民健康信息平台建设方案，推动电子病历、互联网医院与医疗大数据互联互通，"


def make_issue(items: int, paragraphs: int) -> IssueView:
    start = date(2023, 10, 14)
    rows = [
        IssueItemView(
            position=0,
            title=f"第{i + 1}条：某省推进智慧医院与区域卫生信息平台建设取得新进展",
            url=f"https://news.example.cn/2023/10/{i + 1:04d}.html",
            source=["新华网", "人民网", "健康报", "HIT专家网", "国家卫生健康委"][i % 5],
            published_at=start + timedelta(days=i % 7),
            summary=SENTENCE,
            paragraphs=[(SENTENCE * 3)[:150] + f"（{p + 1}）" for p in range(paragraphs)],
        )
        for i in range(items)
    ]
    return build_issue_view(
        "weekly",
        publication_title="全国卫生信息化舆情监测周报",
        issue_date=date(2023, 10, 20),
        number=546,
        items=rows,
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体及政府网站等",
    )


def baseline_docx(view: IssueView, path: Path) -> Path:
    """The plain python-docx way: paragraphs by style name, nothing more."""
    doc = Document()
    doc.add_paragraph(view.publication_title, style="Title")
    doc.add_paragraph(view.number_text)
    doc.add_paragraph(view.lead)
    for item in view.items:
        doc.add_paragraph(toc_line(item), style="List Number")
    for item in view.items:
        doc.add_paragraph(item_heading(item), style="Heading 2")
        for label, value in item_fields(view, item):
            doc.add_paragraph(f"{label}：{value}")
        for text in item.paragraphs:
            doc.add_paragraph(text, style="Normal")
    doc.save(str(path))
    return path


def best_of(rounds: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    view = make_issue(args.items, args.paragraphs)
    chars = sum(len(p) for i in view.items for p in i.paragraphs)
    print(f"issue: {len(view.items)} items, {chars} characters of body text")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        formats = available_formats()
        if "pdf" not in formats:
            print("pdf: skipped (LibreOffice not installed)")
        timings = {name: best_of(args.rounds, partial(render, view, name, out)) for name in formats}
        base = best_of(args.rounds, lambda: baseline_docx(view, out / "baseline.docx"))
        together = best_of(args.rounds, partial(render_many, view, formats, out / "all"))
    total = together
    for name, seconds in timings.items():
        print(f"  {name:9s} {seconds * 1000:8.1f} ms")
    print(
        f"  {'all':9s} {total * 1000:8.1f} ms   (render_many, as publishing does; "
        f"budget {BUDGET_SECONDS * 1000:.0f} ms; sum of the above {sum(timings.values()) * 1000:.0f} ms)"
    )
    print(
        f"baseline plain python-docx: {base * 1000:.1f} ms; "
        f"our docx is {timings['docx'] / base:.2f}× the baseline"
    )
    figures = {
        "benchmark": "render",
        "items": len(view.items),
        "ms": {name: round(seconds * 1000, 1) for name, seconds in timings.items()},
        "all_ms": round(total * 1000, 1),
        "baseline_docx_ms": round(base * 1000, 1),
        "within_budget": total <= BUDGET_SECONDS,
        "pdf": "pdf" in timings,
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if total <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
