"""What the event stage keeps of an article, and what it says of two.

:class:`EventFacts` holds the specifics read from an article's headline and lead
(:func:`jianbao.judge.events.event_facts`), the only thing the stage compares and the
thing :mod:`jianbao.stored_facts` stores; :class:`EventMatch` is a pair's score, its
conflict and its reasons. Every reader and comparer of the stage uses them, so they sit
below all of them, with the default threshold a match is judged by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: the default of the joined similarity (headline and lead, plus the specifics' evidence)
DEFAULT_THRESHOLD = 0.38


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What an article's headline and lead say about its event."""

    title: str
    #: normalized headline plus lead, the text the vectors are built from
    text: str
    published: datetime | None
    #: document names (《…》, normalized) and 发文字号 keys
    documents: frozenset[str]
    #: the first document's name as written, for the reason shown
    document_label: str
    institutions: frozenset[str]
    title_places: frozenset[str]
    title_years: frozenset[str]
    #: "ahead" (an announcement), "done" (an outcome) or "" by the headline's wording
    phase: str
    numbers: frozenset[str]
    #: days named in the headline and lead (4月12日)
    days: frozenset[str] = frozenset()
    #: days of the month an undated page names without their month (当地时间15日晚 as
    #: "15"), compared with a dated page's days only; a dated page has none
    month_days: frozenset[str] = frozenset()
    #: a case as its headline tells it: "疑似" (suspected), "确诊" (confirmed) or "" —
    #: a first case suspected and the same case confirmed days on are two events for an
    #: editor (首例甲型H1N1流感疑似病例 / 确诊首例甲型H1N1流感病例)
    case: str = ""
    #: days the headline or the lead's first sentence gives the incident it tells of
    #: (24日突发山体滑坡; 今天11时02分…二次垮塌, dated by the publication): its own
    #: incident's days, where the rest of a lead may name others' (a warning of the day
    #: before, the day of a report)
    lead_days: frozenset[str] = frozenset()
    #: clock times named in the headline and lead (23:59)
    clocks: frozenset[str] = frozenset()
    #: flight, train and model codes named in the headline and lead (MU5735, G8811)
    codes: frozenset[str] = frozenset()
    #: a bulletin's counts named in the headline (新增58, 累计521)
    counts: frozenset[str] = frozenset()
    #: the days the headline and lead give a bulletin's counts for (7月28日0时至24时)
    bulletin_days: frozenset[str] = frozenset()
    #: named crafts, ships and sites in the headline and lead (嫦娥六号, 深中通道)
    named: frozenset[str] = frozenset()
    #: kinds of incident the headline and lead tell of (地震, 爆炸, 坍塌)
    incidents: frozenset[str] = frozenset()
    #: places at the finest level the headline and lead name (芦山, 万州)
    fine_places: frozenset[str] = frozenset()
    #: the country abroad the article is about: the first its headline names past a column
    #: tag (【缅甸强震】泰国…大楼倒塌 is about 泰国), else the first its lead names, or ""
    country: str = ""
    #: first-level divisions abroad the headline and the lead's first sentence name, as
    #: "country:division" (印度:北方邦)
    divisions: frozenset[str] = frozenset()
    #: magnitudes named (7.0)
    magnitudes: frozenset[str] = frozenset()
    #: meeting sittings named, as ordinal or year and name (72|世界卫生大会)
    meetings: frozenset[str] = frozenset()
    #: what the headline says was done (挂牌, 通报, 发布 …)
    acts: frozenset[str] = frozenset()
    #: documents the headline and lead name as released (李斌发布了《…》), names as in
    #: ``documents``
    released: frozenset[str] = frozenset()
    #: documents the headline or the lead's first sentence names, not as cited (依据《…》)
    #: nor as a basis, names as in ``documents``
    leading: frozenset[str] = frozenset()
    #: people the headline and lead name in a personnel act (免去唐志红同志, 主任…被免职)
    people: frozenset[str] = frozenset()
    #: companies the headline and lead name on a market (平安好医生港交所挂牌, 京东健康上市)
    companies: frozenset[str] = frozenset()
    #: the countries the WHO is told asking for information (世卫组织要求中国提供…), none
    #: in a page that tells a reply (中方回应)
    requests: frozenset[str] = frozenset()
    #: of those, the ones named as filing to list (微医递交招股书)
    filings: frozenset[str] = frozenset()
    #: counts of people named (HEADCOUNT_MIN at the least: 21 of 21人遇难, 37 of 37名),
    #: none in an outbreak's tally (:data:`_TALLY`)
    headcounts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventMatch:
    """Two articles compared: the joined score, whether it passes, and why."""

    score: float
    headline: float
    conflict: str | None = None
    reasons: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def same(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.conflict is None and self.score >= threshold
