"""Judge-stage throughput: tokenize, score, categorize, cluster and summarise articles.

Stands in for re-judging a store of articles: ``--articles`` (default 100,000) distinct
articles are made from the hand-cleaned reference articles of
``../shared/eval/extraction/daniel-dev/reference/`` (every few characters changed, so each
is a new text of a news article's length; one in ten is left a republication of an earlier
one, so clusters form), then judged in batches of ``--batch``: the keyword topic, the
learned model (trained first on ``../shared/eval/relevance/`` when present), the combined
decision, the category, the extractive summary, the near-duplicate signature, query and
index. Reports articles per second per step and end to end, and peak memory; the
baseline in the same run is the keyword topic alone. Ends with one JSON line.

    .venv/bin/python benchmarks/judge.py [--eval DIR] [--articles 100000] [--batch 512]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

from jianbao.judge.category import categorize
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.model import train
from jianbao.judge.relevance import combine
from jianbao.judge.summary import summarize
from jianbao.judge.topic import parse_topic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def load_articles(folder: Path) -> list[tuple[str, list[str]]]:
    articles = []
    for path in sorted(folder.glob("*.txt")):
        paragraphs = [
            re.sub(r"<[^>]+>", "", p).strip()
            for p in re.findall(r"<p>(.*?)</p>", path.read_text(encoding="utf-8"), re.S)
        ]
        paragraphs = [p for p in paragraphs if p]
        if len(paragraphs) >= 2:
            articles.append((paragraphs[0], paragraphs[1:]))
    return articles


def _vary(text: str, rng: random.Random) -> str:
    chars = list(text)
    for at in range(rng.randrange(3), len(chars), 3):
        chars[at] = chr(0x4E00 + rng.randrange(20000))
    return "".join(chars)


def make_stream(articles: list[tuple[str, list[str]]], count: int) -> list[tuple[str, list[str]]]:
    rng = random.Random(3)
    stream: list[tuple[str, list[str]]] = []
    for n in range(count):
        if n >= 10 and n % 10 == 0:
            title, paragraphs = stream[rng.randrange(n)]
            stream.append((title, ["来源：某网", *paragraphs[:-1]]))
            continue
        title, paragraphs = articles[n % len(articles)]
        stream.append((_vary(title, rng), [_vary(p, rng) for p in paragraphs]))
    return stream


def training_data(eval_dir: Path) -> tuple[list[tuple[str, str]], list[int]]:
    path = eval_dir / "relevance" / "dev.tsv"
    items, labels = [], []
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            cols = line.split("\t")
            if len(cols) >= 6 and cols[1] in ("0", "1"):
                items.append((cols[4], cols[5]))
                labels.append(int(cols[1]))
    if not labels or len(set(labels)) < 2:
        items = [("医院上线互联网医院", "电子病历互联互通"), ("足球比赛", "比分")] * 3
        labels = [1, 0] * 3
    return items, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation data folder")
    parser.add_argument("--articles", type=int, default=100_000, help="articles to judge")
    parser.add_argument("--batch", type=int, default=512, help="articles per batch")
    args = parser.parse_args(argv)
    reference = args.eval / "extraction" / "daniel-dev" / "reference"
    if not reference.is_dir():
        print(f"SKIP: reference articles not found at {reference} (see ../shared/eval/README.md)")
        print(json.dumps({"benchmark": "judge", "skipped": True}))
        return 0
    stream = make_stream(load_articles(reference), args.articles)
    topic = parse_topic(HEALTH_IT_TOPIC)
    model = train(*training_data(args.eval))
    index: StoryIndex[int] = StoryIndex(0.5)
    index.signature("预热 warm-up")  # one-time table building is not a per-article cost
    steps = {"topic": 0.0, "model": 0.0, "category": 0.0, "summary": 0.0, "dedup": 0.0}
    relevant = merged = 0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    cpu_started = time.process_time()
    for at in range(0, len(stream), args.batch):
        chunk = stream[at : at + args.batch]
        bodies = ["\n".join(p) for _, p in chunk]
        t0 = time.perf_counter()
        matches = [topic.match(title, body) for (title, _), body in zip(chunk, bodies, strict=True)]
        t1 = time.perf_counter()
        probabilities = model.predict_proba(
            [(title, body) for (title, _), body in zip(chunk, bodies, strict=True)]
        )
        relevant += sum(combine(m, p).relevant for m, p in zip(matches, probabilities, strict=True))
        t2 = time.perf_counter()
        for (title, _), body in zip(chunk, bodies, strict=True):
            categorize(title, body)
        t3 = time.perf_counter()
        for title, paragraphs in chunk:
            summarize(title, paragraphs)
        t4 = time.perf_counter()
        signatures = index.signatures(
            [title + "\n" + body for (title, _), body in zip(chunk, bodies, strict=True)]
        )
        for offset, signature in enumerate(signatures):
            merged += bool(index.query(signature))
            index.add(at + offset, signature)
        t5 = time.perf_counter()
        for name, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            steps[name] += seconds
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(stream)
    result = {
        "benchmark": "judge",
        "articles": n,
        "articles_per_second": round(n / elapsed),
        # CPU time of this process: the figure that does not depend on other load
        "articles_per_cpu_second": round(n / cpu),
        "keyword_only_articles_per_second": round(n / steps["topic"]),
        "per_step_articles_per_second": {k: round(n / v) for k, v in steps.items() if v},
        "relevant": relevant,
        "joined_a_story": merged,
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(rss_before, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print(
        f"judged {n} articles in {elapsed:.1f} s: {result['articles_per_second']} articles/s "
        f"({result['articles_per_cpu_second']} per CPU-second of this process)"
    )
    print(
        f"  baseline, keyword topic alone: {result['keyword_only_articles_per_second']} articles/s"
    )
    for name, rate in result["per_step_articles_per_second"].items():  # type: ignore[union-attr]
        print(f"  {name:<9} {rate:>8} articles/s")
    print(f"  {relevant} relevant, {merged} joined an existing story")
    print(
        f"  peak RSS {result['peak_rss_mb']} MB (load average {result['load_average']} "
        f"on {result['cpus']} CPUs)"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
