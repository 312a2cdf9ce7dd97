"""Relevance benchmark: keyword topic alone, learned model alone (cross-validated), both.

Data: ``../shared/eval/relevance/dev.tsv`` (a realistic stream: few relevant items, many
hard negatives) and the items of the seed reports in ``../shared/seeds/`` (every listed
item is relevant). Prints precision, recall and F1 for each method and ends with one JSON
line of the figures.

    .venv/bin/python benchmarks/relevance.py [--eval DIR] [--seeds DIR] [TSV]

Given a TSV of ``id<TAB>label<TAB>title<TAB>text`` (label 1 relevant, 0 not), it trains on
the development data and the seeds and scores that file instead of cross-validating; when
the TSV has a ``script`` column (``s`` Simplified, ``t`` 繁體, as the real-page sets of
``benchmarks/data/relevance-pages*.tsv``), it also scores each script apart. ``--train
TSV`` (repeatable) adds labelled rows to what the model learns from — the tuning part of
the real pages, as a store's editors' decisions on pages of that kind would be — never
the scored file itself:

    .venv/bin/python benchmarks/relevance.py --train benchmarks/data/relevance-pages.tsv \
        benchmarks/data/relevance-pages-blind2.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from jianbao.config import DEFAULT_TOPIC
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import aside, combine, passing_mention
from jianbao.judge.scope import POLICY_SCOPE, scope_of
from jianbao.judge.topic import TopicMatch, parse_topic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"

Item = tuple[str, str, str, int]  # id, title, text, label

csv.field_size_limit(10**8)


def load_tsv(path: Path) -> list[Item]:
    """Rows of a labelled TSV: the 4-column form, or dev.tsv's form with a header naming
    label, title and text columns."""
    items: list[Item] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        return items
    header = [h.strip().lower() for h in rows[0]]
    if "label" in header and "title" in header:
        at = {name: header.index(name) for name in ("id", "label", "title", "text")}
        body = rows[1:]
    else:
        at = {"id": 0, "label": 1, "title": 2, "text": 3}
        body = rows
    for row in body:
        if len(row) <= max(at["label"], at["title"]):
            continue
        text = row[at["text"]] if len(row) > at["text"] else ""
        label = row[at["label"]].strip()
        if label not in ("0", "1"):
            continue
        items.append((row[at["id"]], row[at["title"]], text, int(label)))
    return items


_DAILY_ITEM = re.compile(r"^\s*\d+\.\s*\[(?P<title>[^\]]+)\]\[\d+\](?P<text>.*)$", re.M)
_WEEKLY_HEAD = re.compile(r"^\**\s*\d+\s*[.、．]\s*标题\s*[:：]\s*(?P<title>.+?)\**\s*$", re.M)
_FURNITURE = re.compile(r"^\s*(?:来源|链接|媒体|主要内容|<http|#|\*\*|\d{4}-\d{1,2}-\d{1,2})")


def load_seed_items(folder: Path) -> list[Item]:
    """Items listed in the seed reports: all relevant."""
    items: list[Item] = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for n, match in enumerate(_DAILY_ITEM.finditer(text)):
            title = match.group("title").strip().rstrip("。")
            items.append((f"{path.stem}-{n}", title, match.group("text").strip(" 。"), 1))
        heads = list(_WEEKLY_HEAD.finditer(text))
        for n, head in enumerate(heads):
            end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
            lines = [
                line.strip()
                for line in text[head.end() : end].splitlines()
                if line.strip() and not _FURNITURE.match(line)
            ]
            body = "\n".join(lines)[:3000]
            items.append((f"{path.stem}-w{n}", head.group("title").strip("* "), body, 1))
    return items


def seed_report(item_id: str) -> str:
    """The seed report an item id of :func:`load_seed_items` comes from."""
    return item_id.rsplit("-", 1)[0]


def prf(truth: list[int], predicted: list[bool]) -> dict[str, float]:
    tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t and p)
    fp = sum(1 for t, p in zip(truth, predicted, strict=True) if p and not t)
    fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def cross_validated_probabilities(
    items: list[Item],
    folds: int = 5,
    groups: list[str] | None = None,
    extra: list[Item] | None = None,
) -> list[float]:
    """Each item's probability from a model that did not see it. With ``groups`` (one
    name per seed report, "" for the rest) each named group is held out whole, beside
    one stratified share of the rest: the items of one report share its editor's wording,
    so this tells how the model does on a source it has not seen. ``extra`` rows are
    learnt in every fold and never scored."""
    from sklearn.model_selection import StratifiedKFold  # slow to import: only when used

    from jianbao.judge.model import train

    labels = np.array([label for *_, label in items])
    probabilities = np.zeros(len(items))
    if groups is None:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
        splits = list(splitter.split(np.zeros(len(items)), labels))
    else:
        names = sorted({g for g in groups if g})
        rest = np.array([i for i, g in enumerate(groups) if not g])
        splitter = StratifiedKFold(n_splits=len(names), shuffle=True, random_state=7)
        splits = []
        for name, (_, shared) in zip(
            names, splitter.split(np.zeros(len(rest)), labels[rest]), strict=True
        ):
            held = {i for i, g in enumerate(groups) if g == name} | set(rest[shared].tolist())
            test_idx = np.array(sorted(held))
            train_idx = np.array([i for i in range(len(items)) if i not in held])
            splits.append((train_idx, test_idx))
    extra = extra or []
    for train_idx, test_idx in splits:
        model = train(
            [(items[i][1], items[i][2]) for i in train_idx] + [(t, x) for _, t, x, _ in extra],
            [*labels[train_idx].tolist(), *(y for *_, y in extra)],
        )
        probabilities[test_idx] = model.predict_proba(
            [(items[i][1], items[i][2]) for i in test_idx]
        )
    return [float(p) for p in probabilities]


def scripts_of(path: Path) -> dict[str, str]:
    """Each item's script (``s`` Simplified, ``t`` 繁體) when the TSV has a script column."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "script" not in header or "id" not in header:
        return {}
    at, where = header.index("id"), header.index("script")
    return {row[at]: row[where] for row in rows[1:] if len(row) > max(at, where)}


