"""Judge-stage throughput: tokenize, score, categorize, cluster and summarise articles.

Stands in for re-judging a store of articles: ``--articles`` (default 100,000) distinct
articles are made from the hand-cleaned reference articles of
``../shared/eval/extraction/daniel-dev/reference/`` (every few characters changed, so each
is a new text of a news article's length; one in ten is left a republication of an earlier
one, so clusters form), then judged end to end with :class:`jianbao.judge.batch.BatchJudge`
on ``--workers`` processes (default: one per core): the keyword topic, the learned model
(trained first on ``../shared/eval/relevance/`` when present), the combined decision, the
category, the extractive summary and the near-duplicate signature in the workers, the
query and the index in this process, in order. Reports articles per second end to end
(starting the workers included) and peak memory of all processes together.

In the same run, the first ``--sample`` articles are judged step by step in this process
alone, for the per-step rates and the one-process rate; the baseline is the keyword topic
alone; the share normalisation (:mod:`jianbao.judge.normalize`) adds to judging is
measured the same way, and its rate on articles converted to 繁體. Ends with one JSON line.

    .venv/bin/python benchmarks/judge.py [--eval DIR] [--articles 100000] [--workers N]
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

from jianbao.judge.batch import CHUNK, BatchJudge
from jianbao.judge.category import categorize
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.model import RelevanceModel, train
from jianbao.judge.normalize import _made as normalize_memory
from jianbao.judge.normalize import simplified, traditional_characters
from jianbao.judge.relevance import combine
from jianbao.judge.summary import summarize
from jianbao.judge.topic import Topic, parse_topic

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


_REPLACEMENTS: list[str] = []


def _replacements() -> list[str]:
    """The ideographs a varied article takes its changed characters from: those both
    scripts use (not 繁體-only ones), so a Simplified article stays Simplified and a 繁體
    one stays 繁體, and the stream keeps the reference articles' mix of scripts (random
    code points, one in six 繁體-only, made nearly every article read as 繁體)."""
    if not _REPLACEMENTS:
        _REPLACEMENTS.extend(
            char
            for char in map(chr, range(0x4E00, 0x4E00 + 20000))
            if not traditional_characters(char)
        )
    return _REPLACEMENTS


def vary(text: str, rng: random.Random) -> str:
    """``text`` with every third character (from a random start) changed to one both
    scripts use: a new text of the same length and script (benchmarks/dedup.py too)."""
    chars = list(text)
    pool = _replacements()
    for at in range(rng.randrange(3), len(chars), 3):
        chars[at] = pool[rng.randrange(len(pool))]
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
        stream.append((vary(title, rng), [vary(p, rng) for p in paragraphs]))
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


def normalize_as_judging_does(
    chunk: list[tuple[str, list[str]]], bodies: list[str]
) -> tuple[list[str], list[str]]:
    """The normalisation one article's judging does, timed apart: the judge's form of
    title and body, the model's and the signer's (each normalises what it is given: the
    judged text again, on the fast path). The model and dedup steps below repeat their
    check inside; it is counted here as well, so normalisation's share is not understated.
    Returns the judged titles and bodies, which the other steps read."""
    titles, judged = [], []
    for (title, _), body in zip(chunk, bodies, strict=True):
        judged_title, judged_body = simplified(title), simplified(body)
        simplified(judged_title), simplified(judged_body)
        simplified(judged_title + "\n" + judged_body)
        titles.append(judged_title)
        judged.append(judged_body)
    return titles, judged


def traditional_normalize_rate(stream: list[tuple[str, list[str]]]) -> float:
    """Articles per second through :func:`normalize_as_judging_does` when every article
    is in 繁體 (converted with OpenCC s2t first): the slow path, for 繁體 reprints."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    chunk = [
        (to_traditional.convert(title), [to_traditional.convert(p) for p in paragraphs])
        for title, paragraphs in stream
    ]
    bodies = ["\n".join(p) for _, p in chunk]
    started = time.perf_counter()
    normalize_as_judging_does(chunk, bodies)
    return len(chunk) / (time.perf_counter() - started)


def normalize_share_unvaried(
    articles: list[tuple[str, list[str]]], topic: Topic, model: RelevanceModel, batch: int
) -> float:
    """Normalisation's share of judging on the reference articles as written (real
    pages, not varied: 89 of the 201 are 繁體)."""
    return normalize_share_of(articles, topic, model, batch) or 0.0


def realistic_stream(eval_dir: Path) -> list[tuple[str, list[str]]]:
    """The items of the relevance development set (real news as collected: headlines and
    openings, nearly all in Simplified), as (title, paragraphs)."""
    path = eval_dir / "relevance" / "dev.tsv"
    if not path.is_file():
        return []
    stream = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 6 and (cols[4] or cols[5]):
            stream.append((cols[4], [cols[5]]))
    return stream


