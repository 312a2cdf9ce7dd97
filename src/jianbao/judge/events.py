"""The event stage of story merging: one story per event, however each outlet wrote it.

The near-copy index (:mod:`jianbao.judge.dedup`) finds republications: the same text
with edits. Outlets that report one announcement in their own words share few shingles,
yet their headlines and leads name the same specifics — the issuing body, the document
(《…》 or its 发文字号), the place, the institution, the numbers. Stories on one *topic*
with different specifics (two provinces' 互联网医院 launches, two years' 电子病历评级
results) must stay apart, and it is the specifics that tell them apart.

So two articles published within a few days are one event when

- their headlines and leads are alike: TF-IDF cosine of character 2- and 3-grams
  (scikit-learn, fitted on the articles of the window compared, so the words every
  health-IT story uses weigh little), plus evidence from the specifics they share
  (the same document, institution, numbers, day, minute or flight code, and a craft or
  site named on a day both name); or they tell of one incident — one kind from a closed
  vocabulary (地震, 爆炸, 火灾, 坍塌, 坠落, 封控 …) at one finest-level place (芦山, 万州),
  on one day (named, or the publication day): the toll at another hour, the rescue, the
  cause or a survivor's story, whose headlines may share no word; or they tell of one
  sitting of a named meeting (第72届世界卫生大会) on days at most one apart, or of one
  institution doing what both headlines say (挂牌, 通报, 发布) on a day both name; and
- nothing they name contradicts: headlines naming different provinces, countries or
  years, one place's bulletins with other counts, quakes of other magnitudes, or an
  announcement against what it announced, are different events whatever their wording.

Every merge carries its reasons (同一文件《…》, 同一会议 72 世界卫生大会, 同一机构,
同一时刻 23:59, 同一事件 芦山 地震, 标题相近 0.82), so the candidates list can say why
items were folded together, and the threshold moves with the editors' corrections
(:func:`learned_threshold`): a split is a pair the stage joined wrongly, a merge a pair
it missed.

The stage is split by what each part holds: :mod:`~jianbao.judge.event_text` (the lead,
sentences, spellings), :mod:`~jianbao.judge.event_records` (:class:`EventFacts`,
:class:`EventMatch`), the readers and comparers of places
(:mod:`~jianbao.judge.event_places`), days (:mod:`~jianbao.judge.event_days`), figures
(:mod:`~jianbao.judge.event_counts`), phases (:mod:`~jianbao.judge.event_phase`), named
specifics (:mod:`~jianbao.judge.event_names`, :mod:`~jianbao.judge.event_releases`) and
incidents (:mod:`~jianbao.judge.event_incidents`); the texts' similarities
(:mod:`~jianbao.judge.event_vectors`); the pair comparison and its reasons
(:mod:`~jianbao.judge.event_compare`); and the clustering
(:mod:`~jianbao.judge.event_clusters`). This module reads an article's facts
(:func:`event_facts`) and keeps the names the rest of the project imports.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from jianbao.judge.category import document_key, document_numbers
from jianbao.judge.dedup import normalize_text, normalize_title, strip_furniture
from jianbao.judge.event_clusters import best_match, cluster, learned_threshold
from jianbao.judge.event_compare import WINDOW_DAYS, compare, describe
from jianbao.judge.event_counts import _CODE, _NUMBER, _bulletin_days, _counts, _headcounts
from jianbao.judge.event_days import _YEAR, _clocks, _days, _month_days, _relative_days
from jianbao.judge.event_incidents import _MAGNITUDE, _lead_days, _told_incidents
from jianbao.judge.event_names import (
    _ACTS,
    _DOC_TITLE,
    _KIND_NAMES,
    _NAMED,
    _companies,
    _filings,
    _institutions,
    _leading_documents,
    _meetings,
    _people,
    _requests,
)
from jianbao.judge.event_phase import _case, _phase
from jianbao.judge.event_places import (
    _COLUMN_TAG,
    _abroad,
    _divisions,
    _fine_places,
    _first_country,
    _named_cities,
    _places,
)
from jianbao.judge.event_records import DEFAULT_THRESHOLD, EventFacts, EventMatch
from jianbao.judge.event_releases import basis_documents, released_documents
from jianbao.judge.event_text import _NON_WORD, _NONE, LEAD_CHARS, _spelled
from jianbao.judge.event_vectors import similarities_to_first, similarity_matrices
from jianbao.judge.normalize import simplified

#: the names the project imports from the event stage, wherever each part now lives
__all__ = [
    "DEFAULT_THRESHOLD",
    "LEAD_CHARS",
    "WINDOW_DAYS",
    "EventFacts",
    "EventMatch",
    "best_match",
    "cluster",
    "compare",
    "describe",
    "event_facts",
    "learned_threshold",
    "similarities_to_first",
    "similarity_matrices",
]


def event_facts(title: str, body: str, published: datetime | None = None) -> EventFacts:
    """The specifics of an article, from its headline and the lead of its body (in the
    normalized Simplified form, as the judge reads it)."""
    title = _spelled(simplified(title or ""))
    lead = _spelled(strip_furniture(simplified(body or ""))[: LEAD_CHARS * 2])
    head = title + "\n" + lead
    documents = {
        name for name in (_NON_WORD.sub("", m) for m in _DOC_TITLE.findall(head)) if len(name) >= 4
    }
    # a document issued under another names the other as its basis: that name is not
    # what the page tells of, when it names a document of its own
    basis = basis_documents(head)
    if documents - basis:
        documents -= basis
    documents.update("no:" + document_key(n) for n in document_numbers(head))
    written = [w for w in _DOC_TITLE.findall(head) if _NON_WORD.sub("", w) in documents]
    short_title = normalize_title(title)
    meetings = _meetings(title + "，" + lead[:LEAD_CHARS])
    companies = _companies(title + "，" + lead[:LEAD_CHARS])
    numbers = frozenset(a + u for a, u in _NUMBER.findall(title + lead[:LEAD_CHARS]))
    facts = EventFacts(
        title=short_title,
        text=short_title + " " + normalize_text(lead)[:LEAD_CHARS],
        published=published,
        documents=frozenset(documents),
        document_label=written[0] if written else "",
        institutions=frozenset(_institutions(title + "，" + lead[:LEAD_CHARS])),
        title_places=frozenset(_places(title)),
        title_years=frozenset(_YEAR.findall(title)),
        phase=_phase(title, lead, lead_too=not meetings, published=published),
        case=_case(title),
        numbers=numbers,
        days=_days(title + lead[:LEAD_CHARS], published) | _relative_days(title, lead, published),
        month_days=_month_days(title + lead[:LEAD_CHARS], published),
        lead_days=_lead_days(title, lead, published),
        clocks=_clocks(title + lead[:LEAD_CHARS]),
        codes=frozenset(_CODE.findall(title + lead[:LEAD_CHARS])),
        counts=frozenset(_counts(title)),
        bulletin_days=_bulletin_days(title + "，" + lead[:LEAD_CHARS], published),
        named=frozenset(
            name
            for name in _NAMED.findall(title + "，" + lead[:LEAD_CHARS])
            if not name.endswith(_KIND_NAMES)
        ),
        incidents=_told_incidents(title, lead),
        fine_places=_fine_places(title + "，" + lead[:LEAD_CHARS])
        | _abroad(title, lead)
        | _named_cities(title, lead),
        divisions=_divisions(title, lead),
        magnitudes=frozenset(a or b for a, b in _MAGNITUDE.findall(title + lead[:LEAD_CHARS])),
        country=_first_country(
            normalize_title(_COLUMN_TAG.sub("", title, count=1))
            + " "
            + normalize_text(lead)[:LEAD_CHARS]
        ),
        meetings=meetings,
        acts=frozenset(act for act, words in _ACTS if words.search(title)),
        released=released_documents(title + "\n" + lead[:LEAD_CHARS]),
        leading=_leading_documents(title, lead, documents),
        people=_people(title + "，" + lead[:LEAD_CHARS]),
        companies=companies,
        filings=_filings(title + "，" + lead[:LEAD_CHARS], companies),
        headcounts=_headcounts(numbers, title + "，" + lead[:LEAD_CHARS]),
        requests=_requests(title, lead),
    )
    # most of an article's sets are empty, and each empty frozenset is an object of its
    # own (216 bytes): a window's facts share one instead (issue 21)
    for name in _SET_FIELDS:
        if not getattr(facts, name):
            object.__setattr__(facts, name, _NONE)
    return facts


#: the fields of :class:`EventFacts` that hold sets, and the empty set they share
_SET_FIELDS = tuple(f.name for f in fields(EventFacts) if str(f.type).startswith("frozenset"))
