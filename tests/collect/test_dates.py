"""Dates next to links: every common spelling, Beijing time when no zone is given."""

from __future__ import annotations

from datetime import datetime

import pytest

from jianbao.collect.dates import find_date, parse_datetime
from jianbao.records import SHANGHAI

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 16 Oct 2023 10:00:00 +0800", datetime(2023, 10, 16, 10, 0)),
        ("Mon, 16 Oct 2023 02:00:00 GMT", datetime(2023, 10, 16, 10, 0)),
        ("Mon, 16 Oct 2023 10:00:00", datetime(2023, 10, 16, 10, 0)),
        ("2023-10-16T02:00:00Z", datetime(2023, 10, 16, 10, 0)),
        ("2023-10-16T10:00:00+08:00", datetime(2023, 10, 16, 10, 0)),
        ("2023-10-16 10:00", datetime(2023, 10, 16, 10, 0)),
        ("2023-10-16", datetime(2023, 10, 16)),
        ("2023/10/16 9:05:07", datetime(2023, 10, 16, 9, 5, 7)),
        ("2023年10月16日 10时30分", datetime(2023, 10, 16, 10, 30)),
        ("2023.10.16", datetime(2023, 10, 16)),
        ("20231016", datetime(2023, 10, 16)),
        ("发布时间：2023-10-16 10:00 +0000", datetime(2023, 10, 16, 18, 0)),
    ],
)
def test_spellings(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected.replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "text", [None, "", "  ", "yesterday", "2023-13-45", "1970-01-01", "2030-01-01"]
)
def test_no_or_implausible_date(text: str | None) -> None:
    assert parse_datetime(text, now=NOW) is None


def test_find_date_in_a_row() -> None:
    assert find_date("[2023-10-16] 新闻标题", now=NOW) == datetime(2023, 10, 16, tzinfo=SHANGHAI)
    assert find_date("编号 20231016 的文件", now=NOW) is None  # bare digits are ids here
    assert find_date("2099-01-01 与 2023-10-15", now=NOW) == datetime(2023, 10, 15, tzinfo=SHANGHAI)
