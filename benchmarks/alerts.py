"""Alerts benchmark: incident (risk) and negative (sentiment) precision and recall, and the
false alarms a day on the realistic stream.

    .venv/bin/python benchmarks/alerts.py [--eval DIR] [TSV]
    .venv/bin/python benchmarks/alerts.py --tune        # the threshold, chosen on dev
    .venv/bin/python benchmarks/alerts.py --write-seed  # the classifier's shipped pages

Given a TSV of ``id<TAB>label<TAB>polarity<TAB>title<TAB>text`` (label 1 for an
incident, polarity neg/neu/pos; further columns such as ``url`` are ignored), it trains on
the development data only (``benchmarks/data/alerts-dev.tsv``) and scores that file; with
no TSV it scores the blind set ``benchmarks/data/alerts-blind.tsv``. Each is measured
three ways: the lexicon alone, the learned classifier alone is not offered (it includes
the lexicon's evidence), and the learned one trained on the development data. The stream
(``../shared/eval/relevance/dev.tsv``) has no labels for incidents: what is reported is
how many of its items the risk judge would alert on, per thousand items and per day at an
assumed daily volume (``--per-day``, the articles a deployment collects a day).

Ends with one JSON line holding ``incident`` and ``negative`` precision and recall.

``--tune`` looks at the development set only: five-fold cross-validated incident
probabilities (two shuffles), precision and recall at each threshold, and the threshold
chosen — the highest whose mean cross-validated recall is at least ``TUNE_RECALL`` (0.87,
a margin above the 0.85 asked) — to be written into ``jianbao.judge.risk`` by hand.
``--write-seed`` copies the development set into the package
(``src/jianbao/judge/risk_examples.tsv``): the pages the deployed classifier starts from
before the editors mark any.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from jianbao.judge.risk import (
    DECISION_THRESHOLD,
    SEED_FILE,
    Example,
    RiskClassifier,
    judge_risk,
)
from jianbao.judge.sentiment import SentimentClassifier, judge_sentiment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEV = ROOT / "benchmarks" / "data" / "alerts-dev.tsv"
BLIND = ROOT / "benchmarks" / "data" / "alerts-blind.tsv"
#: incident probability from which an item alerts (the setting's default)
THRESHOLD = DECISION_THRESHOLD
#: the cross-validated recall the tuned threshold keeps on the development set
TUNE_RECALL = 0.87
SEED = ROOT / "src" / "jianbao" / "judge" / SEED_FILE

csv.field_size_limit(10**8)


def load(path: Path) -> list[tuple[str, int, str, str, str]]:
    """(id, label, polarity, title, text) rows; a header line starting with ``id`` is
    skipped."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0] == "id":
                continue
            if len(row) < 5:
                sys.exit(f"{path}: row {row[0]!r} has {len(row)} columns, needs 5")
            rows.append((row[0], int(row[1]), row[2].strip(), row[3], row[4]))
    return rows


def precision_recall(predicted: list[bool], actual: list[bool]) -> dict[str, float]:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    fn = sum(a and not p for p, a in zip(predicted, actual, strict=True))
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "support": tp + fn,
    }


def tune(rows: list[tuple[str, int, str, str, str]]) -> float:
    """The threshold chosen on ``rows`` by cross-validation; prints the curve."""
    from sklearn.model_selection import StratifiedKFold

    items = [(title, text) for _i, _l, _p, title, text in rows]
    labels = [label for _i, label, _p, _t, _x in rows]
    runs = []
    for seed in (0, 1):
        probability = [0.0] * len(rows)
        folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(items, labels)
        for train, test in folds:
            model = RiskClassifier().fit([Example(*items[i], labels[i]) for i in train])
            for i, p in zip(test, model.probabilities([items[i] for i in test]), strict=True):
                probability[i] = p
        runs.append(probability)
    actual = [label == 1 for label in labels]
    chosen = 0.05
    print("threshold  precision  recall  (mean of two five-fold runs on the development set)")
    for step in range(5, 96, 5):
        threshold = step / 100
        scores = [precision_recall([p >= threshold for p in run], actual) for run in runs]
        precision = sum(s["precision"] for s in scores) / len(scores)
        recall = sum(s["recall"] for s in scores) / len(scores)
        print(f"{threshold:9.2f}  {precision:9.3f}  {recall:6.3f}")
        if recall >= TUNE_RECALL:
            chosen = threshold
    print(f"chosen: {chosen:.2f} (the highest with recall >= {TUNE_RECALL})")
    return chosen


def write_seed(rows: list[tuple[str, int, str, str, str]]) -> None:
    urls = {}
    with DEV.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and row[0] != "id":
                urls[row[0]] = row[5] if len(row) > 5 else ""
    lines = ["label\ttitle\ttext\turl"]
    lines += [f"{label}\t{title}\t{text}\t{urls.get(i, '')}" for i, label, _p, title, text in rows]
    SEED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {SEED.relative_to(ROOT)}: {len(rows)} pages from {DEV.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="?", type=Path, default=BLIND)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--per-day", type=int, default=300, help="articles collected a day")
    parser.add_argument("--tune", action="store_true", help="choose the threshold on dev")
    parser.add_argument("--write-seed", action="store_true", help="ship dev as the seed")
    args = parser.parse_args()
    if args.tune:
        tune(load(DEV))
        return
    if args.write_seed:
        write_seed(load(DEV))
        return
    dev, scored = load(DEV), load(args.tsv)
    items = [(title, text) for _i, _l, _p, title, text in scored]
    incident = [label == 1 for _i, label, _p, _t, _x in scored]
    negative = [p == "neg" for _i, _l, p, _t, _x in scored]

    lexicon_risk = [judge_risk(t, x).score >= THRESHOLD for t, x in items]
    lexicon_neg = [judge_sentiment(t, x).polarity == "neg" for t, x in items]
    risk = RiskClassifier().fit([Example(t, x, label) for _i, label, _p, t, x in dev])
    learned_risk = [p >= THRESHOLD for p in risk.probabilities(items)]
    sentiment = SentimentClassifier().fit([(t, x, p) for _i, _l, p, t, x in dev])
    learned_neg = [p == "neg" for p in sentiment.polarities(items)]

    print(f"scored {args.tsv.name}: {len(scored)} items, trained on {DEV.name}: {len(dev)}")
    figures = {
        "incident": precision_recall(learned_risk, incident),
        "negative": precision_recall(learned_neg, negative),
        "incident_lexicon": precision_recall(lexicon_risk, incident),
        "negative_lexicon": precision_recall(lexicon_neg, negative),
        "risk_trained": risk.trained,
        "sentiment_trained": sentiment.trained,
    }
    stream = args.eval / "relevance" / "dev.tsv"
    if stream.is_file():
        started = time.perf_counter()
        with stream.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            texts = [(row["title"] or "", row["text"] or "") for row in reader]
        alerted = sum(p >= THRESHOLD for p in risk.probabilities(texts))
        per_thousand = 1000 * alerted / len(texts)
        figures["stream"] = {
            "items": len(texts),
            "alerted": alerted,
            "per_1000": round(per_thousand, 1),
            "per_day": round(per_thousand * args.per_day / 1000, 1),
            "assumed_per_day": args.per_day,
            "seconds": round(time.perf_counter() - started, 1),
        }
    else:
        print(f"stream skipped: {stream} is absent", file=sys.stderr)
    for name in ("incident", "negative", "incident_lexicon", "negative_lexicon"):
        print(f"{name:18} {figures[name]}")
    if "stream" in figures:
        print(f"stream             {figures['stream']}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