def evaluate(
    name: str, items: list[Item], probabilities: list[float], topic_expression: str
) -> dict[str, dict[str, float]]:
    """P/R/F1 of the keyword topic, the model and both, on the items' normalised form
    (繁體 made Simplified, mirror artefacts removed), as judging reads them."""
    topic = parse_topic(topic_expression)
    truth = [label for *_, label in items]
    read = [(simplified(title), simplified(text)) for _, title, text, _ in items]
    matches = [topic.match(title, text) for title, text in read]
    keyword = [m.matched for m in matches]
    model = [p >= 0.5 for p in probabilities]
    both = [
        combine(m, p, title=title, body=text).relevant
        for m, p, (title, text) in zip(matches, probabilities, read, strict=True)
    ]
    figures: dict[str, dict[str, float]] = {
        "keyword": prf(truth, keyword),
        "model": prf(truth, model),
        "combined": prf(truth, both),
    }
    print(f"\n{name}: {len(items)} items, {sum(truth)} relevant")
    print(f"  {'method':<10} {'P':>7} {'R':>7} {'F1':>7}   tp   fp   fn")
    for method, f in figures.items():
        print(
            f"  {method:<10} {f['precision']:>7.3f} {f['recall']:>7.3f} {f['f1']:>7.3f}"
            f" {f['tp']:>4} {f['fp']:>4} {f['fn']:>4}"
        )
    figures["passing"] = {
        k: float(v) for k, v in passing_figures(matches, truth, both, read).items()
    }
    p = {k: int(v) for k, v in figures["passing"].items()}
    print(
        f"  kept on a passing mention (one body sentence, no headline match): {p['kept']}"
        f" ({p['relevant']} relevant, {p['not_relevant']} not) of {p['items']} such items;"
        f" {p['asides']} judged an aside to another subject ({p['asides_relevant']} relevant);"
        f" other asides (two sentences, a slogan headline): {p['weak_asides']}"
        f" ({p['weak_asides_relevant']} relevant)"
    )
    return figures


