"""Event-level stories: same-event pairs found across outlets' own write-ups.

Reads a TSV of ``id<TAB>event<TAB>date<TAB>title<TAB>text`` (pages with the same event id
are one story; a header row starting with ``id`` is skipped; extra columns after the
text, such as a page address, are ignored) and clusters the pages as the store does,
with the judge's settings: near-copies first (:class:`jianbao.judge.dedup.StoryIndex`,
``JIANBAO_DEDUP_THRESHOLD``), then the event stage (:mod:`jianbao.judge.events`) within
its window of days. Pairwise precision and recall of same-event pairs are reported for
the near-copy stage alone (the baseline, in the same run) and with the event stage.

    .venv/bin/python benchmarks/stories.py [TSV] [--threshold T] [--store N] [--join-window N]

``--join-window N`` measures the event stage's CPU per join alone: a new article against
N others of real text (the reference articles and the ``neardup`` sources of
``../shared/eval``), in one long-running process whose cache already holds them — the
stage's own cost, without the store's reads (issue 21).

``--store N`` also measures what joining costs in a store of N articles (a SQLite file,
spread over a year, a quarter of them relevant): milliseconds per new article — arriving
in order over the year's last week, as collected news does — joined with the event stage
against the near-copy path alone, in the same run.

Ends with one JSON line: ``{"benchmark": "stories", "event": {"precision", "recall",
…}, "near_copy": {…}, …}``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from jianbao.config import Settings
from jianbao.db.models import Article, Story
from jianbao.db.session import Database
from jianbao.judge.dedup import StoryIndex, strip_furniture
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    best_match,
    cluster,
    compare,
    event_facts,
    similarity_matrices,
)
from jianbao.stories import EventWindow, assign_story

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


def _scrambled(text: str, rng: random.Random) -> str:
    """A distinct text of the same length and shape: every third character replaced."""
    chars = list(text)
    for at in range(rng.randrange(3), len(chars), 3):
        chars[at] = chr(0x4E00 + rng.randrange(20000))
    return "".join(chars)


def store_cost(rows: list[dict[str, str]], size: int, joins: int = 200) -> dict[str, float]:
    """Milliseconds per article joined into a store of ``size`` articles, with the event
    stage and without it (the near-copy path), the same new articles in both. The event
    stage keeps the facts it made in a window (:class:`jianbao.stories.EventWindow`), as a
    collecting process does; the near-copy side's writes make it read its window again
    for each join, as the store-only path did."""
    rng = random.Random(20)
    window = EventWindow()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/store.db")
        with db.session() as session:
            for at in range(0, size, 5000):
                count = min(5000, size - at)
                session.execute(
                    insert(Story), [{"id": at + n + 1, "size": 1} for n in range(count)]
                )
                batch = []
                for n in range(at, at + count):
                    row = rows[n % len(rows)]
                    batch.append(
                        {
                            "id": n + 1,
                            "url": f"https://outlet.example/{n}",
                            "canonical_url": f"https://outlet.example/{n}",
                            "content_hash": f"{n:064d}",
                            "title": _scrambled(row["title"], rng),
                            "body": _scrambled(row["text"], rng),
                            "relevant": rng.random() < 0.25,
                            "published_at": start + timedelta(minutes=rng.randrange(525600)),
                            "story_id": n + 1,
                        }
                    )
                session.execute(insert(Article), batch)
        timings: dict[bool, list[float]] = {True: [], False: []}
        for n in range(joins):
            row = rows[n % len(rows)]
            for events in (False, True):
                with db.session() as session:
                    article = Article(
                        url=f"https://new.example/{n}/{events}",
                        canonical_url=f"https://new.example/{n}/{events}",
                        content_hash=f"new{n}{events}".ljust(64, "0"),
                        title=_scrambled(row["title"], rng),
                        body=_scrambled(row["text"], rng),
                        relevant=True,
                        # news arrives as it is published: the year's last week, in order
                        published_at=start + timedelta(days=358, minutes=n * 7 * 1440 // joins),
                    )
                    session.add(article)
                    session.flush()
                    began = time.perf_counter()
                    assign_story(
                        session, article, [], events=events, memory=window if events else None
                    )
                    timings[events].append((time.perf_counter() - began) * 1000)
        db.close()
    with_events = statistics.median(timings[True])
    without = statistics.median(timings[False])
    return {
        "articles": size,
        "joins": joins,
        "ms_per_join_event_stage": round(with_events, 2),
        "ms_per_join_near_copy_only": round(without, 2),
        "ms_per_join_event_stage_p95": round(statistics.quantiles(timings[True], n=20)[-1], 2),
    }


def join_cpu(folder: Path, window: int, joins: int = 400) -> dict[str, float]:
    """CPU milliseconds per :func:`best_match` of a new article against ``window`` others
    (median of three passes over the same ``joins`` drawn windows, after a warm-up)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dedup import load_reference

    facts = [
        event_facts(paragraphs[0], "\n".join(paragraphs[1:]))
        for _name, paragraphs in load_reference(folder / "extraction" / "daniel-dev" / "reference")
    ]
    samples = folder / "neardup" / "samples.jsonl"
    for line in samples.read_text(encoding="utf-8").splitlines() if samples.is_file() else []:
        if line.strip():
            text = json.loads(line)["source"].strip()
            facts.append(event_facts(re.split(r"(?<=[。！？!?])", text, maxsplit=1)[0][:60], text))
    if len(facts) <= window:
        raise SystemExit(f"--join-window {window}: only {len(facts)} texts in {folder}")
    rng = random.Random(21)
    plans = []
    for _ in range(joins):
        at = rng.randrange(len(facts))
        drawn = rng.sample(range(len(facts)), window + 1)
        plans.append((facts[at], [facts[n] for n in drawn if n != at][:window]))
    for new, others in plans[:20]:
        best_match(new, others)
    passes, matched = [], 0
    for _ in range(3):
        began = time.process_time()
        matched = sum(best_match(new, others) is not None for new, others in plans)
        passes.append((time.process_time() - began) * 1000 / joins)
    return {
        "window": window,
        "joins": joins,
        "texts": len(facts),
        "cpu_ms_per_join": round(statistics.median(passes), 3),
        "matched": matched,
    }


