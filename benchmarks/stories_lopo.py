"""A learned same-event decision for the event stage, measured leave-one-part-out.

The event stage (:mod:`jianbao.judge.events`) decides a pair by hand-set rules: a
joined score (headline and lead similarity plus bonuses for shared specifics) against
a threshold, gated by the specifics' keys (same incident, release, meeting, person,
company). Each round of rules fixed the part it was read from and rarely the next one.
The spent stories parts hold several hundred labelled same-event pairs and many more
different-event pairs on the same topics; this script asks whether a small model
learned from them decides pairs better than the rules, on a part it has not seen.

For every pair of pages in a part (within the stage's window of days, with no hard
conflict: window, provinces, counts, years, announcement against outcome, magnitudes,
and the incidents' own days far apart where the rules do not join — those stay
vetoes), it reads features from what :func:`compare` already computes (the same
helpers, not a copy): headline and lead similarity, the rules' joined score and
decision, each kind of specific shared (document, institution, numbers, day, minute,
code, named craft or site, incident, release/meeting/person/company, headline place,
incident kind alone, finest place alone), the publication days apart, named days far
apart, numbers none in common. A logistic regression (scikit-learn; ``--model
boosting`` for gradient boosting) is trained on the pairs of all parts but one, and
the left part is clustered the way :func:`jianbao.judge.events.cluster` does (pages in
order, each joining its best earlier page that passes; near-copies joined first), then
scored pairwise as ``benchmarks/stories.py`` does. Two decisions are measured per
probability threshold T: the model alone (p >= T) and the rules or the model (a pair
the rules join, or p >= T; a page joins the rules' best when any rule pair passes, so
at T > 1 the stories are the rules' own).

The parts' candidate pairs are mostly one event (their hard negatives are chosen
near their events), so ``--stream dev.tsv`` also clusters a real news stream
(``../shared/eval/relevance/dev.tsv``, windows of 300 items all on one day, as the
earlier rounds' stream check) with a model trained on every part, and counts the
pairs the model adds; ``--cross`` also trains on pairs of different parts' pages put
on one day (different events for certain, on the same topics); ``--list T`` prints
the pairs the model adds in the parts.

    .venv/bin/python benchmarks/stories_lopo.py [--model logistic|boosting] [--cross]
        [--drop FEATURE,…] [--thresholds 0.5,0.9] [--stream TSV] [--list T] [-v]

Measured 2026-12-07 (h20d, tree 5ba695c + this script, load 7–9), 15 spent parts,
rules pooled P 0.9926 R 0.8708 (674 found, 5 false), worst part 0.951: the logistic
model added to the rules at T 0.9 gives P 0.9928 R 0.8966 (+20 pairs, no false one),
worst part 0.951 — but on the stream it adds 69 pair decisions (merged pairs 438 →
733), nearly all other days' bulletins of one province; trained with the cross-part
negatives (no days apart) the stream gains 2 but the parts lose precision (T 0.9:
P 0.984 R 0.893, blind6 0.92); gradient boosting is worse on both. Not adopted: the
spent parts hold too few realistic negatives to learn the stream's.

Ends with one JSON line holding the curve (pooled and worst part's precision, pooled
recall per T) and the stream's counts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stories as bench
from stories_parts import SPENT

from jianbao.config import Settings
from jianbao.judge import events as ev
from jianbao.judge.event_compare import _same_release
from jianbao.judge.event_days import _day_numbers, _near_days
from jianbao.judge.event_incidents import _same_incident
from jianbao.judge.event_names import _shared_institutions, _shared_name
from jianbao.judge.event_places import _found

DATA = Path(__file__).resolve().parent / "data"
HARD_CONFLICTS = {"window", "place", "counts", "year", "phase", "magnitude"}
FEATURES = (
    "headline",
    "lead",
    "rule_score",
    "rule_same",
    "headline_floor",
    "documents",
    "institutions",
    "numbers",
    "days",
    "clocks",
    "codes",
    "named",
    "incident",
    "release",
    "title_places",
    "kinds",
    "fine_places",
    "days_apart",
    "lead_days_near",
    "ahead",
    "days_far",
    "numbers_apart",
)


def pair_features(
    a: ev.EventFacts, b: ev.EventFacts, headline: float, lead: float
) -> tuple[str | None, list[float]]:
    """(the hard conflict, if any; the pair's features), from the helpers compare uses."""
    match = ev.compare(a, b, headline, lead)
    if match.conflict in HARD_CONFLICTS:
        return match.conflict, []
    if (
        not match.same()
        and a.lead_days
        and b.lead_days
        and not _near_days(_day_numbers(a.lead_days), _day_numbers(b.lead_days))
    ):
        # the days each headline and first sentence give their incident are far apart:
        # the rules' veto of a second incident at one place (茂县's second collapse)
        return "lead_days", []
    days = a.days & b.days
    clocks = a.clocks & b.clocks
    named = _shared_name(a.named, b.named) if days or clocks else ""
    incident = _same_incident(a, b, days)
    release = _same_release(a, b, days)
    mine = any(_found(p, b) for p in a.fine_places)
    theirs = any(_found(p, a) for p in b.fine_places)
    apart = (
        abs((a.published - b.published).total_seconds()) / 86400
        if a.published and b.published
        else 1.0
    )
    lead_days_near = (
        1.0
        if a.lead_days
        and b.lead_days
        and _near_days(_day_numbers(a.lead_days), _day_numbers(b.lead_days))
        else 0.0
    )
    return None, [
        headline,
        lead,
        match.score if match.conflict is None else 0.0,
        float(match.same()),
        float(match.conflict == "headline"),
        float(bool(a.documents & b.documents)),
        float(bool(_shared_institutions(a.institutions, b.institutions))),
        min(3, len(a.numbers & b.numbers)) / 3,
        float(bool(days)),
        float(bool(clocks)),
        float(bool(a.codes & b.codes)),
        float(bool(named)),
        float(bool(incident)),
        float(bool(release)),
        float(bool(a.title_places & b.title_places)),
        float(bool(a.incidents & b.incidents)),
        float(mine and theirs),
        min(apart, 3.0) / 3,
        lead_days_near,
        float("ahead" in (a.phase, b.phase)),
        float(
            bool(a.days and b.days) and not _near_days(_day_numbers(a.days), _day_numbers(b.days))
        ),
        float(bool(a.numbers and b.numbers) and a.numbers.isdisjoint(b.numbers)),
    ]


class Part:
    """One labelled part: its pages' facts, near-copy pairs and every pair's features."""

    def __init__(
        self, path: Path | None, dedup_threshold: float, rows: list[dict[str, str]] | None = None
    ) -> None:
        rows = bench.load(path) if path else rows or []
        self.name = path.name if path else "stream"
        self.truth = [row["event"] for row in rows]
        self.copies = bench.near_copy_pairs(rows, dedup_threshold)
        self.facts = [ev.event_facts(r["title"], r["text"], bench._date(r["date"])) for r in rows]
        self.titles = [r["title"] for r in rows]
        self.texts = [r["text"] for r in rows]
        self.order = sorted(
            range(len(rows)), key=lambda n: (self.facts[n].published or datetime.min, n)
        )
        headline, lead = ev.similarity_matrices(self.facts)
        self.pairs: list[tuple[int, int]] = []
        rows_x: list[list[float]] = []
        for i, j in itertools.combinations(range(len(rows)), 2):
            conflict, x = pair_features(
                self.facts[i], self.facts[j], float(headline[i, j]), float(lead[i, j])
            )
            if conflict is None:
                self.pairs.append((i, j))
                rows_x.append(x)
        self.x = np.array(rows_x, dtype=float).reshape(-1, len(FEATURES))
        self.y = np.array([self.truth[i] == self.truth[j] for i, j in self.pairs], dtype=int)
        self.rule_labels = ev.cluster(self.facts, ev.DEFAULT_THRESHOLD, joined=self.copies)

    def clustered(self, scores: np.ndarray, passes: np.ndarray) -> list[int]:
        """Labels as :func:`events.cluster` makes them, with a pair's score and decision
        given (a pair not listed never passes)."""
        n = len(self.facts)
        score = np.full((n, n), -1.0)
        ok = np.zeros((n, n), dtype=bool)
        for (i, j), s, p in zip(self.pairs, scores, passes, strict=True):
            score[i, j] = score[j, i] = s
            ok[i, j] = ok[j, i] = p
        parent = list(range(n))

        def root(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for i, j in self.copies:
            parent[root(max(i, j))] = root(min(i, j))
        for at, k in enumerate(self.order):
            best, best_score = None, -np.inf
            for m in self.order[:at]:
                if ok[k, m] and score[k, m] > best_score:
                    best, best_score = m, score[k, m]
            if best is not None:
                parent[root(k)] = root(best)
        return [root(k) for k in range(n)]

    def counts(self, labels: Sequence[int]) -> tuple[int, int, int]:
        tp = fp = fn = 0
        for i, j in itertools.combinations(range(len(labels)), 2):
            same, got = self.truth[i] == self.truth[j], labels[i] == labels[j]
            tp += same and got
            fp += got and not same
            fn += same and not got
        return tp, fp, fn


def _model(
    kind: str, dropped: Sequence[int] = ()
) -> Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    keep = [n for n in range(len(FEATURES)) if n not in dropped]

    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        x = x[:, keep]
        if kind == "boosting":
            model: object = HistGradientBoostingClassifier(
                max_depth=3, max_iter=150, learning_rate=0.1, random_state=0
            ).fit(x, y)
        else:
            model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
        return lambda z: model.predict_proba(z[:, keep])[:, 1] if len(z) else np.zeros(0)  # type: ignore[attr-defined]

    return fit


def stream(
    path: Path,
    parts: list[Part],
    fit: Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]],
    dedup_threshold: float,
    thresholds: str,
) -> dict[str, int]:
    """The realistic stream (``../shared/eval/relevance/dev.tsv``, unlabelled for events),
    in windows of 300 items all put on one day: pairs merged by the rules and by the
    rules or the model trained on every part (more merges there are mostly false ones:
    a stream's items are rarely one event). The new merges are written beside the output."""
    import csv

    with path.open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle, delimiter="\t"))
    predict = fit(np.vstack([p.x for p in parts]), np.concatenate([p.y for p in parts]))
    merged: dict[str, int] = {"rules": 0}
    listing: dict[str, list[str]] = {}
    for start in range(0, len(items), 300):
        rows = [
            {
                "id": str(n),
                "event": str(n),
                "date": "2020-03-01",
                "title": r["title"],
                "text": r["text"],
            }
            for n, r in enumerate(items[start : start + 300])
        ]
        window = Part(None, dedup_threshold, rows)
        merged["rules"] += _merged(window.rule_labels)
        p = predict(window.x)
        rule = window.x[:, FEATURES.index("rule_same")] > 0
        for t in (float(v) for v in thresholds.split(",")):
            labels = window.clustered(_choice(window, p, rule), (p >= t) | rule)
            key = f"rules_or_model@{t}"
            merged[f"pairs_model_adds@{t}"] = merged.get(f"pairs_model_adds@{t}", 0) + int(
                ((p >= t) & ~rule).sum()
            )
            merged[key] = merged.get(key, 0) + _merged(labels)
            for i, j in itertools.combinations(range(len(labels)), 2):
                if labels[i] == labels[j] and window.rule_labels[i] != window.rule_labels[j]:
                    listing.setdefault(key, []).append(
                        f"{window.titles[i][:40]} | {window.titles[j][:40]}"
                    )
    for key, lines in listing.items():
        print(f"{key}: {len(lines)} new merged pairs, e.g.")
        for line in lines[:8]:
            print("   ", line)
    print("stream merged pairs:", merged)
    return merged


