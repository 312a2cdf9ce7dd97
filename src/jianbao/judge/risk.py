"""Risk: does an article report a health-sector incident — a hospital's system down, patient
data leaked, a ransomware attack, a medical-safety event, a violation punished, a
complaint spreading?

Two layers, because an information center cannot wait for training data and must not
be stuck with a fixed word list either:

- :func:`judge_risk`, the lexicon (``risk_lexicon.toml`` beside this module, kept as
  data): category terms found sentence by sentence, a headline hit counting double. A
  term does not count where the sentence is about an exercise, a training or prevention
  (演练, 培训, 防范 …: ``[context]``) or where a negation stands just before it (未发生泄露,
  谨防勒索病毒). Outside the health sector (no 医院, 患者, 医保 …) the score is halved: a
  bank's outage is not the center's business.
- :class:`RiskClassifier`, learned from the editors' marks (the ⚠ on a story, an alert
  acknowledged or dismissed): a logistic regression over character n-grams and the
  lexicon's own evidence, calibrated (sigmoid, cross-validated) once there are enough
  marks of each kind. Untrained, it answers the lexicon's score.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

#: characters before a term searched for a negation (未发生 + 泄露)
NEGATION_REACH = 4
#: evidence → score: one strong hit in the body (weight 1.2) scores just over 0.5, one in
#: the headline (2.4) 0.78; a single complaint word in the body (0.7) stays at 0.35
SCALE = 1.6
#: the factor of a text that names nothing of the health sector
OUTSIDE_HEALTH = 0.5
#: sentences end at these (the headline is a sentence of its own)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


@dataclass(frozen=True)
class RiskLexicon:
    """The lexicon as read from its TOML file: category → (weight, terms), and the
    context, negation and health-sector words."""

    categories: dict[str, tuple[float, tuple[str, ...]]]
    context: tuple[str, ...]
    negation: tuple[str, ...]
    health: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        return _alternation(t for _w, terms in self.categories.values() for t in terms)

    def category_of(self, term: str) -> tuple[str, float]:
        for name, (weight, terms) in self.categories.items():
            if term in terms:
                return name, weight
        raise KeyError(term)


def _alternation(terms: Iterable[str]) -> re.Pattern[str]:
    """One pattern for many terms, longest first (数据泄露 before 泄露); built once per
    list of terms (building it was most of judging an article's risk)."""
    return _compiled(tuple(terms))


@lru_cache(maxsize=64)
def _compiled(terms: tuple[str, ...]) -> re.Pattern[str]:
    unique = sorted(set(terms), key=lambda t: (-len(t), t))
    return re.compile("|".join(re.escape(t) for t in unique), re.IGNORECASE)


@cache
def default_lexicon() -> RiskLexicon:
    """The lexicon shipped beside this module."""
    text = resources.files("jianbao.judge").joinpath("risk_lexicon.toml").read_text("utf-8")
    return parse_lexicon(tomllib.loads(text))


def parse_lexicon(data: dict[str, Any]) -> RiskLexicon:
    categories = {
        name: (float(table.get("weight", 1.0)), tuple(table["terms"]))
        for name, table in data["categories"].items()
    }
    return RiskLexicon(
        categories=categories,
        context=tuple(data["context"]["terms"]),
        negation=tuple(data["negation"]["terms"]),
        health=tuple(data["health"]["terms"]),
    )


@dataclass(frozen=True)
class RiskJudgement:
    """What the lexicon found: a score in [0, 1), the categories and terms that counted,
    the terms that did not (in an exercise or prevention sentence, or negated), and
    whether the text is in the health sector."""

    score: float
    categories: tuple[str, ...]
    terms: tuple[str, ...]
    discounted: tuple[str, ...]
    health: bool
    #: evidence per category (the learned model's features)
    evidence: dict[str, float]


def sentences(title: str, text: str) -> list[tuple[str, float]]:
    """(sentence, weight): the headline twice as heavy as a body sentence."""
    out = [(title, 2.0)] if title.strip() else []
    out.extend((s, 1.0) for s in _SENTENCE_END.split(text) if s.strip())
    return out


def judge_risk(title: str, text: str, lexicon: RiskLexicon | None = None) -> RiskJudgement:
    """The lexicon's judgement of one article (or one story's headline and lead)."""
    lex = lexicon or default_lexicon()
    pattern, context = lex.pattern, _alternation(lex.context)
    negation = tuple(lex.negation)
    evidence: dict[str, float] = {name: 0.0 for name in lex.categories}
    counted: list[str] = []
    discounted: list[str] = []
    for sentence, weight in sentences(title, text):
        hits = list(pattern.finditer(sentence))
        if not hits:
            continue
        in_context = context.search(sentence) is not None
        for hit in hits:
            term = hit.group(0)
            before = sentence[max(0, hit.start() - NEGATION_REACH) : hit.start()]
            if in_context or any(n in before for n in negation):
                discounted.append(term)
                continue
            name, category_weight = lex.category_of(_canonical(term, lex))
            evidence[name] += weight * category_weight
            counted.append(term)
    raw = sum(evidence.values())
    health = _in_health(title, text, lex)
    score = (1.0 - math.exp(-raw / SCALE)) * (1.0 if health else OUTSIDE_HEALTH)
    return RiskJudgement(
        score=score,
        categories=tuple(name for name, value in evidence.items() if value > 0),
        terms=tuple(dict.fromkeys(counted)),
        discounted=tuple(dict.fromkeys(discounted)),
        health=health,
        evidence=evidence,
    )


def _in_health(title: str, text: str, lex: RiskLexicon) -> bool:
    whole = f"{title}\n{text}"
    return any(word in whole for word in lex.health)


def _canonical(term: str, lex: RiskLexicon) -> str:
    """The lexicon's spelling of a term matched case-insensitively (ddos → DDoS)."""
    for _weight, terms in lex.categories.values():
        for known in terms:
            if known.lower() == term.lower():
                return known
    return term


# -- the learned classifier --------------------------------------------------------------

#: marks of each kind needed before the classifier is trained at all / calibrated
MIN_PER_CLASS = 3
CALIBRATE_PER_CLASS = 8


@dataclass(frozen=True)
class Example:
    """A labelled text: ``label`` 1 for an incident."""

    title: str
    text: str
    label: int


class RiskClassifier:
    """The incident probability of a text: learned from labelled examples (the editors'
    marks) over character n-grams plus the lexicon's evidence, calibrated; the lexicon's
    score until there are at least ``MIN_PER_CLASS`` examples of each kind."""

    def __init__(self, lexicon: RiskLexicon | None = None):
        self.lexicon = lexicon or default_lexicon()
        self._model: Any = None
        self._vectorizer: Any = None
        self.trained_on = 0

    @property
    def trained(self) -> bool:
        return self._model is not None

    def _features(self, items: Sequence[tuple[str, str]]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        texts = [f"{title} {title} {text}" for title, text in items]
        grams = self._vectorizer.transform(texts)
        rows = []
        for title, text in items:
            judged = judge_risk(title, text, self.lexicon)
            rows.append(
                [
                    judged.score,
                    float(judged.health),
                    *(min(v, 6.0) / 6.0 for v in judged.evidence.values()),
                ]
            )
        return hstack([grams, csr_matrix(rows)]).tocsr()

    def fit(self, examples: Sequence[Example]) -> RiskClassifier:
        """Train on ``examples``; stays the lexicon when one kind has too few."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        labels = [int(e.label) for e in examples]
        smaller = min(labels.count(0), labels.count(1))
        if smaller < MIN_PER_CLASS:
            self._model = None
            self.trained_on = 0
            return self
        self._vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), min_df=1, sublinear_tf=True, max_features=50000
        )
        self._vectorizer.fit([f"{e.title} {e.title} {e.text}" for e in examples])
        x = self._features([(e.title, e.text) for e in examples])
        base = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        if smaller >= CALIBRATE_PER_CLASS:
            model: Any = CalibratedClassifierCV(base, method="sigmoid", cv=3)
        else:
            model = base
        model.fit(x, labels)
        self._model = model
        self.trained_on = len(examples)
        return self

    def probabilities(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """The incident probability of each (title, text)."""
        if not items:
            return []
        if self._model is None:
            return [judge_risk(title, text, self.lexicon).score for title, text in items]
        learned = self._model.predict_proba(self._features(items))[:, 1]
        # outside the health sector an incident is not the center's business: the
        # learned probability is halved as the lexicon's score is (a bank's outage, a
        # celebrity's tax case, a phone "曝光" headline)
        return [
            float(p) * (1.0 if _in_health(title, text, self.lexicon) else OUTSIDE_HEALTH)
            for p, (title, text) in zip(learned, items, strict=True)
        ]

    def probability(self, title: str, text: str) -> float:
        return self.probabilities([(title, text)])[0]
