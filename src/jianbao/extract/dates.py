"""Publish dates: reading every common Chinese and machine form, and finding the right one.

A news page shows many dates: the article's, the sidebar list's, the footer's copyright
year, today's date in the masthead. The article's date is the one the page labels
(发布时间：…), the one its metadata states (article:published_time, JSON-LD, WeChat's
``var ct``), or failing those the first date printed between the title and the body — never
a date from a link list. All results are aware datetimes in Asia/Shanghai.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from lxml import etree

from jianbao.extract.patterns import DATE_META_KEYS, TIME_LABELS
from jianbao.records import SHANGHAI

# 2023-10-16 / 2023/10/16 / 2023.10.16 / 2023年10月16日 / 2023_10_16, with an optional time.
_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年_])\s*(?P<m>\d{1,2})\s*(?:[-/.月_])\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:[\sT,，]*(?:(?P<ampm>上午|下午|晚上|早上|凌晨)\s*)?"
    r"(?P<H>[0-2]?\d)\s*[:：时點点]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d))?\s*(?:分|秒)?"
    r"(?P<frac>\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
# 9/17/2004 5:54:13 AM — month first, as US-configured servers print (day first when the
# first number cannot be a month)
_US_DATE = re.compile(
    r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?\s*(?P<ampm>AM|PM|am|pm)?)?"
)
# 10月16日 10:30 without a year (the year is inferred from context)
_SHORT_DATE = re.compile(r"(?<!\d)(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
# dates inside URLs: /2023/1016/, /2023-10/16/, /20231016/, t20231016_
_URL_DATE = re.compile(r"(?<!\d)(?P<y>20\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?!\d)")
_UNIX_CT = re.compile(
    r"""(?:\bvar\s+ct\s*=|\bcreateTime["']?\s*[:=]|\bvar\s+publish_time\s*=)"""
    r"""\s*["']?(?P<v>\d{10}|\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)["']?"""
)
_TIME_LABEL = re.compile(
    r"(?:(?:"
    + "|".join(sorted({re.escape(x) for x in TIME_LABELS}, key=len, reverse=True))
    + r")\s*[:：]|(?:发表于|发布于|更新于|写于|發表於|發佈於|post(?:ed)? on)\s*[:：]?)",
    re.I,
)
# "本贴由某某于2005年8月12日16:12:21…发表": the post's own time, printed after it
_POSTED_BY = re.compile(r"由.{1,20}?于\s*(?=(?:19|20)\d{2})")


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """The first date (with its time when printed) in ``text``, in Asia/Shanghai, or None.

    Accepts 2023-10-16, 2023年10月16日 10:30, 2023/10/16, 2023.10.16, ISO 8601 with a
    zone, and unix seconds. Dates in the future (beyond a day) or before 1995 are refused.
    """
    for found in iter_dates(text, now=now):
        return found
    return None


def iter_dates(text: str, *, now: datetime | None = None) -> Iterable[datetime]:
    """Every plausible date in ``text``, in the order printed."""
    stripped = text.strip()
    if re.fullmatch(r"\d{10}(?:\d{3})?", stripped):
        value = _from_unix(stripped)
        if value is not None and _plausible(value, now):
            yield value
        return
    matches = list(_DATE.finditer(text))
    if "/" in text:
        matches += _US_DATE.finditer(text)
        matches.sort(key=lambda m: m.start())
    for match in matches:
        value = _from_match(match)
        if value is not None and _plausible(value, now):
            yield value


def _from_unix(digits: str) -> datetime | None:
    seconds = int(digits[:10])
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).astimezone(SHANGHAI)
    except (OverflowError, OSError, ValueError):
        return None


def _from_match(match: re.Match[str]) -> datetime | None:
    try:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if match.re is _US_DATE and month > 12 >= day:
            month, day = day, month
        hour = int(match["H"]) if match["H"] else 0
        minute = int(match["M"]) if match["M"] else 0
        second = int(match["S"]) if match["S"] else 0
        if match["ampm"] in ("下午", "晚上", "PM", "pm") and hour < 12:
            hour += 12
        elif match["ampm"] in ("AM", "am", "凌晨") and hour == 12:
            hour = 0
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    zone = match.groupdict().get("tz")
    if zone:
        if zone == "Z":
            return value.replace(tzinfo=UTC).astimezone(SHANGHAI)
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        from datetime import timezone

        return value.replace(tzinfo=timezone(sign * offset)).astimezone(SHANGHAI)
    return value.replace(tzinfo=SHANGHAI)


