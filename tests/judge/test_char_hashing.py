"""Hashed character n-grams without scikit-learn: scikit-learn's HashingVectorizer
matrix to the column and the count, on real headlines and leads and on edge cases."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jianbao.judge.char_hashing import hashed_char_ngrams

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
FEATURES = 2**19
EDGES = [
    "",
    "a",
    "ab",
    "  A  b\n\nC\td \u3000\u3000全角",
    "😀x😀 𠮷野家",
    "Ünïcödé ÀÉ ß",
    "x" * 9,
    "十一月 16 日，东川省人民医院“互联网医院”上线。",
]


def real_texts() -> list[str]:
    """The headlines, and headlines with leads as the event stage hashes them, of real
    pages of the story tuning sets and the relevance and alert development sets (繁體 and
    Latin among them)."""
    texts = []
    for name in ("stories-dev.tsv", "stories-tune4.tsv", "relevance-pages.tsv", "alerts-dev.tsv"):
        with open(DATA / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                texts.append(row["title"])
                texts.append(row["title"] + " " + row["text"][:200])
    return texts


def sklearn_rows(texts: list[str], ngrams: tuple[int, int]) -> object:
    from sklearn.feature_extraction.text import HashingVectorizer

    hasher = HashingVectorizer(
        analyzer="char", ngram_range=ngrams, n_features=FEATURES, alternate_sign=False, norm=None
    )
    matrix = hasher.transform(texts).tocsr()
    matrix.sort_indices()
    return matrix


@pytest.mark.parametrize("ngrams", [(2, 3), (2, 2), (3, 5)])
def test_the_matrix_is_scikit_learns(ngrams) -> None:
    texts = [*EDGES, *real_texts()]
    assert len(texts) > 400
    expected = sklearn_rows(texts, ngrams)
    indptr, indices, data = hashed_char_ngrams(texts, FEATURES, ngrams)
    assert np.array_equal(indptr, expected.indptr)  # type: ignore[attr-defined]
    assert np.array_equal(indices, expected.indices)  # type: ignore[attr-defined]
    assert np.array_equal(data, expected.data)  # type: ignore[attr-defined]
    # one text at a time, as a new article is hashed, gives its row of the batch
    for n in range(0, len(texts), 37):
        one = hashed_char_ngrams([texts[n]], FEATURES, ngrams)
        low, high = indptr[n], indptr[n + 1]
        assert np.array_equal(one[1], indices[low:high])
        assert np.array_equal(one[2], data[low:high])


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (b"", 0),
        (b"a", 0x3C2569B2),
        (b"abc", 0xB3DD93FA),
        (b"The quick brown fox jumps over the lazy dog", 0x2E4FF723),
    ],
)
def test_murmur3_gives_the_published_hashes(key, expected) -> None:
    """MurmurHash3 x86 32-bit with seed 0, as its reference implementation gives them."""
    from jianbao.judge.char_hashing import murmur3_32

    width = -(-max(len(key), 1) // 4) * 4
    rows = np.zeros((1, width), dtype=np.uint8)
    rows[0, : len(key)] = np.frombuffer(key, dtype=np.uint8)
    assert int(murmur3_32(rows, np.array([len(key)]))[0]) & 0xFFFFFFFF == expected


def test_no_learning_library_is_imported() -> None:
    code = (
        "import sys\n"
        "from jianbao.judge.char_hashing import hashed_char_ngrams\n"
        "hashed_char_ngrams(['东川省人民医院上线互联网医院'], 2**19)\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
