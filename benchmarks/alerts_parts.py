"""Alerts on several labelled parts at once: the classifier trained once on the shipped
pages (the development pages and the spent parts, :func:`alerts.training_rows`) without any
page of the parts scored, each part scored at the threshold, the parts pooled, and the
pooled precision/recall curve over thresholds.

    .venv/bin/python benchmarks/alerts_parts.py benchmarks/data/alerts-blind.tsv \\
        benchmarks/data/alerts-blind[2-7].tsv [--errors]

Why: the spent held-out parts (scored once, their errors read) are tuning data, and one
part of 60 pages moves precision by 0.03 a page; pooled they say more, and the curve says
whether the threshold chosen on the development pages alone is the right one for pages
written by others. ``--errors`` lists every false alarm and miss with its probability and
the genre the cap read (:mod:`jianbao.judge.risk_genre`). The same script with an export
of an older ``src`` on ``PYTHONPATH`` scores the judge before a change in the same look.
Ends with one JSON line (per part and pooled, at the threshold).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts import DEV, THRESHOLD, load, precision_recall, print_curve, training_rows, urls
from jianbao.judge.risk import Example, RiskClassifier
from jianbao.judge.sentiment import SentimentClassifier
from jianbao.judge.tone import tone_text


def _genre(title: str, text: str) -> str:
    try:
        from jianbao.judge.risk_genre import genre
    except ImportError:  # an older src without the genre cap
        return ""
    return genre(title, text) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="+", type=Path)
    parser.add_argument("--errors", action="store_true", help="list false alarms and misses")
    args = parser.parse_args()
    dev = load(DEV)
    scored = [row for path in args.parts for row in load(path)]
    addressed = {f"{path}:{i}": url for path in args.parts for i, url in urls(path).items()}
    trained_on = training_rows(scored, addressed)
    print(f"risk trained on {len(trained_on)} pages (none of the {len(scored)} scored)")
    risk = RiskClassifier().fit([Example(t, x, label) for _i, label, _p, t, x in trained_on])
    sentiment = SentimentClassifier().fit([(t, x, p) for _i, _l, p, t, x in dev])
    pooled_p: list[float] = []
    pooled_a: list[bool] = []
    pooled_neg: list[bool] = []
    pooled_neg_a: list[bool] = []
    figures: dict[str, dict[str, object]] = {}
    for path in args.parts:
        rows = load(path)
        items = [tone_text(title, text) for _i, _l, _p, title, text in rows]
        probability = risk.probabilities(items)
        actual = [label == 1 for _i, label, _p, _t, _x in rows]
        neg = [p == "neg" for p in sentiment.polarities(items)]
        neg_a = [p == "neg" for _i, _l, p, _t, _x in rows]
        figures[path.name] = {
            "items": len(rows),
            "incident": precision_recall([p >= THRESHOLD for p in probability], actual),
            "negative": precision_recall(neg, neg_a),
        }
        print(f"{path.name:22} {figures[path.name]}")
        if args.errors:
            for (ident, label, _p, title, _x), (t, x), p in zip(
                rows, items, probability, strict=True
            ):
                if (p >= THRESHOLD) != (label == 1):
                    kind = "FALSE ALARM" if label == 0 else "MISS"
                    shown = (title or "| " + x)[:70]
                    print(f"    {kind:11} {ident} {p:.2f} [{_genre(t, x)}] {shown}")
        pooled_p += probability
        pooled_a += actual
        pooled_neg += neg
        pooled_neg_a += neg_a
    figures["pooled"] = {
        "items": len(pooled_a),
        "incident": precision_recall([p >= THRESHOLD for p in pooled_p], pooled_a),
        "negative": precision_recall(pooled_neg, pooled_neg_a),
    }
    print(f"{'pooled':22} {figures['pooled']}")
    print_curve(
        pooled_p,
        pooled_a,
        [step / 100 for step in range(20, 81, 5)],
        "threshold  precision  recall  false alarms  misses  (pooled)",
    )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