def passing_figures(
    matches: list[TopicMatch],
    truth: list[int],
    decided: list[bool],
    read: list[tuple[str, str]] | None = None,
) -> dict[str, int]:
    """The items whose keyword match is a passing mention (one sentence of the body, not
    the headline): how many there are, how many the decision kept, and how many of those
    are relevant — the known weak spot, where hard negatives hide among real one-sentence
    excerpts — and how many were judged an aside to another subject (their sentence late
    in the body, another subject in the headline or lead) and how many of those are
    relevant (the asides' cost); and the other asides (a match in two body sentences or
    a headline whose only topic word is a slogan, under another subject)."""
    chosen = [n for n, m in enumerate(matches) if passing_mention(m)]
    kept = [n for n in chosen if decided[n]]
    relevant = sum(1 for n in kept if truth[n])
    texts = read or [("", "")] * len(matches)
    asides = [n for n in chosen if aside(matches[n], *texts[n])]
    # the other asides: two body sentences, or a slogan headline, under another subject
    weak = [
        n
        for n, m in enumerate(matches)
        if m.matched and not passing_mention(m) and aside(m, *texts[n])
    ]
    return {
        "items": len(chosen),
        "kept": len(kept),
        "relevant": relevant,
        "not_relevant": len(kept) - relevant,
        "asides": len(asides),
        "asides_relevant": sum(1 for n in asides if truth[n]),
        "weak_asides": len(weak),
        "weak_asides_relevant": sum(1 for n in weak if truth[n]),
    }


#: articles a day the candidate counts are stated at (a provincial health-IT desk's stream)
ARTICLES_PER_DAY = 300


def policy_scope(pool: list[Item]) -> list[bool]:
    """Whether each item is in the daily's second category (national policy on health and
    the digital economy), read as judging reads it (normalised)."""
    return [scope_of(simplified(t), simplified(x)) == POLICY_SCOPE for _, t, x, _ in pool]


def scope_counts(
    pool: list[Item],
    seed_ids: set[str],
    relevant: list[bool],
    in_scope: list[bool],
    per_day: int = ARTICLES_PER_DAY,
) -> dict[str, dict[str, float]]:
    """The publications' candidate scopes from each item's relevance decision and whether
    it is national policy (:func:`policy_scope`): the weekly's (relevance alone) as
    precision and recall on the stream with the weekly reports' items as further
    positives — the daily broadcast's picks are left out, since many are national policy
    the weekly rightly does not carry — and the daily's (relevance or national policy) as
    the share of the daily broadcast's picks it reaches and the candidates a day it asks
    the duty editor to read at ``per_day`` articles a day. One function for every
    benchmark that states the scopes (``relevance_channel.py`` too), so they count alike."""
    report = [seed_report(item[0]) if item[0] in seed_ids else "" for item in pool]
    weekly = [n for n, r in enumerate(report) if not r.startswith("daily")]
    daily_picks = [n for n, r in enumerate(report) if r.startswith("daily")]
    stream = [n for n, r in enumerate(report) if not r]
    figures = {
        "weekly": prf([pool[n][3] for n in weekly], [relevant[n] for n in weekly]),
    }
    reached = sum(1 for n in daily_picks if relevant[n] or in_scope[n])
    by_relevance = sum(1 for n in daily_picks if relevant[n])
    candidates = sum(1 for n in stream if relevant[n] or in_scope[n]) / max(1, len(stream))
    weekly_share = sum(1 for n in stream if relevant[n]) / max(1, len(stream))
    figures["daily"] = {
        "picks": len(daily_picks),
        "reached": reached,
        "recall": round(reached / max(1, len(daily_picks)), 4),
        "recall_relevance_alone": round(by_relevance / max(1, len(daily_picks)), 4),
        "candidate_share": round(candidates, 4),
        "candidates_per_day": round(candidates * per_day, 1),
        "weekly_candidates_per_day": round(weekly_share * per_day, 1),
    }
    return figures


