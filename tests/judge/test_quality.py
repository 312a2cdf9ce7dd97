"""Quality gates: relevance, dedup and summary figures on the evaluation data, held above
pinned floors (set a little below the figures measured when they were pinned; raise them
when the figures improve, never lower them silently). Skipped when ../shared/eval is
absent. The benchmarks print the full figures; these gates re-measure the fast parts.
"""

from __future__ import annotations

import pytest

from jianbao.judge.dedup import StoryIndex
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.summary import summarize
from jianbao.judge.topic import parse_topic

# measured 2026-11-22: keyword P 0.956 R 0.768 F1 0.851 on dev + seeds (13 of 56 missed:
# 9 seed items about general economy, AI or health reform, not health informatics)
KEYWORD_FLOORS = {"precision": 0.94, "recall": 0.75, "f1": 0.83}
# measured 2026-12-01 on benchmarks/data/relevance-blind.tsv (200 items written for the
# project by someone who had not seen the lexicon, balanced, hard negatives; its items
# were not read while the lexicon was tuned): keyword P 0.951 R 0.960 F1 0.955
BLIND_FLOORS = {"precision": 0.93, "recall": 0.94, "f1": 0.94}
# measured: P 1.000 R 0.999 on the republication set; neardup false-positive rate 0.006
DEDUP_FLOORS = {"precision": 0.99, "recall": 0.98}
NEARDUP_MAX_FALSE_POSITIVE_RATE = 0.02
# measured 2026-12-01: jianbao R1 26.64 R2 15.31 RL 23.19 (a cut sentence drops its
# setting first), lead R1 26.42 R2 14.99 RL 22.78 (30 chars)
SUMMARY_FLOORS = {"rouge1": 26.45, "rouge2": 15.1, "rougeL": 22.95}


def _need(path):
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (see ../shared/eval/README.md)")


def test_keyword_relevance_floor(eval_dir, seeds_dir, benchmark_module):
    _need(eval_dir / "relevance" / "dev.tsv")
    _need(seeds_dir)
    bench = benchmark_module("relevance")
    items = bench.load_tsv(eval_dir / "relevance" / "dev.tsv") + bench.load_seed_items(seeds_dir)
    topic = parse_topic(HEALTH_IT_TOPIC)
    figures = bench.prf(
        [label for *_, label in items],
        [topic.match(title, text).matched for _, title, text, _ in items],
    )
    for name, floor in KEYWORD_FLOORS.items():
        assert figures[name] >= floor, (name, figures)


def test_keyword_relevance_floor_on_the_blind_balanced_set(benchmark_module):
    bench = benchmark_module("relevance")
    items = bench.load_tsv(bench.ROOT / "benchmarks" / "data" / "relevance-blind.tsv")
    assert len(items) >= 200
    topic = parse_topic(HEALTH_IT_TOPIC)
    figures = bench.prf(
        [label for *_, label in items],
        [topic.match(title, text).matched for _, title, text, _ in items],
    )
    for name, floor in BLIND_FLOORS.items():
        assert figures[name] >= floor, (name, figures)


def test_dedup_republication_floor(eval_dir, benchmark_module):
    reference = eval_dir / "extraction" / "daniel-dev" / "reference"
    _need(reference)
    bench = benchmark_module("dedup")
    texts, groups, _sections, ambiguous = bench.build_set(bench.load_reference(reference))
    found = bench.pairwise(StoryIndex(0.5), texts)
    figures = bench.scores(found, groups, ambiguous)
    for name, floor in DEDUP_FLOORS.items():
        assert figures[name] >= floor, (name, figures)


def test_neardup_keeps_different_stories_apart(eval_dir, benchmark_module):
    path = eval_dir / "neardup" / "samples.jsonl"
    _need(path)
    figures = benchmark_module("dedup").neardup(path, 0.5)
    assert figures["false_positive_rate"] <= NEARDUP_MAX_FALSE_POSITIVE_RATE, figures


def test_summaries_beat_lead_baseline_and_floor(eval_dir, benchmark_module):
    path = eval_dir / "summaries" / "PART_III.txt"
    _need(path)
    bench = benchmark_module("summaries")
    pairs = bench.load_pairs(path, 3)
    references = [summary for _, summary in pairs]
    ours = bench.score([summarize("", [text], max_chars=30) for text, _ in pairs], references)
    lead = bench.score([bench.lead_baseline(text, 30) for text, _ in pairs], references)
    for name, floor in SUMMARY_FLOORS.items():
        assert ours[name] >= floor, (name, ours)
        assert ours[name] >= lead[name], (name, ours, lead)