def normalize_share_of(
    articles: list[tuple[str, list[str]]], topic: Topic, model: RelevanceModel, batch: int
) -> float | None:
    """Normalisation's share of judging ``articles`` as they are, over rounds to about
    3,000 articles. Normalisation remembers the texts it made lately (a Simplified text
    is its own output), so each round starts with that memory empty: a repeated article
    would otherwise cost nothing, which no real stream of distinct articles allows."""
    if not articles:
        return None
    steps: dict[str, float] = {}
    for _ in range(max(1, 3000 // len(articles))):
        normalize_memory.clear()
        for name, seconds in step_by_step(articles, topic, model, batch).items():
            steps[name] = steps.get(name, 0.0) + seconds
    return round(steps["normalize"] / (sum(steps.values()) - steps["normalize"]), 4)


def step_by_step(
    stream: list[tuple[str, list[str]]], topic: Topic, model: RelevanceModel, batch: int
) -> dict[str, float]:
    """Seconds per step, judging in this process alone (as before batching existed)."""
    index: StoryIndex[int] = StoryIndex(0.5)
    steps = {
        "normalize": 0.0,
        "topic": 0.0,
        "model": 0.0,
        "category": 0.0,
        "summary": 0.0,
        "dedup": 0.0,
    }
    for at in range(0, len(stream), batch):
        chunk = stream[at : at + batch]
        bodies = ["\n".join(p) for _, p in chunk]
        tn = time.perf_counter()
        titles, bodies = normalize_as_judging_does(chunk, bodies)
        steps["normalize"] += time.perf_counter() - tn
        t0 = time.perf_counter()
        matches = [topic.match(title, body) for title, body in zip(titles, bodies, strict=True)]
        t1 = time.perf_counter()
        probabilities = model.predict_proba(list(zip(titles, bodies, strict=True)))
        for m, p, title, body in zip(matches, probabilities, titles, bodies, strict=True):
            combine(m, p, title=title, body=body)
        t2 = time.perf_counter()
        for title, body in zip(titles, bodies, strict=True):
            categorize(title, body)
        t3 = time.perf_counter()
        for title, paragraphs in chunk:
            summarize(title, paragraphs)
        t4 = time.perf_counter()
        signatures = index.signatures(
            [title + "\n" + body for title, body in zip(titles, bodies, strict=True)]
        )
        for offset, signature in enumerate(signatures):
            index.query(signature)
            index.add(at + offset, signature)
        t5 = time.perf_counter()
        for name, seconds in zip(
            list(steps)[1:], (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True
        ):
            steps[name] += seconds
    return steps


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds_of(pid: int) -> float:
    """CPU time of a running process (the workers are children of the fork server, not
    of this process: getrusage does not count them)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime, the 14th and 15th fields (the 12th and 13th after the name)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_mb(pid: int, field: str) -> float:
    """A field of /proc/PID/status in MB (VmHWM: peak resident memory), 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation data folder")
    parser.add_argument("--articles", type=int, default=100_000, help="articles to judge")
    parser.add_argument(
        "--workers", type=int, default=None, help="judging processes (default: one per core)"
    )
    parser.add_argument("--chunk", type=int, default=CHUNK, help="articles per worker task")
    parser.add_argument(
        "--sample", type=int, default=5000, help="articles judged step by step (0: none)"
    )
    parser.add_argument("--batch", type=int, default=512, help="articles per step-by-step batch")
    args = parser.parse_args(argv)
    reference = args.eval / "extraction" / "daniel-dev" / "reference"
    if not reference.is_dir():
        print(f"SKIP: reference articles not found at {reference} (see ../shared/eval/README.md)")
        print(json.dumps({"benchmark": "judge", "skipped": True}))
        return 0
    topic = parse_topic(HEALTH_IT_TOPIC)
    model = train(*training_data(args.eval))
    StoryIndex(0.5).signature("预热 warm-up")  # one-time table building is not a per-article cost
    own_cpu = _own_cpu_seconds()
    started = time.perf_counter()
    # the workers start before the articles are read, as in a collection cycle (forked
    # later, they would inherit the whole stream)
    with BatchJudge(topic, model=model, workers=args.workers, chunk=args.chunk) as judge:
        judge.start()
        startup = time.perf_counter() - started
        startup_cpu = _own_cpu_seconds() - own_cpu
        stream = make_stream(load_articles(reference), args.articles)
        sample = stream[: args.sample]
        steps = step_by_step(sample, topic, model, args.batch) if sample else {}
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        index: StoryIndex[int] = StoryIndex(0.5)
        relevant = merged = 0
        dedup_seconds = 0.0
        own_cpu = _own_cpu_seconds()
        started = time.perf_counter()
        for key, judged in enumerate(judge.judge_iter(stream)):
            relevant += judged.judgement.relevant
            t0 = time.perf_counter()
            merged += bool(index.query(judged.signature))
            index.add(key, judged.signature)
            dedup_seconds += time.perf_counter() - t0
        elapsed = startup + time.perf_counter() - started
        own = startup_cpu + _own_cpu_seconds() - own_cpu
        workers = judge.workers
        worker_peaks = [_memory_mb(pid, "VmHWM") for pid in judge.worker_pids()]
        cpu = own + sum(_cpu_seconds_of(pid) for pid in judge.worker_pids())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(stream)
    sampled = len(sample)
    result: dict[str, object] = {
        "benchmark": "judge",
        "articles": n,
        "workers": workers,
        "articles_per_second": round(n / elapsed),
        # CPU time of this process and the workers: the figure that does not depend on
        # other load (nor on the number of cores)
        "articles_per_cpu_second": round(n / cpu),
        "startup_seconds": round(startup, 2),
        "index_articles_per_second": round(n / dedup_seconds) if dedup_seconds else None,
        "one_process_articles_per_second": (
            round(sampled / sum(steps.values())) if steps else None
        ),
        "keyword_only_articles_per_second": (
            round(sampled / steps["topic"]) if steps.get("topic") else None
        ),
        "per_step_articles_per_second": {k: round(sampled / v) for k, v in steps.items() if v},
        # what normalisation (繁體 → Simplified, mirror artefacts) adds to judging one
        # article in one process: its calls' time over the time of the steps without it
        "normalize_share": (
            round(steps["normalize"] / (sum(steps.values()) - steps["normalize"]), 4)
            if steps
            else None
        ),
        # the stream keeps the reference articles' scripts (its changed characters are
        # ones both scripts use); the share on the reference articles as they are (real
        # pages, 繁體 and Simplified) and on the realistic stream tell the same unvaried
        "normalize_share_unvaried": normalize_share_unvaried(
            load_articles(reference), topic, model, args.batch
        ),
        # and on the realistic stream of the relevance development set (real headlines and
        # openings, nearly all Simplified: the fast path)
        "normalize_share_realistic": normalize_share_of(
            realistic_stream(args.eval), topic, model, args.batch
        ),
        "normalize_traditional_articles_per_second": (
            round(traditional_normalize_rate(sample[:1000])) if sample else None
        ),
        "step_sample": sampled,
        "relevant": relevant,
        "joined_a_story": merged,
        "peak_rss_mb": round(peak, 1),
        "peak_rss_workers_mb": [round(w, 1) for w in worker_peaks],
        # an upper bound: forked workers share the pages they inherited (libraries, the
        # model), counted here in each of them
        "peak_rss_total_mb": round(peak + sum(worker_peaks), 1),
        "rss_before_mb": round(rss_before, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print(
        f"judged {n} articles on {workers} worker process(es) in {elapsed:.1f} s "
        f"(starting them {startup:.2f} s): {result['articles_per_second']} articles/s "
        f"({result['articles_per_cpu_second']} per CPU-second of all processes)"
    )
    print(f"  query and index in this process: {result['index_articles_per_second']} articles/s")
    if steps:
        print(
            f"  step by step in one process ({sampled} articles): "
            f"{result['one_process_articles_per_second']} articles/s"
        )
        print(
            f"  baseline, keyword topic alone: {result['keyword_only_articles_per_second']} "
            "articles/s"
        )
        for name, rate in result["per_step_articles_per_second"].items():  # type: ignore[attr-defined]
            print(f"    {name:<9} {rate:>8} articles/s")
        print(
            f"  normalisation adds {result['normalize_share']:.1%} to judging in one process; "
            f"繁體 articles normalise at {result['normalize_traditional_articles_per_second']} "
            "articles/s"
        )
        print(
            "  on real text as written: the reference articles (繁體 and Simplified) "
            f"{result['normalize_share_unvaried']:.1%}, the realistic stream of the relevance "
            f"development set {result['normalize_share_realistic'] or 0:.1%}"
        )
    print(f"  {relevant} relevant, {merged} joined an existing story")
    print(
        f"  peak RSS {result['peak_rss_mb']} MB here, {result['peak_rss_total_mb']} MB with the "
        f"workers (load average {result['load_average']} on {result['cpus']} CPUs)"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
