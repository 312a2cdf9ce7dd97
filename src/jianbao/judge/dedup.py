"""One story per event: near-duplicate detection with MinHash LSH on character shingles.

A story republished by several outlets differs by a header, a 来源 line, a paragraph
dropped or added, an advertisement, a cut at the end. Character 3-grams of the text with
punctuation and white space removed survive all of these; MinHash (rensa, in Rust)
condenses them into a fixed-size signature, and locality-sensitive hashing over bands of
the signature finds the likely duplicates of a new article without comparing it with
every stored one.

Texts are signed in the form they are judged in, Simplified without mirror artefacts
(:func:`jianbao.judge.normalize.simplified`): a 繁體 reprint of a Simplified story, or a
mirror that glosses every character with its pinyin, signs as the original.

Lines that are page furniture rather than text (来源 and 责任编辑 lines, share bars,
advertisements, bare dates) are left out before shingling: every outlet adds its own, and
two different stories from one outlet share them.

Signatures are plain bytes, stored with each article, so :meth:`StoryIndex.from_signatures`
rebuilds the index after a restart without the texts. Besides the MinHash digest a
signature carries fingerprints of the article's sentences (a truncated copy, or one with
paragraphs dropped or added, keeps most sentences of the original although the Jaccard
similarity of the whole texts drops; estimating containment from MinHash is too noisy
when the sizes differ) and a hash of the normalized title (short items — a 50-character
快讯 — have too few shingles, so equal titles decide).

Two articles are one story when:
- the estimated Jaccard similarity of their shingle sets is at least ``threshold``; or
- at least ``containment`` of the sentences of the one with fewer sentences occur in
  the other (and at least two do); or
- their normalized titles are equal and one of them is short, or the texts overlap
  at least half as much as ``threshold`` asks.

Typical use (the pipeline keeps story ids in the database)::

    index = StoryIndex.from_signatures(stored_pairs, threshold=settings.dedup_threshold)
    signature = index.signature(body, title=title)
    similar = index.query(signature)        # keys of likely duplicates, best first
    index.add(article_id, signature)

or in one step ``existing = index.assign_story(article_id, body, title)``, which returns
the key of the best matching stored article (whose story the new one joins) or None.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import numpy as np
import rensa

from jianbao.judge.normalize import simplified, simplified_many
from jianbao.judge.summary import is_furniture

K = TypeVar("K", bound=Hashable)

SIGNATURE_VERSION = 2
NUM_PERM = 128
ROWS_PER_BAND = 3
SHINGLE = 3
SEED = 20231016
#: below this many shingles an item is "short": its title decides
SHORT_SHINGLES = 120
#: sentence fingerprints kept per signature: the first ones, then a sample by hash
MAX_SENTENCES = 64
FIRST_SENTENCES = 16
#: sentence fingerprints put in the lookup table per article (the first, the smallest)
INDEXED_FIRST = 3
INDEXED_SMALLEST = 3
#: a sentence shorter than this (in characters without punctuation) is not fingerprinted
MIN_SENTENCE = 10

#: texts signed together at most (bounds the work arrays)
_CHUNK = 256

#: version, num_perm, shingle-set size, title hash, sentence fingerprints
_HEADER = struct.Struct("<BHIQH")
_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_BARE_DATE = re.compile(r"^[\d\s:：/\-.年月日时分]+$")
#: an outlet's name after the headline: "…_新华网", "… | 人民网", "… - 健康界"
_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s|——)\s*[^_|｜—]{1,16}$")
#: a character every outlet suffix has (a headline without one has none to strip)
_SUFFIX_MARK = re.compile("[_|｜\\-—–]")
_MASK64 = (1 << 64) - 1
#: the array type code of unsigned 32-bit little-endian words here ("" where none is)
_NATIVE_U32 = (
    next((code for code in "IL" if array(code).itemsize == 4), "")
    if sys.byteorder == "little"
    else ""
)


_tables: tuple[np.ndarray, np.ndarray] | None = None


def _code_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: its folded form (NFKC, case-folded; 0 for punctuation and
    space, which are dropped) and whether it ends a sentence. Built once (≈0.1 s); text
    is then normalized with array lookups instead of per-character Python."""
    global _tables
    if _tables is None:
        fold = np.zeros(0x10000, dtype=np.uint32)
        for code in range(0x10000):
            if 0xD800 <= code < 0xE000:
                continue
            folded = unicodedata.normalize("NFKC", chr(code)).casefold()
            if len(folded) == 1 and _NON_WORD.match(folded) is None:
                fold[code] = ord(folded)
        ends = np.zeros(0x10000, dtype=bool)
        for char in "。！？!?；;\n\x00":  # \x00 separates texts in a batch
            ends[ord(char)] = True
        _tables = (fold, ends)
    return _tables


