"""Shared builders for the editions tests: a clean issue, and where the seeds live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueKind, IssueView

#: the seed reports, beside the repository (never copied into it)
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

TOPICS = ["电子病历评级", "互联网医院监管", "医疗大数据中心", "数据安全演练", "人工智能辅助诊断"]
PLACES = ["北京", "上海", "浙江", "四川", "广东", "山东"]


def clean_items(n: int, first_day: date, spread: int = 7) -> list[IssueItemView]:
    return [
        IssueItemView(
            position=0,
            title=f"{PLACES[i % len(PLACES)]}发布{TOPICS[i % len(TOPICS)]}方案（第{i + 1}批）",
            url=f"https://news.example.cn/{i + 1}.html",
            source=["新华网", "人民网", "健康报"][i % 3],
            published_at=first_day + timedelta(days=i % spread),
            summary="摘要一句。",
            paragraphs=[f"正文第{i + 1}条的第一段。", "第二段。"],
        )
        for i in range(n)
    ]


def clean_view(kind: IssueKind = "weekly", n: int = 4) -> IssueView:
    issue_date = {"weekly": date(2023, 10, 20), "monthly": date(2023, 6, 30)}.get(
        kind, date(2020, 7, 16)
    )
    first = {"weekly": date(2023, 10, 14), "monthly": date(2023, 6, 1)}.get(kind, date(2020, 7, 15))
    return build_issue_view(
        kind,
        publication_title={
            "weekly": "全国卫生信息化舆情监测周报",
            "monthly": "全国卫生信息化舆情监测月报",
        }.get(kind, "每日学习播报"),
        issue_date=issue_date,
        number=None if kind == "daily" else 546,
        items=clean_items(n, first, 2 if kind == "daily" else 7),
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体及政府网站等",
    )


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS} (they live beside the repository)")
    return SEEDS


@pytest.fixture
def build() -> Callable[..., IssueView]:
    """``build(kind, n)``: a clean composed issue that passes every check."""
    return clean_view
