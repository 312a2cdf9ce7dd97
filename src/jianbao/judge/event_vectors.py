"""How alike two articles' headlines and leads read: TF-IDF cosines of character 2- and
3-grams.

The event stage weighs headlines and leads by TF-IDF fitted on the articles of the window
compared, so the words every health-IT story uses weigh little. The n-grams are hashed
with NumPy alone and kept per process (a store's window is read again for every new
article), numbered in a vocabulary of the columns met, and weighed either for all pairs
(:func:`similarity_matrices`) or for a new article against its window
(:func:`similarities_to_first`). Kept apart from the specifics: it is numeric work with
its own caches and no knowledge of what a page names.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jianbao.judge.char_hashing import hashed_char_ngrams
from jianbao.judge.event_records import EventFacts

#: character 2- and 3-grams hashed into this many columns (collisions are negligible: at
#: 2**19 every figure of benchmarks/stories.py is that of 2**20; 2**18 merged more)
_FEATURES = 2**19
#: analysed texts kept per process: a store's window is read again for every new
#: article, so each stored article's text is analysed once per process, not once per join
_MAX_CACHED = 20000


@dataclass(frozen=True, slots=True)
class _Row:
    """A text's n-grams (in the order of their hashed columns, each once) as numbers of
    the process's vocabulary (:data:`_column_id`), and their counts in the text: plain
    arrays, so joining a window concatenates them without SciPy's per-row attribute
    calls. The counts are small integers (a byte each below 256, where the sublinear
    term frequencies 1 + log(count) as floats took 8: issue 21), the numbers 2 bytes
    while the vocabulary fits (:func:`_small_ids`); :func:`_term_frequencies` looks the
    frequencies up in a table, so no logarithm is taken per join."""

    ids: np.ndarray
    counts: np.ndarray


#: 1 + log(k) at place k (place 0 unused): the sublinear term frequency of a count, the
#: same float that computing it gives; grown when a text holds an n-gram more often
_log_table = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, 256, dtype=np.float64))))


def _term_frequencies(counts: np.ndarray) -> np.ndarray:
    """1 + log(count) of each count (all below the table's length: :func:`_small_counts`)."""
    return _log_table[counts]


def _small_counts(counts: np.ndarray) -> np.ndarray:
    """Counts (floats of whole numbers) as the smallest unsigned integers that hold
    them, the table of term frequencies grown to cover them first."""
    global _log_table
    top = int(counts.max()) if len(counts) else 0
    if top >= len(_log_table):
        size = max(top + 1, 2 * len(_log_table))
        grown = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, size, dtype=np.float64))))
        _log_table = grown  # one assignment: a reader sees the old table or the new
    return counts.astype(np.uint8 if top < 2**8 else np.uint16 if top < 2**16 else np.uint32)


def _small_ids(ids: np.ndarray) -> np.ndarray:
    """Vocabulary numbers as 2-byte integers while the vocabulary numbers fit (its
    first 65,536 n-grams, the most common ones, come first), else as they are: a
    window's joining concatenates and counts them the same whatever their width."""
    return ids.astype(np.uint16) if len(ids) and int(ids.max()) < 2**16 else ids


_cached: OrderedDict[str, _Row] = OrderedDict()
#: the hashed columns this process has met, numbered as they came: a window's n-grams
#: are counted and looked up in tables as long as the columns met (a few thousand in the
#: collect world), where tables of all 2**19 columns made each join's counting and
#: lookups wander over megabytes (issue 21). At most 2**19 numbers: no larger than before
_column_id = np.full(_FEATURES, -1, dtype=np.int32)
_id_column = np.zeros(0, dtype=np.int32)
_vocabulary_lock = threading.Lock()
#: a dense vector of the new article's weights, kept zeroed between joins (one per
#: thread): allocating and zeroing a 2**19 array for every join was a tenth of its cost
_scratch = threading.local()


def _analysed(texts: Sequence[str]) -> list[_Row]:
    """The rows of the texts, from the cache (the missing ones hashed and kept)."""
    found: list[_Row | None] = []
    for text in texts:
        row = _cached.get(text)
        if row is not None:
            _cached.move_to_end(text)
        found.append(row)
    missing = [text for text in dict.fromkeys(texts) if text not in _cached]
    if missing:
        # hashed with NumPy alone, to the column and count what scikit-learn's
        # HashingVectorizer(analyzer="char", ngram_range=(2, 3), alternate_sign=False,
        # norm=None) gives: a collecting process need not import scikit-learn and SciPy
        # for it (about 70 MB, issue 21)
        indptr, columns, counts = hashed_char_ngrams(missing, _FEATURES)
        ids = _small_ids(_numbered(columns))
        small = _small_counts(counts)
        made = {}
        for n, text in enumerate(missing):
            low, high = indptr[n], indptr[n + 1]
            made[text] = _cached[text] = _Row(ids[low:high], small[low:high])
        while len(_cached) > _MAX_CACHED:
            _cached.popitem(last=False)
        found = [made[text] if row is None else row for row, text in zip(found, texts, strict=True)]
    return [row for row in found if row is not None]


