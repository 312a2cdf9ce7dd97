"""The figures an article gives — numbers with their units, codes, bulletins' counts and
counts of people — and whether two articles' counts agree.

One place's bulletins of two days read alike and differ in their counts (新增58例 /
新增61例) and in the day they count (7月28日0时至24时); an incident's toll (21人遇难) is
its own specific however each outlet tells it; a flight or train code (MU5735) names one
event. Kept apart from the days it dates its bulletins by, and from the incidents that
ask whether two pages give one count of one day.
"""

from __future__ import annotations

import re
from datetime import datetime

from jianbao.judge.event_days import _days, _near_publications
from jianbao.judge.event_records import EventFacts
from jianbao.judge.event_text import _CLAUSE, _NONE

_NUMBER = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:多|余)?\s*(%|万元|亿元|万人|万千瓦|万吨|万|亿|家|个|项|例|人|名|所|台|张|次|种|床|批|级|公里|千米|米|吨)"
)

#: a code of letters and digits (MU5735, G8811, B-1791); not part of a longer word
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}-?\d{3,5}(?![\d])")

#: a bulletin's count in a headline (新增58例, 累计确诊521例): one place's bulletins of two
#: days read alike and differ in their counts
_COUNT = re.compile(
    r"(新增|累计|新确诊|又确诊|再确诊)([\u4e00-\u9fff]{0,8}?)\s*(\d+)\s*(?:例|(?=[，,；;。、]|$))"
)
_NONE_NEW = re.compile(r"无新增([\u4e00-\u9fff]{0,4})")
#: a day's cases told as found (发现1例…无症状感染者, 报告2例): the day's new count, where
#: 例 must follow (发现于2019年 counts nothing)
_FOUND_COUNT = re.compile(r"(?:发现|报告)([\u4e00-\u9fff]{0,8}?)\s*(\d+)\s*例")
#: the day a bulletin counts (7月28日0时至24时, 截至7月26日24时, 25日0-24时): one place's
#: bulletins of two days tell other counts however alike their words, and a headline may
#: give none of its counts (大连30例确诊为凯洋海鲜公司员工). A bulletin of a period (a
#: month's: 1月1日0时至1月31日24时) counts to its last day, as 截至1月31日24时 tells it:
#: two months' bulletins of one series read alike word for word (全国法定传染病疫情概况)
_BULLETIN_DAY = re.compile(
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*(?:0|零)\s*(?:时|点|:00)?\s*(?:至|到|-|—|－|~)\s*"
    r"(?:(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*)?24\s*(?:时|点|:00)|"
    r"截至\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*24\s*(?:时|点|:00)"
)
#: what a count counts may follow its figure (新增137例无症状感染者)
COUNTED_AFTER_CHARS = 8
#: what a count counts (cases unless it says cured, discharged, dead, without symptoms or
#: suspected): the same bulletin headlined by its cured and by its cases is no conflict
_COUNTED = re.compile(r"治愈|出院|死亡|无症状|疑似")


def _counts(title: str) -> set[str]:
    """A headline's bulletin counts, each as what and how many (新增确诊:58, 累计死亡:3)."""
    found = set()
    for match in _COUNT.finditer(title):
        kind, words, number = match.groups()
        after = title[match.end() : match.end() + COUNTED_AFTER_CHARS]
        counted = _COUNTED.search(words) or _COUNTED.search(_CLAUSE.split(after)[0])
        kind = kind if kind in ("新增", "累计") else "新增"  # 又确诊3例 is the day's new cases
        found.add(f"{kind}{counted.group(0) if counted else '确诊'}:{int(number)}")
    for match in _FOUND_COUNT.finditer(title):
        words, number = match.groups()
        after = title[match.end() : match.end() + COUNTED_AFTER_CHARS]
        counted = _COUNTED.search(words) or _COUNTED.search(_CLAUSE.split(after)[0])
        found.add(f"新增{counted.group(0) if counted else '确诊'}:{int(number)}")
    for words in _NONE_NEW.findall(title):
        counted = _COUNTED.search(words)
        found.add(f"新增{counted.group(0) if counted else '确诊'}:0")
    return found


def _bulletin_days(text: str, published: datetime | None) -> frozenset[str]:
    """The days ``text`` gives a bulletin's counts for (7月28日0时至24时, 截至26日24时; a
    period's last: 1月1日0时至1月31日24时 counts to 1月31日), a day without its month dated
    as :func:`_days` dates it."""
    found = set()
    for match in _BULLETIN_DAY.finditer(text):
        month, day, end_month, end_day, month_to, day_to = match.groups()
        if end_day:  # a period's bulletin: its last day, in its start's month unless named
            month, day = end_month or month, end_day
        month, day = (month, day) if day else (month_to, day_to)
        if month:
            found.add(f"{int(month)}月{int(day)}日")
        else:
            found.update(_days(f"{int(day)}日", published))
    return frozenset(found)


#: a count of people, however counted (37人, 37名), and the least that is telling
_HEADCOUNT = re.compile(r"(\d+)[人名]$")
HEADCOUNT_MIN = 10
#: an outbreak's tally (累计确诊, 新增病例): its counts of people (12 dead, 14 flown home)
#: stay the same from one day's bulletin to the next, and tell no one day's news
_TALLY = re.compile(r"确诊|病例|累计|新增")


def _headcounts(numbers: frozenset[str], text: str) -> frozenset[str]:
    """The counts of people among ``numbers`` (HEADCOUNT_MIN at the least), as digits;
    none when ``text`` is an outbreak's tally, whose counts of people (12 dead, 14 flown
    home) stay the same from one day's bulletin to the next."""
    found = {m.group(1) for m in map(_HEADCOUNT.match, numbers) if m}
    found = {n for n in found if int(n) >= HEADCOUNT_MIN}
    if not found or _TALLY.search(text):
        return _NONE
    return frozenset(found)


def _same_count_of_day(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles published at most a day apart give one count of people
    (37人 / 37名, HEADCOUNT_MIN at the least): one incident's news of that day, whatever
    days their leads give as background (沈阳's fraud: the exposure a week before, the
    day the arrests were counted, the press conference). A page without a date gives
    its day by naming it: the count and a day both name (16名…批准逮捕 on 1月13日)."""
    if a.headcounts.isdisjoint(b.headcounts):
        return False
    if not (a.published and b.published):
        return not a.days.isdisjoint(b.days)
    return _near_publications(a, b)


def _other_counts(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two headlines give one kind of bulletin count (新增确诊, 累计治愈 …) with
    different figures and no figure of that kind in common: two days' bulletins."""
    kinds = {c.split(":")[0] for c in first} & {c.split(":")[0] for c in second}
    for kind in kinds:
        mine = {c for c in first if c.split(":")[0] == kind}
        theirs = {c for c in second if c.split(":")[0] == kind}
        if not mine & theirs:
            return True
    return False