def scope_figures(
    pool: list[Item],
    seed_ids: set[str],
    probabilities: list[float],
    topic_expression: str,
    per_day: int = ARTICLES_PER_DAY,
    folds: str = "same folds",
) -> dict[str, dict[str, float]]:
    """The publications' candidate scopes on the realistic stream (:func:`scope_counts`),
    from cross-validated probabilities and the judge's combined decision."""
    topic = parse_topic(topic_expression)
    relevant = []
    for (_, title, text, _), probability in zip(pool, probabilities, strict=True):
        title, text = simplified(title), simplified(text)
        relevant.append(
            combine(topic.match(title, text), probability, title=title, body=text).relevant
        )
    figures = scope_counts(pool, seed_ids, relevant, policy_scope(pool), per_day)
    w, d = figures["weekly"], figures["daily"]
    print(f"\nscopes ({folds}), at {per_day} articles a day:")
    print(
        f"  weekly (relevance; stream + weekly reports' items): P {w['precision']:.3f}"
        f" R {w['recall']:.3f} F1 {w['f1']:.3f}; {d['weekly_candidates_per_day']} candidates a day"
    )
    print(
        f"  daily (relevance or {POLICY_SCOPE}): {d['reached']} of {d['picks']} picks reached"
        f" (R {d['recall']:.3f}; relevance alone {d['recall_relevance_alone']:.3f});"
        f" {d['candidates_per_day']} candidates a day ({d['candidate_share']:.2%} of the stream)"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="?", type=Path, help="labelled TSV to score")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation data folder")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed reports folder")
    parser.add_argument(
        "--topic",
        choices=("builtin", "config"),
        default="builtin",
        help="keyword topic: the judge lexicon (builtin) or config.DEFAULT_TOPIC",
    )
    parser.add_argument(
        "--train",
        type=Path,
        action="append",
        default=[],
        help="labelled TSV the model also learns from when scoring a TSV (repeatable)",
    )
    parser.add_argument(
        "--per-day",
        type=int,
        default=ARTICLES_PER_DAY,
        help="articles a day the scopes' candidate counts are stated at",
    )
    args = parser.parse_args(argv)
    dev_path = args.eval / "relevance" / "dev.tsv"
    if not dev_path.is_file():
        print(f"SKIP: relevance data not found at {dev_path} (see ../shared/eval/README.md)")
        print(json.dumps({"benchmark": "relevance", "skipped": True}))
        return 0
    expression = HEALTH_IT_TOPIC if args.topic == "builtin" else DEFAULT_TOPIC
    dev = load_tsv(dev_path)
    seeds = load_seed_items(args.seeds) if args.seeds.is_dir() else []
    result: dict[str, object] = {"benchmark": "relevance", "topic": args.topic}
    extra: list[Item] = []
    for path in args.train:
        if args.tsv is not None and path.resolve() == args.tsv.resolve():
            print(
                f"--train {path} is the scored file: it would score what it learnt", file=sys.stderr
            )
            return 2
        extra += load_tsv(path)
    result["trained_on"] = ["dev", "seeds", *(path.name for path in args.train)]
    started = time.perf_counter()
    if args.tsv is not None:
        target = load_tsv(args.tsv)
        if not target:
            print(f"no labelled rows in {args.tsv}", file=sys.stderr)
            return 2
        from jianbao.judge.model import train

        pool = dev + seeds + extra
        model = train([(t, x) for _, t, x, _ in pool], [y for *_, y in pool])
        probabilities = model.predict_proba([(t, x) for _, t, x, _ in target])
        result[args.tsv.name] = evaluate(args.tsv.name, target, probabilities, expression)
        scripts = scripts_of(args.tsv)
        for script, label in (("s", "Simplified"), ("t", "Traditional 繁體")):
            chosen = [n for n, item in enumerate(target) if scripts.get(item[0]) == script]
            if chosen:
                result[f"{args.tsv.name} ({script})"] = evaluate(
                    f"{args.tsv.name}, {label} items",
                    [target[n] for n in chosen],
                    [probabilities[n] for n in chosen],
                    expression,
                )
    else:
        pool = dev + seeds
        probabilities = cross_validated_probabilities(pool, extra=extra)
        result["dev+seeds (5-fold)"] = evaluate(
            "dev + seeds, 5-fold cross-validation", pool, probabilities, expression
        )
        seed_ids = {item[0] for item in seeds}
        dev_only = [(i, p) for i, p in enumerate(probabilities) if pool[i][0] not in seed_ids]
        result["dev (5-fold)"] = evaluate(
            "dev only (same folds)",
            [pool[i] for i, _ in dev_only],
            [p for _, p in dev_only],
            expression,
        )
        result["scopes (5-fold)"] = scope_figures(
            pool, seed_ids, probabilities, expression, args.per_day
        )
        reports = [seed_report(item[0]) if item[0] in seed_ids else "" for item in pool]
        if len(set(reports) - {""}) >= 2:
            held_out = cross_validated_probabilities(pool, groups=reports, extra=extra)
            result["dev+seeds (seed reports held out)"] = evaluate(
                "dev + seeds, each seed report held out whole (a source the model has not seen)",
                pool,
                held_out,
                expression,
            )
            result["scopes (seed reports held out)"] = scope_figures(
                pool, seed_ids, held_out, expression, args.per_day, "seed reports held out"
            )
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
