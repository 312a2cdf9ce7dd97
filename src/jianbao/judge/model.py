"""Learned relevance: a linear model over words and character n-grams, calibrated.

Keywords miss what an editor recognises without them (远程会诊, 医药O2O, a hospital robot)
and accept what only shares a word with the topic (大数据 in a traffic story). A logistic
regression over rjieba words (headline words marked apart, as the headline says what an
item is about) and character 2–3-grams (robust to segmentation errors and new terms)
learns from the editor's own decisions; sigmoid calibration turns its margin into a
probability the ranking can add up with other signals.

An editor's decisions are few, and a relevant item is rare among them: a model that
learns words from a few dozen positives learns the words of those stories (the ministry
that announced them, the month they ran), not those of the topic. So the model also
reads what the built-in 卫生健康信息化 lexicon finds in an item — whether it matches in
the headline, in several sentences of the body, or in one sentence only — and learns
from the decisions how far to trust each kind of match; the words then have to explain
only what the lexicon does not.

Models are saved as numbered files ``relevance-0001.joblib`` … in a folder, with
``relevance.json`` naming the current one; saving keeps the previous version, so a bad
retraining is one :func:`rollback` away. The files are pickles: load only models this
installation wrote.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from jianbao.errors import NotConfigured
from jianbao.judge.model_files import POINTER as _POINTER
from jianbao.judge.model_files import current_relevance_version as current_version
from jianbao.judge.model_files import relevance_path as _path
from jianbao.judge.model_files import relevance_versions as _versions
from jianbao.judge.normalize import simplified
from jianbao.judge.tokenize import tokenize

MODEL_FORMAT = 3
#: model files this version reads (format 2: no lexicon evidence)
_READABLE = (2, 3)
#: characters of the body the model reads (the opening says what an article is about)
BODY_CHARS = 600

Doc = tuple[str, str]  # (title, body)


def _as_doc(item: str | Doc) -> Doc:
    """The item as a (title, body) pair in the form it is judged in (繁體 made
    Simplified, mirror artefacts removed: :mod:`jianbao.judge.normalize`), so a model
    trained on stored originals reads a 繁體 reprint as it reads the original."""
    title, body = ("", item) if isinstance(item, str) else (item[0] or "", item[1] or "")
    return simplified(title), simplified(body)


def _words(doc: Doc) -> list[str]:
    """Headline words marked ``t:`` plus body words: the same word counts in both roles."""
    title, body = doc
    return ["t:" + w for w in tokenize(title)] + tokenize(body[:BODY_CHARS])


def _chars(doc: Doc) -> str:
    title, body = doc
    return title + "\n" + title + "\n" + body[:BODY_CHARS]


def _identity(doc: Any) -> Any:
    return doc


#: the lexicon evidence columns, as the explanations name them
EVIDENCE = ("词表:标题命中", "词表:正文多句命中", "词表:正文一句命中")
_lexicon: Any = None


def _evidence(docs: Sequence[Doc]) -> sparse.csr_matrix:
    """What the built-in lexicon finds in each item: a match in the headline, in two or
    more sentences of the body, in one sentence only (one column each, 0 or 1)."""
    global _lexicon
    if _lexicon is None:
        from jianbao.judge.lexicon import HEALTH_IT_TOPIC
        from jianbao.judge.topic import parse_topic

        _lexicon = parse_topic(HEALTH_IT_TOPIC)
    rows = np.zeros((len(docs), len(EVIDENCE)), dtype=np.float32)
    for n, (title, body) in enumerate(docs):
        match = _lexicon.match(title, body)
        if match.matched:
            rows[n, 0] = match.headline
            rows[n, 1] = match.sentences >= 2
            rows[n, 2] = match.sentences == 1
    return sparse.csr_matrix(rows)


class CharGrams:
    """Character 2- and 3-grams hashed into ``2**bits`` columns, counted with numpy, then
    TF-IDF weighted (sublinear counts, l2 rows). sklearn's character analyzer builds a
    Python string per n-gram — a hundred times slower on Chinese text; the hashing trick
    needs no vocabulary, and the n-grams seen in training are remembered for explanations."""

    _MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))

    def __init__(self, bits: int = 18):
        self.bits = bits
        self.idf: np.ndarray | None = None
        self.names: dict[int, str] = {}

    def _counts(self, texts: Sequence[str], remember: bool = False) -> sparse.csr_matrix:
        shift = np.uint64(64 - self.bits)
        indptr, indices, values = [0], [], []
        for text in texts:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
            if len(codes) < 2:
                indptr.append(indptr[-1])
                continue
            with np.errstate(over="ignore"):
                two = ((codes[:-1] << np.uint64(21)) | codes[1:]) * self._MIX[0]
                three = (
                    (codes[:-2] << np.uint64(42)) | (codes[1:-1] << np.uint64(21)) | codes[2:]
                ) * self._MIX[1]
            hashed = np.concatenate((two >> shift, three >> shift)).astype(np.int64)
            columns, counts = np.unique(hashed, return_counts=True)
            if remember:
                for n, column in enumerate(hashed.tolist()):
                    if column not in self.names:
                        size = 2 if n < len(codes) - 1 else 3
                        start = n if size == 2 else n - (len(codes) - 1)
                        self.names[column] = text[start : start + size]
            indices.append(columns)
            values.append(1.0 + np.log(counts))
            indptr.append(indptr[-1] + len(columns))
        return sparse.csr_matrix(
            (
                np.concatenate(values) if values else np.zeros(0),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                np.asarray(indptr),
            ),
            shape=(len(texts), 2**self.bits),
            dtype=np.float32,
        )

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counts = self._counts(texts, remember=True)
        seen = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = (np.log((1 + len(texts)) / (1 + seen)) + 1).astype(np.float32)
        return self._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self._weigh(self._counts(texts))

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        assert self.idf is not None, "fit_transform first"
        weighted = counts.multiply(self.idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(weighted.multiply(1.0 / norms[:, None]), dtype=np.float32)

    def feature_names(self) -> list[str]:
        return [self.names.get(j, f"#{j}") for j in range(2**self.bits)]


@dataclass
class RelevanceModel:
    """A trained relevance model: vectorizers, the calibrated classifier, and metadata."""

    words: TfidfVectorizer
    chars: CharGrams
    classifier: Any
    coefficients: np.ndarray
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)
    #: whether the model reads the lexicon evidence (models of format 2 do not)
    evidence: bool = True

    def _features(self, docs: Sequence[Doc]) -> sparse.csr_matrix:
        blocks = [
            self.words.transform([_words(d) for d in docs]),
            self.chars.transform([_chars(d) for d in docs]),
        ]
        if self.evidence:
            blocks.append(_evidence(docs))
        return sparse.hstack(blocks, format="csr")

    def predict_proba(self, items: Sequence[str | Doc]) -> list[float]:
        """Probability that each item (a text, or a (title, body) pair) is relevant."""
        if not items:
            return []
        return self.probabilities_of(self.matrix(items))

    def matrix(self, items: Sequence[str | Doc]) -> sparse.csr_matrix:
        """The items' feature rows: computed once, read by :meth:`probabilities_of` and
        :meth:`reasons_of` (a batch that needs both pays for one)."""
        return self._features([_as_doc(item) for item in items])

    def probabilities_of(self, matrix: sparse.csr_matrix) -> list[float]:
        return [float(p) for p in self.classifier.predict_proba(matrix)[:, 1]]

    def reasons_of(self, matrix: sparse.csr_matrix, row: int, top: int = 3) -> list[str]:
        """The names of the ``top`` features that pushed row ``row`` most towards
        relevant (标题:word for a headline word, 字:ngram for characters)."""
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns = matrix.indices[start:end]
        contributions = matrix.data[start:end] * self.coefficients[columns]
        order = np.argsort(-contributions, kind="stable")[:top]
        return [self._name(int(columns[j])) for j in order if contributions[j] > 0]

    def probability(self, title: str, body: str) -> float:
        return self.predict_proba([(title, body)])[0]

    def explain(self, title: str, body: str, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed this item's score most, with their contributions
        (positive: towards relevant). Headline words are shown as 标题:word, character
        n-grams as 字:ngram."""
        row = self._features([(title, body)])
        contributions = row.multiply(self.coefficients).tocsr()
        pairs = [
            (self._name(j), float(v))
            for j, v in zip(
                contributions.indices.tolist(), contributions.data.tolist(), strict=True
            )
            if v
        ]
        pairs.sort(key=lambda pair: -abs(pair[1]))
        return pairs[:top]

    def top_features(self, top: int = 20) -> list[tuple[str, float]]:
        """The model's strongest positive features overall (what it has learned)."""
        order = np.argsort(-self.coefficients)[:top]
        return [(self._name(int(j)), float(self.coefficients[j])) for j in order]

    def _name(self, column: int) -> str:
        words = self.meta.get("_words")
        if words is None:
            words = [
                ("标题:" + w[2:]) if w.startswith("t:") else w
                for w in self.words.get_feature_names_out()
            ]
            self.meta["_words"] = words
        if column < len(words):
            return str(words[column])
        column -= len(words)
        if column >= 2**self.chars.bits:
            return EVIDENCE[column - 2**self.chars.bits]
        return "字:" + self.chars.names.get(column, f"#{column}").replace("\n", "⏎")


