"""build_issue_view: numbering, counts and headings correct by construction."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jianbao.editions.compose import OTHER_CATEGORY, build_issue_view, grouped_items
from jianbao.errors import IssueError
from jianbao.records import IssueItemView, IssueView


def _items(n: int, category: str | None = None) -> list[IssueItemView]:
    return [
        IssueItemView(
            position=99 - i,  # deliberately wrong: the view renumbers
            title=f"  标题{i}\n续 ",
            url=f"https://example.cn/{i}",
            source="新华网",
            published_at=date(2023, 10, 16),
            paragraphs=["段落。", "  ", "另一段。"],
            category=category,
        )
        for i in range(n)
    ]


def _weekly(
    n: int = 3,
    *,
    period: tuple[date, date] | None = None,
    period_rule: str | None = None,
) -> IssueView:
    return build_issue_view(
        "weekly",
        publication_title="全国卫生信息化舆情监测周报",
        issue_date=date(2023, 10, 20),
        number=546,
        items=_items(n),
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体及政府网站等",
        period=period,
        period_rule=period_rule,
    )


def test_weekly_view_is_numbered_and_led() -> None:
    view = _weekly(3)
    assert view.number_text == "（第五四六期）"
    assert [i.position for i in view.items] == [1, 2, 3]
    assert view.items[0].title == "标题0 续"
    assert view.items[0].paragraphs == ["段落。", "另一段。"]
    assert view.lead.startswith("本期周报共收集3篇")
    assert "2023年10月14日到2023年10月20日" in view.lead
    assert (view.period_start, view.period_end) == (
        date(2023, 10, 14),
        date(2023, 10, 20),
    )
    assert view.heading == ""


def test_explicit_period_and_rule() -> None:
    view = _weekly(2, period_rule="mon-fri")
    assert view.period_start == date(2023, 10, 16)
    view = _weekly(2, period=(date(2023, 10, 1), date(2023, 10, 31)))
    assert "2023年10月1日到2023年10月31日" in view.lead
    with pytest.raises(IssueError):
        _weekly(2, period=(date(2023, 10, 31), date(2023, 10, 1)))


def test_monthly_lead_never_says_weekly() -> None:
    view = build_issue_view(
        "monthly",
        publication_title="舆情监测月报",
        issue_date=date(2023, 6, 30),
        number=35,
        items=_items(4),
        publisher="中心",
        topic_phrase="卫生信息化",
        scope="全国主流媒体",
    )
    assert view.lead.startswith("本期月报共收集4篇")
    assert "2023年6月1日到2023年6月30日" in view.lead


def test_weekly_needs_a_number() -> None:
    with pytest.raises(IssueError):
        build_issue_view(
            "weekly",
            publication_title="周报",
            issue_date=date(2023, 10, 20),
            number=None,
            items=[],
            publisher="",
            topic_phrase="",
            scope="",
        )


def test_daily_heading_and_categories() -> None:
    items = _items(2, "其他动态") + _items(2, "国家政策") + _items(1, None)
    view = build_issue_view(
        "daily",
        publication_title="每日学习播报",
        issue_date=date(2020, 7, 16),
        number=None,
        items=items,
        publisher="",
        topic_phrase="",
        scope="",
        categories=["国家政策", "卫生健康信息化", "其他动态"],
    )
    assert view.heading == "2020年7月16日（周四）今日入伏"
    assert view.lead == ""
    assert view.number_text == ""
    # grouped in category order and numbered down the page without restarting
    assert [i.category for i in view.items] == [
        "国家政策",
        "国家政策",
        "其他动态",
        "其他动态",
        OTHER_CATEGORY,
    ]
    assert [i.position for i in view.items] == [1, 2, 3, 4, 5]
    groups = grouped_items(view)
    assert [name for name, _ in groups] == ["国家政策", "其他动态", OTHER_CATEGORY]
    assert [i.position for _, members in groups for i in members] == [1, 2, 3, 4, 5]


def test_ungrouped_daily_keeps_list_order() -> None:
    view = build_issue_view(
        "daily",
        publication_title="每日学习播报",
        issue_date=date(2020, 7, 17),
        number=None,
        items=_items(3, "x"),
        publisher="",
        topic_phrase="",
        scope="",
    )
    assert grouped_items(view) == [(None, view.items)]
    assert view.heading == "2020年7月17日（周五）"


def test_uncategorised_items_join_a_declared_other_group() -> None:
    items = _items(1, None) + _items(1, "其他") + _items(1, "国家政策")
    view = build_issue_view(
        "daily",
        publication_title="每日学习播报",
        issue_date=date(2020, 7, 16),
        number=None,
        items=items,
        publisher="",
        topic_phrase="",
        scope="",
        categories=["国家政策", "其他", "卫生健康信息化"],
    )
    assert view.categories == ["国家政策", "其他", "卫生健康信息化"]
    assert [i.category for i in view.items] == ["国家政策", "其他", "其他"]
    groups = grouped_items(view)
    assert [(name, [i.position for i in members]) for name, members in groups] == [
        ("国家政策", [1]),
        ("其他", [2, 3]),
    ]


@given(
    st.lists(st.sampled_from([None, "国家政策", "其他", "卫生健康信息化", "未声明"]), max_size=12),
    st.lists(st.sampled_from(["国家政策", "其他", "卫生健康信息化"]), max_size=3, unique=True),
)
def test_numbers_run_down_the_page_whatever_the_categories(
    cats_of_items: list[str | None], declared: list[str]
) -> None:
    items = [_items(1, c)[0] for c in cats_of_items]
    view = build_issue_view(
        "daily",
        publication_title="每日学习播报",
        issue_date=date(2020, 7, 16),
        number=None,
        items=items,
        publisher="",
        topic_phrase="",
        scope="",
        categories=declared or None,
    )
    down_the_page = [i.position for _, members in grouped_items(view) for i in members]
    assert down_the_page == list(range(1, len(items) + 1))
    assert len(set(view.categories)) == len(view.categories)
