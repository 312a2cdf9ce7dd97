"""What the event stage's misses are made of: its structural limits and whether surface
similarity would tell the missed pairs from the pages of other events.

Rounds of rules written from one part's errors fixed that part and much less the next
(issue 20: held-out recall 0.38-0.64 at first look). Before writing more, this asks two
questions of the spent parts, split into a *tune* side and a *check* side (by default
the five independent parts ``blind15`` … ``blind19`` are the check side), so that an
idea found on one side is measured on the other:

- **Structure.** How many pairs would the stage find if a page joined every earlier
  story it matches, not only its best match's (transitive joins), or if the window of
  days were longer (slow follow-ups), and how many missed pairs hold an undated page,
  pass :func:`jianbao.judge.events.compare` yet were split by the clustering, or were
  stopped by which of ``compare``'s conflicts.
- **Similarity.** Whether a conservative threshold on a similarity would add the missed
  pairs without pages of other events: the stage's own TF-IDF of character 2- and
  3-grams of headline and lead, a word TF-IDF of the same text (scikit-learn over
  rjieba's tokens), and a proper noun both headlines name (rjieba's tags) that at most
  two texts of the part or window name, on one day. For each, the missed pairs (same
  event, not joined) and the other events' pairs (not joined, no hard conflict) at or
  above each threshold are counted, per side, and with ``--stream`` the pairs of a real
  stream (``../shared/eval/relevance/dev.tsv`` in windows of 300 items on one day,
  unlabelled: its pairs are nearly all of other events) that would be added.

    .venv/bin/python benchmarks/stories_limits.py [--check blind15,…] [--window 5,7]
        [--stream ../shared/eval/relevance/dev.tsv] [-v]

``-v`` lists the tune side's missed pairs with their conflict and similarities (the
check side's are never listed: it stays a check). Only the spent parts of
``stories_parts.SPENT`` are read. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import json
import re
import sys
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import _date, load, near_copy_pairs
from stories_parts import DATA, SPENT, STREAM_WINDOW

from jianbao.config import Settings
from jianbao.judge import event_compare
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    EventFacts,
    compare,
    event_facts,
    similarity_matrices,
)

#: conflicts a similarity should never override: another window, province, count, year,
#: phase, magnitude or disease (the headline gate and a low score are what it would lift)
HARD = frozenset({"window", "place", "counts", "year", "phase", "magnitude", "disease"})
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
#: rjieba's tags of proper nouns: people, places, organisations, other names, Latin words
PROPER = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz", "eng"})
#: a proper noun named by at most this many texts of a part (or stream window) is rare
RARE_TEXTS = 2
_HAN = re.compile(r"[\u4e00-\u9fff]")


class Part:
    """One part (or stream window) prepared once: facts, near-copies, the stage's
    similarities, word similarities, and each headline's rare proper nouns."""

    def __init__(self, name: str, rows: list[dict[str, str]], dedup_threshold: float):
        self.name = name
        self.rows = rows
        self.truth = [row.get("event", str(n)) for n, row in enumerate(rows)]
        self.copies = near_copy_pairs(rows, dedup_threshold)
        self.facts = [event_facts(r["title"], r["text"], _date(r["date"])) for r in rows]
        self.headline, self.lead = similarity_matrices(self.facts)
        self.words = _word_similarities(self.facts)
        self.named, self.proper = _proper_nouns(self.facts)


def _tokens(text: str) -> list[str]:
    from jianbao.judge.tokenize import tokenize

    return [w for w in tokenize(text) if len(w) >= 2]


def _word_similarities(facts: Sequence[EventFacts]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True).fit_transform(
        [f.text or "∅" for f in facts]
    )
    return np.asarray((vectors @ vectors.T).toarray())


