"""What kind of day a date is, for the schedule: working or not, and why, and how sure.

The schedule asks one question of the calendar per day and must never get a silent
guess: a date beyond the holiday data (chinesecalendar knows its last published year,
the override file may add the next) is answered with ``known=False`` and a reason that
says the data is missing, and ``calendar_warning`` tells the admins from 1 December of
the last known year to add next year's schedule (the State Council publishes it each
winter). The rules themselves live in ``jianbao.editions.daynote``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import chinese_calendar

from jianbao.editions.daynote import (
    CalendarOverride,
    holiday_name,
    is_makeup_workday,
    is_working_day,
)
from jianbao.errors import InputError


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One day as the schedule sees it.

    ``working`` is the calendar's answer, or for a day beyond the data (``known`` false)
    the weekday's guess, which the reason then says is a guess.
    """

    day: date
    working: bool
    known: bool
    #: 调休上班, 春节假期, 周末, 工作日, or 数据外：2027 年的节假日安排尚未公布…
    reason: str


def library_last_year() -> int:
    """The last year chinesecalendar's data covers (2026 for version 1.11)."""
    return max(chinese_calendar.holidays).year


def last_known_year(override: CalendarOverride | None = None) -> int:
    """The last year whose schedule is known: the library's, extended by override years
    that follow it without a gap."""
    year = library_last_year()
    years = override.years if override else frozenset()
    while year + 1 in years:
        year += 1
    return year


def beyond_data_reason(year: int) -> str:
    return f"数据外：{year} 年的节假日安排尚未公布或未写入节假日补充文件"


def day_info(d: date, override: CalendarOverride | None = None) -> DayInfo:
    """Whether ``d`` is a working day, with the reason in the words of a schedule."""
    try:
        working = is_working_day(d, override)
        name = holiday_name(d, override)
    except InputError:
        guess = d.weekday() < 5
        kind = "按工作日推测" if guess else "按周末推测"
        return DayInfo(d, guess, False, f"{beyond_data_reason(d.year)}，{kind}")
    if name and not working:
        reason = f"{name}假期"
    elif working and is_makeup_workday(d, override):
        reason = "调休上班"
    elif working:
        reason = "工作日"
    elif d.weekday() >= 5:
        reason = "周末"
    else:
        reason = "休息日"
    return DayInfo(d, working, True, reason)


def calendar_warning(today: date, override: CalendarOverride | None = None) -> str | None:
    """The admins' reminder to add next year's holiday schedule, or None.

    From 1 December of the last known year until the override supplies the next one;
    once the calendar is behind ``today`` the message says dates are being guessed.
    """
    last = last_known_year(override)
    if today.year > last:
        return (
            f"节假日数据只到 {last} 年，{today.year} 年的工作日正按周一至周五推测："
            f"请在节假日补充文件（calendar_file）中写入 {today.year} 年的放假与调休安排"
        )
    if today >= date(last, 12, 1):
        return (
            f"节假日数据只到 {last} 年：请在节假日补充文件（calendar_file）中写入 "
            f"{last + 1} 年的放假与调休安排（国务院办公厅公布后）"
        )
    return None