def _plausible(value: datetime, now: datetime | None) -> bool:
    limit = (now or datetime.now(SHANGHAI)) + timedelta(days=1)
    return datetime(1995, 1, 1, tzinfo=SHANGHAI) <= value <= limit


def has_time(text: str) -> bool:
    """True when the first date in ``text`` carries a time of day."""
    match = _DATE.search(text)
    return bool(match and match["H"])


# -- where the page states its date ---------------------------------------------------------


def date_from_meta(tree: etree._Element) -> datetime | None:
    """The publish time declared in <meta> tags (article:published_time, PubDate…)."""
    wanted = {key: rank for rank, key in enumerate(DATE_META_KEYS)}
    best: tuple[int, datetime] | None = None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        rank = wanted.get(key.strip())
        if rank is None:
            continue
        value = parse_date(meta.get("content") or "")
        if value is not None and (best is None or rank < best[0]):
            best = (rank, value)
    for tag in tree.xpath("//*[@itemprop='datePublished']"):
        value = parse_date(tag.get("content") or tag.get("datetime") or "".join(tag.itertext()))
        if value is not None and (best is None or best[0] > 3):
            best = (3, value)
    return best[1] if best else None


def date_from_json_ld(tree: etree._Element) -> datetime | None:
    """datePublished from JSON-LD blocks (NewsArticle and friends)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = script.text or ""
        try:
            data = json.loads(raw)
        except ValueError:
            match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', raw)
            if match:
                value = parse_date(match.group(1))
                if value is not None:
                    return value
            continue
        for item in _walk_json(data):
            found = item.get("datePublished") or item.get("dateCreated")
            if isinstance(found, str):
                value = parse_date(found)
                if value is not None:
                    return value
    return None


def _walk_json(data: object) -> Iterable[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk_json(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_json(value)


def date_from_scripts(page_text: str) -> datetime | None:
    """WeChat-style script variables: ``var ct = "1697420000"``, ``createTime = '2023-10-16'``."""
    # str.find first: a regex scan of a whole page for these keys is slow
    for key in ("var ct", "createTime", "var publish_time"):
        position = page_text.find(key)
        while position >= 0:
            match = _UNIX_CT.match(page_text, position)
            if match:
                return parse_date(match["v"])
            position = page_text.find(key, position + 1)
    return None


def date_from_url(url: str) -> datetime | None:
    """A date printed in the URL path (/2023/1016/, /20231016/, t20231016_…), day only."""
    path = url.split("?", 1)[0]
    for match in _URL_DATE.finditer(path):
        try:
            value = datetime(int(match["y"]), int(match["m"]), int(match["d"]), tzinfo=SHANGHAI)
        except ValueError:
            continue
        if _plausible(value, None):
            return value
    return None


def labelled_date(text: str) -> datetime | None:
    """The date after a 发布时间：/发布日期：/发表于 label in ``text``, when any."""
    for pattern in (_TIME_LABEL, _POSTED_BY):
        for match in pattern.finditer(text):
            value = parse_date(text[match.end() : match.end() + 40])
            if value is not None:
                return value
    return None


_YEAR_MONTH_LINE = re.compile(
    r"^[\W_]*(?:《[^》]{1,12}》)?\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:号|份|號)?[\W_]*$"
)


def year_month_line(text: str) -> datetime | None:
    """A line that is only a month ("2003年5月", "——《某刊》1998年3月号"): day 1 of it."""
    if len(text) > 30:
        return None
    match = _YEAR_MONTH_LINE.match(text.strip())
    if not match:
        return None
    try:
        value = datetime(int(match["y"]), int(match["m"]), 1, tzinfo=SHANGHAI)
    except ValueError:
        return None
    return value if _plausible(value, None) else None


def is_ambiguous(text: str) -> bool:
    """True when the first date in ``text`` is 06/02/2022-like: month and day could swap."""
    iso = _DATE.search(text)
    us = _US_DATE.search(text)
    if us is None or (iso is not None and iso.start() < us.start()):
        return False
    month, day = int(us["m"]), int(us["d"])
    return month <= 12 and day <= 12 and month != day and not us["ampm"]


def is_date_line(text: str) -> bool:
    """True for a short block that is mostly a date (a dateline of its own)."""
    if len(text) > 48:
        return False
    match = _DATE.search(text) or _US_DATE.search(text)
    if match is None:
        return False
    return (match.end() - match.start()) >= len(text.strip()) * 0.4
