"""The event stage's fast path (a new article against its window, issue 21) gives what
the all-pairs matrices give: the same similarities and the same best match."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from jianbao.judge import event_vectors
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    EventFacts,
    best_match,
    compare,
    event_facts,
    similarities_to_first,
    similarity_matrices,
)

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "stories-dev.tsv"


def _facts() -> list[EventFacts]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    facts = [event_facts(row["title"], row["text"]) for row in rows]
    # texts with no n-gram at all (an empty headline, a one-character one) weigh nothing
    return [*facts, event_facts("", ""), event_facts("药", "")]


def test_the_first_row_is_the_matrix_row_with_empty_texts_among_them() -> None:
    facts = _facts()
    for start in (0, len(facts) - 2, len(facts) - 1):
        ordered = [facts[start], *facts[:start], *facts[start + 1 :]]
        headline, lead = similarity_matrices(ordered)
        first_headline, first_lead = similarities_to_first(ordered)
        assert abs(first_headline - headline[0]).max() < 1e-9
        assert abs(first_lead - lead[0]).max() < 1e-9


def test_the_best_match_is_the_best_of_comparing_with_every_article_of_the_window() -> None:
    facts = _facts()
    joined = 0
    for at, new in enumerate(facts):
        window = facts[:at] + facts[at + 1 :]
        headline, lead = similarity_matrices([new, *window])
        expected = None
        for n, other in enumerate(window):
            match = compare(new, other, float(headline[0, n + 1]), float(lead[0, n + 1]))
            if match.same(DEFAULT_THRESHOLD) and (expected is None or match.score > expected[1]):
                expected = (n, match.score)
        found = best_match(new, window)
        assert ((found[0], found[1].score) if found else None) == expected
        joined += found is not None
    assert joined >= 10  # the set's events are found, so the comparison means something


def test_the_lead_row_of_a_few_positions_is_those_positions_of_the_full_row() -> None:
    from jianbao.judge.event_vectors import _leads_to_first

    facts = _facts()
    full = _leads_to_first(facts)
    some = [1, 5, len(facts) - 1]
    part = _leads_to_first(facts, some)
    assert abs(part[[0, *some]] - full[[0, *some]]).max() < 1e-9
    assert full[2] > 0 and part[2] == 0  # the others are not measured at all


def test_term_frequencies_of_kept_counts_are_those_of_the_hashed_counts() -> None:
    """The cache keeps each n-gram's count as a small integer and looks up 1 + log(count)
    (issue 21): the same floats as computing them, for counts beyond the first table
    (a headline repeating one word hundreds of times) and beyond 2**16 as well."""
    from jianbao.judge.char_hashing import hashed_char_ngrams
    from jianbao.judge.event_vectors import _FEATURES, _analysed, _term_frequencies

    with DATA.open(encoding="utf-8", newline="") as handle:
        texts = [row["title"] for row in csv.DictReader(handle, delimiter="\t")]
    rows = _analysed(texts)  # a batch of small counts, then one of large counts
    texts += ["疫苗" * 300, "接种" * 70000 + "新冠疫苗"]
    rows += _analysed(texts[-2:])
    _indptr, columns, counts = hashed_char_ngrams(texts, _FEATURES)
    kept = _term_frequencies(np.concatenate([row.counts for row in rows]))
    assert np.array_equal(kept, 1.0 + np.log(counts))
    assert rows[-1].counts.dtype == np.uint32 and rows[0].counts.dtype == np.uint8
    # the vocabulary numbers fit in 2 bytes here, and map back to the hashed columns
    assert rows[0].ids.dtype == np.uint16
    numbered = np.concatenate([row.ids for row in rows])
    assert np.array_equal(event_vectors._id_column[numbered], columns)
    assert max(int(row.counts.max()) for row in rows) >= 70000
