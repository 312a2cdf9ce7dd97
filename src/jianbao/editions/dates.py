"""Dates in the words the reports use: 2023年10月20日, 周四, 2023-10-16.

No zero padding in the Chinese form (the seeds write 2023年6月1日), ISO form in the
具体内容 日期 line.
"""

from __future__ import annotations

from datetime import date

WEEKDAYS_CN = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def format_date_cn(d: date) -> str:
    """2023年10月20日 (never 2023年10月020日, never 2023 年 4 年 23 日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_cn(d: date) -> str:
    """周一 … 周日."""
    return WEEKDAYS_CN[d.weekday()]


def format_date_iso(d: date | None) -> str:
    """YYYY-MM-DD, or an empty string when the date is unknown."""
    return d.isoformat() if d else ""
