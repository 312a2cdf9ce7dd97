"""Sentiment per article: 负面 (neg), 中性 (neu) or 正面 (pos).

An editor filters the candidates list for the negative items and an alert says how a
story is told, so the polarity must be readable: it comes from a lexicon kept as data
(``sentiment_lexicon.toml`` beside this module), sentence by sentence, the headline
counting double; a negation just before a term turns it (未发生故障, 不理想), and the risk
lexicon's incident terms (jianbao.judge.risk) count as negative too, as health news
reports harm in words a general lexicon misses. :class:`SentimentClassifier` learns from
labelled items when there are some, over character n-grams plus the lexicon's counts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jianbao.judge.risk import default_lexicon as risk_lexicon
from jianbao.judge.risk import sentences

POLARITIES = ("neg", "neu", "pos")
LABELS = {"neg": "负面", "neu": "中性", "pos": "正面"}
LABELS_EN = {"neg": "negative", "neu": "neutral", "pos": "positive"}

#: how much one side must outweigh the other for the text to lean that way
MARGIN = 1.0
#: characters before a term searched for a negation
NEGATION_REACH = 2


@dataclass(frozen=True)
class SentimentLexicon:
    negative: re.Pattern[str]
    positive: re.Pattern[str]
    risk: re.Pattern[str]
    negation: tuple[str, ...]
    #: the risk lexicon's context words (演练, 培训, 防范 …): a sentence about an exercise
    #: or prevention names harms without reporting them, so its negative terms count half
    context: re.Pattern[str]


@cache
def default_lexicon() -> SentimentLexicon:
    text = resources.files("jianbao.judge").joinpath("sentiment_lexicon.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return SentimentLexicon(
        negative=_alternation(data["negative"]["terms"]),
        positive=_alternation(data["positive"]["terms"]),
        risk=risk_lexicon().pattern,
        negation=tuple(data["negation"]["terms"]),
        context=_alternation(risk_lexicon().context),
    )


def _alternation(terms: Sequence[str]) -> re.Pattern[str]:
    unique = sorted(set(terms), key=lambda t: (-len(t), t))
    return re.compile("|".join(re.escape(t) for t in unique))


@dataclass(frozen=True)
class SentimentJudgement:
    """The polarity and the weighed evidence for each side."""

    polarity: str
    negative: float
    positive: float
    terms: tuple[str, ...]


def judge_sentiment(
    title: str, text: str, lexicon: SentimentLexicon | None = None
) -> SentimentJudgement:
    """The lexicon's polarity of an article."""
    lex = lexicon or default_lexicon()
    negative = positive = 0.0
    terms: list[str] = []
    for sentence, weight in sentences(title, text):
        spans: list[tuple[int, int, str, float]] = []
        for pattern, side in ((lex.risk, -1.5), (lex.negative, -1.0), (lex.positive, 1.0)):
            for hit in pattern.finditer(sentence):
                if any(s <= hit.start() < e for s, e, _t, _v in spans):
                    continue  # 数据泄露 counted once, not again as 泄露
                spans.append((hit.start(), hit.end(), hit.group(0), side))
        damp = 0.5 if lex.context.search(sentence) else 1.0
        for start, _end, term, side in spans:
            if side < 0:
                side *= damp
            before = sentence[max(0, start - NEGATION_REACH) : start]
            if any(before.endswith(n) for n in lex.negation):
                side = -side / 2  # 未发生故障 leans a little positive; 不理想 a little negative
            if side < 0:
                negative += -side * weight
            else:
                positive += side * weight
            terms.append(term)
    if negative >= positive + MARGIN:
        polarity = "neg"
    elif positive >= negative + MARGIN:
        polarity = "pos"
    else:
        polarity = "neu"
    return SentimentJudgement(polarity, negative, positive, tuple(dict.fromkeys(terms)))


class SentimentClassifier:
    """Polarity learned from labelled items (character n-grams plus the lexicon's
    evidence); the lexicon's answer until each polarity has a few examples."""

    MIN_PER_CLASS = 3

    def __init__(self) -> None:
        self._model: Any = None
        self._vectorizer: Any = None

    @property
    def trained(self) -> bool:
        return self._model is not None

    def _features(self, items: Sequence[tuple[str, str]]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        grams = self._vectorizer.transform([f"{t} {t} {x}" for t, x in items])
        rows = []
        for title, text in items:
            judged = judge_sentiment(title, text)
            rows.append([min(judged.negative, 8) / 8, min(judged.positive, 8) / 8])
        return hstack([grams, csr_matrix(rows)]).tocsr()

    def fit(self, items: Sequence[tuple[str, str, str]]) -> SentimentClassifier:
        """Train on (title, text, polarity) items."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        labels = [p for _t, _x, p in items]
        if any(labels.count(p) < self.MIN_PER_CLASS for p in POLARITIES):
            self._model = None
            return self
        self._vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), sublinear_tf=True, max_features=50000
        )
        self._vectorizer.fit([f"{t} {t} {x}" for t, x, _p in items])
        model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        model.fit(self._features([(t, x) for t, x, _p in items]), labels)
        self._model = model
        return self

    def polarities(self, items: Sequence[tuple[str, str]]) -> list[str]:
        if not items:
            return []
        if self._model is None:
            return [judge_sentiment(t, x).polarity for t, x in items]
        return [str(p) for p in self._model.predict(self._features(items))]
