"""Dates in the words the reports use: 2023年10月20日, 周四, 2023-10-16.

The formats live in ``jianbao.issue_layout`` so the renderers can use them without
importing ``editions``; they stay importable here for the editions' own rules, the jobs
and the CLI.
"""

from __future__ import annotations

from jianbao.issue_layout import WEEKDAYS_CN, format_date_cn, format_date_iso, weekday_cn

__all__ = ["WEEKDAYS_CN", "format_date_cn", "format_date_iso", "weekday_cn"]
