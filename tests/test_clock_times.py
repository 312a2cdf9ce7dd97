"""Clock times and hour ranges as the settings and publications write them."""

from __future__ import annotations

from datetime import time

import pytest

from jianbao.clock_times import clock_minutes, parse_clock_time, parse_hours


def test_clock_times_and_ranges() -> None:
    assert parse_clock_time("07:00") == time(7, 0)
    assert parse_clock_time(" 8:05 ") == time(8, 5)
    assert clock_minutes("24:00", allow_end_of_day=True) == 1440
    assert parse_hours("06:00-22:00") == (360, 1320)
    assert parse_hours("00:00-24:00") == (0, 1440)


@pytest.mark.parametrize("text", ["7", "07:60", "24:00", "7.30", "", "ab:cd"])
def test_bad_clock_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"HH:MM|between"):
        parse_clock_time(text)


@pytest.mark.parametrize("text", ["06:00", "22:00-06:00", "06:00-06:00", "06:00-25:00"])
def test_bad_ranges_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)
