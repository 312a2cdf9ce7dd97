"""The pure layout of an issue, shared by the stage that composes it and the one that
draws it.

``editions`` builds an IssueView (numbers, 导语, category order) and ``render`` lays it
out; both need the same date words (2023年10月20日, 周四, 2023-10-16) and the same
grouping of items under their categories. Kept here, beside ``records`` and below both
stages, so the dependency arrows point one way: editions → render → issue_layout →
records (issue 15, item 28). This module imports only ``records``.
"""

from __future__ import annotations

from datetime import date

from jianbao.records import IssueItemView, IssueView

#: the group of items whose category the publication does not list
OTHER_CATEGORY = "其他"

WEEKDAYS_CN = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def format_date_cn(d: date) -> str:
    """2023年10月20日: no zero padding, as the seeds write 2023年6月1日 (never
    2023年10月020日, never 2023 年 4 年 23 日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_cn(d: date) -> str:
    """周一 … 周日."""
    return WEEKDAYS_CN[d.weekday()]


def format_date_iso(d: date | None) -> str:
    """YYYY-MM-DD for the 具体内容 日期 line, or an empty string when the date is unknown."""
    return d.isoformat() if d else ""


def grouped_items(view: IssueView) -> list[tuple[str | None, list[IssueItemView]]]:
    """Items under their categories, in the view's order (which the composer made
    category order, so numbers run 1..n down the page); one group (None) when the
    publication does not group.
    """
    if not view.categories:
        return [(None, list(view.items))]
    groups: dict[str, list[IssueItemView]] = {c: [] for c in view.categories}
    for item in view.items:
        groups.setdefault(item.category or OTHER_CATEGORY, []).append(item)
    return [(name, members) for name, members in groups.items() if members]