def _numbered(columns: np.ndarray) -> np.ndarray:
    """The vocabulary's numbers of hashed ``columns``, the new ones numbered first."""
    global _id_column
    ids = _column_id[columns]
    if (ids < 0).any():
        with _vocabulary_lock:
            new = np.unique(columns[_column_id[columns] < 0])
            start = len(_id_column)
            # the table back first: whoever finds a number finds its column
            _id_column = np.concatenate([_id_column, new.astype(np.int32)])
            _column_id[new] = np.arange(start, start + len(new))
        ids = _column_id[columns]
    return ids


def _tf_matrix(texts: Sequence[str]) -> Any:
    """The texts' sublinear term frequencies, one sparse row each."""
    from scipy.sparse import csr_matrix

    rows = _analysed(texts)
    sizes = [len(row.ids) for row in rows]
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    if not indptr[-1]:
        return csr_matrix((len(rows), _FEATURES))
    columns = _id_column[np.concatenate([row.ids for row in rows])]
    tf = _term_frequencies(np.concatenate([row.counts for row in rows]))
    return csr_matrix((tf, columns, indptr), shape=(len(rows), _FEATURES))


def _tfidf(tf: Any) -> Any:
    """Sublinear TF times smoothed IDF fitted on these rows, rows of unit length (what
    scikit-learn's TfidfVectorizer gives, from term frequencies already made)."""
    matrix = tf.astype(np.float64)
    if not matrix.nnz:
        return matrix
    _columns, inverse = np.unique(matrix.indices, return_inverse=True)
    frequency = np.bincount(inverse)
    idf = np.log((1 + matrix.shape[0]) / (1 + frequency)) + 1.0
    matrix.data = matrix.data * idf[inverse]
    per_row = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), per_row)
    lengths = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
    lengths[lengths == 0] = 1.0
    matrix.data /= np.repeat(lengths, per_row)
    return matrix


def similarity_matrices(facts: Sequence[EventFacts]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarities of the headlines, and of headline plus lead, all pairs, with
    TF-IDF weights fitted on these articles (a window's: what every story of the window
    says weighs little)."""
    if not facts:
        return np.zeros((0, 0)), np.zeros((0, 0))
    titles = _tfidf(_tf_matrix([f.title or "∅" for f in facts]))
    texts = _tfidf(_tf_matrix([f.text or "∅" for f in facts]))
    return (titles @ titles.T).toarray(), (texts @ texts.T).toarray()


def similarities_to_first(facts: Sequence[EventFacts]) -> tuple[np.ndarray, np.ndarray]:
    """The first row of :func:`similarity_matrices` alone (a new article against its
    window): the same weights, without the products of every other pair."""
    if not facts:
        return np.zeros(0), np.zeros(0)
    return _headlines_to_first(facts), _leads_to_first(facts)


def _headlines_to_first(facts: Sequence[EventFacts]) -> np.ndarray:
    return _first_row([f.title or "∅" for f in facts])


def _leads_to_first(facts: Sequence[EventFacts], only: Sequence[int] | None = None) -> np.ndarray:
    return _first_row([f.text or "∅" for f in facts], only)


def _first_row(texts: Sequence[str], only: Sequence[int] | None = None) -> np.ndarray:
    """Cosine of the first text's TF-IDF vector with every text's (weights fitted on
    these texts), computed on the cached rows' arrays joined end to end: stacking a
    window's sparse rows and sorting their columns cost most of the event stage (issue
    21), and the weights need only each column's count of texts.

    With ``only`` (positions among ``texts``), the other positions are left 0: every
    text counts in the weights, but only those rows are weighted and measured (the
    leads of the few articles whose headlines come near, not the window's hundreds)."""
    rows = _analysed(texts)
    count = len(rows)
    every = [row.ids for row in rows]
    sizes = np.fromiter(map(len, every), dtype=np.int64, count=count)
    result = np.zeros(count)
    if not sizes.sum():
        return result
    columns = np.concatenate(every)
    # smoothed IDF over these texts (a text holds a column once in its row), looked up
    # by each column's count of texts in a table as long as the window
    frequency = np.bincount(columns)
    idf = np.log((1 + count) / (1 + np.arange(count + 1))) + 1.0
    if only is None:
        picked = np.arange(count)
        picked_columns = columns
        tf = _term_frequencies(np.concatenate([row.counts for row in rows]))
    else:
        picked = np.unique(np.asarray([0, *only], dtype=np.int64))
        chosen = [rows[n] for n in picked.tolist()]
        picked_columns = np.concatenate([row.ids for row in chosen])
        tf = _term_frequencies(np.concatenate([row.counts for row in chosen]))
    weights = tf * idf[frequency[picked_columns]]
    owner = np.repeat(np.arange(len(picked)), sizes[picked])
    lengths = np.sqrt(np.bincount(owner, weights=weights**2, minlength=len(picked)))
    lengths[lengths == 0] = 1.0
    first = getattr(_scratch, "first", None)
    if first is None:
        first = _scratch.first = np.zeros(_FEATURES)
    own = rows[0].ids
    try:
        first[own] = weights[: len(own)] / lengths[0]
        dots = np.bincount(owner, weights=first[picked_columns] * weights, minlength=len(picked))
    finally:
        first[own] = 0.0
    result[picked] = dots / lengths
    return result