def _proper_nouns(
    facts: Sequence[EventFacts],
) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Each text's proper nouns (headline and lead), and each headline's rare ones."""
    import rjieba

    tagger = rjieba.Jieba()

    def proper(text: str) -> set[str]:
        return {w.lower() for w, tag in tagger.tag(text) if tag in PROPER and len(w) >= 2}

    texts = [proper(f.text) for f in facts]
    named = collections.Counter(w for words in texts for w in words)
    rare = [frozenset(w for w in proper(f.title) if named[w] <= RARE_TEXTS) for f in facts]
    return [frozenset(words) for words in texts], rare


def labels(
    part: Part,
    *,
    every: bool = False,
    extra: AbstractSet[tuple[int, int]] = frozenset(),
    extra_score: float = 0.0,
) -> list[int]:
    """Each page's story as :func:`jianbao.judge.events.cluster` makes it (near-copies
    first, pages in order of publication, each joining its best passing match) or, with
    ``every``, joining every earlier story it has a passing match in. The pairs of
    ``extra`` (page numbers, smaller first) the stage does not pass pass at
    ``extra_score``: a variant measured, as ``benchmarks/stories_names.py`` does."""
    parent = list(range(len(part.facts)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i, j in part.copies:
        parent[root(max(i, j))] = root(min(i, j))
    facts = part.facts
    order = sorted(range(len(facts)), key=lambda n: (facts[n].published or datetime.min, n))
    for at, n in enumerate(order):
        best, best_score = None, -1.0
        for m in order[:at]:
            match = compare(facts[n], facts[m], float(part.headline[n, m]), float(part.lead[n, m]))
            score = match.score if match.same(DEFAULT_THRESHOLD) else None
            if score is None and (min(n, m), max(n, m)) in extra:
                score = extra_score
            if score is None:
                continue
            if every:
                parent[root(n)] = root(m)
            elif score > best_score:
                best, best_score = m, score
        if best is not None:
            parent[root(n)] = root(best)
    return [root(n) for n in range(len(facts))]


def with_window(days: int, part: Part, *, every: bool = False) -> list[int]:
    """:func:`labels` with the stage's window of days set to ``days`` for the run."""
    kept = event_compare.WINDOW_DAYS
    event_compare.WINDOW_DAYS = days
    try:
        return labels(part, every=every)
    finally:
        event_compare.WINDOW_DAYS = kept


def counts(part: Part, found: list[int]) -> collections.Counter[str]:
    """Pairwise tp, fp and fn of one clustering against the part's events."""
    tally: collections.Counter[str] = collections.Counter()
    for i, j in itertools.combinations(range(len(found)), 2):
        joined, same = found[i] == found[j], part.truth[i] == part.truth[j]
        tally["tp"] += joined and same
        tally["fp"] += joined and not same
        tally["fn"] += same and not joined
    return tally


def _same_day(a: EventFacts, b: EventFacts) -> bool:
    return bool(a.published and b.published and a.published.date() == b.published.date())


def pair_features(part: Part, i: int, j: int) -> dict[str, float]:
    """The similarities measured for a pair (the proper nouns as 1 or 0): a proper noun
    both headlines and leads name at all tells a pair that shares a name the stage may
    not read from one told with no shared name."""
    a, b = part.facts[i], part.facts[j]
    shared = part.proper[i] & part.proper[j]
    return {
        "lead": float(part.lead[i, j]),
        "headline": float(part.headline[i, j]),
        "words": float(part.words[i, j]),
        "proper_noun_same_day": float(bool(shared) and _same_day(a, b)),
        "proper_noun_in_both": float(bool(part.named[i] & part.named[j])),
    }


def _above(features: dict[str, float]) -> list[str]:
    """The similarity thresholds a pair's features reach, as names (the proper nouns,
    a yes or no, by their names alone)."""
    names = []
    for name, value in features.items():
        if name.startswith("proper_noun"):
            names += [name] if value else []
        else:
            names += [f"{name} >= {t}" for t in THRESHOLDS if value >= t]
    return names


def _ratio(tally: collections.Counter[str]) -> dict[str, Any]:
    found, true = tally["tp"] + tally["fp"], tally["tp"] + tally["fn"]
    return {
        **{k: tally[k] for k in ("tp", "fp", "fn")},
        "precision": round(tally["tp"] / found, 4) if found else 1.0,
        "recall": round(tally["tp"] / true, 4) if true else 1.0,
    }


