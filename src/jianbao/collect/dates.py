"""Reading the dates that feeds, listing pages and sitemaps give next to a link.

These dates are written every way: RFC 822 with or without a zone, ISO 8601, ``2023-10-16
10:00``, ``2023年10月16日``, ``2023/10/16``. A date without a zone is Beijing time (the
sites jianbao reads are Chinese), so it is read as Asia/Shanghai — feedparser would read it
as UTC and shift every such item by eight hours. Every result is aware and expressed in
Asia/Shanghai. A date more than a day in the future is a publisher's error and is dropped.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from jianbao.records import SHANGHAI

#: a date further ahead than this is a publisher's error, not a schedule
FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_YEAR = 1990

_NUMERIC = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{1,2})(?:\s*[:分]\s*(?P<S>\d{1,2}))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def to_shanghai(value: datetime) -> datetime:
    """Attach Asia/Shanghai to a naive time, or convert an aware one."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def parse_datetime(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """Read a date in any common spelling; None when there is none or it is implausible
    (before 1990, or more than a day in the future)."""
    if not text:
        return None
    raw = text.strip()
    if not raw:
        return None
    value = _rfc822(raw) or _iso(raw) or _numeric(raw)
    if value is None:
        return None
    return plausible(to_shanghai(value), now=now)


def plausible(value: datetime, *, now: datetime | None = None) -> datetime | None:
    """``value`` when it is a believable publish time, else None."""
    current = now or datetime.now(SHANGHAI)
    if value.year < EARLIEST_YEAR or value > current + FUTURE_TOLERANCE:
        return None
    return value


def _rfc822(text: str) -> datetime | None:
    if not text[:1].isalpha() and "," not in text[:5]:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _numeric(text: str) -> datetime | None:
    match = _NUMERIC.search(text)
    if match is None:
        match = _COMPACT.search(text)
        if match is None:
            return None
    parts = match.groupdict()
    try:
        value = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts.get("H") or 0),
            int(parts.get("M") or 0),
            int(parts.get("S") or 0),
        )
    except ValueError:
        return None
    zone = parts.get("tz")
    if zone:
        try:
            stamp = value.isoformat() + ("+00:00" if zone == "Z" else _colon(zone))
            return datetime.fromisoformat(stamp)
        except ValueError:
            return value
    return value


def _colon(zone: str) -> str:
    return zone if ":" in zone else zone[:3] + ":" + zone[3:]


def find_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """The first plausible date written out inside ``text`` (a listing row); bare
    eight-digit numbers are not taken for dates here, they are too often ids."""
    for match in _NUMERIC.finditer(text):
        value = _numeric(match.group(0))
        if value is not None:
            checked = plausible(to_shanghai(value), now=now)
            if checked is not None:
                return checked
    return None
