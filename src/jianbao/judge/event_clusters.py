"""Articles put into stories: the best match of a new article in its window, a whole
window's clustering, and the threshold learned from the editors' corrections.

A new article joins the story of its best-scoring match among the earlier articles of
its window (:func:`best_match`, which weighs leads only for the few articles whose
headlines or specifics come near); a batch is clustered in order of arrival
(:func:`cluster`); the threshold moves with the editors' splits and merges
(:func:`learned_threshold`). Kept apart from the pair comparison, which it only calls.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

import numpy as np

from jianbao.judge.event_compare import HEADLINE_FLOOR, compare
from jianbao.judge.event_records import DEFAULT_THRESHOLD, EventFacts, EventMatch
from jianbao.judge.event_vectors import (
    _analysed,
    _headlines_to_first,
    _leads_to_first,
    similarity_matrices,
)

(
    _CLOCKS,
    _DAYS,
    _CODES,
    _DOCUMENTS,
    _INCIDENTS,
    _MEETINGS,
    _PEOPLE,
    _COMPANIES,
    _HEADCOUNTS,
    _INSTITUTIONS,
    _REQUESTS,
) = (
    attrgetter(kind)
    for kind in (
        "clocks",
        "days",
        "codes",
        "documents",
        "incidents",
        "meetings",
        "people",
        "companies",
        "headcounts",
        "institutions",
        "requests",
    )
)


def _specifics(facts: EventFacts) -> tuple[tuple[Any, frozenset[str]], ...]:
    """(how to read a kind of specific, the ones ``facts`` names) for the specifics that
    bring a window's article near whatever its headline."""
    return (
        (_CLOCKS, facts.clocks),
        (_DAYS, facts.days),
        (_CODES, facts.codes),
        (_DOCUMENTS, facts.documents),
        (_INCIDENTS, facts.incidents),
        (_MEETINGS, facts.meetings),
        (_PEOPLE, facts.people),
        (_COMPANIES, facts.companies),
        (_HEADCOUNTS, facts.headcounts),
        (_INSTITUTIONS, facts.institutions),
        (_REQUESTS, facts.requests),
    )


def best_match(
    new: EventFacts, window: Sequence[EventFacts], threshold: float = DEFAULT_THRESHOLD
) -> tuple[int, EventMatch] | None:
    """The position in ``window`` of the article ``new`` is the same event as (the best
    scoring one that passes), or None."""
    if not window:
        return None
    facts = [new, *window]
    # the new article's headline and text hashed together (one call of the hasher, whose
    # own cost is most of a short text's)
    _analysed([new.title or "∅", new.text or "∅"])
    headline = _headlines_to_first(facts)
    # compare says no first when the headlines share almost nothing and the two name
    # neither the same minute nor the same day: most new articles come near nothing in
    # their window, and the leads (a row many times the headlines' work) are weighed for
    # the few that do
    close = headline[1:] >= HEADLINE_FLOOR
    # the same minute, day, code or document: each kind the new article names tested in
    # one pass over the window, without making the sets the two share
    for kind, mine in _specifics(new):
        if mine:
            close |= np.fromiter(
                (not mine.isdisjoint(theirs) for theirs in map(kind, window)), bool, len(window)
            )
    near = np.flatnonzero(close).tolist()
    if not near:
        return None
    lead = _leads_to_first(facts, [n + 1 for n in near]).tolist()
    headlines = headline.tolist()  # plain floats, as float() makes them: no scalar per pair
    best: tuple[int, EventMatch] | None = None
    for n in near:
        other = window[n]
        match = compare(new, other, headlines[n + 1], lead[n + 1])
        if match.same(threshold) and (best is None or match.score > best[1].score):
            best = (n, match)
    return best


def cluster(
    facts: Sequence[EventFacts],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    joined: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """A story label per article: the articles are taken in order (as they arrive) and
    each joins the story of its best match among the earlier ones within the window;
    ``joined`` are pairs already one story (near-copies), merged first."""
    parent = list(range(len(facts)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i, j in joined:
        parent[root(max(i, j))] = root(min(i, j))
    order = sorted(range(len(facts)), key=lambda n: (facts[n].published or datetime.min, n))
    headline, lead = similarity_matrices(facts)
    for at, n in enumerate(order):
        best, best_score = None, -1.0
        for m in order[:at]:
            match = compare(facts[n], facts[m], float(headline[n, m]), float(lead[n, m]))
            if match.same(threshold) and match.score > best_score:
                best, best_score = m, match.score
        if best is not None:
            parent[root(n)] = root(best)
    return [root(n) for n in range(len(facts))]


def learned_threshold(
    corrections: Iterable[tuple[float, bool]], default: float = DEFAULT_THRESHOLD
) -> float:
    """The threshold that agrees best with the editors' corrections.

    Each correction is ``(score, same)``: a split says the pair (joined at ``score``) is
    not one event, a merge that it is. The threshold is the value, among the default and
    midpoints between the scores, that misjudges fewest corrections (ties: closest to
    the default), so a few corrections move it no further than they need to."""
    points = sorted(corrections)
    if not points:
        return default
    scores: list[float] = sorted({round(float(s), 4) for s, _same in points})
    options: set[float] = {default} | {(a + b) / 2 for a, b in itertools.pairwise(scores)}
    options |= {scores[0] - 0.01, scores[-1] + 0.01}

    def errors(threshold: float) -> int:
        return sum((score >= threshold) != same for score, same in points)

    def cost(threshold: float) -> tuple[int, float]:
        return errors(threshold), abs(threshold - default)

    best: float = min(options, key=cost)
    return round(best, 4)
