"""A tuning round's honest protocol on spent parts: tune on one side, check on the other.

    .venv/bin/python benchmarks/alerts_split.py \\
        --tune benchmarks/data/alerts-blind.tsv benchmarks/data/alerts-blind2.tsv … \\
        --check benchmarks/data/alerts-blind10.tsv … [--errors] [--no-lopo]

Why: every spent part has been read, and a rule written from a part's errors fixes that
part and rarely the next (issue 18's rounds moved each fresh held-out part by a few pages
either way). Within spent data the nearest honest measure is a split chosen before any
change: the errors read are the *tune* side's only, and each change must hold or improve
the *check* side, scored by the classifier trained without it (the development pages and
the tune side). Printed:

- ``check``: the check parts pooled, scored by the classifier trained on the development
  pages and the tune parts (no check page), at the shipped threshold and over thresholds;
- ``tune``: each tune part scored by the classifier trained on the development pages and
  the other tune parts (leave one part out within the tune side; still no check page),
  pooled, with ``--errors`` each false alarm and miss — the only errors a round reads.

Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts import DEV, THRESHOLD, load, precision_recall, print_curve
from jianbao.judge.risk import Example, RiskClassifier
from jianbao.judge.tone import tone_text

Row = tuple[str, int, str, str, str]
STEPS = [step / 100 for step in range(20, 81, 5)]


def _examples(rows: list[Row]) -> list[Example]:
    return [Example(title, text, label) for _i, label, _p, title, text in rows]


def _genre(title: str, text: str) -> str:
    from jianbao.judge.risk_genre import genre

    return genre(title, text) or ""


def scored(train: list[Row], rows: list[Row]) -> list[float]:
    """The probabilities of ``rows`` (read as the judge reads them) by a classifier
    trained on ``train``."""
    model = RiskClassifier().fit(_examples(train))
    return model.probabilities([tone_text(title, text) for _i, _l, _p, title, text in rows])


def summary(name: str, probability: list[float], actual: list[bool]) -> dict[str, object]:
    at = precision_recall([p >= THRESHOLD for p in probability], actual)
    false = sum(p >= THRESHOLD and not a for p, a in zip(probability, actual, strict=True))
    missed = sum(a and p < THRESHOLD for p, a in zip(probability, actual, strict=True))
    print(f"{name}: at {THRESHOLD:.2f} {at} ({false} false alarms, {missed} misses)")
    curve = print_curve(
        probability,
        actual,
        STEPS,
        f"{name}: threshold  precision  recall  false alarms  misses",
        indent=" " * 6,
    )
    return {"at_threshold": at, "false_alarms": false, "misses": missed, "curve": curve}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", nargs="+", type=Path, required=True)
    parser.add_argument("--check", nargs="+", type=Path, required=True)
    parser.add_argument("--errors", action="store_true", help="list the tune side's errors")
    parser.add_argument("--no-lopo", action="store_true", help="the check side only")
    args = parser.parse_args()
    overlap = {p.resolve() for p in args.tune} & {p.resolve() for p in args.check}
    if overlap:
        sys.exit(f"a part on both sides: {', '.join(sorted(p.name for p in overlap))}")
    dev = load(DEV)
    tune = {path.name: load(path) for path in args.tune}
    check = [row for path in args.check for row in load(path)]
    tune_rows = [row for rows in tune.values() for row in rows]
    figures: dict[str, object] = {}
    check_p = scored(dev + tune_rows, check)
    check_a = [label == 1 for _i, label, _p, _t, _x in check]
    print(f"check side: {len(check)} pages, trained on {len(dev) + len(tune_rows)}")
    figures["check"] = summary("check", check_p, check_a)
    if not args.no_lopo:
        pooled_p: list[float] = []
        pooled_a: list[bool] = []
        for name, rows in tune.items():
            others = [row for other, held in tune.items() if other != name for row in held]
            probability = scored(dev + others, rows)
            for (ident, label, _p, title, text), p in zip(rows, probability, strict=True):
                if args.errors and (p >= THRESHOLD) != (label == 1):
                    kind = "FALSE ALARM" if label == 0 else "MISS"
                    t, x = tone_text(title, text)
                    shown = (title or "| " + text)[:70]
                    print(f"    {kind:11} {name} {ident} {p:.2f} [{_genre(t, x)}] {shown}")
            pooled_p += probability
            pooled_a += [label == 1 for _i, label, _p, _t, _x in rows]
        figures["tune_lopo"] = summary("tune, leave one part out", pooled_p, pooled_a)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
