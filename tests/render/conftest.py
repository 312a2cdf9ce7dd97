"""Issue views for the renderer tests, built through build_issue_view like the real ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueKind, IssueView

TITLES = [
    "衡水“1+2+2+6+4”智慧医疗架构建设内容基本完成",
    "常州首家！常州市中医医院建成5G智慧医院创新实验室",
    "数据赋能，推动卫生健康事业高质量发展！2023首届苏州大数据医疗创新论坛举行",
    "国家卫生健康委：全面推进社区医院建设工作",
    "<script>alert(1)</script> [链接] *星号* _下划线_ & 符号",
]
SOURCES = ["衡水新闻网", "新浪", "腾讯", "国家卫生健康委", "测试网"]


EXTRA_TOPICS = ["电子病历", "互联网医院", "医疗大数据", "数据安全", "人工智能", "医保信息平台"]
PLACES = ["北京", "上海", "浙江", "四川", "广东", "山东", "江苏", "湖北", "河南", "福建"]


def make_items(
    n: int,
    *,
    paragraphs: int = 2,
    summary_len: int = 40,
    first_day: date = date(2023, 10, 14),
) -> list[IssueItemView]:
    """``n`` distinct items (no two the same story), dated from ``first_day`` on."""
    items = []
    for i in range(n):
        if i < len(TITLES):
            title = TITLES[i]
        else:
            place = PLACES[i % len(PLACES)]
            topic = EXTRA_TOPICS[(i // len(PLACES)) % len(EXTRA_TOPICS)]
            title = f"{place}推进{topic}建设第{i + 1}号进展通报"
        items.append(
            IssueItemView(
                position=0,
                title=title,
                url=f"https://news.example.cn/a/{i + 1}.html?x=1&y=2",
                source=SOURCES[i % len(SOURCES)],
                published_at=first_day + timedelta(days=i % 7),
                summary=("摘要" * summary_len)[:summary_len] + "。",
                paragraphs=[
                    f"第{i + 1}条第{p + 1}段：正文内容，数据互联互通。" for p in range(paragraphs)
                ],
                category=["国家政策", "卫生健康信息化"][i % 2],
            )
        )
    return items


def make_view(
    kind: IssueKind = "weekly",
    n: int = 5,
    *,
    categories: list[str] | None = None,
    **kw: object,
) -> IssueView:
    issue_date = {"weekly": date(2023, 10, 20), "monthly": date(2023, 6, 30)}.get(
        kind, date(2020, 7, 16)
    )
    first_day = {"weekly": date(2023, 10, 14), "monthly": date(2023, 6, 10)}.get(
        kind, date(2020, 7, 15)
    )
    titles = {"weekly": "全国卫生信息化舆情监测周报", "monthly": "舆情监测月报"}
    return build_issue_view(
        kind,
        publication_title=titles.get(kind, "每日学习播报"),
        issue_date=issue_date,
        number=None if kind == "daily" else 546,
        items=make_items(n, first_day=first_day, **kw),  # type: ignore[arg-type]
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体及政府网站等",
        categories=categories,
    )


@pytest.fixture
def view_factory() -> Callable[..., IssueView]:
    return make_view


@pytest.fixture
def weekly() -> IssueView:
    return make_view("weekly", 5)


@pytest.fixture
def daily() -> IssueView:
    return make_view("daily", 5)


@pytest.fixture(scope="session")
def long_weekly(tmp_path_factory: pytest.TempPathFactory) -> tuple[IssueView, Path]:
    """A weekly of several pages (12 items) and its PDF, converted once per test session
    by the real LibreOffice (test_pdf.py and test_pdf_toc_links.py read the same file)."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from jianbao.render.pdf import render_pdf

    view = make_view("weekly", 12, paragraphs=3)
    return view, render_pdf(view, tmp_path_factory.mktemp("pdf") / "weekly.pdf")
