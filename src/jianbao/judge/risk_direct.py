"""The trained risk classifier as plain numbers: the one arithmetic of its probabilities.

:class:`jianbao.judge.risk.RiskClassifier` is trained with scikit-learn (TF-IDF of
character n-grams and of words, the lexicon's evidence row, a logistic regression,
calibrated by sigmoids over cross-validation folds). What it then computes is small: the
TF-IDF weights of a text's n-grams (counts, ``1 + log`` of them, times the IDF, scaled to
unit length), a dot product and an intercept per fold, a sigmoid, the mean of the folds.

:class:`RiskNumbers` holds exactly those numbers — each part's vocabulary and IDF, each
fold's weights, intercept and sigmoid — and does that arithmetic, for one text or many.
Every path judges with it: the classifier itself once trained (the alert pass,
re-judging), and collection's worker processes, which load it from a small ``.npz`` file
(:mod:`jianbao.risk_file`) with neither scikit-learn nor pickle: a worker's tone then
costs numpy and a few megabytes, not scikit-learn's imports and the fitted objects.

:meth:`RiskNumbers.of_fitted` reads the numbers out of the fitted scikit-learn parts and
refuses (``TypeError``) a form it does not compute (another analyzer, binary counts,
another norm, a multi-class model); the tests check its probabilities against
scikit-learn's own ``predict_proba`` on real pages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jianbao.judge import risk as risk_module
from jianbao.judge.risk_framing import FramingNumbers, damped
from jianbao.whole_file import write_whole

#: sklearn's character analyzer first folds runs of whitespace to one space
_WHITE_SPACES = re.compile(r"\s\s+")
#: what a part's n-grams are made of
CHAR, WORDS = "char", "words"
#: the file format's version (a file of another is not read)
FORMAT = 1


@dataclass
class Grams:
    """One TF-IDF part: how a text becomes n-grams, their columns and IDF."""

    kind: str
    #: term → column: a dict, or read from a file, the compact :class:`PackedGrams`
    vocabulary: Mapping[str, int]
    idf: np.ndarray
    sublinear: bool
    l2: bool
    #: character n-gram lengths (``CHAR`` only) and lower-casing first
    ngrams: tuple[int, int] = (1, 1)
    lowercase: bool = True

    @property
    def width(self) -> int:
        return len(self.idf)

    def _prepared(self, text: str) -> str:
        """The text as character n-grams are cut from it (``CHAR``)."""
        if self.lowercase:
            text = text.lower()
        return _WHITE_SPACES.sub(" ", text)

    def analyze(self, text: str) -> list[str]:
        if self.kind == WORDS:
            return risk_module._word_grams(text)
        text = self._prepared(text)
        low, high = self.ngrams
        grams = list(text) if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(text) + 1)):
            grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
        return grams

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's TF-IDF row as (columns, values)."""
        vocabulary = self.vocabulary
        found = (
            vocabulary.counted(self._prepared(text), self.ngrams)
            if isinstance(vocabulary, PackedGrams) and self.kind == CHAR
            else None
        )
        if found is not None:
            indices, values = found
            if not len(indices):
                return indices, values
        else:
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

    @classmethod
    def of_fitted(cls, vectorizer: Any) -> Grams:
        """The numbers of a fitted ``TfidfVectorizer`` of the forms the classifier uses."""
        if (
            getattr(vectorizer, "binary", False)
            or getattr(vectorizer, "norm", None) not in ("l2", None)
            or getattr(vectorizer, "use_idf", True) is not True
            or getattr(vectorizer, "smooth_idf", True) is not True
        ):
            raise TypeError("a TF-IDF form this module does not compute")
        analyzer = vectorizer.analyzer
        if analyzer is risk_module._word_grams:
            kind = WORDS
        elif (
            analyzer == "char"
            and vectorizer.preprocessor is None
            and vectorizer.strip_accents is None
            and vectorizer.input == "content"
        ):
            kind = CHAR
        else:
            raise TypeError(f"an analyzer this module does not compute: {analyzer!r}")
        return cls(
            kind=kind,
            vocabulary={str(term): int(j) for term, j in vectorizer.vocabulary_.items()},
            idf=np.asarray(vectorizer.idf_, dtype=float),
            sublinear=bool(vectorizer.sublinear_tf),
            l2=vectorizer.norm == "l2",
            ngrams=(int(vectorizer.ngram_range[0]), int(vectorizer.ngram_range[1])),
            lowercase=bool(vectorizer.lowercase),
        )


