"""Event-level stories: same-event pairs found across outlets' own write-ups.

Reads a TSV of ``id<TAB>event<TAB>date<TAB>title<TAB>text`` (pages with the same event id
are one story; a header row starting with ``id`` is skipped; extra columns after the
text, such as a page address, are ignored) and clusters the pages as the store does,
with the judge's settings: near-copies first (:class:`jianbao.judge.dedup.StoryIndex`,
``JIANBAO_DEDUP_THRESHOLD``), then the event stage (:mod:`jianbao.judge.events`) within
its window of days. Pairwise precision and recall of same-event pairs are reported for
the near-copy stage alone (the baseline, in the same run) and with the event stage.

    .venv/bin/python benchmarks/stories.py [TSV] [--threshold T]

Ends with one JSON line: ``{"benchmark": "stories", "event": {"precision", "recall",
…}, "near_copy": {…}, …}``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from jianbao.config import Settings
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.events import DEFAULT_THRESHOLD, cluster, event_facts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TSV = ROOT / "benchmarks" / "data" / "stories-dev.tsv"


def load(path: Path) -> list[dict[str, str]]:
    """The rows of the TSV, each with id, event, date, title and text."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, fields in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if not fields or (line == 0 and fields[0] == "id"):
                continue
            if len(fields) < 5:
                raise SystemExit(
                    f"{path}:{line + 1}: expected id, event, date, title, text separated by "
                    f"tabs; found {len(fields)} column(s)"
                )
            ident, event, date, title, text = fields[:5]
            rows.append({"id": ident, "event": event, "date": date, "title": title, "text": text})
    return rows


def _date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def near_copy_pairs(rows: list[dict[str, str]], threshold: float) -> set[tuple[int, int]]:
    """Pairs the near-copy index alone joins (inserting in order, querying each)."""
    index: StoryIndex[int] = StoryIndex(threshold)
    found = set()
    for n, row in enumerate(rows):
        signature = index.signature(row["title"] + "\n" + row["text"], title=row["title"])
        for other in index.query(signature):
            found.add((min(n, other), max(n, other)))
        index.add(n, signature)
    return found


def pairwise(labels: list[object], truth: list[str]) -> dict[str, float]:
    pairs = list(itertools.combinations(range(len(truth)), 2))
    true = {(i, j) for i, j in pairs if truth[i] == truth[j]}
    found = {(i, j) for i, j in pairs if labels[i] == labels[j]}
    hits = len(true & found)
    return {
        "pairs_true": len(true),
        "pairs_found": len(found),
        "precision": round(hits / len(found), 4) if found else 1.0,
        "recall": round(hits / len(true), 4) if true else 1.0,
    }


def _components(count: int, pairs: set[tuple[int, int]]) -> list[int]:
    parent = list(range(count))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i, j in pairs:
        parent[root(j)] = root(i)
    return [root(n) for n in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="?", type=Path, default=DEFAULT_TSV)
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"event-stage threshold (default: the judge's, {DEFAULT_THRESHOLD})",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list the pairs misjudged")
    args = parser.parse_args(argv)
    if not args.tsv.is_file():
        print(f"SKIP: {args.tsv} not found")
        print(json.dumps({"benchmark": "stories", "skipped": True}))
        return 0
    settings = Settings()
    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    rows = load(args.tsv)
    truth = [row["event"] for row in rows]
    started = time.perf_counter()
    copies = near_copy_pairs(rows, settings.dedup_threshold)
    baseline = _components(len(rows), copies)
    facts = [event_facts(r["title"], r["text"], _date(r["date"])) for r in rows]
    labels = cluster(facts, threshold, joined=copies)
    elapsed = time.perf_counter() - started
    near = pairwise(list(baseline), truth)
    event = pairwise(list(labels), truth)
    events = len(set(truth))
    told_twice = sum(1 for e in set(truth) if truth.count(e) >= 2)
    print(f"{args.tsv.name}: {len(rows)} pages, {events} events ({told_twice} told 2+ times)")
    print(f"  near-copy stage alone: precision {near['precision']:.4f} recall {near['recall']:.4f}")
    print(
        f"  with the event stage (threshold {threshold}): precision {event['precision']:.4f} "
        f"recall {event['recall']:.4f} ({event['pairs_found']} found / "
        f"{event['pairs_true']} true); {elapsed:.2f} s"
    )
    for n, m in itertools.combinations(range(len(rows)), 2):
        if (labels[n] == labels[m]) != (truth[n] == truth[m]) and args.verbose:
            kind = "joined" if labels[n] == labels[m] else "missed"
            print(
                f"  {kind}: {rows[n]['id']} {rows[n]['title']} | {rows[m]['id']} {rows[m]['title']}"
            )
    result = {
        "benchmark": "stories",
        "file": args.tsv.name,
        "pages": len(rows),
        "events": events,
        "threshold": threshold,
        "near_copy": near,
        "event": event,
        "seconds": round(elapsed, 3),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
