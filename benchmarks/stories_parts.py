"""Same-event pairs over every spent stories part at once: per part and pooled.

A change to the event stage is judged on all the parts it may be tuned on together, not on
one: each part is clustered as ``benchmarks/stories.py`` clusters it (near-copies first,
then :func:`jianbao.judge.events.cluster` with the judge's threshold), its pairwise counts
are printed, and the counts are pooled. ``-v`` lists every misjudged pair (joined: one
story but two events; missed: one event, two stories), so the errors can be read by class.

``--stream TSV`` also clusters a real stream (``../shared/eval/relevance/dev.tsv``,
unlabelled for events) in windows of 300 items put on one day, the check of the earlier
rounds: its merged pairs are nearly all false (one province's bulletins of other days), so
a change should not raise their count; ``--list`` prints them, to compare two revisions.

    .venv/bin/python benchmarks/stories_parts.py [TSV …] [--threshold T] [-v]
        [--stream ../shared/eval/relevance/dev.tsv [--list]]

Without TSVs, the spent parts of ``benchmarks/data`` (those a round may tune on; a part
still held out is never listed here). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import _date, load, near_copy_pairs

from jianbao.config import Settings
from jianbao.judge.events import DEFAULT_THRESHOLD, cluster, event_facts

DATA = Path(__file__).resolve().parent / "data"
#: the parts spent (scored once and then tuned on, or tuning data from the start)
SPENT = (
    "dev",
    "blind",
    "pages",
    "heldout",
    "blind3",
    "tune4",
    *(f"blind{n}" for n in range(4, 23)),
)
#: items of the stream put on one day at a time
STREAM_WINDOW = 300


def clustered(rows: list[dict[str, str]], threshold: float, dedup_threshold: float) -> list[int]:
    """Each row's story, as ``benchmarks/stories.py`` clusters a part: near-copies first,
    then the event stage at ``threshold``."""
    copies = near_copy_pairs(rows, dedup_threshold)
    facts = [event_facts(r["title"], r["text"], _date(r["date"])) for r in rows]
    return cluster(facts, threshold, joined=copies)


def part_counts(
    rows: list[dict[str, str]], threshold: float, dedup_threshold: float
) -> tuple[dict[str, int], list[str]]:
    """A part's pairwise counts (tp, fp, fn) and its misjudged pairs as lines."""
    truth = [row["event"] for row in rows]
    labels = clustered(rows, threshold, dedup_threshold)
    counts = {"tp": 0, "fp": 0, "fn": 0}
    errors = []
    for i, j in itertools.combinations(range(len(rows)), 2):
        joined, same = labels[i] == labels[j], truth[i] == truth[j]
        counts["tp"] += joined and same
        counts["fp"] += joined and not same
        counts["fn"] += same and not joined
        if joined != same:
            a, b = rows[i], rows[j]
            errors.append(
                f"{'joined' if joined else 'missed'}: {a['id']} {a['date'][:10]} "
                f"{a['title'][:40]} | {b['id']} {b['date'][:10]} {b['title'][:40]}"
            )
    return counts, errors


def stream_pairs(path: Path, threshold: float, dedup_threshold: float) -> list[str]:
    """The pairs merged on the stream, each as its two ids and headlines."""
    with path.open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle, delimiter="\t"))
    merged = []
    for start in range(0, len(items), STREAM_WINDOW):
        window = items[start : start + STREAM_WINDOW]
        rows = [
            {"id": str(n), "title": r["title"], "text": r["text"], "date": "2020-03-01"}
            for n, r in enumerate(window)
        ]
        labels = clustered(rows, threshold, dedup_threshold)
        for i, j in itertools.combinations(range(len(rows)), 2):
            if labels[i] == labels[j]:
                merged.append(
                    f"{window[i]['id']} {window[j]['id']}\t"
                    f"{rows[i]['title'][:40]} | {rows[j]['title'][:40]}"
                )
    return sorted(merged)


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="*", type=Path)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--verbose", "-v", action="store_true", help="list the pairs misjudged")
    parser.add_argument("--stream", type=Path, default=None, help="also a stream's merges")
    parser.add_argument("--list", action="store_true", help="print the stream's merged pairs")
    args = parser.parse_args(argv)
    dedup_threshold = Settings().dedup_threshold
    paths = args.tsv or [DATA / f"stories-{name}.tsv" for name in SPENT]
    pooled = {"tp": 0, "fp": 0, "fn": 0}
    parts = {}
    for path in paths:
        counts, errors = part_counts(load(path), args.threshold, dedup_threshold)
        precision = _ratio(counts["tp"], counts["tp"] + counts["fp"])
        recall = _ratio(counts["tp"], counts["tp"] + counts["fn"])
        parts[path.name] = {**counts, "precision": precision, "recall": recall}
        print(f"{path.name:24s} P {precision:.3f} R {recall:.3f}  {counts}")
        for line in errors if args.verbose else ():
            print("   ", line)
        for key in pooled:
            pooled[key] += counts[key]
    total = {
        **pooled,
        "precision": _ratio(pooled["tp"], pooled["tp"] + pooled["fp"]),
        "recall": _ratio(pooled["tp"], pooled["tp"] + pooled["fn"]),
    }
    print(f"pooled over {len(paths)} parts: P {total['precision']:.4f} R {total['recall']:.4f}")
    result: dict[str, object] = {"benchmark": "stories_parts", "pooled": total, "parts": parts}
    if args.stream:
        merged = stream_pairs(args.stream, args.threshold, dedup_threshold)
        for line in merged if args.list else ():
            print("   ", line)
        print(f"stream {args.stream.name}: {len(merged)} merged pairs")
        result["stream_merged_pairs"] = len(merged)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