#: decisions of each class needed before probabilities are calibrated
MIN_PER_CLASS_TO_CALIBRATE = 20


def train(
    items: Sequence[str | Doc],
    labels: Sequence[int | bool],
    *,
    c: float = 4.0,
    calibration_folds: int = 3,
    evidence: bool = True,
) -> RelevanceModel:
    """Train on items (texts or (title, body) pairs) labelled 1 (relevant) / 0;
    ``evidence``: whether the model also reads what the built-in lexicon finds (off for
    a publication whose topic is not health informatics)."""
    docs = [_as_doc(item) for item in items]
    y = np.asarray([int(bool(label)) for label in labels])
    positives = int(y.sum())
    if len(docs) != len(y):
        raise ValueError("条目数与标注数不一致")
    if positives == 0 or positives == len(y):
        raise NotConfigured(
            "无法训练相关性模型：需要既有采用的条目，也有拒绝的条目",
            hint="先在候选列表中采用和拒绝一些条目（或导入往期简报）",
        )
    words = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=1, max_features=60_000, dtype=np.float32
    )
    chars = CharGrams()
    features = sparse.hstack(
        [
            words.fit_transform([_words(d) for d in docs]),
            chars.fit_transform([_chars(d) for d in docs]),
            *([_evidence(docs)] if evidence else []),
        ],
        format="csr",
    )
    base = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    folds = min(calibration_folds, positives, len(y) - positives)
    # calibration fits a sigmoid on held-out folds: with a handful of decisions per class
    # the folds are too small and the fitted curve can even invert the ranking
    if folds >= 2 and min(positives, len(y) - positives) >= MIN_PER_CLASS_TO_CALIBRATE:
        classifier: Any = CalibratedClassifierCV(base, method="sigmoid", cv=folds)
        classifier.fit(features, y)
        coefficients = np.mean(
            [cc.estimator.coef_[0] for cc in classifier.calibrated_classifiers_], axis=0
        )
        intercept = float(
            np.mean([cc.estimator.intercept_[0] for cc in classifier.calibrated_classifiers_])
        )
    else:
        classifier = base.fit(features, y)
        coefficients, intercept = base.coef_[0], float(base.intercept_[0])
    meta = {
        "format": MODEL_FORMAT,
        "evidence": evidence,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "items": len(y),
        "positives": positives,
        "c": c,
    }
    return RelevanceModel(
        words, chars, classifier, np.asarray(coefficients), intercept, meta, evidence=evidence
    )


