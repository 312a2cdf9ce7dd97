"""Whether a headline announces what is to come or reports what happened, and a case's
stage.

An event's announcement (明早发射, 将于24日通车) and its outcome (成功发射) are two items
for an editor, as are a suspected case and the same case confirmed: the comparison
refuses a pair whose phases or stages differ. Reading the phase is its own concern (the
将 of the future and the 将 that is 把, a day from which something is done), kept apart
from the other readers.
"""

from __future__ import annotations

import re
from datetime import datetime

from jianbao.judge.event_days import _DAY_OF_YEAR, _day_of_year
from jianbao.judge.event_text import _CLAUSE, _FIRST_SENTENCE, LEAD_CHARS

#: a headline announcing what is to come, and one reporting what happened: an event's
#: announcement (明早发射, 将着陆) and its outcome (成功发射) are two items for an editor
#: 将 before whom or what something is done to (家属将她送往, 记者将此事反馈给, 宣布将
#: 警戒级别升至6级, 将疫情列为紧急事件) is the object marker 把, not the future: a report of
#: what was done says it too
_BA = (
    r"列为|升至|升为|提升至|提升到|提升为|提高到|提高至|升级为|纳入|定为|定性为|降为|降至|"
    r"送往|送到|送至|转至|转往|推向"
)
_AHEAD = re.compile(
    r"将于|即将|定于|瞄准|明早|明晚|明日|明天|拟|预计|(?<!原)计划|"
    r"将(?![来军其她他它此该这那之患病伤死遗])(?![^，,。；;！!？?]{2,24}?(?:" + _BA + "))"
)
_DONE = re.compile(
    r"成功|圆满|顺利|完成|落幕|闭幕|正式(?:开通|通车|开园|开讲|揭牌|挂牌|投产|开幕|开业)|迎客|"
    r"点火|升空|着陆|发生|投入运营|开通运营|逝世|去世|辞世|驾崩|与世长辞|病逝|离世|身亡|出征|"
    r"正式(?:启动|开始)|登陆|完工|竣工|建成"
)


def _told(text: str) -> tuple[bool, bool]:
    """Whether ``text`` says something is to come, and whether it says something happened:
    a done word with a future word just before it in its clause (将于24日正式通车,
    预计6月30日正式开通, 将着陆) says what is to come."""
    done = False
    for match in _DONE.finditer(text):
        clause = _CLAUSE.split(text[max(0, match.start() - 30) : match.start()])[-1]
        if not _AHEAD.search(clause):
            done = True
            break
    return bool(_AHEAD.search(text)), done


#: words that date what is to come, where a bare 将 in a lead's later sentences is as often
#: a quote's or a background's future (将造成灾难性的后果, 王储将继位) or 把
_DEFINITE_AHEAD = re.compile(r"将于|即将|定于|瞄准|明早|明晚|明日|明天|预计|(?<!原)计划|拟")


def _phase(
    title: str, lead: str = "", lead_too: bool = True, published: datetime | None = None
) -> str:
    """ "ahead" (an announcement), "done" (an outcome) or "", read in the headline and the
    lead's first sentence, else in the rest of the lead (a headline that names the event
    alone, 天宫课堂第一课开讲, is an announcement when its lead says 定于) unless
    ``lead_too`` is false: a meeting's report says next what the meeting 将 discuss
    (第72届世界卫生大会20日开幕。本届大会将围绕…), which announces nothing.

    A headline or first sentence with neither kind of word may still date what it tells
    from a day (13日0时起正式下线): from a day after its publication it announces, from
    its own day or before it reports what has begun — the next day's report of a service
    closed (12月13日0时起，行程卡正式下线) is not the notice of the day before, whose
    background says the service 将 close."""
    first = _FIRST_SENTENCE.match(lead)
    said = title + "。" + (first.group(0)[:80] if first else "")
    for text in (said, lead[:LEAD_CHARS]) if lead_too else (said,):
        ahead, done = _told(text)
        if done:
            return "done"
        if ahead and (text is said or _DEFINITE_AHEAD.search(text)):
            return "ahead"
        if text is said:
            dated = _set_for(said, published)
            if dated:
                return dated
    return ""


#: a day (or today, tomorrow) from which something is done: 13日0时起, 12月13日零时起,
#: 今起, 明日起 — a clause's own start, not a day merely named
_FROM_DAY = re.compile(
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日[^，,。；;：:！!？?（(]{0,8}?起|(今|即|明)(?:日|天)?起"
)


def _set_for(text: str, published: datetime | None) -> str:
    """ "ahead" when ``text`` says something is done from a day after ``published``
    (tomorrow, or a named day later), "done" when from that day or before, or ""."""
    found = _FROM_DAY.search(text)
    if not found:
        return ""
    month, day, relative = found.groups()
    if relative:
        return "ahead" if relative == "明" else "done"
    if published is None:
        return ""
    number = int(day)
    if month:
        named = _DAY_OF_YEAR[int(month)] + number if 1 <= int(month) <= 12 else None
    else:  # a day without its month is this month's, or next month's when long past
        named = _DAY_OF_YEAR[published.month] + number
        if number + 20 < published.day and published.month < 12:
            named = _DAY_OF_YEAR[published.month + 1] + number
    if named is None:
        return ""
    ahead = 0 < named - _day_of_year(published) <= 60
    return "ahead" if ahead else "done"


#: a case told as suspected, and as confirmed (确诊, 证实, 确认): a headline naming both
#: (新增确诊5例，疑似3例) is a bulletin of both and tells no one stage
_SUSPECTED = re.compile(r"疑似|疑为|疑患|疑染")
_CONFIRMED = re.compile(r"确诊|证实|确认")


def _case(title: str) -> str:
    """ "疑似" when a headline tells of a suspected case only, "确诊" a confirmed one only,
    else ""."""
    suspected, confirmed = bool(_SUSPECTED.search(title)), bool(_CONFIRMED.search(title))
    if suspected == confirmed:
        return ""
    return "疑似" if suspected else "确诊"
