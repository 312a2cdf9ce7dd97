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


def _grams(text: str, ngrams: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of every n-gram of ``text`` (zero-padded rows) and their lengths."""
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    offsets = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    low, high = ngrams
    starts_of, stops_of = [], []
    for n in range(low, min(high, len(points)) + 1):
        starts_of.append(offsets[: len(points) - n + 1])
        stops_of.append(offsets[n:])
    width = 4 * high  # four bytes a character at most: whole 32-bit words
    if not starts_of:
        return np.zeros((0, width), dtype=np.uint8), np.zeros(0, dtype=np.int64)
    starts = np.concatenate(starts_of)
    lengths = np.concatenate(stops_of) - starts
    at = starts[:, None] + np.arange(width)[None, :]
    inside = np.arange(width)[None, :] < lengths[:, None]
    rows = np.where(inside, data[np.minimum(at, len(data) - 1)], 0).astype(np.uint8)
    return rows, lengths


def hashed_char_ngrams(
    texts: Sequence[str], n_features: int, ngrams: tuple[int, int] = (2, 3)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, indices, data) of the texts' hashed n-gram counts, one row per text, each
    row's columns in increasing order, each once: scikit-learn's
    ``HashingVectorizer(analyzer="char", ngram_range=ngrams, n_features=n_features,
    alternate_sign=False, norm=None).transform(texts)`` as a CSR matrix with sorted
    indices. ``ngrams`` from 2: a 1-gram is a character, which scikit-learn treats apart."""
    if ngrams[0] < 2 or ngrams[1] < ngrams[0]:
        raise ValueError("n-gram lengths from 2 up")
    rows_of, lengths_of, owners_of = [], [], []
    for n, text in enumerate(texts):
        rows, lengths = _grams(_WHITE_SPACES.sub(" ", text.lower()), ngrams)
        rows_of.append(rows)
        lengths_of.append(lengths)
        owners_of.append(np.full(len(lengths), n, dtype=np.int64))
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    if not texts or not sum(len(lengths) for lengths in lengths_of):
        return indptr, np.zeros(0, dtype=np.int32), np.zeros(0)
    hashes = murmur3_32(np.concatenate(rows_of), np.concatenate(lengths_of)).astype(np.int64)
    # in 64 bits abs(-2**31) is 2**31, whose column is the one scikit-learn defines for
    # it, (2**31 - 1 - (n_features - 1)) % n_features
    columns = np.abs(hashes) % n_features
    keys = np.concatenate(owners_of) * n_features + columns
    unique, counts = np.unique(keys, return_counts=True)
    owners = unique // n_features
    np.cumsum(np.bincount(owners, minlength=len(texts)), out=indptr[1:])
    return indptr, (unique % n_features).astype(np.int32), counts.astype(np.float64)
