"""One relevance decision from the keyword match and the learned model.

The keyword topic is what the editor wrote and can read; the model is what the editor's
decisions taught. Neither is enough alone: keywords miss items that speak of the topic in
other words, the model has seen few examples of a rare topic.

The decision follows how strongly the keywords matched:

- in the headline, or in two or more sentences of the body: relevant (the editor's
  expression is the contract; the model, trained on few positives, cannot overrule it) —
  except an aside of the same kind: two body sentences under a headline or lead that
  names another subject (a New-Year speech listing its app), rescued like the asides
  below; a headline whose only topic word is a slogan (智慧医疗) under another subject,
  with the body naming the topic once at most (a new building), never rescued;
- in one sentence of the body only — a passing mention (a case-count story that names
  the remote consultation its experts held, a hospital opening that promises to be
  智慧化): relevant unless the model finds the item clearly off the topic
  (``MODEL_VETO``; not when the sentence names health IT on its own, :func:`names_topic`:
  a hospital's PACS) — or unless the item is plainly about something else: its one
  sentence is the third of the body or later (the headline and the lead tell another
  story: they name no application, :func:`told_as_application`), or its headline or lead
  names a subject that is not health IT
  (:data:`jianbao.judge.lexicon.OTHER_SUBJECTS`: an anniversary, a building, a work
  meeting, volunteers, a scenic spot, an insurance policy, a watch), or its sentence is
  the only one of a body of three full sentences or more that names any technology at
  all (:data:`jianbao.judge.lexicon.TECH_WORDS`: a first surgery whose lead says the
  patient booked online, a flu clinic, a ceremony). Such an *aside* is relevant only
  when the model is nearly sure (``MODEL_RESCUE``; an editor's accepted items teach it),
  with or without a model otherwise not;
- not at all: relevant only if the model is confident (``model_alone``, 0.75 by default).

Without a model every keyword match is relevant. The score used for ranking is a noisy-OR
of both, the keyword's voice scaled by how well it matched (a term in the headline counts
more than one in the last paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jianbao.judge.lexicon import (
    APPLICATION_WORDS,
    BODY_SYSTEMS,
    BUILDING_STAGES,
    BUILDING_SUBJECTS,
    CLAUSE_SUBJECTS,
    CORE_TERMS,
    HEALTH_CONTEXT,
    HEALTH_IT_TOPIC,
    ONE_SENTENCE_SUBJECTS,
    OTHER_SUBJECTS,
    PAPER_WORDS,
    PRIVACY_WORDS,
    SECTOR_SYSTEMS,
    SLOGAN_TERMS,
    SUBJECT_EXCEPTIONS,
    SYSTEM_FAILURES,
    TECH_WORDS,
    with_regional,
)
from jianbao.judge.topic import Topic, TopicMatch, parse_topic

#: a keyword match alone is worth this much, plus KEYWORD_GAIN × its strength (0..1)
KEYWORD_BASE = 0.4
KEYWORD_GAIN = 0.4
#: the model's probability that makes an item relevant without a keyword match
MODEL_ALONE = 0.75
#: below this probability the model overrules a passing mention in the body
MODEL_VETO = 0.1
#: body sentences with a match that make a match more than a passing mention
SENTENCES_TO_TRUST = 2
#: a passing mention this far into the body (0 the lead) is an aside: the headline and
#: the first two sentences are about something else
ASIDE_FROM = 2
#: the model's probability that keeps an aside relevant
MODEL_RESCUE = 0.9
#: body sentences with a match that can still be an aside under another subject
ASIDE_SENTENCES = 2
#: full sentences a body needs before a passing mention that is its only sentence naming
#: any technology is an aside (:func:`lone_mention`): in one- and two-sentence excerpts
#: the other sentence is often the topic told in plain words (HA Go 的主要功能包括…)
LONE_FROM = 3


@dataclass(frozen=True, slots=True)
class Relevance:
    """The combined decision, its score in [0, 1] and the reasons, for the editor."""

    relevant: bool
    score: float
    reasons: list[str] = field(default_factory=list)


#: how many of the model's features a relevant item keeps as its reasons (the features
#: that pushed it most towards relevant, for the editor to see why the model scored it)
MODEL_FEATURES = 3


def keyword_evidence(match: TopicMatch) -> float:
    """How much a keyword match alone says, in [0, 1)."""
    if not match.matched:
        return 0.0
    return KEYWORD_BASE + KEYWORD_GAIN * match.score


def passing_mention(match: TopicMatch) -> bool:
    """A match in one sentence of the body only, not in the headline."""
    return match.matched and not match.headline and match.sentences < SENTENCES_TO_TRUST


#: what ends the lead sentence (as :mod:`jianbao.judge.topic` counts sentences)
_LEAD_END = re.compile(r"[。！？!?；;\n]")


@lru_cache(maxsize=1)
def _other_subjects() -> re.Pattern[str]:
    # an exception (点开工作站) is matched first and skipped, so its 开工 is not a subject
    words = sorted(OTHER_SUBJECTS, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, [*SUBJECT_EXCEPTIONS, *words])))


#: what ends the clause that names a meeting (as a lead writes: 由…主办的…大会在成都开幕，)
#: and the spaces that part a headline's clauses (台中市立医院9/24开幕 拥逾1400床)
_CLAUSE_END = re.compile(r"[。！？!?；;，,\s]")


@lru_cache(maxsize=1)
def _health_it() -> Topic:
    return parse_topic(HEALTH_IT_TOPIC)


def _meeting_on_topic(text: str, start: int, end: int) -> bool:
    """Whether the clause around a meeting word (``text[start:end]``) names health IT:
    the meeting is then the topic's own (2016全国“互联网+医疗健康”创新创业大会在成都开幕,
    心电图自动化诊断研讨会), not another subject. Read with the built-in lexicon, whatever
    topic the item was matched on: it asks what the meeting is about."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    clause = text[before[-1] if before else 0 : after.start() if after else len(text)]
    return _health_it().match(clause, "").matched


