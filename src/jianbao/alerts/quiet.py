"""Quiet hours: an alert below red fired in them is held until they end (the morning).

A window such as 22:00-07:00 crosses midnight; 12:00-14:00 does not. Red alerts are
never held: a ransomware attack at 2 a.m. is worth waking someone for.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from jianbao.clock_times import parse_clock_time


def parse_quiet(text: str) -> tuple[time, time] | None:
    """``22:00-07:00`` → (22:00, 07:00); '' → None."""
    if not text.strip():
        return None
    begin, _sep, end = text.partition("-")
    return parse_clock_time(begin.strip()), parse_clock_time(end.strip())


def held_until(now: datetime, level: str, quiet: str, zone: ZoneInfo) -> datetime | None:
    """When an alert of ``level`` fired at ``now`` may be sent: None for at once."""
    window = parse_quiet(quiet)
    if window is None or level == "red":
        return None
    begin, end = window
    local = now.astimezone(zone)
    clock = local.time()
    inside = begin <= clock < end if begin <= end else clock >= begin or clock < end
    if not inside:
        return None
    day = local.date()
    if begin > end and clock >= begin:
        day += timedelta(days=1)
    return datetime.combine(day, end, zone)
