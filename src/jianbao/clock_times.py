"""Clock times as settings write them: ``07:00`` and hour ranges ``06:00-22:00``.

Kept apart so the settings, the publications and the schedule read them one way; a
range may end at ``24:00`` (the end of the day), which ``datetime.time`` cannot hold,
so both are given as minutes after midnight.
"""

from __future__ import annotations

import re
from datetime import time

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def clock_minutes(text: str, *, allow_end_of_day: bool = False) -> int:
    """Minutes after midnight of ``HH:MM``; ValueError with the expected form otherwise."""
    match = _CLOCK.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time of day HH:MM, e.g. 07:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    limit = 24 * 60 if allow_end_of_day else 24 * 60 - 1
    if minutes > 59 or total > limit:
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 23:59")
    return total


def parse_clock_time(text: str) -> time:
    """``07:00`` → time(7, 0)."""
    total = clock_minutes(text)
    return time(total // 60, total % 60)


def parse_hours(text: str) -> tuple[int, int]:
    """``06:00-22:00`` → (360, 1320) minutes after midnight; the end may be 24:00."""
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not an hour range HH:MM-HH:MM, e.g. 06:00-22:00")
    start = clock_minutes(start_text)
    end = clock_minutes(end_text, allow_end_of_day=True)
    if end <= start:
        raise ValueError(f"{text!r}: the range must end after it starts")
    return start, end