def subject_elsewhere(title: str, body: str) -> list[str]:
    """The subjects other than health IT (:data:`OTHER_SUBJECTS`) that the headline or
    the body's first sentence names, in the order found — a meeting
    (:data:`jianbao.judge.lexicon.MEETING_SUBJECTS`) or a surgical robot
    (:data:`CLAUSE_SUBJECTS`) only when the clause naming it does not name health IT."""
    text = body.lstrip()
    end = _LEAD_END.search(text)
    lead = text[: end.start()] if end else text
    read = f"{title}\n{lead}"
    found = [
        m.group()
        for m in _other_subjects().finditer(read)
        if m.group() not in SUBJECT_EXCEPTIONS
        and (m.group() not in CLAUSE_SUBJECTS or not _meeting_on_topic(read, *m.span()))
    ]
    return list(dict.fromkeys(found))


#: what ends a full sentence, as :mod:`jianbao.judge.topic` places a match (not ``；``)
_FULL_STOP = re.compile(r"[。！？!?\n]")
#: why a lone mention is an aside, for the editor
LONE_REASON = "其余各句未提技术"


#: 系统 that is not software: the body's systems (免疫系统), a sector (医疗系统吸纳人才)
_NOT_SOFTWARE = re.compile(f"{BODY_SYSTEMS}|{SECTOR_SYSTEMS}")


def _word_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``terms``, the Latin ones (AI, APP) as words and case-insensitively."""
    words = sorted(terms, key=len, reverse=True)
    latin = [w for w in words if w.isascii()]
    chinese = "|".join(map(re.escape, (w for w in words if not w.isascii())))
    return re.compile(
        chinese + r"|(?<![a-z])(?:" + "|".join(map(re.escape, latin)) + r")(?![a-z])", re.I
    )


@lru_cache(maxsize=1)
def _failures() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, SYSTEM_FAILURES)))


@lru_cache(maxsize=1)
def _tech_words() -> re.Pattern[str]:
    return _word_pattern(with_regional(TECH_WORDS))


def lone_mention(match: TopicMatch, body: str, title: str = "") -> bool:
    """Whether a passing mention's sentence is the only one of a body of ``LONE_FROM``
    full sentences or more that names any technology (:data:`TECH_WORDS`), the headline
    naming none either: the rest of the page is about something else — unless that
    sentence tells the systems failing (:data:`jianbao.judge.lexicon.SYSTEM_FAILURES`:
    电脑无法登录网络, 电子病历……都不能结算): an outage is told by its waiting room
    (no one could pay, fees taken by hand), in words of no technology. A page about
    health IT that names the topic once tells the rest in such words (系统仍未恢复,
    调度员通过视频急救系统); on the tuning pages, ``dev.tsv``, the seeds and the proxy set no
    relevant item is a lone mention, and 15 of the 17 passing-mention hard negatives of
    three sentences or more are (all 17 are asides for other reasons too: the rule adds
    nothing on the data it was read on; it is there for pages whose other subject no
    word of :data:`OTHER_SUBJECTS` names)."""
    if not passing_mention(match) or match.first < 0:
        return False
    sentences = [s for s in _FULL_STOP.split(body) if s.strip()]
    if len(sentences) < LONE_FROM or match.first >= len(sentences):
        return False
    words = _tech_words()
    if words.search(_NOT_SOFTWARE.sub("", title)):
        return False
    if _failures().search(sentences[match.first]):
        return False
    return not any(
        words.search(_NOT_SOFTWARE.sub("", s)) for n, s in enumerate(sentences) if n != match.first
    )


@lru_cache(maxsize=1)
def _application_words() -> re.Pattern[str]:
    return _word_pattern(with_regional(APPLICATION_WORDS))


def told_as_application(title: str, body: str) -> bool:
    """Whether the headline or the body's first full sentence names an application
    (:data:`APPLICATION_WORDS`: a system, an app, an electronic card, a service online):
    the page is then about that application, and the sentence that names it in the
    lexicon's words may come third or later — a short 繁體 report that opens with
    衛局推兩類四款電子卡 or 开放首轮线上预购, made up of the application's own words
    the lexicon lacks — without being an aside (:data:`ASIDE_FROM`)."""
    read = _NOT_SOFTWARE.sub("", f"{title}\n{_first_sentence(body)}")
    return bool(_application_words().search(read))


def _first_sentence(body: str) -> str:
    """The body's first full sentence (up to its 。！？ or line end)."""
    text = body.lstrip()
    end = _FULL_STOP.search(text)
    return text[: end.start()] if end else text


