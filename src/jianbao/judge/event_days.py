"""The days and clock times an article names, and whether two articles' days agree.

An event is dated where a topic is not: the days a headline and lead name (4月12日, 20日
dated by the publication, 今天 and 昨晚), the minutes (23:59) and the year, and the day
arithmetic the comparisons share (a common year's days, the year's end next to its
start, an incident's days near its publication). Kept apart so that the readers of
counts, phases and incidents, which date what they read, share one reading of days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from jianbao.judge.event_records import EventFacts
from jianbao.judge.event_text import _FIRST_SENTENCE, _NONE

#: an article naming more clock times than this is a timetable, not an event
MAX_CLOCKS = 3

_YEAR = re.compile(r"(20\d{2})\s*年")

#: a day named in the text (4月12日): events are dated, topics are not
_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号(?![文楼院线]))")
#: a day named relative to the publication (今天, 今晚, 昨夜 …), with how many days
#: before it: not 今日头条, 今日说法, 今晚报 (names of media)
RELATIVE_DAYS = (
    (0, r"今(?:天|晨|早|晚(?!报)|夜|日(?!头条|说法|俄罗斯|关注|视点|中国))"),
    (1, r"昨(?:天|日|晚|夜|晨)"),
    (2, r"前天"),
)
_RELATIVE_DAYS = tuple((back, re.compile(words)) for back, words in RELATIVE_DAYS)

#: a clock time, with the part of the day that may stand before it (晚上8时09分 is 20:09,
#: 深夜11时59分 23:59: outlets write one minute either way) and 点 as spoken (10点55分)
_CLOCK = re.compile(
    r"(下午|傍晚|晚上|晚间|夜间|深夜|夜|晚)?\s*(?<!\d)(\d{1,2})\s*(?:时|点|:|：)\s*(\d{2})(?!\d)"
)
#: a day named without its month (20日, 周一(20日)): the month is the article's own, or the
#: one before when the day is later than the article's
_BARE_DAY = re.compile(r"(?<![\d月.])(\d{1,2})\s*日(?![内以起前后])")

_MONTH_DAY = re.compile(r"(\d+)月(\d+)日")
#: the days of a (common) year before each month's first, by month
_DAY_OF_YEAR = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _clocks(text: str) -> frozenset[str]:
    """The clock times an article names, when it names an event's few (a timetable's
    many, 07:00——07:30 …, say no minute of any one event)."""
    found = set()
    for part, hour, minute in _CLOCK.findall(text):
        h = int(hour)
        if part and h < 12 and not (part in ("深夜", "夜") and h < 5):
            h += 12
        if h < 24:
            found.add(f"{h}:{minute}")
    return frozenset(found) if len(found) <= MAX_CLOCKS else frozenset()


def _days(text: str, published: datetime | None) -> frozenset[str]:
    """The days an article names (4月12日), a day without its month (20日) dated by the
    article's own publication (the month it was published in, or the one before for a day
    later than the publication's)."""
    found = {f"{int(m)}月{int(d)}日" for m, d in _DAY.findall(text)}
    if published is not None:
        for day in (int(d) for d in _BARE_DAY.findall(_DAY.sub("", text))):
            if not 1 <= day <= 31:
                continue
            month = published.month if day <= published.day + 1 else published.month - 1 or 12
            found.add(f"{month}月{day}日")
    return frozenset(found)


#: a day of this month named as such (本月15日): its month is the page's own
_THIS_MONTH = re.compile(r"本月\s*(?=\d{1,2}\s*日)")


def _month_days(text: str, published: datetime | None) -> frozenset[str]:
    """The days of the month an undated page names without their month (当地时间15日晚,
    本月15日), as "15": a page without a publication dates them by nothing, yet its
    incident's 15日 is the 11月15日 a dated page of that week names
    (:func:`_partial_days`). A dated page's are read by :func:`_days` and stay so."""
    if published is not None:
        return _NONE
    bare = _BARE_DAY.findall(_DAY.sub("", _THIS_MONTH.sub("", text)))
    return frozenset(str(int(d)) for d in bare if 1 <= int(d) <= 31)


def _partial_days(a: EventFacts, b: EventFacts) -> frozenset[str]:
    """The days of a dated page (its named days near its publication or given its
    incident, and its publication day) whose day of the month the other, undated page
    names without a month (15日 and 11月15日), or none: such a day counts where a day both
    name does, as one specific among others; alone (1 in 30) it joins nothing."""
    if a.published is None:
        a, b = b, a
    if a.published is None or b.published is not None or not b.month_days:
        return _NONE
    own = _day_of_year(a.published)
    near = {
        day
        for day in a.days
        if day in a.lead_days
        or any(_days_apart(n, own) <= BACKGROUND_DAYS for n in _day_numbers([day]))
    }
    near.add(f"{a.published.month}月{a.published.day}日")
    return frozenset(day for day in near if day.partition("月")[2][:-1] in b.month_days)