def side_report(parts: list[Part], windows: Sequence[int], verbose: bool) -> dict[str, Any]:
    """The stage and its structural variants, the missed pairs by cause, and each
    similarity's missed pairs against other events' pairs, over ``parts``."""
    variants: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    causes: collections.Counter[str] = collections.Counter()
    above: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for part in parts:
        stage = labels(part)
        variants["stage"] += counts(part, stage)
        variants["every match joined"] += counts(part, labels(part, every=True))
        for days in windows:
            variants[f"window {days} days"] += counts(part, with_window(days, part))
        for i, j in itertools.combinations(range(len(stage)), 2):
            if stage[i] == stage[j]:
                continue
            a, b = part.facts[i], part.facts[j]
            match = compare(a, b, float(part.headline[i, j]), float(part.lead[i, j]))
            same = part.truth[i] == part.truth[j]
            features = pair_features(part, i, j)
            if same:
                causes["missed"] += 1
                causes["an undated page"] += a.published is None or b.published is None
                causes["pair passes, split by clustering"] += match.same(DEFAULT_THRESHOLD)
                causes[f"conflict {match.conflict or 'none (score below threshold)'}"] += 1
                if verbose:
                    rows = part.rows
                    print(
                        f"    missed {part.name} {match.conflict} score {match.score:.2f} "
                        f"h {features['headline']:.2f} l {features['lead']:.2f} "
                        f"w {features['words']:.2f} | {rows[i]['date'][:10]} "
                        f"{rows[i]['title'][:36]} | {rows[j]['date'][:10]} {rows[j]['title'][:36]}"
                    )
            if match.conflict in HARD:
                continue
            kind = "missed" if same else "other events"
            for name in _above(features):
                above[name][kind] += 1
    return {
        "variants": {name: _ratio(tally) for name, tally in variants.items()},
        "missed_by_cause": dict(causes),
        "similarity_above": {
            name: {"missed": tally["missed"], "other events": tally["other events"]}
            for name, tally in sorted(above.items())
        },
    }


def stream_report(path: Path, dedup_threshold: float, windows: Sequence[int]) -> dict[str, Any]:
    """What each variant and similarity would add on a real stream (unlabelled): merged
    pairs per variant, and the pairs not merged above each similarity threshold."""
    with path.open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle, delimiter="\t"))
    merged: collections.Counter[str] = collections.Counter()
    above: collections.Counter[str] = collections.Counter()
    for start in range(0, len(items), STREAM_WINDOW):
        rows = [
            {"id": str(n), "title": r["title"], "text": r["text"], "date": "2020-03-01"}
            for n, r in enumerate(items[start : start + STREAM_WINDOW])
        ]
        part = Part(f"stream {start}", rows, dedup_threshold)
        stage = labels(part)
        runs = {"stage": stage, "every match joined": labels(part, every=True)}
        runs.update({f"window {days} days": with_window(days, part) for days in windows})
        for name, found in runs.items():
            merged[name] += sum(
                found[i] == found[j] for i, j in itertools.combinations(range(len(rows)), 2)
            )
        for i, j in itertools.combinations(range(len(rows)), 2):
            if stage[i] == stage[j]:
                continue
            a, b = part.facts[i], part.facts[j]
            match = compare(a, b, float(part.headline[i, j]), float(part.lead[i, j]))
            if match.conflict in HARD:
                continue
            for name in _above(pair_features(part, i, j)):
                above[name] += 1
    return {"merged_pairs": dict(merged), "pairs_not_merged_above": dict(sorted(above.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        default=",".join(f"blind{n}" for n in range(15, 20)),
        help="the spent parts of the check side (names as in stories_parts.SPENT)",
    )
    parser.add_argument("--window", default="5,7", help="windows of days to try, comma-separated")
    parser.add_argument("--stream", type=Path, default=None, help="also a real stream's pairs")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the tune side's misses")
    args = parser.parse_args(argv)
    check = {name.strip() for name in args.check.split(",") if name.strip()}
    unknown = check - set(SPENT)
    if unknown:
        raise SystemExit(f"--check: not spent parts: {', '.join(sorted(unknown))}")
    windows = [int(days) for days in args.window.split(",") if days.strip()]
    dedup_threshold = Settings().dedup_threshold
    sides: dict[str, list[Part]] = {"tune": [], "check": []}
    for name in SPENT:
        rows = load(DATA / f"stories-{name}.tsv")
        sides["check" if name in check else "tune"].append(Part(name, rows, dedup_threshold))
    result: dict[str, Any] = {"benchmark": "stories_limits", "check_parts": sorted(check)}
    for side, parts in sides.items():
        report = side_report(parts, windows, args.verbose and side == "tune")
        result[side] = report
        print(f"{side} side ({len(parts)} parts):")
        for name, figures in report["variants"].items():
            print(
                f"  {name:22s} P {figures['precision']:.4f} R {figures['recall']:.4f} "
                f"(tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']})"
            )
        print(f"  missed pairs by cause: {report['missed_by_cause']}")
        for name, tally in report["similarity_above"].items():
            print(f"  {name:30s} missed {tally['missed']:4d}  other events {tally['other events']}")
    if args.stream:
        stream = stream_report(args.stream, dedup_threshold, windows)
        result["stream"] = stream
        print(f"stream {args.stream.name}: merged pairs {stream['merged_pairs']}")
        for name, count in stream["pairs_not_merged_above"].items():
            print(f"  {name:30s} pairs added {count}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
