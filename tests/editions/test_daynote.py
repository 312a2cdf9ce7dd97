"""The calendar: working days with 调休, solar terms, 三伏, holidays, and the data's limits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jianbao.editions.daynote import (
    CalendarOverride,
    day_note,
    holiday_name,
    is_working_day,
    previous_working_day,
    solar_term,
)
from jianbao.errors import ConfigError, InputError


def test_seed_day_is_ru_fu() -> None:
    # the 2020 daily broadcast seed: 2020年7月16日（周四）今日入伏
    assert day_note(date(2020, 7, 16)) == "今日入伏"


@pytest.mark.parametrize(
    ("day", "note"),
    [
        (date(2020, 7, 26), "今日中伏"),
        (date(2020, 8, 15), "今日末伏"),
        (date(2020, 8, 7), "今日立秋"),
        (date(2020, 7, 17), ""),
        (date(2020, 7, 27), ""),  # inside 中伏, not its start
        (date(2023, 10, 2), "国庆节假期"),
        (date(2020, 6, 28), "调休上班"),  # Sunday worked for 端午节
    ],
)
def test_day_notes(day: date, note: str) -> None:
    assert day_note(day) == note


def test_notes_are_joined() -> None:
    # 2020-10-01 was both 国庆节 and 中秋节 (one holiday), and no solar term
    assert day_note(date(2020, 10, 1)) == "国庆节假期"
    # 2024-04-04: 清明 is both a solar term and a holiday
    assert day_note(date(2024, 4, 4)) == "今日清明，清明节假期"


def test_solar_term() -> None:
    assert solar_term(date(2023, 12, 22)) == "冬至"
    assert solar_term(date(2023, 12, 21)) is None


def test_working_days_follow_tiaoxiu() -> None:
    assert is_working_day(date(2020, 6, 28)) is True  # Sunday, make-up day
    assert is_working_day(date(2020, 6, 25)) is False  # 端午节
    assert is_working_day(date(2020, 7, 16)) is True
    assert is_working_day(date(2020, 7, 18)) is False  # ordinary Saturday
    assert holiday_name(date(2020, 6, 25)) == "端午节"
    assert previous_working_day(date(2020, 10, 9)) == date(2020, 9, 30)


def test_year_beyond_the_data_is_a_clear_input_error() -> None:
    with pytest.raises(InputError) as err:
        is_working_day(date(2031, 3, 3))
    message = str(err.value)
    assert "2031" in message
    assert "补充文件" in message  # says how to fix


def test_day_note_survives_a_year_beyond_the_data() -> None:
    assert day_note(date(2031, 3, 3)) == ""


def test_override_file_supplies_a_year(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(
        '[2031]\nholidays = {"2031-01-01" = "元旦"}\nworkdays = ["2031-01-04"]\n',
        encoding="utf-8",
    )
    override = CalendarOverride.load(path)
    assert is_working_day(date(2031, 1, 1), override) is False
    assert is_working_day(date(2031, 1, 4), override) is True  # a Saturday worked
    assert is_working_day(date(2031, 1, 5), override) is False
    assert is_working_day(date(2031, 1, 6), override) is True
    assert day_note(date(2031, 1, 1), override).endswith("元旦假期")
    assert day_note(date(2031, 1, 4), override) == "调休上班"


def test_bad_override_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text('[2031]\nworkdays = ["not a date"]\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        CalendarOverride.load(path)
    with pytest.raises(ConfigError):
        CalendarOverride.load(tmp_path / "missing.toml")


def test_override_for_a_known_year_corrects_days_and_keeps_the_rest(tmp_path: Path) -> None:
    # regression (issue 13): one [2026] workday replaced the whole of 2026, making
    # 2026-02-17 (春节) a working day and 2026-02-14 (调休 Saturday) a day off
    path = tmp_path / "holidays.toml"
    path.write_text('[2026]\nworkdays = ["2026-03-07"]\n', encoding="utf-8")
    override = CalendarOverride.load(path)
    assert is_working_day(date(2026, 3, 7), override) is True  # the corrected day
    assert is_working_day(date(2026, 2, 17), override) is False
    assert holiday_name(date(2026, 2, 17), override) == "春节"
    assert is_working_day(date(2026, 2, 14), override) is True
    assert day_note(date(2026, 2, 14), override) == "调休上班"
    assert day_note(date(2026, 3, 7), override) == "调休上班"