@lru_cache(maxsize=1)
def _building_subjects() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, BUILDING_SUBJECTS)))


@lru_cache(maxsize=1)
def _building_stages() -> re.Pattern[str]:
    # an exception (点开工作站, 行动工作) is matched first and skipped, as for the subjects
    return re.compile("|".join(map(re.escape, [*SUBJECT_EXCEPTIONS, *BUILDING_STAGES])))


def groundbreaking(match: TopicMatch, title: str) -> list[str]:
    """The building stages a headline tells (动土, 开工, 封顶 …:
    :data:`jianbao.judge.lexicon.BUILDING_STAGES`) when its topic words are general
    technology beside care, no word that names health IT on its own
    (:func:`names_topic`), and the body names the topic in one sentence at most:
    AI智慧绿能医养 台中首座市立医院动土 promises a building's AI, as a slogan headline does
    (a 全民健康信息平台 data centre's groundbreaking names the topic in a core term and is
    not one)."""
    if match.sentences > 1 or names_topic(match):
        return []
    found = (m.group() for m in _building_stages().finditer(title))
    return list(dict.fromkeys(w for w in found if w not in SUBJECT_EXCEPTIONS))


def slogan_headline(match: TopicMatch, title: str, body: str = "") -> list[str]:
    """The other subjects of an item whose every topic word is a slogan word
    (:data:`SLOGAN_TERMS`: 智慧医疗, 智慧医院 …), one of them in the headline: the other
    subjects the headline names when the body names the topic in one sentence at most (a
    hospital's opening that promises 智慧医疗), and the building words
    (:data:`BUILDING_SUBJECTS`) the headline or body names (惠民智慧医院 … 主体施工基本完成,
    预计年底竣工: the slogan is a building's name)."""
    if not match.headline or not match.terms:
        return []
    if any(term not in SLOGAN_TERMS for term in match.terms):
        return groundbreaking(match, title)
    found = subject_elsewhere(title, "") if match.sentences <= 1 else []
    found += [m.group() for m in _building_subjects().finditer(f"{title}\n{body}")]
    return list(dict.fromkeys(found))


#: why a privacy match is no health IT, for the editor
PAPER_REASON = "纸本资料"


def paper_records(match: TopicMatch, title: str, body: str) -> list[str]:
    """``[PAPER_REASON]`` when every word the match holds on, beside the words of care,
    is a word of privacy (:data:`jianbao.judge.lexicon.PRIVACY_WORDS`: 个资, 个人信息)
    and the headline or the body's first sentence says the records were paper
    (:data:`jianbao.judge.lexicon.PAPER_WORDS`: a hospital's prescriptions scattered on
    a road): a privacy incident with no technology in it. Empty otherwise — a patient
    database sold, a hack, records made digital name technology of their own."""
    if not match.matched:
        return []
    privacy, care = _privacy_words(), _care_words()
    told = [t for t in match.terms if t not in care]
    if not told or any(t not in privacy for t in told):
        return []
    read = f"{title}\n{_first_sentence(body)}"
    return [PAPER_REASON] if any(w in read for w in PAPER_WORDS) else []


@lru_cache(maxsize=1)
def _privacy_words() -> frozenset[str]:
    return frozenset(with_regional(PRIVACY_WORDS))


@lru_cache(maxsize=1)
def _care_words() -> frozenset[str]:
    return frozenset(with_regional(HEALTH_CONTEXT))