@lru_cache(maxsize=1)
def _nfkc_tables() -> tuple[re.Pattern[str], dict[int, str], re.Pattern[str]]:
    """What NFKC needs of a whole string, character by character: the characters that may
    join a neighbour (a combining mark, the second character of a canonical composition,
    Hangul's vowel and final jamo, any character whose NFKC form holds one of these, and
    everything beyond the BMP), and the NFKC form of every other character that changes.
    A string without the first is its characters' forms end to end — a headline's
    full-width punctuation (，：) made NFKC normalise it the slow way, most of a
    signature's headline hash. Built once (≈0.1 s); with them, one character class of
    the characters that change (replacing the few found is faster than translating a
    headline through the table)."""
    joining = {chr(code) for code in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    forms: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if unicodedata.combining(char):
            joining.add(char)
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            joining.add(chr(int(parts[1], 16)))
        form = unicodedata.normalize("NFKC", char)
        if form != char:
            forms[code] = form
    for code, form in list(forms.items()):
        if any(part in joining for part in form):
            joining.add(chr(code))
            del forms[code]
    for char in joining:
        forms.pop(ord(char), None)
    pattern = "".join(re.escape(char) for char in sorted(joining) if ord(char) < 0x10000)
    changing = "".join(re.escape(chr(code)) for code in sorted(forms))
    return re.compile(f"[{pattern}\U00010000-\U0010ffff]"), forms, re.compile(f"[{changing}]")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, by a table where no character may join
    a neighbour (:func:`_nfkc_tables`)."""
    joining, forms, changing = _nfkc_tables()
    if text.isascii() or joining.search(text) is not None:
        return unicodedata.normalize("NFKC", text)
    return changing.sub(lambda match: forms[ord(match.group())], text)


def normalize_text(text: str) -> str:
    """Text as it is shingled: NFKC, case-folded, without punctuation or white space."""
    return _NON_WORD.sub("", _nfkc(text).casefold())


def _folded(text: str) -> str:
    """:func:`normalize_text` of a text NFKC made (NFKC finds it normal at a glance)."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def normalize_title(title: str) -> str:
    """A headline without the outlet's suffix, punctuation and white space."""
    title = _nfkc(title).strip()
    if _SUFFIX_MARK.search(title) is None:  # no outlet suffix (the usual case)
        return _folded(title)
    stripped = _TITLE_SUFFIX.sub("", title)
    if stripped == title:
        return _folded(title)
    if len(_folded(stripped)) >= 6:
        title = stripped
    return _folded(title)


def strip_furniture(text: str) -> str:
    """The text without lines that are page furniture (来源, 责任编辑, ads, bare dates)."""
    lines = [
        line
        for line in text.split("\n")
        if line.strip()
        and (len(line) > 80 or (not is_furniture(line) and not _BARE_DATE.match(line.strip())))
    ]
    return "\n".join(lines)


def _hash64(data: bytes) -> int:
    """A 64-bit hash that is the same in every process and version (unlike hash())."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _select(prints: list[int]) -> list[int]:
    """Distinct fingerprints: the first FIRST_SENTENCES in order, then the smallest of the
    rest (a sample that is the same in every copy containing those sentences)."""
    prints = list(dict.fromkeys(prints))
    if len(prints) <= MAX_SENTENCES:
        return prints
    head = prints[:FIRST_SENTENCES]
    return head + sorted(set(prints[FIRST_SENTENCES:]) - set(head))[: MAX_SENTENCES - len(head)]


#: odd multiplier of the polynomial sentence hash, and its inverse modulo 2**64
_BASE = 0x9E3779B97F4A7C15
_BASE_INVERSE = pow(_BASE, -1, 2**64)
_powers: tuple[np.ndarray, np.ndarray] = (np.ones(1, np.uint64), np.ones(1, np.uint64))


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n (uint64 arithmetic wraps)."""
    global _powers
    if len(_powers[0]) < n:
        size = max(n, 2 * len(_powers[0]))
        with np.errstate(over="ignore"):
            up = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
            down = np.cumprod(np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64)
        one = np.ones(1, dtype=np.uint64)
        _powers = (np.concatenate((one, up[:-1])), np.concatenate((one, down[:-1])))
    return _powers


@dataclass(slots=True)
class _Batch:
    """The word characters of many texts, folded, with their sentence and text numbers."""

    codes: np.ndarray
    sentence: np.ndarray
    doc: np.ndarray
    count: int


def _fold_batch(texts: Sequence[str]) -> _Batch:
    """One pass of array lookups over all texts (joined by a separator that ends a sentence)."""
    fold, ends = _code_tables()
    codes = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(codes)]
    if len(codes) and int(codes.max()) > 0xFFFF:
        bmp = np.minimum(codes, 0xFFFF)
        astral = codes > 0xFFFF
        mapped = np.where(astral, codes, fold[bmp])
        sentence = np.cumsum(ends[bmp] & ~astral)
    else:  # no character beyond the BMP (the usual case): plain table lookups
        mapped = fold[codes]
        sentence = np.cumsum(ends[codes])
    keep = mapped != 0
    return _Batch(mapped[keep].astype(np.uint64), sentence[keep], doc[keep], len(texts))


