"""The trained risk classifier's probability for one article, without scikit-learn's
per-call machinery.

Collection judges one article at a time (:mod:`jianbao.judge.tone`). For one text,
:meth:`jianbao.judge.risk.RiskClassifier.probabilities` spends most of its time not on
the arithmetic but around it: each vectorizer's and each calibrated fold's checks of its
input, sparse matrices stacked and converted, three folds each predicting through their
own calibrator — about 6 ms of an 8 ms call, where a batch of hundreds costs 2 ms an
article. The arithmetic itself is small: TF-IDF weights of the text's n-grams, a dot
product per fold, a sigmoid, the mean.

:class:`DirectRisk` does that arithmetic from the fitted parts, and only when it gives
the classifier's own answer: on building it compares itself with the classifier on probe
texts and refuses (``of`` returns None, and the caller uses the classifier) if any
differs, or if the classifier is not of the shape it knows (character and word TF-IDF,
the lexicon's evidence row, a logistic regression, calibrated by sigmoids or not). A
classifier changed later is then still judged, only not faster.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jianbao.judge import risk as risk_module
from jianbao.judge.risk import RiskClassifier

#: how far the direct probability may be from the classifier's on a probe
TOLERANCE = 1e-9

#: probe texts: incidents, exercises, plain news, outside the health sector, 繁體 made
#: Simplified, empty
PROBES: tuple[tuple[str, str], ...] = (
    ("某市人民医院信息系统遭勒索病毒攻击 挂号系统宕机", "医院门诊挂号系统瘫痪，患者信息疑似泄露。"),
    ("某医院开展网络安全应急演练", "模拟勒索病毒攻击，检验应急预案，未发生真实事件。"),
    ("互联网医院平台上线 患者可在线复诊", "平台提供电子处方流转和医保结算服务。"),
    ("某银行系统故障 客户无法转账", "银行表示故障已修复。"),
    ("卫健委通报多家医院违规收费 相关人员被处罚", "涉事医院被责令整改，医保基金被追回。"),
    ("", ""),
)


class _Tfidf:
    """One fitted TfidfVectorizer's transform of one text, as sparse (indices, values)."""

    def __init__(self, vectorizer: Any):
        if (
            getattr(vectorizer, "binary", False)
            or getattr(vectorizer, "norm", None) not in ("l2", None)
            or getattr(vectorizer, "use_idf", True) is not True
            or getattr(vectorizer, "smooth_idf", True) is not True
        ):
            raise TypeError("a TF-IDF form this module does not compute")
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=float)
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.l2 = vectorizer.norm == "l2"
        self.width = len(self.idf)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        vocabulary = self.vocabulary
        counts = Counter(
            j for term in self.analyze(text) if (j := vocabulary.get(term)) is not None
        )
        if not counts:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if self.sublinear:
            values = np.log(values) + 1.0
        values *= self.idf[indices]
        if self.l2:
            norm = math.sqrt(float(values @ values))
            if norm > 0:
                values /= norm
        return indices, values


class DirectRisk:
    """Probabilities of a trained :class:`RiskClassifier`, computed directly; build it
    with :meth:`of`."""

    def __init__(self, classifier: RiskClassifier):
        self.classifier = classifier
        vectorizers = [classifier._vectorizer]
        if getattr(classifier, "_words", None) is not None:
            vectorizers.append(classifier._words)
        self.parts = [_Tfidf(v) for v in vectorizers]
        model = classifier._model
        if hasattr(model, "calibrated_classifiers_"):
            folds: list[tuple[Any, float | None, float | None]] = []
            for calibrated in model.calibrated_classifiers_:
                (calibrator,) = calibrated.calibrators
                folds.append((calibrated.estimator, float(calibrator.a_), float(calibrator.b_)))
        else:
            folds = [(model, None, None)]
        self.folds: list[tuple[np.ndarray, float, float | None, float | None]] = []
        for estimator, a, b in folds:
            coef = np.asarray(estimator.coef_, dtype=float)
            if coef.shape[0] != 1 or list(estimator.classes_) != [0, 1]:
                raise TypeError("not a binary logistic regression")
            self.folds.append((coef.ravel(), float(estimator.intercept_[0]), a, b))
        self.offsets = np.cumsum([0] + [p.width for p in self.parts])

    @classmethod
    def of(cls, classifier: RiskClassifier) -> DirectRisk | None:
        """The direct form of a trained classifier, or None when it cannot give the
        classifier's own probabilities."""
        if not classifier.trained:
            return None
        try:
            direct = cls(classifier)
            expected = classifier.probabilities(list(PROBES))
            got = [direct.probability(title, text) for title, text in PROBES]
        except (AttributeError, TypeError, ValueError, IndexError):
            return None
        if any(abs(e - g) > TOLERANCE for e, g in zip(expected, got, strict=True)):
            return None
        return direct

    def probability(self, title: str, text: str) -> float:
        text_for_grams = f"{title} {title} {text}"
        judged = risk_module.judge_risk(title, text, self.classifier.lexicon)
        evidence = np.asarray(risk_module.evidence_row(judged), dtype=float)
        rows = [part.row(text_for_grams) for part in self.parts]
        total = 0.0
        for weights, intercept, a, b in self.folds:
            score = intercept
            for (indices, values), offset in zip(rows, self.offsets, strict=False):
                if len(indices):
                    score += float(values @ weights[indices + offset])
            score += float(evidence @ weights[self.offsets[-1] :])
            if a is None or b is None:
                total += _expit(score)
            else:
                total += _expit(-(a * score + b))
        learned = total / len(self.folds)
        inside = risk_module._in_health(title, text, self.classifier.lexicon)
        return learned * (1.0 if inside else risk_module.OUTSIDE_HEALTH)

    def probabilities(self, items: Sequence[tuple[str, str]]) -> list[float]:
        return [self.probability(title, text) for title, text in items]


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