# -- versioned files -------------------------------------------------------------------


def save(model: RelevanceModel, folder: Path, *, keep: int = 2) -> Path:
    """Write the model as the next version and make it current; keep ``keep`` versions
    (the new one and the previous one by default), deleting older files."""
    folder.mkdir(parents=True, exist_ok=True)
    versions = _versions(folder)
    version = (versions[-1] + 1) if versions else 1
    path = _path(folder, version)
    model.meta["version"] = version
    partial = path.with_suffix(".partial")
    meta = {k: v for k, v in model.meta.items() if not k.startswith("_")}
    joblib.dump(
        {
            "format": MODEL_FORMAT,
            "words": model.words,
            "chars": model.chars,
            "classifier": model.classifier,
            "coefficients": model.coefficients,
            "intercept": model.intercept,
            "evidence": model.evidence,
            "meta": meta,
        },
        partial,
        compress=3,
    )
    partial.replace(path)  # atomic: a crash never leaves a half-written current model
    _point(folder, version, meta)
    for old in _versions(folder)[:-keep] if keep > 0 else []:
        _path(folder, old).unlink(missing_ok=True)
    return path


def _point(folder: Path, version: int, meta: dict[str, Any]) -> None:
    pointer = folder / _POINTER
    partial = pointer.with_suffix(".partial")
    partial.write_text(
        json.dumps({"current": version, **meta}, ensure_ascii=False, indent=1), "utf-8"
    )
    partial.replace(pointer)


def load(folder: Path, version: int | None = None) -> RelevanceModel:
    """Load the current model (or a given version) from ``folder``."""
    chosen = version if version is not None else current_version(folder)
    if chosen is None or not _path(folder, chosen).is_file():
        raise NotConfigured(
            "还没有训练过相关性模型",
            item=str(folder),
            hint="审阅一些候选条目后运行 `jianbao model train`",
        )
    data = joblib.load(_path(folder, chosen))
    if not isinstance(data, dict) or data.get("format") not in _READABLE:
        raise NotConfigured(
            "相关性模型文件的格式无法识别",
            item=str(_path(folder, chosen)),
            hint="运行 `jianbao model train` 重新训练",
        )
    return RelevanceModel(
        data["words"],
        data["chars"],
        data["classifier"],
        np.asarray(data["coefficients"]),
        float(data["intercept"]),
        dict(data["meta"]),
        evidence=bool(data.get("evidence", False)),
    )


def rollback(folder: Path) -> int:
    """Make the previous kept version current again; returns that version."""
    current = current_version(folder)
    older = [v for v in _versions(folder) if current is None or v < current]
    if not older:
        raise NotConfigured("没有可以回退的上一版相关性模型", item=str(folder))
    version = older[-1]
    _point(folder, version, {"rolled_back_from": current})
    return version
