"""The story stage's fast paths decide exactly what the plain ones decide (issue 21).

Real texts: the story sets of ``benchmarks/data`` (the tuning sets, not the held-out
ones), and ``../shared/eval/neardup`` when it is there. Each fast path is run beside the
per-pair code it replaced, and the results are compared for equality, not closeness.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from jianbao.judge.dedup import StoryIndex, _Entry

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

    def _scores(self, a: _Entry, others: list[_Entry]) -> np.ndarray:
        found = [self._same_story(a, b) for b in others]
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
    have put forward: jaccard, sentence containment and the shared headline rules."""
    index = StoryIndex[int](0.5)
    entries = [index._parse(s) for s in index.signatures(_texts()[:240])]
    kinds = set()
    for a in entries:
        scores = index._scores(a, entries)
        for b, score in zip(entries, scores, strict=True):
            pair = index._same_story(a, b)
            assert (None if score < 0 else float(score)) == pair
            kinds.add(None if pair is None else pair == index.threshold)
    assert kinds == {None, True, False}