#: a dateline: the day a report was filed (新华社北京1月26日电, 4月9日消息, 26日讯)
_DATELINE = re.compile(r"(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:电|讯|消息)")


def _relative_days(title: str, lead: str, published: datetime | None) -> frozenset[str]:
    """The days the headline or the lead's first sentence names relative to the
    publication (工信部今日向…发放, 昨晚), dated by it: the day another outlet writes out
    (6月6日，工信部向…)."""
    if published is None:
        return _NONE
    first = _FIRST_SENTENCE.match(lead)
    said = _DATELINE.sub("", title + "，" + (first.group(0)[:80] if first else ""))
    found = set()
    for back, words in _RELATIVE_DAYS:
        if words.search(said):
            day = published - timedelta(days=back)
            found.add(f"{day.month}月{day.day}日")
    return frozenset(found)


def _other_days(a: EventFacts, b: EventFacts, days: frozenset[str]) -> bool:
    """Whether two articles' incidents are on other days. The days each headline and
    first sentence give their incident, when both give one, are those of one incident:
    a second collapse three days on, whose lead quotes the warning of the day before,
    shares that day with the first's later reports. Else a day both name (``days``: an
    undated page's 15日 is a dated page's 11月15日, :func:`_partial_days`), or publication
    days at most one apart when either names none, are one incident's."""
    if (
        a.lead_days
        and b.lead_days
        and not _near_days(_day_numbers(a.lead_days), _day_numbers(b.lead_days))
    ):
        return True
    return (
        not days
        and not _near_days(_incident_days(a), _incident_days(b))
        and not (_news_of_its_day(a, b) or _news_of_its_day(b, a))
    )


def _news_of_its_day(dated: EventFacts, undated: EventFacts) -> bool:
    """Whether ``undated`` names no day and is published the day of ``dated`` or the next,
    and ``dated`` is news of its own day (names it or the day before): the next day's
    report of the toll told the day before (12日…升至8人, published the 13th; 近日…8人死亡
    on the 14th), where the days ``dated`` names reach back to the incident's."""
    if undated.days or not dated.days or not (dated.published and undated.published):
        return False
    apart = (undated.published.date() - dated.published.date()).days
    own = _day_of_year(dated.published)
    return 0 <= apart <= 1 and _near_days(_incident_days(dated), [own])


def _near_publications(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles are published at most a day apart."""
    if not (a.published and b.published):
        return False
    return abs((a.published.date() - b.published.date()).days) <= 1


def _incident_days(facts: EventFacts) -> list[int]:
    """The days an article's incident may be on, as days of the year: those it names near
    its publication, else its publication day and the day before (news of an incident
    comes that day or the next). A day named further back than BACKGROUND_DAYS is a
    background's (the ward last inspected on 7月3日, a team set up a week before), not
    the incident's, unless the headline or first sentence gives it to the incident
    (10月5日，…一家人聚餐后中毒, a report a week on): a page naming only such days is dated
    by its publication."""
    named = _day_numbers(facts.days)
    if facts.published is None:
        return named
    day = _day_of_year(facts.published)
    own = set(_day_numbers(facts.lead_days))
    near = [n for n in named if n in own or _days_apart(n, day) <= BACKGROUND_DAYS]
    return near or [day, day - 1]


#: a day named further from an article's publication than this is a background's
BACKGROUND_DAYS = 6


def _days_apart(first: int, second: int) -> int:
    """Days between two days of the year, across the year's end too."""
    apart = abs(first - second)
    return min(apart, 365 - apart)


def _day_numbers(days: Iterable[str]) -> list[int]:
    """Named days (4月12日) as days of a common year."""
    named = (_MONTH_DAY.fullmatch(day) for day in days)
    months_days = ((int(m.group(1)), int(m.group(2))) for m in named if m)
    return [_DAY_OF_YEAR[month] + day for month, day in months_days if 1 <= month <= 12]


def _day_of_year(moment: datetime) -> int:
    """A publication's day of the year counted as the named days are (a common year's
    months), so that 10月12日 and a page of 2020-10-13 are a day apart in a leap year too."""
    return _DAY_OF_YEAR[moment.month] + moment.day


def _near_days(first: list[int], second: list[int]) -> bool:
    """Whether a day of each is the same or next to it (the year's end next to its start)."""
    return any(abs(x - y) <= 1 or abs(x - y) >= 364 for x in first for y in second)