@dataclass
class RiskNumbers:
    """A trained risk classifier's numbers and its probabilities.

    ``weights``: one row per fold (its logistic regression's coefficients over the parts'
    columns, then the lexicon's evidence row); ``intercepts`` one per fold; ``a`` and
    ``b`` the folds' sigmoid calibration (``1 / (1 + exp(a·s + b))``), or None for an
    uncalibrated regression (``1 / (1 + exp(-s))``)."""

    parts: list[Grams]
    weights: np.ndarray
    intercepts: np.ndarray
    a: np.ndarray | None
    b: np.ndarray | None
    #: examples it was trained on
    trained_on: int = 0
    lexicon: risk_module.RiskLexicon | None = None
    #: the framing regression (:mod:`jianbao.judge.risk_framing`): a page framed as a
    #: retelling has its probability damped; None (a file written before it) judges
    #: by the topic alone
    framing: FramingNumbers | None = None

    def __post_init__(self) -> None:
        self.offsets = np.cumsum([0] + [p.width for p in self.parts])
        evidence = self.weights.shape[1] - int(self.offsets[-1])
        if self.weights.ndim != 2 or evidence < 0:
            raise ValueError("weights do not fit the parts")

    @property
    def trained(self) -> bool:
        return True

    @classmethod
    def of_fitted(
        cls,
        vectorizers: Sequence[Any],
        model: Any,
        lexicon: risk_module.RiskLexicon | None = None,
        trained_on: int = 0,
        framing: Any = None,
    ) -> RiskNumbers:
        """The numbers of fitted scikit-learn parts: TF-IDF vectorizers and a binary
        logistic regression, or a ``CalibratedClassifierCV`` of them by sigmoids; and the
        framing pipeline (:func:`jianbao.judge.risk_framing.fit_framing`), if any."""
        parts = [Grams.of_fitted(v) for v in vectorizers]
        calibrated = getattr(model, "calibrated_classifiers_", None)
        if calibrated is None:
            folds: list[tuple[Any, float | None, float | None]] = [(model, None, None)]
        else:
            folds = []
            for pair in calibrated:
                (calibrator,) = pair.calibrators
                if not hasattr(calibrator, "a_"):
                    raise TypeError("a calibration this module does not compute")
                folds.append((pair.estimator, float(calibrator.a_), float(calibrator.b_)))
        rows, intercepts = [], []
        for estimator, _a, _b in folds:
            coef = np.asarray(estimator.coef_, dtype=float)
            if coef.shape[0] != 1 or list(estimator.classes_) != [0, 1]:
                raise TypeError("not a binary logistic regression")
            rows.append(coef.ravel())
            intercepts.append(float(estimator.intercept_[0]))
        a = None if calibrated is None else np.array([f[1] for f in folds], dtype=float)
        b = None if calibrated is None else np.array([f[2] for f in folds], dtype=float)
        return cls(
            parts,
            np.vstack(rows),
            np.array(intercepts),
            a,
            b,
            trained_on,
            lexicon=lexicon,
            framing=None if framing is None else FramingNumbers.of_fitted(framing),
        )

    def _lexicon(self) -> risk_module.RiskLexicon:
        return self.lexicon or risk_module.default_lexicon()

    def probability(self, title: str, text: str) -> float:
        """The incident probability of one (title, text)."""
        lexicon = self._lexicon()
        judged = risk_module.judge_risk(title, text, lexicon)
        evidence = np.asarray(risk_module.evidence_row(judged), dtype=float)
        for_grams = f"{title} {title} {text}"
        scores = self.intercepts + self.weights[:, int(self.offsets[-1]) :] @ evidence
        for part, offset in zip(self.parts, self.offsets, strict=False):
            indices, values = part.row(for_grams)
            if len(indices):
                scores = scores + self.weights[:, indices + int(offset)] @ values
        if self.a is None or self.b is None:
            folds = [_expit(float(s)) for s in scores]
        else:
            folds = [_expit(-(a * s + b)) for a, s, b in zip(self.a, scores, self.b, strict=True)]
        learned = sum(folds) / len(folds)
        # outside the health sector an incident is not the center's business: the learned
        # probability is cut below the default alert threshold (a bank's outage, a
        # celebrity's tax case, a phone "曝光" headline, a supermarket's complaint)
        inside = risk_module.in_health(title, text, lexicon)
        # a page whose headline or opening names a genre that reports no incident (a drill,
        # a judgment document, a commentary, a regulation …) stays below the alert
        probability = risk_module.framed(
            title, learned * (1.0 if inside else risk_module.LEARNED_OUTSIDE_HEALTH), text
        )
        # a page framed as a retelling (a commentary, a judgment, a study) is damped
        if self.framing is None:
            return probability
        return damped(probability, self.framing.probability(title, text, lexicon))

    def probabilities(self, items: Sequence[tuple[str, str]]) -> list[float]:
        """The incident probability of each (title, text)."""
        return [self.probability(title, text) for title, text in items]

    # -- the file ------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the numbers to ``path`` (``.npz``, no pickled objects), whole
        (:func:`jianbao.whole_file.write_whole`): a reader never sees half a file."""
        arrays: dict[str, np.ndarray] = {
            "format": np.array([FORMAT]),
            "weights": self.weights,
            "intercepts": self.intercepts,
            "trained_on": np.array([self.trained_on]),
        }
        if self.a is not None and self.b is not None:
            arrays["a"], arrays["b"] = self.a, self.b
        if self.framing is not None:
            arrays["framing_mean"] = self.framing.mean
            arrays["framing_scale"] = self.framing.scale
            arrays["framing_coef"] = self.framing.coef
            arrays["framing_intercept"] = np.array([self.framing.intercept])
        for n, part in enumerate(self.parts):
            terms = sorted(part.vocabulary, key=part.vocabulary.__getitem__)
            if [part.vocabulary[t] for t in terms] != list(range(part.width)):
                raise ValueError("a vocabulary that is not its columns 0…n-1")
            encoded = [t.encode("utf-8") for t in terms]
            arrays[f"p{n}_terms"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
            arrays[f"p{n}_ends"] = np.cumsum([len(e) for e in encoded], dtype=np.int64)
            arrays[f"p{n}_idf"] = part.idf
            arrays[f"p{n}_form"] = np.array(
                [
                    part.kind == WORDS,
                    part.sublinear,
                    part.l2,
                    part.ngrams[0],
                    part.ngrams[1],
                    part.lowercase,
                ],
                dtype=np.int64,
            )
        write_whole(path, lambda out: np.savez_compressed(out, **arrays))  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> RiskNumbers:
        """The numbers written by :meth:`save` (numpy only: no pickle, no scikit-learn)."""
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"][0]) != FORMAT:
                raise ValueError(f"{path}: a risk classifier file of another format")
            parts = []
            n = 0
            while f"p{n}_idf" in data:
                blob = data[f"p{n}_terms"].tobytes()
                words, sublinear, l2, low, high, lowercase = data[f"p{n}_form"].tolist()
                # character n-grams packed straight from the file's bytes: no Python
                # string per term, not even for a while (the freed ones would leave the
                # memory they took behind in a fork server, issue 21)
                packed = (
                    PackedGrams.of_utf8(blob, data[f"p{n}_ends"])
                    if not words and high <= 3
                    else None
                )
                if packed is None:
                    ends = data[f"p{n}_ends"].tolist()
                    starts = [0, *ends[:-1]]
                    terms = [blob[s:e].decode("utf-8") for s, e in zip(starts, ends, strict=True)]
                parts.append(
                    Grams(
                        kind=WORDS if words else CHAR,
                        vocabulary=packed
                        if packed is not None
                        else {t: j for j, t in enumerate(terms)},
                        idf=np.asarray(data[f"p{n}_idf"], dtype=float),
                        sublinear=bool(sublinear),
                        l2=bool(l2),
                        ngrams=(int(low), int(high)),
                        lowercase=bool(lowercase),
                    )
                )
                n += 1
            calibrated = "a" in data
            framing = None
            if "framing_coef" in data:
                framing = FramingNumbers(
                    mean=np.asarray(data["framing_mean"], dtype=float),
                    scale=np.asarray(data["framing_scale"], dtype=float),
                    coef=np.asarray(data["framing_coef"], dtype=float),
                    intercept=float(data["framing_intercept"][0]),
                )
            return cls(
                parts,
                np.asarray(data["weights"], dtype=float),
                np.asarray(data["intercepts"], dtype=float),
                np.asarray(data["a"], dtype=float) if calibrated else None,
                np.asarray(data["b"], dtype=float) if calibrated else None,
                int(data["trained_on"][0]),
                framing=framing,
            )


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


#: bits of one character in a packed n-gram (a code point plus one: below 2**21)
_CHAR_BITS = 21


class PackedGrams(Mapping[str, int]):
    """A vocabulary of character n-grams of one to three characters, each packed into one
    integer (its code points plus one, 21 bits each: distinct n-grams, distinct numbers),
    sorted, with their columns beside them: 12 bytes a term instead of about 170 for a
    dict of Python strings and ints (the risk classifier's 50,000 character n-grams: 0.6
    MB instead of 8.7 in every collection worker's fork server, issue 21). A text's
    n-grams are then packed and looked up all at once (:meth:`counted`), with the same
    columns and counts, in the same order, as the dict gives them one by one."""

    __slots__ = ("_columns", "_keys")

    def __init__(self, keys: np.ndarray, columns: np.ndarray):
        self._keys = keys
        self._columns = columns

    @classmethod
    def of_terms(cls, terms: Sequence[str]) -> PackedGrams | None:
        """The terms (term ``j`` is column ``j``) packed, or None when one does not pack
        (empty, longer than three characters, or holding a lone surrogate)."""
        try:
            keys = np.fromiter(map(_pack, terms), dtype=np.uint64, count=len(terms))
        except (ValueError, UnicodeEncodeError):
            return None
        return cls._sorted(keys)

    @classmethod
    def of_utf8(cls, blob: bytes, ends: np.ndarray) -> PackedGrams | None:
        """The terms of ``blob`` (UTF-8, term ``j`` ending at byte ``ends[j]``) packed, or
        None when one does not pack."""
        if not len(ends):
            return cls._sorted(np.zeros(0, dtype=np.uint64))
        raw = np.frombuffer(blob, dtype=np.uint8)
        try:
            codes = np.frombuffer(blob.decode("utf-8").encode("utf-32-le"), dtype=np.uint32)
        except UnicodeError:
            return None
        # each term's end in characters: the bytes before it that start a character
        starts_char = (raw & 0xC0) != 0x80
        chars_before = np.concatenate(([0], np.cumsum(starts_char)))
        char_ends = chars_before[np.asarray(ends, dtype=np.int64)]
        char_starts = np.concatenate(([0], char_ends[:-1]))
        lengths = char_ends - char_starts
        if int(lengths.min()) < 1 or int(lengths.max()) > 3:
            return None
        codes = codes.astype(np.uint64) + np.uint64(1)
        keys = codes[char_starts]
        for j in (1, 2):
            longer = lengths > j
            keys[longer] = (keys[longer] << np.uint64(_CHAR_BITS)) | codes[char_starts[longer] + j]
        return cls._sorted(keys)

    @classmethod
    def _sorted(cls, keys: np.ndarray) -> PackedGrams:
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], order.astype(np.int32))

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The column of each packed n-gram, -1 where it is not a term."""
        if not len(self._keys) or not len(keys):
            return np.full(len(keys), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where(self._keys[at] == keys, self._columns[at], -1)

    def counted(self, text: str, ngrams: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
        """The columns of the text's n-grams, each once in the order first found, and how
        often each is found, as :meth:`Grams.row` counts them; None when the text does not
        pack (a lone surrogate, or n-grams longer than three characters asked for)."""
        low, high = ngrams
        if high > 3:
            return None
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:
            return None
        codes = codes.astype(np.uint64) + np.uint64(1)
        runs = [codes] if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(codes) + 1)):
            packed = codes[: len(codes) - n + 1].copy()
            for j in range(1, n):
                packed = (packed << np.uint64(_CHAR_BITS)) | codes[j : len(codes) - n + 1 + j]
            runs.append(packed)
        columns = self.find(np.concatenate(runs)) if runs else np.zeros(0, dtype=np.int64)
        columns = columns[columns >= 0]
        if not len(columns):
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        unique, first, counts = np.unique(columns, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        return unique[order].astype(np.intp), counts[order].astype(float)

    def __getitem__(self, term: str) -> int:
        try:
            key = _pack(term)
        except (ValueError, UnicodeEncodeError):
            raise KeyError(term) from None
        column = int(self.find(np.array([key], dtype=np.uint64))[0])
        if column < 0:
            raise KeyError(term)
        return column

    def __iter__(self) -> Iterator[str]:
        return map(_unpack, self._keys.tolist())

    def __len__(self) -> int:
        return len(self._keys)


def _pack(term: str) -> int:
    if not 1 <= len(term) <= 3:
        raise ValueError(f"not a packed n-gram: {term!r}")
    term.encode("utf-8")  # a lone surrogate raises, as it does when a text is packed
    key = 0
    for char in term:
        key = (key << _CHAR_BITS) | (ord(char) + 1)
    return key


def _unpack(key: int) -> str:
    chars = []
    while key:
        chars.append(chr((key & ((1 << _CHAR_BITS) - 1)) - 1))
        key >>= _CHAR_BITS
    return "".join(reversed(chars))
