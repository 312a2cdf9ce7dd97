"""The schedule's view of a day: working or not, why, and whether the data knows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jianbao.editions.daynote import CalendarOverride
from jianbao.jobs.calendar import (
    DayInfo,
    calendar_warning,
    day_info,
    last_known_year,
    library_last_year,
)


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        (date(2026, 2, 14), True, "调休上班"),  # a Saturday worked before 春节
        (date(2026, 2, 17), False, "春节假期"),
        (date(2026, 5, 1), False, "劳动节假期"),
        (date(2026, 3, 7), False, "周末"),
        (date(2026, 3, 9), True, "工作日"),
    ],
)
def test_known_days_carry_their_reason(day: date, working: bool, reason: str) -> None:
    assert day_info(day) == DayInfo(day, working, True, reason)


def test_a_day_beyond_the_data_is_never_a_silent_weekday() -> None:
    info = day_info(date(2027, 1, 1))  # 元旦 2027, a Friday; the library stops at 2026
    assert info.known is False
    assert info.reason.startswith("数据外：2027 年的节假日安排尚未公布")
    assert "推测" in info.reason


def _override(tmp_path: Path, text: str) -> CalendarOverride:
    path = tmp_path / "holidays.toml"
    path.write_text(text, encoding="utf-8")
    return CalendarOverride.load(path)


def test_the_override_makes_next_year_known(tmp_path: Path) -> None:
    override = _override(
        tmp_path, '[2027]\nholidays = {"2027-01-01" = "元旦"}\nworkdays = ["2027-01-09"]\n'
    )
    assert day_info(date(2027, 1, 1), override) == DayInfo(
        date(2027, 1, 1), False, True, "元旦假期"
    )
    assert day_info(date(2027, 1, 9), override).reason == "调休上班"
    assert day_info(date(2027, 1, 4), override) == DayInfo(date(2027, 1, 4), True, True, "工作日")
    assert last_known_year(override) == library_last_year() + 1


def test_admins_are_told_from_the_first_of_december_of_the_last_known_year() -> None:
    last = library_last_year()
    assert last == 2026  # chinesecalendar 1.11; the dates below assume it
    assert calendar_warning(date(2026, 11, 30)) is None
    warning = calendar_warning(date(2026, 12, 6))
    assert warning is not None
    assert "2027 年的放假与调休安排" in warning and "calendar_file" in warning


def test_the_warning_is_silent_once_next_year_is_in_the_override(tmp_path: Path) -> None:
    override = _override(tmp_path, '[2027]\nholidays = {"2027-01-01" = "元旦"}\n')
    assert calendar_warning(date(2026, 12, 6), override) is None
    # and starts again for the year after, from its December
    later = calendar_warning(date(2027, 12, 1), override)
    assert later is not None and "2028" in later


def test_the_warning_is_louder_once_the_data_is_behind_today() -> None:
    warning = calendar_warning(date(2027, 1, 4))
    assert warning is not None
    assert "正按周一至周五推测" in warning and "2027" in warning
