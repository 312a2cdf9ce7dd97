"""The story stage's fast paths decide exactly what the plain ones decide (issue 21).

Real texts: the story sets of ``benchmarks/data`` (the tuning sets, not the held-out
ones), and ``../shared/eval/neardup`` when it is there. Each fast path is run beside the
per-pair code it replaced, and the results are compared for equality, not closeness.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from jianbao.judge.dedup import StoryIndex, _Entry
from jianbao.judge.event_vectors import _headlines_to_first, _leads_to_first
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    WINDOW_DAYS,
    EventFacts,
    best_match,
    compare,
    event_facts,
    similarity_matrices,
)

ROOT = Path(__file__).resolve().parents[2]
SETS = ("stories-dev.tsv", "stories-pages.tsv", "stories-tune4.tsv", "stories-heldout.tsv")
NEARDUP = ROOT.parent / "shared" / "eval" / "neardup" / "samples.jsonl"


def _pages() -> list[tuple[str, str]]:
    """(title, text) of the tuning sets' real pages."""
    found = []
    for name in SETS:
        with (ROOT / "benchmarks" / "data" / name).open(encoding="utf-8", newline="") as handle:
            for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(fields) >= 5 and fields[0] != "id":
                    found.append((fields[3], fields[4]))
    assert len(found) > 150
    return found


