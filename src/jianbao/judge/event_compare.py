"""Two articles compared: the joined score of their texts and shared specifics, the
conflicts that part them, and the reasons a merge is told by.

:func:`compare` joins the vector similarities (:mod:`jianbao.judge.event_vectors`) with
the evidence of the specifics both name — documents, institutions, numbers, days,
minutes, codes, named things, incidents, meeting sittings and releases — and refuses a
pair whose places, counts, years, phases, quakes or diseases contradict;
:func:`describe` tells the reasons as the editor reads them. The weights of each kind of
evidence live here, beside the one function that adds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from jianbao.judge.event_counts import _other_counts
from jianbao.judge.event_days import (
    _incident_days,
    _near_days,
    _near_publications,
    _partial_days,
)
from jianbao.judge.event_incidents import (
    INCIDENT_SCORE,
    _other_diseases,
    _other_quakes,
    _same_count,
    _same_incident,
)
from jianbao.judge.event_names import (
    _HOSTLESS_MEETINGS,
    _same_host,
    _shared_company,
    _shared_institutions,
    _shared_meeting,
    _shared_name,
)
from jianbao.judge.event_places import _other_division, _other_place
from jianbao.judge.event_records import EventFacts, EventMatch
from jianbao.records import Bilingual

#: articles further apart than this are never one event
WINDOW_DAYS = 3

#: how much each kind of shared specific adds to the similarity
DOCUMENT_BONUS = 0.25
INSTITUTION_BONUS = 0.1
DAY_BONUS = 0.1
#: a clock time named by both (23时59分, 15:40): the minute an event happened or is set
#: for is its own, where a day is shared by every story of that day
CLOCK_BONUS = 0.15

#: a named thing (嫦娥六号, 福建舰, 深中通道, 环球度假区) named by both on a day (or minute)
#: both name: one craft, ship or site on one day is one event, where either alone is a
#: topic (a craft's notice, launch and return share its name on other days)
NAMED_DAY_BONUS = 0.1
NUMBER_BONUS = 0.05
MAX_NUMBER_BONUS = 0.15
#: a bulletin's count both headlines give (新增无症状:137): one day's bulletin, where a
#: figure alone may be any two stories' (8例); small counts (新增1例, 新增3例) recur on
#: one place's other days and count for nothing
COUNT_BONUS = 0.1
COUNT_MIN = 10
#: below this similarity of headline or lead, shared specifics count for nothing: two
#: stories of one day from one ministry share its name and the date, not their event
SPECIFICS_FLOOR = 0.2
#: headlines less alike than this are two stories whatever their leads share (a lead may
#: quote the same ministry, day and document for another story)
HEADLINE_FLOOR = 0.1
#: leads at least this alike, naming the same day, stand without the headlines: outlets
#: that headline one event differently (梦天出征 梦圆天宫 / 梦天实验舱发射任务取得圆满成功)
#: tell it alike
LEAD_ALONE = 0.4

#: one meeting sitting both name on days at most one apart, or one institution doing what
#: both headlines say on a day both name, is one event however each outlet headlines it
#: (who spoke, what it decided, the figures it gave): a score of this much at the least
RELEASE_SCORE = 0.4


def compare(a: EventFacts, b: EventFacts, headline: float, lead: float) -> EventMatch:
    """Join the vector similarities with the specifics the two share or contradict."""
    if a.published and b.published and abs(a.published - b.published) > timedelta(days=WINDOW_DAYS):
        return EventMatch(0.0, headline, conflict="window")
    shared_documents = a.documents & b.documents
    reasons: list[tuple[str, str]] = []
    if not shared_documents and (
        _other_place(a.title_places, b.title_places) or _other_division(a.divisions, b.divisions)
    ):
        return EventMatch(0.0, headline, conflict="place")
    if _other_counts(a.counts, b.counts) or (
        a.bulletin_days and b.bulletin_days and a.bulletin_days.isdisjoint(b.bulletin_days)
    ):
        return EventMatch(0.0, headline, conflict="counts")
    years = (a.title_years, b.title_years)
    if not shared_documents and years[0] and years[1] and not years[0] & years[1]:
        return EventMatch(0.0, headline, conflict="year")
    if {a.phase, b.phase} == {"ahead", "done"} or {a.case, b.case} == {"疑似", "确诊"}:
        return EventMatch(0.0, headline, conflict="phase")
    if _other_quakes(a, b):
        return EventMatch(0.0, headline, conflict="magnitude")
    if _other_diseases(a, b):
        return EventMatch(0.0, headline, conflict="disease")
    clocks, days, codes = a.clocks & b.clocks, a.days & b.days, a.codes & b.codes
    # an undated page's 15日 is a dated page's 11月15日 (a day of the month: one specific
    # among others, never enough alone)
    days = days or _partial_days(a, b)
    named = _shared_name(a.named, b.named) if days or clocks else ""
    incident = _same_incident(a, b, days) or _same_count(a, b)
    release = _same_release(a, b, days)
    # one document or programme (《每周质量报告》) both name with one day both name: that
    # day's release or exposé, told from other sides (the capsules, the factories)
    document_day = bool(days and a.leading & b.leading)
    # one event's write-ups share headline words, or name its minute or code, or its
    # craft or site on its day, or its meeting sitting or its institution's act, or read
    # alike and name its day or document (leads alike alone: two stories over one site's
    # boilerplate)
    if (
        headline < HEADLINE_FLOOR
        and not clocks
        and not codes
        and not named
        and not incident
        and not release
        and not document_day
        and not (
            lead >= LEAD_ALONE
            and (days or shared_documents or not a.institutions.isdisjoint(b.institutions))
        )
    ):
        return EventMatch(0.0, headline, conflict="headline")
    score = max(
        headline,
        lead,
        INCIDENT_SCORE if incident else 0.0,
        RELEASE_SCORE if release or document_day else 0.0,
    )
    if score < SPECIFICS_FLOOR:  # shared specifics confirm texts that read alike, alone
        return EventMatch(
            round(float(score), 4), float(headline), None, (("title", f"{headline:.2f}"),)
        )
    if shared_documents:
        score += DOCUMENT_BONUS
        names = sorted(d for d in shared_documents if not d.startswith("no:"))
        label = a.document_label if a.document_label else (names[0] if names else "")
        reasons.append(("document", label or sorted(shared_documents)[0][3:]))
    institutions = _shared_institutions(a.institutions, b.institutions)
    if institutions:
        score += INSTITUTION_BONUS
        reasons.append(("institution", institutions[0]))
    numbers = a.numbers & b.numbers
    if numbers:
        score += min(MAX_NUMBER_BONUS, NUMBER_BONUS * len(numbers))
        reasons.append(("numbers", "、".join(sorted(numbers)[:3])))
    counts = sorted(c for c in a.counts & b.counts if int(c.partition(":")[2]) >= COUNT_MIN)
    if counts:
        score += COUNT_BONUS
        reasons.append(("numbers", counts[0].partition(":")[2] + "例"))
    if days:
        score += DAY_BONUS
        reasons.append(("day", sorted(days)[0]))
    if clocks:
        score += CLOCK_BONUS
        reasons.append(("clock", sorted(clocks)[0]))
    if codes:
        score += CLOCK_BONUS
        reasons.append(("code", sorted(codes)[0]))
    if named:
        score += NAMED_DAY_BONUS
        reasons.append(("named", named))
    if incident:
        reasons.append(("incident", incident))
    if release.startswith("meeting:"):
        reasons.append(("meeting", release.removeprefix("meeting:")))
    elif release.startswith(("person:", "company:", "bulletin:", "institution:")):
        kind, _colon, name = release.partition(":")
        if (kind, name) not in reasons:
            reasons.append((kind, name))
    places = a.title_places & b.title_places
    divisions = a.divisions & b.divisions
    if divisions:  # a division abroad both name is finer than its country (北方邦, 印度)
        reasons.append(("place", sorted(divisions)[0].partition(":")[2]))
    elif places:
        reasons.append(("place", sorted(places)[0]))
    reasons.append(("title", f"{headline:.2f}"))
    return EventMatch(round(float(min(score, 1.5)), 4), float(headline), None, tuple(reasons))


def _same_release(a: EventFacts, b: EventFacts, days: frozenset[str]) -> str:
    """The meeting sitting or release two articles both tell of, as "meeting:…" or
    "institution:…", or "": one sitting of a named meeting (第72届世界卫生大会) on a day
    both name or, when one names none, publication days at most one apart; or an
    institution both name doing what both headlines say (挂牌, 通报, 发布 …) on a day both
    name.

    Outlets tell one meeting day by who spoke or what it decided, and one institution's
    founding or notice by its figures: their headlines may share no word. A sitting
    named on other days (a meeting's later decisions) is not this event, nor is a
    preview (将开幕) the sitting it announces. A document cited by both is not enough
    alone: one ministry's two stories of a day may cite the same rules; a document both
    name as released (发布, 介绍, 表决通过 …, :mod:`jianbao.judge.event_releases`) on
    one day is its release."""
    request = sorted(a.requests & b.requests)
    if request and _near_publications(a, b):
        return "institution:世卫组织"
    filing = _shared_company(a.filings, b.filings)
    if filing and (days or _near_days(_incident_days(a), _incident_days(b))):
        return "company:" + filing
    # one place's bulletin of one day (7月28日0时至24时), headlined by any of its counts
    bulletin = sorted(a.bulletin_days & b.bulletin_days)
    if bulletin and _same_host(a, b):
        return "bulletin:" + bulletin[0]
    if "ahead" in (a.phase, b.phase):
        return ""
    meeting = _shared_meeting(a.meetings, b.meetings)
    if meeting.endswith(_HOSTLESS_MEETINGS) and not _same_host(a, b):
        meeting = ""
    released = a.released & b.released
    people = a.people & b.people
    company = _shared_company(a.companies, b.companies)
    if (meeting or released or people or company) and (
        days or _near_days(_incident_days(a), _incident_days(b))
    ):
        if meeting or released:
            return "meeting:" + meeting if meeting else "document:" + min(released)
        # one official's dismissal, or one company's listing, told by its figures or
        # its causes: the person or company with the act, on its days
        return "person:" + min(people) if people else "company:" + company
    if not days or a.acts.isdisjoint(b.acts):
        return ""
    shared = _shared_institutions(a.institutions, b.institutions)
    return "institution:" + shared[0] if shared else ""


#: how each kind of reason is told: (Chinese, English), ``{}`` the detail
_TOLD = {
    "document": ("同一文件《{}》", "same document 《{}》"),
    "institution": ("同一机构 {}", "same institution {}"),
    "numbers": ("相同数字 {}", "same figures {}"),
    "day": ("同一日期 {}", "same day {}"),
    "clock": ("同一时刻 {}", "same time {}"),
    "code": ("同一编号 {}", "same code {}"),
    "named": ("同一名称 {}", "same name {}"),
    "incident": ("同一事件 {}", "same incident {}"),
    "meeting": ("同一会议 {}", "same meeting {}"),
    "person": ("同一人物 {}", "same person {}"),
    "company": ("同一企业 {}", "same company {}"),
    "bulletin": ("同一通报 {}", "same bulletin {}"),
    "place": ("同一地点 {}", "same place {}"),
    "title": ("标题相近 {}", "similar headlines {}"),
}


def describe(reasons: Iterable[Sequence[str]]) -> list[Bilingual]:
    """The reasons of merges as the editor reads them (同一文件《…》, 同一机构 …,
    标题相近 0.82), each once, in the order given (headlines: the most alike only)."""
    reasons = [tuple(reason) for reason in reasons]
    titles = [detail for kind, detail in reasons if kind == "title"]
    told: dict[str, Bilingual] = {}
    for kind, detail in reasons:
        if kind == "title" and detail != max(titles):
            continue
        if kind in _TOLD:
            zh, en = _TOLD[kind]
            told.setdefault(zh.format(detail), Bilingual(zh.format(detail), en.format(detail)))
    return list(told.values())
