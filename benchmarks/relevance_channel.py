"""A second channel for pages the lexicon does not match: measured, for issue 17.

The learned model reads the lexicon's matches as features, so a page no term matches
scores low whatever its words say: recall is bounded by the lexicon. This benchmark asks
whether a *words-only* model (``train(..., evidence=False)``), trained on the real pages,
could promote such pages when its probability is at least a threshold ``T`` — without
costing precision:

- **leave-one-part-out** over the real-page parts given: each part is scored by a model
  pair (the judge's model and a words-only one) trained on the development stream, the
  seeds and every *other* part; the decision is the judge's, or-ed with "no lexicon match
  and words-only probability >= T". Prints each part's F1 by ``T``, the mean and pooled
  figures, and how many no-keyword pages (relevant / not) each ``T`` promotes;
- **the realistic stream** (dev + seeds, 5-fold, every part learnt in every fold): the
  weekly's precision and recall, its candidates a day and the daily's reach and
  candidates a day, by ``T`` (as ``benchmarks/relevance.py`` states them).

    .venv/bin/python benchmarks/relevance_channel.py benchmarks/data/relevance-pages.tsv \
        benchmarks/data/relevance-pages-blind.tsv benchmarks/data/relevance-pages-blind[2-9].tsv \
        benchmarks/data/relevance-pages-blind1[01].tsv

Ends with one JSON line of the figures. Slow (two models per fold): minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance as bench

from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import combine
from jianbao.judge.topic import parse_topic

THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97)

Decided = tuple[bool, bool, float]  # the judge's decision, a lexicon match, words-only p


def _docs(items: list[bench.Item]) -> list[tuple[str, str]]:
    return [(title, text) for _, title, text, _ in items]


def _labels(items: list[bench.Item]) -> list[int]:
    return [label for *_, label in items]


def _decided(items: list[bench.Item], judged: list[float], words: list[float]) -> list[Decided]:
    topic = parse_topic(HEALTH_IT_TOPIC)
    out = []
    for (_, title, text, _), p, w in zip(items, judged, words, strict=True):
        title, text = simplified(title), simplified(text)
        match = topic.match(title, text)
        out.append((combine(match, p, title=title, body=text).relevant, match.matched, w))
    return out


def _with_channel(decided: list[Decided], threshold: float | None) -> list[bool]:
    if threshold is None:
        return [relevant for relevant, _, _ in decided]
    return [relevant or (not matched and w >= threshold) for relevant, matched, w in decided]


def _pair(items: list[bench.Item]) -> tuple[object, object]:
    from jianbao.judge.model import train

    docs, labels = _docs(items), _labels(items)
    return train(docs, labels), train(docs, labels, evidence=False)


def leave_one_part_out(
    pool: list[bench.Item], parts: dict[str, list[bench.Item]], thresholds: tuple[float, ...]
) -> dict[str, object]:
    per: dict[str, list[Decided]] = {}
    for name, items in parts.items():
        judge, words = _pair(pool + [i for n, its in parts.items() if n != name for i in its])
        per[name] = _decided(
            items,
            judge.predict_proba(_docs(items)),  # type: ignore[attr-defined]
            words.predict_proba(_docs(items)),  # type: ignore[attr-defined]
        )
    result: dict[str, object] = {}
    for threshold in (None, *thresholds):
        key = "judge" if threshold is None else f"T={threshold:.2f}"
        scores = {
            name: bench.prf(_labels(parts[name]), _with_channel(per[name], threshold))
            for name in parts
        }
        truth = [y for name in parts for y in _labels(parts[name])]
        pooled = bench.prf(
            truth, [d for name in parts for d in _with_channel(per[name], threshold)]
        )
        kept = [
            (y, d)
            for name in parts
            for y, d in zip(_labels(parts[name]), per[name], strict=True)
            if not d[1]
        ]
        promoted = [y for y, d in kept if threshold is not None and d[2] >= threshold]
        result[key] = {
            "parts": {name: s["f1"] for name, s in scores.items()},
            "mean_f1": round(float(np.mean([s["f1"] for s in scores.values()])), 4),
            "pooled": pooled,
            "no_keyword": {"relevant": sum(y for y, _ in kept), "not": sum(1 - y for y, _ in kept)},
            "promoted": {"relevant": sum(promoted), "not": len(promoted) - sum(promoted)},
        }
        r = result[key]
        print(
            f"{key:<7} mean F1 {r['mean_f1']:.4f}  pooled P {pooled['precision']:.3f}"  # type: ignore[index]
            f" R {pooled['recall']:.3f} F1 {pooled['f1']:.4f}  no-keyword pages promoted:"
            f" {r['promoted']['relevant']} relevant, {r['promoted']['not']} not"  # type: ignore[index]
            f" (of {r['no_keyword']['relevant']} / {r['no_keyword']['not']})"  # type: ignore[index]
        )
    return result


def stream(
    dev: list[bench.Item],
    seeds: list[bench.Item],
    extra: list[bench.Item],
    thresholds: tuple[float, ...],
    per_day: int,
) -> dict[str, object]:
    from sklearn.model_selection import StratifiedKFold

    pool = dev + seeds
    labels = np.array(_labels(pool))
    judged, words = np.zeros(len(pool)), np.zeros(len(pool))
    splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    for train_idx, test_idx in splitter.split(np.zeros(len(pool)), labels):
        judge, only_words = _pair([pool[i] for i in train_idx] + extra)
        held = _docs([pool[i] for i in test_idx])
        judged[test_idx] = judge.predict_proba(held)  # type: ignore[attr-defined]
        words[test_idx] = only_words.predict_proba(held)  # type: ignore[attr-defined]
    decided = _decided(pool, judged.tolist(), words.tolist())
    seed_ids = {item[0] for item in seeds}
    policy = bench.policy_scope(pool)
    result: dict[str, object] = {}
    for threshold in (None, *thresholds):
        key = "judge" if threshold is None else f"T={threshold:.2f}"
        scopes = bench.scope_counts(
            pool, seed_ids, _with_channel(decided, threshold), policy, per_day
        )
        week, daily = scopes["weekly"], scopes["daily"]
        result[key] = {
            "weekly": week,
            "weekly_per_day": daily["weekly_candidates_per_day"],
            "daily_reached": daily["reached"],
            "daily_picks": daily["picks"],
            "daily_per_day": daily["candidates_per_day"],
        }
        print(
            f"{key:<7} weekly P {week['precision']:.3f} R {week['recall']:.3f}"
            f" (fp {week['fp']}), {daily['weekly_candidates_per_day']:.1f} a day;"
            f" daily {daily['reached']}/{daily['picks']} picks,"
            f" {daily['candidates_per_day']:.1f} a day"
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="+", type=Path, help="labelled real-page parts (TSV)")
    parser.add_argument("--eval", type=Path, default=bench.DEFAULT_EVAL)
    parser.add_argument("--seeds", type=Path, default=bench.DEFAULT_SEEDS)
    parser.add_argument("--per-day", type=int, default=bench.ARTICLES_PER_DAY)
    args = parser.parse_args(argv)
    dev_path = args.eval / "relevance" / "dev.tsv"
    if not dev_path.is_file():
        print(json.dumps({"benchmark": "relevance_channel", "skipped": True}))
        return 0
    started = time.perf_counter()
    dev = bench.load_tsv(dev_path)
    seeds = bench.load_seed_items(args.seeds) if args.seeds.is_dir() else []
    parts = {path.name: bench.load_tsv(path) for path in args.parts}
    print("leave one part out (judge's decision or: no lexicon match and words-only p >= T)")
    lopo = leave_one_part_out(dev + seeds, parts, THRESHOLDS)
    print(f"\nthe stream (dev + seeds, 5-fold, all {len(parts)} parts learnt in every fold)")
    flow = stream(dev, seeds, [i for its in parts.values() for i in its], THRESHOLDS, args.per_day)
    result = {
        "benchmark": "relevance_channel",
        "leave_one_part_out": lopo,
        "stream": flow,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
