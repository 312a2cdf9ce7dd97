"""Building the IssueView every renderer draws from.

This is where the report becomes correct by construction: positions are renumbered
1..n in list order, the number is written in Chinese digits, the 导语 counts the items
it is given and names the computed period, and the daily heading's note comes from the
calendar. Renderers only lay the view out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from jianbao.editions.dates import format_date_cn, weekday_cn
from jianbao.editions.daynote import CalendarOverride, day_note
from jianbao.editions.lead import lead_text
from jianbao.editions.numerals import issue_number_text
from jianbao.editions.periods import period_for
from jianbao.errors import IssueError
from jianbao.issue_layout import OTHER_CATEGORY, grouped_items
from jianbao.records import IssueItemView, IssueKind, IssueView

#: re-exported for the callers outside render (delivery's robot parts, the tests)
__all__ = ["OTHER_CATEGORY", "build_issue_view", "daily_heading", "grouped_items"]


def daily_heading(d: date, override: CalendarOverride | None = None) -> str:
    """2020年7月16日（周四）今日入伏."""
    return f"{format_date_cn(d)}（{weekday_cn(d)}）{day_note(d, override)}"


def _clean(text: str) -> str:
    return " ".join(text.split())


def build_issue_view(
    kind: IssueKind,
    *,
    publication_title: str,
    issue_date: date,
    number: int | None,
    items: list[IssueItemView],
    publisher: str,
    topic_phrase: str,
    scope: str,
    period: tuple[date, date] | None = None,
    source_label: str = "来源",
    categories: list[str] | None = None,
    period_rule: str | None = None,
    calendar_override: CalendarOverride | None = None,
) -> IssueView:
    """The render-ready view of one issue; ``items`` are taken in list order."""
    if kind not in ("daily", "weekly", "monthly"):
        raise IssueError(f"未知的刊物类型 {kind!r}", hint="use daily, weekly or monthly")
    if kind != "daily" and number is None:
        raise IssueError(
            f"{publication_title}需要期号",
            hint="新建时不指定期号即自动接续上一期",
        )
    start, end = period or period_for(kind, issue_date, period_rule, calendar_override)
    if start > end:
        raise IssueError(
            f"时间范围颠倒：{start.isoformat()} 晚于 {end.isoformat()}",
            hint="检查刊物的时间范围规则或出刊日期",
        )
    cats = [c for c in dict.fromkeys(categories or []) if c]
    if cats:
        # grouped publications print items group by group; number them in that order
        if any((it.category or "") not in cats for it in items) and OTHER_CATEGORY not in cats:
            cats.append(OTHER_CATEGORY)
        rank = {name: i for i, name in enumerate(cats)}
        other = rank[OTHER_CATEGORY] if OTHER_CATEGORY in rank else len(cats)
        items = sorted(items, key=lambda it: rank.get(it.category or "", other))
    numbered = [
        replace(
            item,
            position=index,
            title=_clean(item.title),
            source=_clean(item.source),
            summary=item.summary.strip(),
            paragraphs=[p.strip() for p in item.paragraphs if p.strip()],
            category=(
                item.category if not cats or (item.category or "") in cats else OTHER_CATEGORY
            ),
        )
        for index, item in enumerate(items, start=1)
    ]
    view = IssueView(
        kind=kind,
        publication_title=publication_title.strip(),
        issue_date=issue_date,
        period_start=start,
        period_end=end,
        items=numbered,
        number=number,
        number_text=issue_number_text(number) if number is not None else "",
        publisher=publisher.strip(),
        source_label=source_label.strip() or "来源",
        categories=cats,
    )
    if kind == "daily":
        view.heading = daily_heading(issue_date, calendar_override)
    else:
        view.lead = lead_text(kind, len(numbered), topic_phrase, start, end, scope)
    return view