def _texts() -> list[str]:
    """Articles as the pipeline signs them, with the copies, cut copies and headline
    twins (one page's headline over another's text) that exercise every rule."""
    pages = _pages()
    texts = []
    for n, (title, text) in enumerate(pages):
        texts.append(title + "\n" + text)
        if n % 3 == 0:  # a republication: its last part cut
            texts.append(title + "\n" + text[: max(40, len(text) * 2 // 3)])
        if n % 4 == 0:  # the same headline over another page's text (a site's daily)
            texts.append(title + "\n" + pages[(n + 7) % len(pages)][1])
        if n % 5 == 0:  # the same headline over a short text
            texts.append(title + "\n" + text[:30])
    if NEARDUP.is_file():
        for line in NEARDUP.read_text(encoding="utf-8").splitlines()[:300]:
            pair = json.loads(line)
            texts += [pair["source"].strip(), pair["target"].strip()]
    return texts


class _PerPair(StoryIndex[int]):
    """The index scoring its candidates one pair at a time, as before issue 21."""

    def _scores(self, a: _Entry, keys: list[int]) -> np.ndarray:
        found = [self._same_story(a, self._entries[key]) for key in keys]
        return np.array([-1.0 if score is None else score for score in found])


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_near_copy_queries_find_what_the_per_pair_index_finds(threshold: float) -> None:
    fast, plain = StoryIndex[int](threshold), _PerPair(threshold)
    texts = _texts()
    signatures = fast.signatures(texts)
    found = 0
    for key, signature in enumerate(signatures):
        expected = plain.query_scored(signature)
        assert fast.query_scored(signature) == expected
        assert all(type(score) is float for _key, score in expected)
        found += bool(expected)
        fast.add(key, signature)
        plain.add(key, signature)
    assert found > 50  # the copies were found: the comparison was not of empty lists


def test_batch_scores_are_the_pair_scores_for_every_pair() -> None:
    """Every stored entry against every new one, whatever the index's buckets would
    have put forward: jaccard, sentence containment and the shared headline rules;
    with entries removed and their slots given to others."""
    index = StoryIndex[int](0.5)
    signatures = index.signatures(_texts()[:300])
    for key, signature in enumerate(signatures):
        index.add(key, signature)
    for key in range(0, len(signatures), 4):
        index.remove(key)
    for key in range(0, 120, 8):  # back in other slots, over the columns' growth
        index.add(key, signatures[key])
    keys = sorted(index._entries)
    kinds = set()
    for signature in signatures[:240]:
        a = index._parse(signature)
        scores = index._scores(a, keys)
        for key, score in zip(keys, scores, strict=True):
            pair = index._same_story(a, index._entries[key])
            assert (None if score < 0 else float(score)) == pair
            kinds.add(None if pair is None else pair == index.threshold)
    assert kinds == {None, True, False}
    for key in keys:  # each entry's digest is its own, not its slot's next holder's
        assert np.array_equal(index._entries[key].digest, index._parse(signatures[key]).digest)


# -- the event stage ---------------------------------------------------------------------


def _facts() -> list[EventFacts]:
    """The tuning sets' pages as the event stage reads them, in the order they were
    published (then the loose pairs' texts, undated, when ../shared/eval is there)."""
    found = []
    for name in SETS:
        with (ROOT / "benchmarks" / "data" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                published = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
                found.append(event_facts(row["title"], row["text"], published))
    found.sort(key=lambda facts: facts.published or datetime.min.replace(tzinfo=UTC))
    if NEARDUP.is_file():
        for line in NEARDUP.read_text(encoding="utf-8").splitlines()[:150]:
            text = json.loads(line)["source"].strip()
            found.append(event_facts(re.split(r"(?<=[。！？!?])", text, maxsplit=1)[0][:60], text))
    return [*found, event_facts("", ""), event_facts("药", "")]


def _reference_row(texts: list[str], only: list[int] | None = None) -> np.ndarray:
    """The first row as computed before issue 21's vocabulary: hashed columns counted in
    tables of all 2**19 of them, every text hashed here afresh."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hasher = HashingVectorizer(
        analyzer="char", ngram_range=(2, 3), n_features=2**19, alternate_sign=False, norm=None
    )
    matrix = hasher.transform(texts).tocsr()
    matrix.sort_indices()
    spans = list(itertools.pairwise(matrix.indptr))
    rows = [
        (matrix.indices[a:b], 1.0 + np.log(matrix.data[a:b].astype(np.float64))) for a, b in spans
    ]
    count = len(rows)
    sizes = np.array([len(columns) for columns, _tf in rows], dtype=np.int64)
    result = np.zeros(count)
    if not sizes.sum():
        return result
    columns = np.concatenate([columns for columns, _tf in rows])
    frequency = np.bincount(columns, minlength=2**19)
    idf = np.log((1 + count) / (1 + np.arange(count + 1))) + 1.0
    picked = np.arange(count) if only is None else np.unique(np.asarray([0, *only]))
    picked_columns = np.concatenate([rows[n][0] for n in picked])
    weights = np.concatenate([rows[n][1] for n in picked]) * idf[frequency[picked_columns]]
    owner = np.repeat(np.arange(len(picked)), sizes[picked])
    lengths = np.sqrt(np.bincount(owner, weights=weights**2, minlength=len(picked)))
    lengths[lengths == 0] = 1.0
    first = np.zeros(2**19)
    first[rows[0][0]] = weights[: len(rows[0][0])] / lengths[0]
    dots = np.bincount(owner, weights=first[picked_columns] * weights, minlength=len(picked))
    result[picked] = dots / lengths
    return result


def test_first_rows_are_the_hashed_tables_rows_to_the_last_bit() -> None:
    facts = _facts()
    for at in range(0, len(facts), 7):
        window = [facts[at], *facts[max(0, at - 120) : at], *facts[at + 1 : at + 120]]
        titles = [f.title or "∅" for f in window]
        texts = [f.text or "∅" for f in window]
        only = list(range(1, len(window), 3))
        assert np.array_equal(_headlines_to_first(window), _reference_row(titles))
        assert np.array_equal(_leads_to_first(window, only), _reference_row(texts, only))


def _clusters(facts: list[EventFacts], fast: bool) -> list[int]:
    """Stories as the store makes them: each article in its turn against the earlier
    ones of its window (at most 400), joined to its best match's story."""
    parent = list(range(len(facts)))
    for at, new in enumerate(facts):
        window = [
            f
            for f in facts[max(0, at - 400) : at]
            if not (f.published and new.published)
            or abs(f.published - new.published) <= timedelta(days=WINDOW_DAYS)
        ]
        if not window:
            continue
        if fast:
            found = best_match(new, window)
            best = found[0] if found else None
        else:  # every pair, weights from the window's matrices
            headline, lead = similarity_matrices([new, *window])
            best, score = None, -1.0
            for n, other in enumerate(window):
                match = compare(new, other, float(headline[0, n + 1]), float(lead[0, n + 1]))
                if match.same(DEFAULT_THRESHOLD) and match.score > score:
                    best, score = n, match.score
        if best is not None:
            parent[at] = parent[facts.index(window[best])]
    return parent


def test_the_fast_event_stage_makes_the_stories_every_pair_makes() -> None:
    facts = _facts()
    fast = _clusters(facts, fast=True)
    assert fast == _clusters(facts, fast=False)
    assert len(set(fast)) < len(facts) - 40  # many pages joined: the comparison means something
