"""Periods by publication rule: Mon–Fri, seven days, calendar month, working day."""

from __future__ import annotations

from datetime import date

import pytest

from jianbao.editions.periods import normalize_rule, period_for
from jianbao.errors import InputError


def test_weekly_seven_days_is_the_default() -> None:
    # the 2023 seed: issue of 2023-10-20 covers 10-14 … 10-20
    assert period_for("weekly", date(2023, 10, 20)) == (date(2023, 10, 14), date(2023, 10, 20))


def test_weekly_mon_fri() -> None:
    # the 2018 seed: issue of Friday 2018-04-27 covers Monday 04-23 … Friday 04-27
    assert period_for("weekly", date(2018, 4, 27), "mon-fri") == (
        date(2018, 4, 23),
        date(2018, 4, 27),
    )
    # issued on a Wednesday: still the whole working week
    assert period_for("weekly", date(2018, 4, 25), "mon-fri") == (
        date(2018, 4, 23),
        date(2018, 4, 27),
    )


def test_monthly_is_the_calendar_month() -> None:
    assert period_for("monthly", date(2023, 6, 30)) == (date(2023, 6, 1), date(2023, 6, 30))
    assert period_for("monthly", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_daily_runs_from_the_previous_working_day() -> None:
    assert period_for("daily", date(2020, 7, 16)) == (date(2020, 7, 15), date(2020, 7, 16))
    # Monday: from Friday
    assert period_for("daily", date(2020, 7, 13)) == (date(2020, 7, 10), date(2020, 7, 13))
    # after the 2020 National Day break (10-01 … 10-08), 10-09 follows 09-30 … but 10-10
    # (Saturday) was a 调休 working day, so Monday 10-12 follows it
    assert period_for("daily", date(2020, 10, 9)) == (date(2020, 9, 30), date(2020, 10, 9))
    assert period_for("daily", date(2020, 10, 12)) == (date(2020, 10, 10), date(2020, 10, 12))


def test_daily_beyond_the_calendar_data_still_has_a_period() -> None:
    start, end = period_for("daily", date(2030, 1, 7))  # a Monday
    assert (start, end) == (date(2030, 1, 4), date(2030, 1, 7))


def test_unknown_rule_is_a_clear_error() -> None:
    with pytest.raises(InputError) as err:
        period_for("weekly", date(2023, 10, 20), "fortnight")
    assert "fortnight" in str(err.value)
    assert "mon-fri" in str(err.value)


def test_rule_aliases() -> None:
    assert normalize_rule("weekly", "Workweek") == "mon-fri"
    assert normalize_rule("monthly", None) == "calendar-month"