def aside(match: TopicMatch, title: str = "", body: str = "") -> list[str]:
    """Why a weak match is an aside to an item about something else, empty when it is
    none: for a passing mention, the place of its one sentence (the third or later),
    whether it is the only sentence naming any technology (:func:`lone_mention`) and
    the other subjects the headline or lead names; for a match in two sentences of the
    body (``ASIDE_SENTENCES``) and not the headline, those other subjects (a New-Year
    speech that lists its app and its 预约诊疗 rate) but the subjects of one sentence only
    (:data:`jianbao.judge.lexicon.ONE_SENTENCE_SUBJECTS`: a delegate, a vaccination
    programme that tells its booking system twice); for a headline whose only topic
    word is a slogan, the other subjects of the headline (:func:`slogan_headline`); for
    any match, records told as paper (:func:`paper_records`)."""
    paper = paper_records(match, title, body)
    if paper:
        return paper
    if match.headline:
        return slogan_headline(match, title, body)
    if not match.matched or match.sentences > ASIDE_SENTENCES:
        return []
    if not passing_mention(match):
        return [s for s in subject_elsewhere(title, body) if s not in ONE_SENTENCE_SUBJECTS]
    late = match.first >= ASIDE_FROM and not told_as_application(title, body)
    why = [f"第{match.first + 1}句"] if late else []
    if lone_mention(match, body, title):
        why.append(LONE_REASON)
    return why + subject_elsewhere(title, body)


@lru_cache(maxsize=1)
def _core_terms() -> frozenset[str]:
    # with the forms Hong Kong and Taiwan write them in (遥距医疗 names 远程医疗)
    return frozenset(term.casefold() for term in with_regional(CORE_TERMS))


def names_topic(match: TopicMatch) -> bool:
    """Whether the match holds on a word that names health IT on its own
    (:data:`jianbao.judge.lexicon.CORE_TERMS`: PACS, 疫苗追溯, 电子病历 …), not only on a
    general technology word near a health word. The model, trained on few positives, has
    seen few of these words, so it does not veto a passing mention of one (on the tuning
    pages, dev, the seeds and the proxy set, the only passing mentions it scores below
    ``MODEL_VETO`` are two relevant pages of this kind: a hospital's PACS, 疫苗追溯机制)."""
    core = _core_terms()
    return any(term.casefold() in core for term in match.terms)


def passing_reason(match: TopicMatch) -> str:
    """What an editor should know of a passing mention the judge kept: it rests on one
    sentence, and where that sentence stands. On real pages such items are mostly
    relevant (a one-sentence excerpt, a lead that names the system), yet they are also
    where the hard negatives sit (an epidemic item naming its experts' remote
    consultation in its lead); those whose sentence comes late or whose headline or lead
    names another subject are judged an :func:`aside` instead (benchmarks/data/README.md).
    The judgement does not store these reasons yet (it keeps the matched terms and the
    model's features); a view that shows them can say why."""
    where = "首句" if match.lead else "非首句"
    if match.body_sentences:
        return f"关键词仅在正文一句中出现（{where}，共{match.body_sentences}句）"
    return "关键词仅在正文一句中出现"


#: how an aside's reason says where its keywords are (by body sentences with a match)
_ASIDE_WHERE = {0: "关键词不在正文中", 1: "关键词仅在正文一句中出现", 2: "关键词仅在正文两句中出现"}
_SLOGAN = "标题仅有口号式用词"


def combine(
    match: TopicMatch,
    probability: float | None,
    *,
    model_alone: float = MODEL_ALONE,
    title: str = "",
    body: str = "",
) -> Relevance:
    """Combine a topic match with the model's probability (None: no model trained yet).
    ``title`` and ``body`` (the normalised text the match was made on) let a passing
    mention be recognised as an aside by what the headline and lead are about."""
    keyword = keyword_evidence(match)
    reasons = []
    if match.matched:
        reasons.append("关键词：" + "、".join(match.terms[:5]))
    elsewhere = aside(match, title, body)
    if elsewhere:
        if elsewhere == [PAPER_REASON]:
            where = "关键词仅涉个人资料"
        else:
            where = _ASIDE_WHERE[min(match.sentences, 2)] if not match.headline else _SLOGAN
        reasons.append(f"{where}，主题另有所指：" + "、".join(elsewhere[:3]))
    if probability is None:
        return Relevance(match.matched and not elsewhere, match.score, reasons)
    score = 1.0 - (1.0 - keyword) * (1.0 - probability)
    reasons.append(f"模型概率 {probability:.2f}")
    if elsewhere:
        # the model learnt 智慧医院 in headlines from the seeds: it cannot rescue a slogan
        relevant = not match.headline and probability >= MODEL_RESCUE
    elif passing_mention(match):
        relevant = probability >= MODEL_VETO or names_topic(match)
        if not relevant:
            reasons.append("关键词仅在正文一句中出现，模型判断不相关")
        else:
            reasons.append(passing_reason(match))
    else:
        relevant = match.matched or probability >= model_alone
    return Relevance(relevant, score, reasons)