def _batch_shingles(batch: _Batch, k: int = SHINGLE) -> tuple[np.ndarray, np.ndarray]:
    """Character k-gram ids (code points packed 21 bits each: exact) and their offsets
    per text; a text too short for one k-gram gets its whole text as one id."""
    codes, doc = batch.codes, batch.doc
    if len(codes) >= k:
        packed = codes[: len(codes) - k + 1].copy()
        for j in range(1, k):
            packed = (packed << np.uint64(21)) | codes[j : len(codes) - k + 1 + j]
        inside = doc[: len(codes) - k + 1] == doc[k - 1 :]
        hashes, owner = packed[inside], doc[: len(codes) - k + 1][inside]
    else:
        hashes, owner = np.zeros(0, np.uint64), np.zeros(0, np.int64)
    counts = np.bincount(owner, minlength=batch.count)
    short = np.flatnonzero(counts == 0)
    if len(short):
        extra_hashes, extra_owner = [], []
        for n in short.tolist():
            mine = codes[doc == n]
            if len(mine):
                extra_hashes.append(int(sum(int(c) << (21 * i) for i, c in enumerate(mine))))
                extra_owner.append(n)
        if extra_owner:
            hashes = np.concatenate((hashes, np.array(extra_hashes, dtype=np.uint64)))
            owner = np.concatenate((owner, np.array(extra_owner, dtype=np.int64)))
            order = np.argsort(owner, kind="stable")
            hashes, owner = hashes[order], owner[order]
            counts = np.bincount(owner, minlength=batch.count)
    offsets = np.zeros(batch.count + 1, dtype=np.uint64)
    offsets[1:] = np.cumsum(counts)
    return hashes, offsets


