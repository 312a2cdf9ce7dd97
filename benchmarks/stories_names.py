"""Would a rare name both pages share (the event's actor or object) find the missed pairs?

Many of the event stage's misses are one event told by outlets with other headlines that
name the same actor and object: a brand or a firm's short name (三鹿, 叮当健康), a person
(拜登, 纳吉布), a system (CMS). A name that is common (新冠, 国家卫健委) or that many pages
of the window name is a topic, not an event, so only *rare* names count: named by at most
``K`` texts of a background (document frequency) and at most ``L`` pages of the part or
window compared. This measures, on a tune side and a check side of the spent parts
(``stories_parts.SPENT``; by default the check side is ``blind20`` and ``blind21``), what
the stage would find if a pair it does not join, with no hard conflict
(``stories_limits.HARD``), were joined as a match of score 0.4 when

- both texts (headline and lead) share a rare name and each headline names one of them,
- and they share another specific: a day both name, a number, or an institution.

Families of names (``--family``): ``names`` (rjieba's proper-noun tags without places, and
never two pages that both tell an incident: incidents have their own rule),
``names-places`` (with places, incidents allowed) and ``words`` (every word of two Han
characters or more, incidents allowed). The background: for the parts, the texts of
``../shared/eval/relevance/dev.tsv``; for the stream (dev.tsv itself, in windows of 300
items on one day), the tune side's texts, so that the stream is never its own background.
The joins are the stage's: each page joins its best-scoring earlier match.

The tune side is printed for every ``K``, ``L`` of the grid, the check side only for the
one picked (``--pick K,L``), so that a variant is chosen on the tune side alone.

    .venv/bin/python benchmarks/stories_names.py [--family names] [--pick 3,4]
        [--check blind20,blind21] [--stream ../shared/eval/relevance/dev.tsv]

Nothing here is shipped: it measures an idea before a rule is written. Ends with one JSON
line.
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import load
from stories_limits import HARD, Part, counts, labels
from stories_parts import DATA, SPENT, STREAM_WINDOW

from jianbao.config import Settings
from jianbao.judge.events import DEFAULT_THRESHOLD, compare, event_facts

#: the grid of the background's and the window's counts a name may have and be rare
BACKGROUND_MAX = (1, 3)
WINDOW_MAX = (3, 4, 6)
#: the score a pair joined by a shared rare name gets (the stage's threshold is 0.38)
NAME_SCORE = 0.4
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PROPER = {"nr", "nrfg", "nrt", "nt", "nz", "eng"}
_PLACES = {"ns"}


def reader(family: str) -> Callable[[str], set[str]]:
    """The names of a text, as ``family`` reads them."""
    import rjieba

    from jianbao.judge.tokenize import tokenize

    tagger = rjieba.Jieba()
    tags = _PROPER | (_PLACES if family == "names-places" else set())

    def words(text: str) -> set[str]:
        out = set()
        for w in (w.lower() for w in tokenize(text)):
            han = len(_HAN.findall(w))
            if han >= 2 or (not han and len(w) >= 3 and w.isalnum() and not w.isdigit()):
                out.add(w)
        return out

    def names(text: str) -> set[str]:
        return {w.lower() for w, tag in tagger.tag(text) if tag in tags and len(w) >= 2}

    return words if family == "words" else names


def frequencies(texts: Iterable[str], read: Callable[[str], set[str]]) -> collections.Counter[str]:
    """How many of ``texts`` name each name (the background's document frequency)."""
    df: collections.Counter[str] = collections.Counter()
    for text in texts:
        df.update(read(text))
    return df


def name_pairs(
    part: Part, read: Callable[[str], set[str]], family: str
) -> dict[tuple[int, int], dict[str, tuple[int, bool, bool]]]:
    """For each pair of the part the stage does not pass, with no hard conflict, that
    shares another specific (a day both name, a number, an institution): the names both
    texts name, each with how many pages of the part name it and whether each headline
    does (so each ``K``, ``L`` of the grid is read from one pass)."""
    texts = [read(f.text) for f in part.facts]
    heads = [read(f.title) for f in part.facts]
    local = collections.Counter(w for names in texts for w in names)
    found: dict[tuple[int, int], dict[str, tuple[int, bool, bool]]] = {}
    for i, j in itertools.combinations(range(len(part.facts)), 2):
        a, b = part.facts[i], part.facts[j]
        shared = texts[i] & texts[j]
        if not shared & heads[i] or not shared & heads[j]:
            continue
        if not (a.days & b.days or a.numbers & b.numbers or a.institutions & b.institutions):
            continue
        if family == "names" and a.incidents and b.incidents:
            continue
        match = compare(a, b, float(part.headline[i, j]), float(part.lead[i, j]))
        if match.same(DEFAULT_THRESHOLD) or match.conflict in HARD:
            continue
        found[(i, j)] = {w: (local[w], w in heads[i], w in heads[j]) for w in shared}
    return found


def rule_pairs(
    found: dict[tuple[int, int], dict[str, tuple[int, bool, bool]]],
    background: collections.Counter[str],
    background_max: int,
    window_max: int,
) -> set[tuple[int, int]]:
    """The pairs a rare name joins at ``background_max`` and ``window_max``: names both
    texts share, rare by both counts, one of them in each headline."""
    pairs = set()
    for pair, names in found.items():
        rare = [
            (first, second)
            for name, (pages, first, second) in names.items()
            if background[name] <= background_max and pages <= window_max
        ]
        if any(first for first, _ in rare) and any(second for _, second in rare):
            pairs.add(pair)
    return pairs


def stage_labels(part: Part, extra: set[tuple[int, int]]) -> list[int]:
    """The stage's clustering (near-copies first, each page joining its best-scoring
    earlier match) with the ``extra`` pairs passing at :data:`NAME_SCORE`."""
    return labels(part, extra=extra, extra_score=NAME_SCORE)


def _ratio(tally: collections.Counter[str]) -> dict[str, Any]:
    found, true = tally["tp"] + tally["fp"], tally["tp"] + tally["fn"]
    return {
        **{k: tally[k] for k in ("tp", "fp", "fn")},
        "precision": round(tally["tp"] / found, 4) if found else 1.0,
        "recall": round(tally["tp"] / true, 4) if true else 1.0,
    }


def _told(figures: dict[str, Any]) -> str:
    return (
        f"P {figures['precision']:.4f} R {figures['recall']:.4f} "
        f"(tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", choices=("names", "names-places", "words"), default="names")
    parser.add_argument("--pick", default="3,4", help="K,L of the variant scored on the check side")
    parser.add_argument("--check", default="blind20,blind21", help="the check side's spent parts")
    parser.add_argument("--stream", type=Path, default=None, help="also a real stream's merges")
    parser.add_argument(
        "--background",
        type=Path,
        default=Path("../shared/eval/relevance/dev.tsv"),
        help="the texts whose document frequencies tell a rare name (for the parts)",
    )
    args = parser.parse_args(argv)
    check = {name.strip() for name in args.check.split(",") if name.strip()}
    unknown = check - set(SPENT)
    if unknown:
        raise SystemExit(f"--check: not spent parts: {', '.join(sorted(unknown))}")
    try:
        pick = tuple(int(n) for n in args.pick.split(","))
    except ValueError:
        raise SystemExit(f"--pick: two whole numbers K,L expected, not {args.pick!r}") from None
    if len(pick) != 2:
        raise SystemExit(f"--pick: two whole numbers K,L expected, not {args.pick!r}")
    grid = list(itertools.product(BACKGROUND_MAX, WINDOW_MAX))
    read = reader(args.family)
    dedup_threshold = Settings().dedup_threshold
    with args.background.open(encoding="utf-8") as handle:
        dev = list(csv.DictReader(handle, delimiter="\t"))
    background = frequencies((event_facts(r["title"], r["text"]).text for r in dev), read)
    tallies: dict[str, dict[Any, collections.Counter[str]]] = {
        side: collections.defaultdict(collections.Counter) for side in ("tune", "check")
    }
    tune_texts = []
    for name in SPENT:
        side = "check" if name in check else "tune"
        part = Part(name, load(DATA / f"stories-{name}.tsv"), dedup_threshold)
        if side == "tune":
            tune_texts += [f.text for f in part.facts]
        found = name_pairs(part, read, args.family)
        tallies[side]["stage"] += counts(part, stage_labels(part, set()))
        for k, window in grid if side == "tune" else [pick]:
            extra = rule_pairs(found, background, k, window)
            tallies[side][(k, window)] += counts(part, stage_labels(part, extra))
    result: dict[str, Any] = {
        "benchmark": "stories_names",
        "family": args.family,
        "check_parts": sorted(check),
        "pick": list(pick),
        "tune": {str(key): _ratio(tally) for key, tally in tallies["tune"].items()},
        "check": {str(key): _ratio(tally) for key, tally in tallies["check"].items()},
    }
    if args.stream:
        merged: collections.Counter[Any] = collections.Counter()
        stream_df = frequencies(tune_texts, read)
        with args.stream.open(encoding="utf-8") as handle:
            items = list(csv.DictReader(handle, delimiter="\t"))
        for start in range(0, len(items), STREAM_WINDOW):
            rows = [
                {"id": str(n), "title": r["title"], "text": r["text"], "date": "2020-03-01"}
                for n, r in enumerate(items[start : start + STREAM_WINDOW])
            ]
            part = Part(f"stream {start}", rows, dedup_threshold)
            found = name_pairs(part, read, args.family)
            keys: list[tuple[int, int] | str] = ["stage", *grid]
            for key in keys:
                extra = rule_pairs(found, stream_df, *key) if isinstance(key, tuple) else set()
                labels = stage_labels(part, extra)
                merged[key] += sum(
                    labels[i] == labels[j] for i, j in itertools.combinations(range(len(rows)), 2)
                )
        result["stream_merged_pairs"] = {str(key): n for key, n in merged.items()}
    for name in ["stage", *map(str, grid)]:
        line = f"{name:8s} tune {_told(result['tune'][name])}"
        if name in result["check"]:
            line += f"  check {_told(result['check'][name])}"
        if args.stream:
            line += f"  stream {result['stream_merged_pairs'][name]}"
        print(line)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
