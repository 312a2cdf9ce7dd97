"""Dates in report words: no zero padding, 周一…周日."""

from __future__ import annotations

from datetime import date

from jianbao.editions.dates import format_date_cn, format_date_iso, weekday_cn


def test_format_date_cn_has_no_zero_padding() -> None:
    assert format_date_cn(date(2023, 10, 20)) == "2023年10月20日"
    assert format_date_cn(date(2018, 4, 3)) == "2018年4月3日"


def test_weekday_cn() -> None:
    assert weekday_cn(date(2020, 7, 16)) == "周四"
    assert weekday_cn(date(2020, 7, 19)) == "周日"
    assert weekday_cn(date(2020, 7, 13)) == "周一"


def test_format_date_iso() -> None:
    assert format_date_iso(date(2023, 10, 6)) == "2023-10-06"
    assert format_date_iso(None) == ""
