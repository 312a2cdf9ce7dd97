"""Near-duplicate benchmark: republications found, different stories kept apart, speed.

Builds a republication set from the hand-cleaned articles of
``../shared/eval/extraction/daniel-dev/reference/``: each article is republished two or
three times with the edits outlets make — a different header and footer, a 来源 line,
a paragraph dropped or added, advertisements inserted, the end cut off, small wording
changes. Every pair of copies of one article should be found (recall); no pair of
different articles should be (precision); articles from the same section and day are the
same-topic, different-event pairs that make precision hard. Then it measures documents
per second indexed and queried (on copies enough to last a few seconds; signed on every
core, and in one process alone) and the index's memory, and reports the loose same-event
set ``../shared/eval/neardup/`` too.

    .venv/bin/python benchmarks/dedup.py [--eval DIR] [--threshold 0.5] [--scale 20000]
        [--workers N]

Prints the figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from jianbao.judge.batch import BatchJudge
from jianbao.judge.dedup import StoryIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))

# the changed characters are ones both scripts use (not random code points, one in six
# 繁體-only, which made 82% of the stream read as 繁體 against the reference articles'
# 44% and sent nearly every text through OpenCC)
from judge import vary

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"

#: articles of the reference set that are themselves one story carried by two outlets,
#: with edits of their own (checked by reading them): whether a pair across the two is
#: "the same text" is a matter of degree, so such pairs count neither way
KNOWN_SAME_STORY = (
    ("20120112_news.ifeng.com_e107198ed5", "20120112_www.chinadaily.com.cn_a6404cb46"),
    ("20120112_news.qq.com_7187e5e8eb", "20120112_society.people.com.cn_f96bef8dd"),
    ("20120117_life.chinatimes.com_0aba93f6b00", "20120117_udr.chinatimes.com_ac0a77b9d7e6"),
    ("20120117_finance.ifeng.com_e44f1d7de7e7f", "20120117_www.chinanews.com_f8eed4bedbc70"),
    ("20120112_sh.sina.com.cn_aa60052c00b6476a", "20120112_stock.caijing.com.cn_b3cde78193e7"),
)

OUTLETS = ["新华网", "人民网", "央视网", "中国新闻网", "澎湃新闻", "健康界", "搜狐", "网易新闻"]
ADS = [
    "【广告】点击下载客户端，看更多精彩资讯",
    "扫码关注公众号，每日推送健康资讯",
    "推广：限时优惠，立即抢购！",
    "相关阅读：更多精彩内容请访问本网专题页面",
]
SWAPS = [
    ("表示", "指出"),
    ("目前", "当前"),
    ("今天", "今日"),
    ("进行", "开展"),
    ("，", ","),
    ("我国", "中国"),
]


def load_reference(folder: Path) -> list[tuple[str, list[str]]]:
    """(name, paragraphs) of each reference article."""
    articles = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs = [
            re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", text, re.S)
        ]
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            articles.append((path.stem, paragraphs))
    return articles


def republish(paragraphs: list[str], rng: random.Random, others: list[list[str]]) -> list[str]:
    """One outlet's copy: two to four of the usual edits, applied at random. A copy keeps
    at least about 60% of the original's text, as republications do (a copy that keeps
    less is a different write-up, not a near-duplicate)."""
    body = list(paragraphs)
    length = sum(len(p) for p in paragraphs)
    edits = rng.sample(["drop", "add", "ads", "truncate", "words", "byline"], k=rng.randint(2, 4))
    if "drop" in edits and len(body) >= 4:
        victim = rng.randrange(1, len(body))
        if len(body[victim]) < 0.25 * length:
            del body[victim]
    if "truncate" in edits and len(body) >= 3:
        keep, kept = 0, 0
        while keep < len(body) and kept < rng.uniform(0.65, 0.9) * length:
            kept += len(body[keep])
            keep += 1
        body = body[: max(keep, 2)]
    if "add" in edits:
        extra = rng.choice(rng.choice(others))[:80]
        body.insert(rng.randint(1, len(body)), "记者了解到，" + extra)
    if "ads" in edits:
        for _ in range(rng.randint(1, 2)):
            body.insert(rng.randint(1, len(body)), rng.choice(ADS))
    if "words" in edits:
        old, new = rng.choice(SWAPS)
        body = [p.replace(old, new) for p in body]
    if "byline" in edits:
        body[0] = "（记者 " + rng.choice("张王李赵刘陈") + rng.choice("伟芳娜敏静") + "）" + body[0]
    outlet = rng.choice(OUTLETS)
    header = [f"来源：{outlet}", f"2011-12-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:00"]
    footer = [
        f"责任编辑：{rng.choice('张王李赵')}{rng.choice('一二三四')}",
        "分享到：微信 微博 QQ空间",
    ]
    return header + body + footer


def build_set(
    articles: list[tuple[str, list[str]]], seed: int = 5
) -> tuple[list[str], list[int], list[str], set[frozenset[int]]]:
    """Texts, their group (one per reference article), their section (site + day) and
    the pairs of groups that are natural republications of each other."""
    rng = random.Random(seed)
    names = [name for name, _ in articles]
    ambiguous: set[frozenset[int]] = set()
    for a, b in KNOWN_SAME_STORY:
        ma = next((n for n, x in enumerate(names) if x.startswith(a)), None)
        mb = next((n for n, x in enumerate(names) if x.startswith(b)), None)
        if ma is not None and mb is not None:
            ambiguous.add(frozenset((ma, mb)))
    texts, groups, sections = [], [], []
    bodies = [p for _, p in articles]
    for n, (name, paragraphs) in enumerate(articles):
        section = name.split("_")[0] + "_" + name.split("_")[1].split(".")[-2]
        copies = [paragraphs] + [
            republish(paragraphs, rng, bodies) for _ in range(rng.randint(2, 3))
        ]
        for copy in copies:
            texts.append("\n".join(copy))
            groups.append(n)
            sections.append(section)
    return texts, groups, sections, ambiguous


def pairwise(index: StoryIndex[int], texts: list[str]) -> set[tuple[int, int]]:
    """Pairs the index calls one story, by inserting the texts in order and querying each."""
    found: set[tuple[int, int]] = set()
    for key, signature in enumerate(index.signatures(texts)):
        for other in index.query(signature):
            found.add((other, key))
        index.add(key, signature)
    return found


def scores(
    found: set[tuple[int, int]], groups: list[int], ambiguous: set[frozenset[int]]
) -> dict[str, float]:
    def counted(i: int, j: int) -> bool:
        return frozenset((groups[i], groups[j])) not in ambiguous

    truth = {
        (i, j) for i, j in itertools.combinations(range(len(groups)), 2) if groups[i] == groups[j]
    }
    judged = {(i, j) for i, j in found if counted(i, j)}
    natural = [
        (i, j)
        for i, j in itertools.combinations(range(len(groups)), 2)
        if not counted(i, j) and groups[i] != groups[j]
    ]
    tp = len(judged & truth)
    precision = tp / len(judged) if judged else 1.0
    recall = tp / len(truth) if truth else 1.0
    return {
        "pairs_true": len(truth),
        "pairs_found": len(judged),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "natural_pairs": len(natural),
        "natural_found": sum(1 for pair in natural if pair in found),
    }


def throughput(
    articles: list[tuple[str, list[str]]], threshold: float, scale: int, workers: int | None
) -> dict[str, float]:
    """Documents per second to sign, query and index ``scale`` distinct documents (the
    reference articles with every few characters changed, so each is a new text of a
    news article's length), and the index's memory: signed on ``workers`` processes
    (:class:`jianbao.judge.batch.BatchJudge`, default one per core) while this one queries
    and indexes, in order; then, in the same run, signed in this process alone (in
    batches, and one by one)."""
    rng = random.Random(11)
    originals = ["\n".join(ps) for _, ps in articles]
    stream = [vary(originals[i % len(originals)], rng) for i in range(scale)]
    gc.collect()
    with BatchJudge(None, workers=workers) as signer:
        # a collecting process starts its workers once and keeps them: the start-up is
        # reported on its own, not spread over this run's documents
        started = time.perf_counter()
        signer.start()
        startup = time.perf_counter() - started
        started = time.perf_counter()
        pooled: StoryIndex[int] = StoryIndex(threshold)
        for key, signature in enumerate(signer.signatures_iter(stream)):
            pooled.query(signature)
            pooled.add(key, signature)
        pooled_rate = scale / (time.perf_counter() - started)
        workers = signer.workers
    del pooled
    gc.collect()
    rss_before = _rss_mb()
    index: StoryIndex[int] = StoryIndex(threshold)
    started = time.perf_counter()
    cpu_started = time.process_time()
    batch = 512
    for start in range(0, len(stream), batch):
        chunk = stream[start : start + batch]
        for offset, signature in enumerate(index.signatures(chunk)):
            index.query(signature)
            index.add(start + offset, signature)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    rss_after = _rss_mb()
    one_by_one: StoryIndex[int] = StoryIndex(threshold)
    sample = stream[:2000]
    started = time.perf_counter()
    for key, text in enumerate(sample):
        signature = one_by_one.signature(text)
        one_by_one.query(signature)
        one_by_one.add(key, signature)
    single_rate = len(sample) / (time.perf_counter() - started)
    small: StoryIndex[int] = StoryIndex(threshold)
    signatures = small.signatures(stream[:2000])
    tracemalloc.start()
    for key, signature in enumerate(signatures):
        small.add(key, signature)
    traced, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "documents": scale,
        "workers": workers,
        "docs_per_second": round(pooled_rate),
        "worker_startup_seconds": round(startup, 2),
        "docs_per_second_one_process": round(scale / elapsed),
        "docs_per_cpu_second": round(scale / cpu),
        "docs_per_second_one_by_one": round(single_rate),
        # the signatures themselves are held by the index: counted in
        "index_kb_per_document": round(
            (traced + sum(len(sig) + 33 for sig in signatures)) / 1024 / 2000, 2
        ),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def neardup(path: Path, threshold: float) -> dict[str, float] | None:
    if not path.is_file():
        return None
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    index: StoryIndex[int] = StoryIndex(threshold)
    tp = fp = fn = tn = 0
    for pair in pairs:
        same = index.is_duplicate(index.signature(pair["source"]), index.signature(pair["target"]))
        label = str(pair.get("labelA")) == "1"
        tp += same and label
        fp += same and not label
        fn += label and not same
        tn += not label and not same
    return {
        "pairs": len(pairs),
        "positives": tp + fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "false_positive_rate": round(fp / (fp + tn), 4) if fp + tn else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation data folder")
    parser.add_argument("--threshold", type=float, default=0.5, help="Jaccard threshold")
    parser.add_argument("--scale", type=int, default=20000, help="documents for the speed run")
    parser.add_argument(
        "--workers", type=int, default=None, help="signing processes (default: one per core)"
    )
    args = parser.parse_args(argv)
    reference = args.eval / "extraction" / "daniel-dev" / "reference"
    if not reference.is_dir():
        print(f"SKIP: reference articles not found at {reference} (see ../shared/eval/README.md)")
        print(json.dumps({"benchmark": "dedup", "skipped": True}))
        return 0
    articles = load_reference(reference)
    texts, groups, sections, ambiguous = build_set(articles)
    found = pairwise(StoryIndex(args.threshold), texts)
    result: dict[str, object] = {"benchmark": "dedup", "threshold": args.threshold}
    republication = scores(found, groups, ambiguous)
    same_section = {
        (i, j)
        for i, j in itertools.combinations(range(len(texts)), 2)
        if sections[i] == sections[j]
        and groups[i] != groups[j]
        and frozenset((groups[i], groups[j])) not in ambiguous
    }
    republication["same_section_pairs"] = len(same_section)
    republication["same_section_merged"] = len(found & same_section)
    result["republication"] = republication
    print(f"republication set: {len(articles)} articles, {len(texts)} documents")
    print(
        f"  pairwise precision {republication['precision']:.4f}"
        f"  recall {republication['recall']:.4f}"
        f"  ({republication['pairs_found']} found / {republication['pairs_true']} true)"
    )
    print(
        f"  natural republications in the reference set: {republication['natural_found']} of "
        f"{republication['natural_pairs']} copy pairs found (counted neither way)"
    )
    print(
        f"  same-section different stories: {republication['same_section_merged']} of "
        f"{republication['same_section_pairs']} pairs merged"
    )
    speed = throughput(articles, args.threshold, args.scale, args.workers)
    result["speed"] = speed
    print(
        f"speed: {speed['docs_per_second']} docs/s signed on {speed['workers']} worker "
        f"process(es) (started in {speed['worker_startup_seconds']} s, not counted), queried "
        f"and indexed here; in this process alone "
        f"{speed['docs_per_second_one_process']} docs/s in batches "
        f"({speed['docs_per_cpu_second']} per CPU-second), "
        f"{speed['docs_per_second_one_by_one']} docs/s one by one (load average "
        f"{speed['load_average']} on {os.cpu_count()} CPUs)"
    )
    print(
        f"memory: {speed['index_kb_per_document']} KB per indexed document (traced); "
        f"RSS grew {speed['rss_growth_mb']} MB for {speed['documents']} documents, "
        f"max RSS {speed['max_rss_mb']} MB"
    )
    loose = neardup(args.eval / "neardup" / "samples.jsonl", args.threshold)
    if loose is None:
        print("neardup: SKIP (../shared/eval/neardup/samples.jsonl not found)")
    else:
        result["neardup"] = loose
        print(
            f"neardup (loose same-topic labels): {loose['pairs']} pairs, precision "
            f"{loose['precision']:.4f}, recall {loose['recall']:.4f}, "
            f"false-positive rate {loose['false_positive_rate']:.4f}"
        )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