def _batch_fingerprints(batch: _Batch) -> list[list[int]]:
    """Each text's sentence fingerprints (32 bits of a polynomial hash of the sentence's
    folded word characters), computed for all sentences at once."""
    codes, sentence, doc = batch.codes, batch.sentence, batch.doc
    if not len(codes):
        return [[] for _ in range(batch.count)]
    cuts = np.flatnonzero(sentence[1:] != sentence[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    stops = np.concatenate((cuts, [len(codes)]))
    long_enough = (stops - starts) >= MIN_SENTENCE
    starts, stops = starts[long_enough], stops[long_enough]
    up, down = _power_tables(len(codes) + 1)
    with np.errstate(over="ignore"):
        terms = np.cumsum(codes * up[: len(codes)], dtype=np.uint64)
        prefix = np.concatenate((np.zeros(1, dtype=np.uint64), terms))
        hashed = ((prefix[stops] - prefix[starts]) * down[starts]) >> np.uint64(32)
    # the texts come one after another, so each text's sentences are one run
    ends = np.cumsum(np.bincount(doc[starts], minlength=batch.count)).tolist()
    values = hashed.tolist()
    return [_select(values[begin:end]) for begin, end in zip([0, *ends[:-1]], ends, strict=True)]


def sentence_fingerprints(text: str) -> list[int]:
    """32-bit fingerprints of the text's sentences, punctuation and spacing ignored."""
    return _batch_fingerprints(_fold_batch([text]))[0]


def _u32_bytes(values: list[int]) -> bytes:
    """Unsigned 32-bit little-endian bytes of ``values`` (a signature's digest and
    sentences): an array of machine words where those are they (a list of lists made an
    array a row at a time: about 3 µs a signature, issue 20)."""
    if _NATIVE_U32:
        return array(_NATIVE_U32, values).tobytes()
    return np.asarray(values, dtype="<u4").tobytes()


def _distinct(hashes: np.ndarray) -> int:
    if len(hashes) < 2:
        return len(hashes)
    ordered = np.sort(hashes)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1


def _title_hash(title: str | None) -> int:
    if not title:
        return 0
    normalized = normalize_title(title)
    if len(normalized) < 6:
        return 0
    return _hash64(normalized.encode("utf-8")) or 1


class StoryIndex(Generic[K]):
    """Near-duplicate index over article signatures; keys are the caller's ids."""

    def __init__(
        self,
        threshold: float = 0.5,
        *,
        containment: float = 0.6,
        num_perm: int = NUM_PERM,
        rows_per_band: int = ROWS_PER_BAND,
    ):
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.containment = containment
        self.num_perm = num_perm
        self.rows = rows_per_band
        self.bands = num_perm // rows_per_band
        rng = np.random.default_rng(SEED)
        self._band_salts = rng.integers(1, 2**62, size=self.bands).astype(np.uint64)
        self._multipliers = rng.integers(1, 2**62, size=self.rows).astype(np.uint64) * 2 + 1
        # the lookup tables map band keys, sentence fingerprints and headline hashes to
        # slots, in compact arrays: dicts of Python ints cost ~3.4 KB per article (issue 21)
        self._buckets = _Table()
        self._titles = _Table()
        self._sentences = _Table()
        self._last: tuple[bytes, _Entry] | None = None
        # what a query compares, column by column: each entry's place (a slot, reused
        # after a removal), digests, sizes, headline hashes and counts of sentences — a
        # headline shared by hundreds of stored articles made a query hundreds of
        # per-entry calls (issue 21). An entry's digest is a view of its row, so the
        # signature it was read from is not kept beside it
        self._slots: dict[K, int] = {}
        self._key_of: list[K | None] = []  # each slot's key (None: free)
        self._free: list[int] = []
        self._digests = np.zeros((0, num_perm), dtype="<u4")
        self._sizes = np.zeros(0, dtype=np.int64)
        self._title_of = np.zeros(0, dtype=np.uint64)
        self._print_counts = np.zeros(0, dtype=np.int64)
        #: every entry's sentences end to end (an entry's from its start), so a query
        #: gathers its candidates' sentences in one step; a removed entry's stay unused
        self._pool = np.zeros(0, dtype="<u4")
        self._pooled = 0
        self._print_start = np.zeros(0, dtype=np.int64)

    # -- signatures ----------------------------------------------------------------------

    def signature(self, text: str, title: str | None = None) -> bytes:
        """The storable signature of an article's text.

        When ``title`` is None the first line of ``text`` that is not page furniture is
        taken as the title (the pipeline signs ``title + "\\n" + body``).
        """
        return self.signatures([text], None if title is None else [title])[0]

    def signatures(
        self, texts: Sequence[str], titles: Sequence[str | None] | None = None
    ) -> list[bytes]:
        """Signatures of many texts at once (one call into rensa: faster in bulk)."""
        if len(texts) > _CHUNK:  # bounded work arrays (and cached power tables)
            chosen = titles if titles is not None else [None] * len(texts)
            return [
                signature
                for at in range(0, len(texts), _CHUNK)
                for signature in self.signatures(
                    texts[at : at + _CHUNK], list(chosen[at : at + _CHUNK])
                )
            ]
        # signed in Simplified without mirror artefacts: a 繁體 reprint is the same story
        cleaned = [strip_furniture(t) for t in simplified_many(texts)]
        if titles is None:
            titles = [t.split("\n", 1)[0] for t in cleaned]
        else:
            titles = [
                simplified(title) if title is not None else text.split("\n", 1)[0]
                for title, text in zip(titles, cleaned, strict=True)
            ]
        if not cleaned:
            return []
        batch = _fold_batch(cleaned)
        hashes, offsets = _batch_shingles(batch)
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            hashes, offsets, self.num_perm, SEED
        )
        digests = matrix.to_rows()
        prints = _batch_fingerprints(batch)
        bounds = offsets.astype(np.int64).tolist()
        result = []
        for n, title in enumerate(titles):
            count = bounds[n + 1] - bounds[n]
            size = (
                count
                if count >= 4 * SHORT_SHINGLES
                else _distinct(hashes[bounds[n] : bounds[n + 1]])
            )
            mine = prints[n]
            header = _HEADER.pack(
                SIGNATURE_VERSION,
                self.num_perm,
                min(size, 2**32 - 1),
                _title_hash(title),
                len(mine),
            )
            result.append(header + _u32_bytes(digests[n]) + _u32_bytes(mine))
        return result

    def _unpack(self, signature: bytes) -> _Entry:
        """The entry of a signature; the last one is cached, as callers query a signature
        and then add it."""
        last = self._last
        if last is not None and (last[0] is signature or last[0] == signature):
            return last[1]
        entry = self._parse(signature)
        self._last = (signature, entry)
        return entry

    def _parse(self, signature: bytes) -> _Entry:
        version, num_perm, size, title, count = _HEADER.unpack_from(signature)
        if version != SIGNATURE_VERSION or num_perm != self.num_perm:
            raise ValueError(
                f"signature of version {version} with {num_perm} permutations does not fit "
                f"this index (version {SIGNATURE_VERSION}, {self.num_perm}); "
                "recompute the signatures from the stored texts"
            )
        digest = np.frombuffer(signature, dtype="<u4", count=num_perm, offset=_HEADER.size)
        prints = np.frombuffer(
            signature, dtype="<u4", count=count, offset=_HEADER.size + 4 * num_perm
        )
        return _Entry(digest, size, title, prints)

    def _band_keys(self, digest: np.ndarray) -> np.ndarray:
        """One key per band of rows: each row's value times an odd constant, the products
        XORed and salted per band (a few array operations rather than a Python loop over
        the bands; the tables live in memory only, so the hash need not be stored)."""
        rows = digest[: self.bands * self.rows].reshape(self.bands, self.rows).astype(np.uint64)
        # (integer arrays wrap silently on overflow: the products are taken modulo 2**64)
        mixed = np.bitwise_xor.reduce(rows * self._multipliers, axis=1)
        return mixed ^ self._band_salts

    # -- the index -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def add(self, key: K, signature: bytes) -> None:
        """Index one article's signature under ``key`` (adding a key twice replaces it)."""
        if key in self._slots:
            self.remove(key)
        entry = self._unpack(signature)
        if entry.bands is None:
            entry.keep_bands(self._band_keys(entry.digest))
        slot = self._place(key, entry)
        self._buckets.put_all(entry.bands or [], slot)
        self._sentences.put_all(_indexed_sentences(entry.prints.tolist()), slot)
        if entry.title:
            self._titles.put_all([entry.title], slot)
        self._last = None

    def _place(self, key: K, entry: _Entry) -> int:
        """Give ``entry`` a slot of the columns (only the columns keep it)."""
        if self._free:
            slot = self._free.pop()
            self._key_of[slot] = key
        else:
            slot = len(self._slots)  # every slot below is taken
            self._key_of.append(key)
            if slot >= len(self._sizes):
                # a quarter more each time: the spare rows stay few (memory, issue 21)
                self._grow(256 + len(self._sizes) * 5 // 4)
        self._digests[slot] = entry.digest
        self._sizes[slot] = entry.size
        self._title_of[slot] = entry.title
        self._print_counts[slot] = len(entry.prints)
        self._print_start[slot] = self._pooled
        end = self._pooled + len(entry.prints)
        if end > len(self._pool):
            pool = np.zeros(4096 + end * 5 // 4, dtype="<u4")
            pool[: self._pooled] = self._pool[: self._pooled]
            self._pool = pool
        self._pool[self._pooled : end] = entry.prints
        self._pooled = end
        self._slots[key] = slot
        return slot

    def _grow(self, capacity: int) -> None:
        held = len(self._sizes)
        digests = np.zeros((capacity, self.num_perm), dtype="<u4")
        digests[:held] = self._digests
        self._digests = digests
        for name in ("_sizes", "_title_of", "_print_counts", "_print_start"):
            column = getattr(self, name)
            grown = np.zeros(capacity, dtype=column.dtype)
            grown[:held] = column
            setattr(self, name, grown)

    def remove(self, key: K) -> bool:
        """Forget a key; True when it was indexed."""
        slot = self._slots.pop(key, None)
        if slot is None:
            return False
        start = int(self._print_start[slot])
        prints = self._pool[start : start + int(self._print_counts[slot])].tolist()
        self._buckets.drop(self._band_keys(self._digests[slot]).tolist(), slot)
        self._sentences.drop(_indexed_sentences(prints), slot)
        title = int(self._title_of[slot])
        if title:
            self._titles.drop([title], slot)
        self._key_of[slot] = None
        self._free.append(slot)
        self._last = None
        return True

    def query(self, signature: bytes) -> list[K]:
        """Keys of indexed articles that are likely the same story, most similar first."""
        return [key for key, _score in self.query_scored(signature)]

    def query_scored(self, signature: bytes) -> list[tuple[K, float]]:
        """Like :meth:`query`, with each key's similarity: the estimated Jaccard
        similarity, or the sentence containment when that is higher."""
        entry = self._unpack(signature)
        if entry.bands is None:
            entry.keep_bands(self._band_keys(entry.digest))
        # the slots of the candidates in the order found (a dict: the first place counts)
        candidates: dict[int, None] = {}
        self._buckets.collect(entry.bands or [], candidates, entry.band_array)
        self._sentences.collect(entry.prints.tolist(), candidates)
        if entry.title:
            self._titles.collect([entry.title], candidates)
        if not candidates:  # a new story (most articles): nothing to score
            return []
        key_of = self._key_of
        keys: list[K] = list(map(key_of.__getitem__, candidates))  # type: ignore[arg-type]
        scores = self._scores(entry, keys)
        found = [(keys[n], float(scores[n])) for n in np.flatnonzero(scores >= 0).tolist()]
        found.sort(key=lambda pair: -pair[1])
        return found

    @property
    def _entries(self) -> Mapping[K, _Entry]:
        """The indexed entries by key, each read from the columns when asked for."""
        return _EntryView(self)

    def _entry(self, slot: int) -> _Entry:
        start = int(self._print_start[slot])
        return _Entry(
            self._digests[slot],
            int(self._sizes[slot]),
            int(self._title_of[slot]),
            self._pool[start : start + int(self._print_counts[slot])],
        )

    def _scores(self, a: _Entry, keys: list[K]) -> np.ndarray:
        """:meth:`_same_story` of ``a`` with the entries of ``keys`` at once (the same floats),
        -1 where it says None: a headline shared by hundreds of stored articles (a site's
        日报 of every day) made a query hundreds of calls (issue 21)."""
        count = len(keys)
        scores = np.full(count, -1.0)
        if not count or not a.size:  # an empty text is nobody's copy
            return scores
        slots = np.fromiter(map(self._slots.__getitem__, keys), dtype=np.int64, count=count)
        sizes = self._sizes[slots]
        alike = np.count_nonzero(self._digests[slots] == a.digest, axis=1)
        jaccard = alike / self.num_perm
        open_ = sizes > 0
        passed = open_ & (jaccard >= self.threshold)
        scores[passed] = jaccard[passed]
        open_ &= ~passed
        lengths = self._print_counts[slots]
        fewer = np.minimum(len(a.prints), lengths)
        looked = np.flatnonzero(open_ & (fewer > 0))
        if len(looked):
            # each stored sentence found among the new article's (repeats counted)
            counts = lengths[looked]
            ends = np.cumsum(counts)
            # the pool's places of the candidates' sentences, one run per candidate
            places = np.arange(ends[-1]) + np.repeat(
                self._print_start[slots[looked]] - (ends - counts), counts
            )
            prints = self._pool[places]
            owner = np.repeat(np.arange(len(looked)), counts)
            shared = np.bincount(
                owner, weights=np.isin(prints, a.prints), minlength=len(looked)
            ).astype(np.int64)
            share = shared / fewer[looked]
            kept = (shared >= 2) & (share >= self.containment)
            scores[looked[kept]] = np.maximum(jaccard[looked[kept]], share[kept])
            open_[looked[kept]] = False
        if a.title:
            titles = self._title_of[slots]
            short = np.minimum(a.size, sizes) < SHORT_SHINGLES
            same = (
                open_ & (titles == np.uint64(a.title)) & (short | (jaccard >= self.threshold / 2))
            )
            scores[same] = np.maximum(jaccard[same], self.threshold)
        return scores

    def similarity(self, first: bytes, second: bytes) -> float:
        """Estimated Jaccard similarity of two signatures' shingle sets."""
        a, b = self._unpack(first), self._unpack(second)
        return float(np.count_nonzero(a.digest == b.digest)) / self.num_perm

    def is_duplicate(self, first: bytes, second: bytes) -> bool:
        """Whether two signatures are the same story by this index's rules."""
        return self._same_story(self._unpack(first), self._unpack(second)) is not None

    def _same_story(self, a: _Entry, b: _Entry) -> float | None:
        """The pair's similarity when they are one story, else None."""
        if not a.size or not b.size:  # an empty text is nobody's copy
            return None
        jaccard = float(np.count_nonzero(a.digest == b.digest)) / self.num_perm
        if jaccard >= self.threshold:
            return jaccard
        fewer = min(len(a.prints), len(b.prints))
        if fewer:
            shared = a.shared_sentences(b)
            if shared >= 2 and shared / fewer >= self.containment:
                return max(jaccard, shared / fewer)
        if a.title and a.title == b.title:
            short = min(a.size, b.size) < SHORT_SHINGLES
            if short or jaccard >= self.threshold / 2:
                return max(jaccard, self.threshold)
        return None

    def assign_story(self, key: K, text: str, title: str | None = None) -> K | None:
        """Index an article and return the key of the most similar stored article (the
        story it joins), or None when it starts a new story."""
        signature = self.signature(text, title)
        similar = [k for k in self.query(signature) if k != key]
        self.add(key, signature)
        return similar[0] if similar else None

    @classmethod
    def from_signatures(
        cls, pairs: Iterable[tuple[K, bytes]], threshold: float = 0.5, **options: int | float
    ) -> StoryIndex[K]:
        """Rebuild an index from stored ``(key, signature)`` pairs; signatures of another
        version or size are skipped (recompute them to include those articles)."""
        index: StoryIndex[K] = cls(threshold, **options)  # type: ignore[arg-type]
        for key, signature in pairs:
            try:
                index.add(key, bytes(signature))
            except (ValueError, struct.error):
                continue
        return index


class _Entry:
    """One signature read: MinHash digest, shingle-set size, title hash, sentences (the
    arrays are views into the signature's bytes; once indexed, only the index's columns
    keep them)."""

    __slots__ = ("band_array", "bands", "digest", "prints", "size", "title")

    def __init__(self, digest: np.ndarray, size: int, title: int, prints: np.ndarray):
        self.digest = digest
        self.size = size
        self.title = title
        self.prints = prints
        self.bands: list[int] | None = None
        self.band_array: np.ndarray | None = None

    def keep_bands(self, keys: np.ndarray) -> None:
        """The band keys, as an array (looked up) and as a list (put in a dict)."""
        self.band_array = keys
        self.bands = keys.tolist()

    def shared_sentences(self, other: _Entry) -> int:
        mine = set(self.prints.tolist())
        return sum(1 for p in other.prints.tolist() if p in mine)


class _EntryView(Mapping[K, _Entry]):
    """An index's entries by key, read from its columns (none is kept as an object)."""

    def __init__(self, index: StoryIndex[K]):
        self._index = index

    def __getitem__(self, key: K) -> _Entry:
        return self._index._entry(self._index._slots[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._index._slots)

    def __len__(self) -> int:
        return len(self._index._slots)


def _indexed_sentences(prints: list[int]) -> list[int]:
    """The sentence fingerprints put in the lookup table: the first and the smallest."""
    sample = set(prints[:INDEXED_FIRST])
    sample.update(sorted(prints)[:INDEXED_SMALLEST])
    return list(sample)


#: entries a table takes in its dict before they are sorted into its arrays
_PENDING = 1 << 15
#: bits of a table's presence map per entry of its arrays (one byte: an absent key passes
#: for present about one time in twelve)
_BITS_PER_ENTRY = 8
#: each of a byte's bits, by its place
_BIT = np.array([1 << n for n in range(8)], dtype=np.uint8)
#: keys found maybe present, at most, searched in Python (more: in one array operation)
_FEW = 8


class _Table:
    """A multimap from integer keys (below 2**64) to slots, in two sorted arrays — 12
    bytes an entry instead of ~80 for a dict of Python ints (issue 21). New entries wait
    in a small dict until there are :data:`_PENDING` of them; a removed entry of the
    arrays is marked -1 until the next sort. A key's slots come in the order they were
    put, as a dict of lists gave them.

    A map of one bit per key's low bits (:data:`_BITS_PER_ENTRY` bits an entry of the
    arrays) answers most lookups of an absent key — a new story's keys are nearly all
    absent — with one read of a small array, in Python: a binary search of the large
    sorted array misses the processor's cache at most of its steps (a new story's 42 band
    keys in a table of 20,000 articles cost some 25 µs so). Only the keys whose bit is
    set are searched."""

    __slots__ = (
        "_absent",
        "_bits",
        "_dropped",
        "_keys",
        "_many",
        "_mask",
        "_recent",
        "_slots",
        "_sorted",
        "_view",
        "_waiting",
    )

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)
        self._slots = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, int | list[int]] = {}
        #: the waiting keys that hold a list of slots (all others hold one slot), so a
        #: sort reads the rest straight from the dict
        self._many: set[int] = set()
        self._waiting = 0
        #: entries of the arrays marked removed (-1) since the last sort
        self._dropped = 0
        #: the presence map: bit ``key & mask`` set for every key of the arrays (a removed
        #: key's bit may stay set, which only costs a search)
        self._bits = bytearray(1)
        self._mask = 7
        #: the map's bytes as an array (many keys' bits read at once) and the keys' array
        #: as Python reads it (a few keys searched without array operations)
        self._view = np.frombuffer(self._bits, dtype=np.uint8)
        self._sorted = self._keys.data
        #: the keys :meth:`collect` last found none of among the waiting ones, while they
        #: are unchanged: a query's band keys are then added without that test again
        self._absent: list[int] | None = None

    def put_all(self, keys: list[int], slot: int) -> None:
        recent = self._recent
        absent, self._absent = self._absent, None
        if keys is absent or recent.keys().isdisjoint(keys):  # the common case: one update
            recent.update(dict.fromkeys(keys, slot))
            self._waiting += len(keys)
            if self._waiting >= _PENDING:
                self._sort()
            return
        for key in dict.fromkeys(keys):
            held = recent.get(key)
            if held is None:
                recent[key] = slot
            elif isinstance(held, list):
                held.append(slot)
            else:
                recent[key] = [held, slot]
                self._many.add(key)
        self._waiting += len(keys)
        if self._waiting >= _PENDING:
            self._sort()

    def _sort(self) -> None:
        """Move the waiting entries into the arrays (a stable sort: the entries of one
        key keep their order, the older ones first).

        The keys of one slot each are read from the dict as they are, in C; the few that
        hold a list follow, each list in its order (a loop over every waiting entry was
        most of what a sort cost, a tenth of querying and indexing an article: issue 20).
        Only the order within one key matters to a stable sort: the arrays are the same."""
        recent = self._recent
        lists: list[tuple[int, list[int]]] = []
        for key in self._many:
            held = recent.pop(key)
            lists.append((key, held if isinstance(held, list) else [held]))
        keys = np.fromiter(recent.keys(), dtype=np.uint64, count=len(recent))
        slots = np.fromiter(recent.values(), dtype=np.int32, count=len(recent))
        if lists:
            keys = np.concatenate(
                (keys, np.array([key for key, held in lists for _ in held], dtype=np.uint64))
            )
            slots = np.concatenate(
                (slots, np.array([slot for _, held in lists for slot in held], dtype=np.int32))
            )
        # without lists every key is there once: any sort orders them alike (a stable one
        # took half as long again)
        order = np.argsort(keys, kind="stable" if lists else "quicksort")
        keys, slots = keys[order], slots[order]
        held_keys, held_slots = self._keys, self._slots
        if self._dropped:  # only then a copy without the removed ones (an index that
            # only grows, as a cycle's does, would copy its arrays twice a sort: issue 21)
            live = held_slots >= 0
            held_keys, held_slots = held_keys[live], held_slots[live]
        # each new entry after the held ones of its key: one pass, no sort of them all
        # (np.insert's places, written here: one mask of the held places for both arrays)
        places = np.searchsorted(held_keys, keys, side="right")
        places += np.arange(len(keys))
        held_at = np.ones(len(held_keys) + len(keys), dtype=bool)
        held_at[places] = False
        self._keys = np.empty(len(held_at), dtype=np.uint64)
        self._keys[places] = keys
        self._keys[held_at] = held_keys
        self._slots = np.empty(len(held_at), dtype=np.int32)
        self._slots[places] = slots
        self._slots[held_at] = held_slots
        del held_at, held_keys, held_slots
        self._sorted = self._keys.data
        self._recent = {}
        self._many = set()
        self._absent = None
        self._waiting = 0
        self._dropped = 0
        self._mark(keys)

    def _mark(self, keys: np.ndarray) -> None:
        """Set the map's bits of ``keys`` (new in the arrays); when the arrays have
        outgrown the map, a map twice the size, of all their keys."""
        size = len(self._bits) * 8
        if size < _BITS_PER_ENTRY * len(self._keys):
            while size < _BITS_PER_ENTRY * len(self._keys):
                size *= 2
            self._bits = bytearray(size // 8)
            self._view = np.frombuffer(self._bits, dtype=np.uint8)
            self._mask = size - 1
            keys = self._keys
        view = self._view
        mask = np.uint64(self._mask)
        # in small steps: work arrays over a whole table would outweigh the map (issue 21)
        for at in range(0, len(keys), 4096):
            marks = keys[at : at + 4096] & mask
            bits = np.left_shift(np.uint8(1), (marks & np.uint64(7)).astype(np.uint8))
            np.bitwise_or.at(view, marks >> np.uint64(3), bits)

    def _ranges(
        self, keys: list[int], array: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Each key's run in the arrays (starts, ends), or None when no key has one.

        ``array``: the keys as an array too, whose bits of the map are then read in a few
        array operations (a new story's 42 band keys cost a Python loop about as much as
        the rest of its query; a dozen sentences are read faster in Python). The few
        keys the map lets through — nearly every new story has some, one in twelve or so
        — are searched in Python, as only the arrays' steps of their searches are read;
        more, or a key found, in array operations (issue 20)."""
        if not len(self._keys):
            return None
        if array is None:
            bits, mask = self._bits, self._mask
            maybe = [n for n, key in enumerate(keys) if bits[(key & mask) >> 3] >> (key & 7) & 1]
        else:
            marks = array & np.uint64(self._mask)
            maybe = np.flatnonzero(
                self._view[marks >> np.uint64(3)] & _BIT[marks & np.uint64(7)]
            ).tolist()
        if not maybe:  # no search at all
            return None
        if len(maybe) <= _FEW:
            held, count = self._sorted, len(self._sorted)
            for n in maybe:
                key = keys[n]
                place = bisect_left(held, key)
                if place < count and held[place] == key:
                    break
            else:  # none is there (most often so)
                return None
        searched = np.array([keys[n] for n in maybe], dtype=np.uint64)
        at = np.searchsorted(self._keys, searched, side="left")
        found = self._keys[np.minimum(at, len(self._keys) - 1)] == searched
        if not found.any():
            return None
        places = np.array(maybe, dtype=np.int64)
        low = np.zeros(len(keys), dtype=np.int64)
        low[places] = at
        high = low.copy()
        high[places[found]] = np.searchsorted(self._keys, searched[found], side="right")
        return low, high

    def drop(self, keys: list[int], slot: int) -> None:
        ranges = self._ranges(keys)
        if ranges is not None:
            for low, high in zip(ranges[0].tolist(), ranges[1].tolist(), strict=True):
                if high > low:
                    run = self._slots[low:high]
                    mine = run == slot
                    run[mine] = -1
                    self._dropped += int(np.count_nonzero(mine))
        recent = self._recent
        self._absent = None
        for key in keys:
            held = recent.get(key)
            if held is None:
                continue
            if isinstance(held, list):
                if slot in held:
                    held.remove(slot)
                if len(held) == 1:
                    recent[key] = held[0]
                    self._many.discard(key)
                elif not held:
                    del recent[key]
                    self._many.discard(key)
            elif held == slot:
                del recent[key]

    def collect(
        self, keys: list[int], into: dict[int, None], array: np.ndarray | None = None
    ) -> None:
        """Add the slots of ``keys`` to ``into``, key by key, each key's in order
        (``array``: the keys as an array too, see :meth:`_ranges`)."""
        ranges = self._ranges(keys, array)
        # a new story finds every key absent: one C-level test, no Python loop
        pending = bool(self._recent) and not self._recent.keys().isdisjoint(keys)
        self._absent = None if pending else keys
        if ranges is None and not pending:
            return
        found: list[int] = []
        bounds: list[int] = []
        hits: set[int] = set()
        if ranges is not None:  # the runs of all keys end to end, in one step
            counts = ranges[1] - ranges[0]
            ends = np.cumsum(counts)
            places = np.arange(int(ends[-1])) + np.repeat(ranges[0] - (ends - counts), counts)
            found = self._slots[places].tolist()
            bounds = [0, *ends.tolist()]
            hits = set(np.flatnonzero(counts).tolist())
        if not pending:
            into.update(dict.fromkeys(found))
        else:
            helds = list(map(self._recent.get, keys))
            held_at = {n for n, held in enumerate(helds) if held is not None}
            for n in sorted(hits | held_at):
                if n in hits:
                    into.update(dict.fromkeys(found[bounds[n] : bounds[n + 1]]))
                held = helds[n]
                if held is not None:
                    if isinstance(held, list):
                        into.update(dict.fromkeys(held))
                    else:
                        into[held] = None
        into.pop(-1, None)  # a removed entry's mark, not a slot
