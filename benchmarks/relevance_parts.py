"""Relevance on the real-page parts at once: each part, each script, and their totals.

Trains the model once on the development stream and the seeds (as ``benchmarks/relevance.py
PART`` does for one part) and scores every part given with the judge as installed — the
combined decision, the keyword topic alone and the decision without a model — so that a
round's held-out parts are all read in one look. The last part given is the one a round
holds out fresh; ``--errors FILE`` writes that part's errors (to read after its one
scoring, never to tune on):

    .venv/bin/python benchmarks/relevance_parts.py benchmarks/data/relevance-pages-blind.tsv \
        benchmarks/data/relevance-pages-blind[2-8].tsv

Ends with one JSON line of the figures. To score an earlier judge in the same look, run it
again with ``PYTHONPATH`` pointing at an export of that commit's ``src``.

``--train TSV`` (repeatable) adds labelled pages to what the model learns from (never a
scored part). ``--leave-one-out`` scores each part with a model that also learnt every
*other* part given (and the ``--train`` files): how far the real pages of other rounds
carry to a round the model has not seen — the measure for training on all real pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance as bench

from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import aside, combine
from jianbao.judge.topic import parse_topic


def figures(rows: list[dict], key: str = "both") -> dict[str, float]:
    f = bench.prf([r["y"] for r in rows], [r[key] for r in rows])
    return {**f, "n": len(rows)}


def _f1(entry: dict[str, float]) -> str:
    """An F1 to print, ``-`` where the part has no item of that script."""
    return f"{entry['f1']:.3f}" if entry["n"] else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="+", type=Path, help="labelled page parts (TSV)")
    parser.add_argument("--eval", type=Path, default=bench.DEFAULT_EVAL)
    parser.add_argument("--seeds", type=Path, default=bench.DEFAULT_SEEDS)
    parser.add_argument("--errors", type=Path, help="write the last part's errors here")
    parser.add_argument(
        "--train", type=Path, action="append", default=[], help="labelled pages also learnt"
    )
    parser.add_argument(
        "--leave-one-out",
        action="store_true",
        help="score each part with a model that also learnt the other parts given",
    )
    args = parser.parse_args(argv)
    dev_path = args.eval / "relevance" / "dev.tsv"
    if not dev_path.is_file():
        print(json.dumps({"benchmark": "relevance_parts", "skipped": True}))
        return 0
    from jianbao.judge.model import train

    scored = {part.resolve() for part in args.parts}
    if any(path.resolve() in scored for path in args.train):
        print("a --train file is a scored part: it would score what it learnt", file=sys.stderr)
        return 2
    pool = bench.load_tsv(dev_path) + bench.load_seed_items(args.seeds)
    for path in args.train:
        pool += bench.load_tsv(path)
    loaded = {part: bench.load_tsv(part) for part in args.parts}

    def trained(*parts: Path) -> object:
        rows_ = pool + [item for part in parts for item in loaded[part]]
        return train([(t, x) for _, t, x, _ in rows_], [y for *_, y in rows_])

    model = None if args.leave_one_out else trained()
    topic = parse_topic(HEALTH_IT_TOPIC)
    rows: list[dict] = []
    for part in args.parts:
        items = loaded[part]
        scripts = bench.scripts_of(part)
        if args.leave_one_out:
            others = [other for other in args.parts if other != part]
            model = trained(*others)
        probabilities = model.predict_proba([(t, x) for _, t, x, _ in items])  # type: ignore[attr-defined]
        for (item_id, title, text, label), p in zip(items, probabilities, strict=True):
            read_title, read_text = simplified(title), simplified(text)
            match = topic.match(read_title, read_text)
            decision = combine(match, float(p), title=read_title, body=read_text)
            rows.append(
                {
                    "part": part.name,
                    "id": item_id,
                    "y": label,
                    "script": scripts.get(item_id, "?"),
                    "both": decision.relevant,
                    "keyword": match.matched,
                    "no_model": match.matched and not aside(match, read_title, read_text),
                    "p": float(p),
                    "reasons": decision.reasons,
                    "title": title,
                    "text": text[:120],
                }
            )
    groups = {part.name: [r for r in rows if r["part"] == part.name] for part in args.parts}
    if len(args.parts) > 1:
        last = args.parts[-1].name
        groups["all but the last"] = [r for r in rows if r["part"] != last]
        groups["all"] = rows
    result: dict[str, object] = {
        "benchmark": "relevance_parts",
        "trained_on": ["dev", "seeds", *(p.name for p in args.train)]
        + (["the other parts"] if args.leave_one_out else []),
    }
    for name, chosen in groups.items():
        entry = {
            "combined": figures(chosen),
            "s": figures([r for r in chosen if r["script"] == "s"]),
            "t": figures([r for r in chosen if r["script"] == "t"]),
            "keyword": figures(chosen, "keyword"),
            "no_model": figures(chosen, "no_model"),
        }
        result[name] = entry
        c = entry["combined"]
        print(
            f"{name:30s} n {c['n']:3d} F1 {c['f1']:.3f} P {c['precision']:.3f}"
            f" R {c['recall']:.3f} | Simplified {_f1(entry['s'])}"
            f" 繁體 {_f1(entry['t'])} | keyword {entry['keyword']['f1']:.3f}"
            f" no model {entry['no_model']['f1']:.3f}"
        )
    if args.errors:
        last = args.parts[-1].name
        with args.errors.open("w", encoding="utf-8") as handle:
            for r in rows:
                if r["part"] == last and r["both"] != bool(r["y"]):
                    kind = "FP" if r["both"] else "FN"
                    fields = [r["id"], kind, r["script"], f"{r['p']:.2f}", r["title"], r["text"]]
                    handle.write("\t".join([*fields, ";".join(r["reasons"])]) + "\n")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
