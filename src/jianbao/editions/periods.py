"""The period an issue covers, by the publication's rule.

The 2018 weekly covered Monday to Friday of the issue's week, the 2023 weekly the seven
days ending on the issue date; a monthly covers its calendar month; a daily covers the
previous working day to the issue date. The period is computed, so the 导语's dates
cannot be mistyped.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from jianbao.editions.daynote import CalendarOverride, previous_working_day
from jianbao.errors import InputError
from jianbao.records import IssueKind

#: rule names accepted in configuration, with their aliases
PERIOD_RULES = {
    "mon-fri": "mon-fri",
    "workweek": "mon-fri",
    "seven-days": "seven-days",
    "7-days": "seven-days",
    "calendar-month": "calendar-month",
    "month": "calendar-month",
    "working-day": "working-day",
    "day": "working-day",
}

DEFAULT_RULES: dict[str, str] = {
    "weekly": "seven-days",
    "monthly": "calendar-month",
    "daily": "working-day",
}


def normalize_rule(kind: IssueKind, rule: str | None) -> str:
    """The canonical rule name for ``kind`` (its default when ``rule`` is empty)."""
    if kind not in DEFAULT_RULES:
        raise InputError(f"未知的刊物类型 {kind!r}", hint="use daily, weekly or monthly")
    if not rule:
        return DEFAULT_RULES[kind]
    key = rule.strip().lower()
    if key not in PERIOD_RULES:
        raise InputError(
            f"未知的时间范围规则 {rule!r}",
            hint="可用：mon-fri, seven-days, calendar-month, working-day",
        )
    return PERIOD_RULES[key]


def period_for(
    kind: IssueKind,
    issue_date: date,
    rule: str | None = None,
    override: CalendarOverride | None = None,
) -> tuple[date, date]:
    """(first day, last day) covered by an issue of ``kind`` dated ``issue_date``."""
    canonical = normalize_rule(kind, rule)
    if canonical == "mon-fri":
        monday = issue_date - timedelta(days=issue_date.weekday())
        return monday, monday + timedelta(days=4)
    if canonical == "seven-days":
        return issue_date - timedelta(days=6), issue_date
    if canonical == "calendar-month":
        last = calendar.monthrange(issue_date.year, issue_date.month)[1]
        return issue_date.replace(day=1), issue_date.replace(day=last)
    try:
        start = previous_working_day(issue_date, override)
    except InputError:
        # beyond the holiday data: fall back to weekends only, so a daily can still be made
        start = issue_date - timedelta(days=1)
        while start.weekday() >= 5:
            start -= timedelta(days=1)
    return start, issue_date