def _mixed(parts: list[Part], dedup_threshold: float) -> tuple[Part, np.ndarray]:
    """Every part's pages put on one day in one window, keeping only the pairs of pages
    from different parts: different events for certain (no event is in two parts), on
    the same topics, as a stream's window holds them — the negatives the parts, whose
    candidate pairs are mostly one event, lack. Returns the pseudo-part (its pairs and
    labels cut to those) and each pair's two parts."""
    rows, part_of = [], []
    for n, part in enumerate(parts):
        for k in range(len(part.facts)):
            rows.append(
                {
                    "id": f"{n}:{k}",
                    "event": f"{n}:{k}",
                    "date": "2020-03-01",
                    "title": part.titles[k],
                    "text": part.texts[k],
                }
            )
            part_of.append(n)
    mixed = Part(None, dedup_threshold, rows)
    cross = [(i, j, part_of[i], part_of[j]) for i, j in mixed.pairs if part_of[i] != part_of[j]]
    index = {pair: at for at, pair in enumerate(mixed.pairs)}
    at = [index[(i, j)] for i, j, _a, _b in cross]
    mixed.pairs = [(i, j) for i, j, _a, _b in cross]
    mixed.x = mixed.x[at]
    mixed.y = np.zeros(len(at), dtype=int)
    return mixed, np.array([(a, b) for _i, _j, a, b in cross], dtype=int).reshape(-1, 2)