def reference_sets(folder: Path, threshold: float, event_threshold: float) -> dict[str, object]:
    """The republication set of ``benchmarks/dedup.py`` (real articles, each copied with
    outlets' edits) with the event stage on top: copies still found, the natural
    republications among the real articles (different outlets' own versions, 64 pairs)
    and the pairs of different stories from one site and day that must stay apart."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dedup import build_set, load_reference, pairwise, scores

    articles = load_reference(folder)
    texts, groups, sections, ambiguous = build_set(articles)
    copies = pairwise(StoryIndex(threshold), texts)
    days = [
        _date(section.split("_")[0][:4] + "-" + section[4:6] + "-" + section[6:8])
        for section in sections
    ]
    # the headline is the first line that is not page furniture (a copy opens with 来源)
    cleaned = [strip_furniture(text) for text in texts]
    facts = [
        event_facts(text.split("\n", 1)[0], text.split("\n", 1)[-1], day)
        for text, day in zip(cleaned, days, strict=True)
    ]
    labels = cluster(facts, event_threshold, joined=copies)
    joined = {
        (i, j) for i, j in itertools.combinations(range(len(texts)), 2) if labels[i] == labels[j]
    }
    near, both = scores(copies, groups, ambiguous), scores(joined, groups, ambiguous)
    apart = [
        (i, j)
        for i, j in itertools.combinations(range(len(texts)), 2)
        if sections[i] == sections[j]
        and groups[i] != groups[j]
        and frozenset((groups[i], groups[j])) not in ambiguous
    ]
    return {
        "documents": len(texts),
        "near_copy": near,
        "with_events": both,
        "same_section_pairs": len(apart),
        "same_section_merged_near_copy": sum(1 for pair in apart if pair in copies),
        "same_section_merged_with_events": sum(1 for pair in apart if pair in joined),
    }


def loose_pairs(path: Path, threshold: float, event_threshold: float) -> dict[str, float]:
    """``../shared/eval/neardup``: 973 pairs labelled same topic or event (a loose label),
    without dates or headlines (the first sentence stands for one); one pair is one
    story when the near-copy index or the event stage joins it. Weights are fitted on
    all the pairs' texts together."""
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    facts = []
    for pair in pairs:
        for text in (pair["source"].strip(), pair["target"].strip()):
            first = re.split(r"(?<=[。！？!?])", text, maxsplit=1)[0][:60]
            facts.append(event_facts(first, text))
    headline, lead = similarity_matrices(facts)
    index: StoryIndex[int] = StoryIndex(threshold)
    counts = {"tp": 0, "fp": 0, "fn": 0}
    for n, pair in enumerate(pairs):
        i, j = 2 * n, 2 * n + 1
        joined = compare(facts[i], facts[j], headline[i, j], lead[i, j]).same(event_threshold)
        joined = joined or index.is_duplicate(
            index.signature(pair["source"]), index.signature(pair["target"])
        )
        label = str(pair.get("labelA")) == "1"
        counts["tp"] += joined and label
        counts["fp"] += joined and not label
        counts["fn"] += label and not joined
    found, true = counts["tp"] + counts["fp"], counts["tp"] + counts["fn"]
    return {
        "pairs": len(pairs),
        "positives": true,
        "precision": round(counts["tp"] / found, 4) if found else 1.0,
        "recall": round(counts["tp"] / true, 4) if true else 1.0,
    }


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
    parser.add_argument(
        "--eval",
        type=Path,
        default=ROOT.parent / "shared" / "eval",
        help="evaluation data folder (its extraction/daniel-dev/reference articles)",
    )
    parser.add_argument(
        "--store", type=int, default=0, help="also time joins into a store of this many articles"
    )
    parser.add_argument(
        "--join-window",
        type=int,
        default=0,
        help="also time the event stage's CPU per join against a window of this many",
    )
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
    result: dict[str, object] = {
        "benchmark": "stories",
        "file": args.tsv.name,
        "pages": len(rows),
        "events": events,
        "threshold": threshold,
        "near_copy": near,
        "event": event,
        "seconds": round(elapsed, 3),
    }
    reference = args.eval / "extraction" / "daniel-dev" / "reference"
    if reference.is_dir():
        real = reference_sets(reference, settings.dedup_threshold, threshold)
        result["republication"] = real
        alone, both = real["near_copy"], real["with_events"]
        assert isinstance(alone, dict) and isinstance(both, dict)
        print(
            f"republication set ({real['documents']} documents from ../shared/eval): copies "
            f"P {alone['precision']:.4f} R {alone['recall']:.4f} near-copy alone, "
            f"P {both['precision']:.4f} R {both['recall']:.4f} with events; natural "
            f"republications {alone['natural_found']} → {both['natural_found']} of "
            f"{alone['natural_pairs']}; same site and day, different stories merged: "
            f"{real['same_section_merged_near_copy']} → {real['same_section_merged_with_events']}"
            f" of {real['same_section_pairs']}"
        )
    else:
        print(f"republication set: SKIP ({reference} not found)")
    loose = args.eval / "neardup" / "samples.jsonl"
    if loose.is_file():
        found = loose_pairs(loose, settings.dedup_threshold, threshold)
        result["neardup"] = found
        print(
            f"neardup (loose same-topic-or-event labels, {found['pairs']} pairs): precision "
            f"{found['precision']:.4f}, recall {found['recall']:.4f} with the event stage"
        )
    if args.store:
        cost = store_cost(rows, args.store)
        result["store"] = cost
        print(
            f"  joining in a store of {cost['articles']} articles: "
            f"{cost['ms_per_join_event_stage']} ms per article with the event stage "
            f"(p95 {cost['ms_per_join_event_stage_p95']}), "
            f"{cost['ms_per_join_near_copy_only']} ms on the near-copy path alone"
        )
    if args.join_window:
        cpu = join_cpu(args.eval, args.join_window)
        result["join"] = cpu
        print(
            f"  event stage CPU per join against {cpu['window']} articles: "
            f"{cpu['cpu_ms_per_join']} ms ({cpu['joins']} joins, {cpu['matched']} matched)"
        )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
