"""Hashed character n-gram counts of texts with numpy alone: the matrix scikit-learn's
``HashingVectorizer(analyzer="char", alternate_sign=False, norm=None)`` makes, to the
column and the count, without importing scikit-learn.

The event stage of a collecting process hashes each stored article's headline and lead
this way. Importing scikit-learn for it (and the SciPy it loads) holds about 70 MB in
that process, whose memory is most of a collection's (issue 21); the hashing itself is
MurmurHash3 (x86, 32 bits, seed 0) of each n-gram's UTF-8 bytes, which a few array
operations compute for all n-grams of a batch at once.

As scikit-learn does: the text lower-cased, runs of two or more white-space characters
made one space, every n-gram of each length in ``ngrams`` (2 and 3 by default) counted,
its column the hash's absolute value modulo ``n_features``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")
_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_M = np.uint32(5)
_N = np.uint32(0xE6546B64)
_F1 = np.uint32(0x85EBCA6B)
_F2 = np.uint32(0xC2B2AE35)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix(k: np.ndarray) -> np.ndarray:
    return _rotl(k * _C1, 15) * _C2


def murmur3_32(rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """MurmurHash3 x86 32-bit, seed 0, signed, of each row's first ``lengths`` bytes
    (``rows``: uint8, one row per key, zero after its length, a multiple of 4 wide)."""
    # every word mixed at once: a key's tail is the word after its last block, zero
    # beyond its length, and is mixed as a block is
    mixed = _mix(rows.view("<u4").astype(np.uint32))
    blocks = lengths // 4
    h = np.zeros(len(rows), dtype=np.uint32)
    full = blocks[:, None] > np.arange(mixed.shape[1])[None, :]
    for b in range(mixed.shape[1]):
        h = np.where(full[:, b], _rotl(h ^ mixed[:, b], 13) * _M + _N, h)
    last = np.minimum(blocks, mixed.shape[1] - 1)
    tail = np.take_along_axis(mixed, last[:, None], axis=1)[:, 0]
    h = np.where((lengths & 3) != 0, h ^ tail, h)
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= _F1
    h ^= h >> np.uint32(13)
    h *= _F2
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def hashed_char_ngrams(
    texts: Sequence[str], n_features: int, ngrams: tuple[int, int] = (2, 3)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, indices, data) of the texts' hashed n-gram counts, one row per text, each
    row's columns in increasing order, each once: scikit-learn's
    ``HashingVectorizer(analyzer="char", ngram_range=ngrams, n_features=n_features,
    alternate_sign=False, norm=None).transform(texts)`` as a CSR matrix with sorted
    indices. ``ngrams`` from 2: a 1-gram is a character, which scikit-learn treats apart.

    The texts are joined end to end and their n-grams taken at once, those that would
    cross from one text into the next left out: a call's cost is mostly its own, not
    its texts'."""
    low, high = ngrams
    if low < 2 or high < low:
        raise ValueError("n-gram lengths from 2 up")
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    prepared = [_WHITE_SPACES.sub(" ", text.lower()) for text in texts]
    joined = "".join(prepared)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    data = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    chars = np.fromiter(map(len, prepared), dtype=np.int64, count=len(prepared))
    # each character's text, and where that text ends (in characters)
    owner = np.repeat(np.arange(len(prepared)), chars)
    ends = np.cumsum(chars)[owner]
    sizes = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    offsets = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    firsts, owners_of, lengths_of = [], [], []
    for n in range(low, high + 1):
        start = np.flatnonzero(np.arange(len(points)) + n <= ends)
        firsts.append(offsets[start])
        lengths_of.append(offsets[start + n] - offsets[start])
        owners_of.append(owner[start])
    first = np.concatenate(firsts)
    if not len(first):
        return indptr, np.zeros(0, dtype=np.int32), np.zeros(0)
    lengths = np.concatenate(lengths_of)
    width = 4 * high  # four bytes a character at most: whole 32-bit words
    at = np.minimum(first[:, None] + np.arange(width)[None, :], len(data) - 1)
    rows = np.where(np.arange(width)[None, :] < lengths[:, None], data[at], 0).astype(np.uint8)
    hashes = murmur3_32(rows, lengths).astype(np.int64)
    # in 64 bits abs(-2**31) is 2**31, whose column is the one scikit-learn defines for
    # it, (2**31 - 1 - (n_features - 1)) % n_features
    keys = np.concatenate(owners_of) * n_features + np.abs(hashes) % n_features
    unique, counts = np.unique(keys, return_counts=True)
    np.cumsum(np.bincount(unique // n_features, minlength=len(texts)), out=indptr[1:])
    return indptr, (unique % n_features).astype(np.int32), counts.astype(np.float64)