def score_held(
    path: Path, parts: list[Part], args: argparse.Namespace, dedup_threshold: float
) -> int:
    """A held-out part scored once: the rules alone and the rules or the model (trained
    on every other part; with ``--cross`` also on their cross-part negatives) at each T."""
    fit = _model(args.model, [FEATURES.index(name) for name in args.drop.split(",") if name])
    x, y = [p.x for p in parts], [p.y for p in parts]
    if args.cross:
        mixed, _origin = _mixed(parts, dedup_threshold)
        x.append(mixed.x)
        y.append(mixed.y)
    predict = fit(np.vstack(x), np.concatenate(y))
    part = Part(path, dedup_threshold)
    p = predict(part.x)
    rule = part.x[:, FEATURES.index("rule_same")] > 0 if len(part.x) else p > 1
    result: dict[str, object] = {"benchmark": "stories_lopo", "held": path.name}
    tp, fp, fn = part.counts(part.rule_labels)
    result["rules"] = {"tp": tp, "fp": fp, "fn": fn}
    print(f"{path.name}: rules tp {tp} fp {fp} fn {fn}")
    for t in (float(v) for v in args.thresholds.split(",")):
        labels = part.clustered(_choice(part, p, rule), (p >= t) | rule)
        tp, fp, fn = part.counts(labels)
        result[f"rules_or_model@{t}"] = {"tp": tp, "fp": fp, "fn": fn}
        print(f"  rules or model at T {t}: tp {tp} fp {fp} fn {fn}")
        if args.verbose:
            for (i, j), prob, joined, same in zip(part.pairs, p, rule, part.y, strict=True):
                if prob >= t and not joined:
                    kind = "same" if same else "DIFFERENT"
                    print(
                        f"    adds ({kind}) p {prob:.2f}: {part.titles[i][:30]} | {part.titles[j][:30]}"
                    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _choice(part: Part, p: np.ndarray, rule: np.ndarray) -> np.ndarray:
    """Which passing earlier page a page joins, when the rules or the model decide: the
    rules' best (by their joined score) when any of the rules' pairs passes, else the
    model's most probable — so that where the model adds nothing the stories are the
    rules' own."""
    if not len(p):
        return p
    return np.where(rule, part.x[:, FEATURES.index("rule_score")], p - 10.0)


def _merged(labels: Sequence[int]) -> int:
    sizes: dict[int, int] = {}
    for label in labels:
        sizes[label] = sizes.get(label, 0) + 1
    return sum(k * (k - 1) // 2 for k in sizes.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=("logistic", "boosting"), default="logistic")
    parser.add_argument("--verbose", "-v", action="store_true", help="per part at each T")
    parser.add_argument(
        "--thresholds", default="0.5,0.6,0.7,0.8,0.85,0.9,0.95", help="probability thresholds"
    )
    parser.add_argument(
        "--stream", type=Path, default=None, help="also the merges on a stream TSV (dev.tsv)"
    )
    parser.add_argument(
        "--cross",
        action="store_true",
        help="also learn from pairs of different parts' pages put on one day (negatives)",
    )
    parser.add_argument("--drop", default="", help="features left out, comma-separated")
    parser.add_argument(
        "--held",
        type=Path,
        default=None,
        help="score this part once: the rules, and the rules or the model trained on the others",
    )
    parser.add_argument(
        "--list", type=float, default=None, help="list the pairs the model adds at this T"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    held_out = args.held.resolve() if args.held else None
    # the spent parts only: a part still held out (committed before it is scored) is
    # never trained on nor read, whatever files the folder holds
    parts = [
        Part(p, settings.dedup_threshold)
        for p in (DATA / f"stories-{name}.tsv" for name in SPENT)
        if p.resolve() != held_out
    ]
    if args.held:
        return score_held(args.held, parts, args, settings.dedup_threshold)
    fit = _model(args.model, [FEATURES.index(name) for name in args.drop.split(",") if name])
    mixed, origin = _mixed(parts, settings.dedup_threshold) if args.cross else (None, None)
    held: dict[str, np.ndarray] = {}
    for n, part in enumerate(parts):
        others = [p for m, p in enumerate(parts) if m != n]
        x = [p.x for p in others]
        y = [p.y for p in others]
        if mixed is not None and origin is not None:
            keep = (origin[:, 0] != n) & (origin[:, 1] != n)
            x.append(mixed.x[keep])
            y.append(mixed.y[keep])
        predict = fit(np.vstack(x), np.concatenate(y))
        held[part.name] = predict(part.x)
    parts_for_stream = [*parts, mixed] if mixed is not None else parts
    rules = [part.counts(part.rule_labels) for part in parts]
    if args.list is not None:
        for part in parts:
            p = held[part.name]
            rule = part.x[:, FEATURES.index("rule_same")] > 0 if len(part.x) else p > 1
            for (i, j), prob, joined, same in zip(part.pairs, p, rule, part.y, strict=True):
                if prob >= args.list and not joined:
                    print(
                        f"  model adds ({'same' if same else 'DIFFERENT'} events) {part.name} "
                        f"p {prob:.2f}: {part.titles[i][:30]} | {part.titles[j][:30]}"
                    )

    def summary(per: list[tuple[int, int, int]]) -> dict[str, object]:
        tp, fp, fn = (sum(c[k] for c in per) for k in range(3))
        worst = min((c[0] / (c[0] + c[1]) if c[0] + c[1] else 1.0) for c in per)
        return {
            "precision": round(tp / max(1, tp + fp), 4),
            "recall": round(tp / max(1, tp + fn), 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "worst_part_precision": round(worst, 4),
        }

    result: dict[str, object] = {
        "benchmark": "stories_lopo",
        "model": args.model,
        "parts": len(parts),
        "pairs": int(sum(len(p.y) for p in parts)),
        "positives": int(sum(p.y.sum() for p in parts)),
        "rules": summary(rules),
    }
    print(
        f"{len(parts)} parts, {result['pairs']} candidate pairs, {result['positives']} same-event"
    )
    print(f"rules: {result['rules']}")
    curve = []
    for t in (float(v) for v in args.thresholds.split(",")):
        for mode in ("model", "rules_or_model"):
            per = []
            for part in parts:
                p = held[part.name]
                rule = part.x[:, FEATURES.index("rule_same")] > 0 if len(part.x) else p > 1
                passes = p >= t if mode == "model" else (p >= t) | rule
                chosen = p if mode == "model" else _choice(part, p, rule)
                per.append(part.counts(part.clustered(chosen, passes)))
                if args.verbose:
                    tp, fp, fn = per[-1]
                    print(f"  T {t} {mode:15s} {part.name:24s} tp {tp} fp {fp} fn {fn}")
            row = {"threshold": t, "mode": mode, **summary(per)}
            curve.append(row)
            print(json.dumps(row))
    result["curve"] = curve
    if args.stream:
        result["stream"] = stream(
            args.stream, parts_for_stream, fit, settings.dedup_threshold, args.thresholds
        )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
