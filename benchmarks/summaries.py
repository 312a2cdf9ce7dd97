"""Summary benchmark: character ROUGE-1/2/L of jianbao's extractive summaries against the
lead-sentence baseline, in the same run.

Data: ``../shared/eval/summaries/PART_III.txt`` (LCSTS part III: short news posts with a
headline-like reference summary and a human score 1–5 of how well the reference fits; the
usual practice, followed here, scores pairs rated 3 or more). Both systems get the same
length budget (``--max-chars``, default 30: the references are about 20 characters); the
baseline is the post's first sentence cut to that budget. Punctuation and spaces are
ignored in scoring. Prints the table and ends with one JSON line.

    .venv/bin/python benchmarks/summaries.py [--eval DIR] [--max-chars 30] [--min-label 3]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from jianbao.judge.summary import split_sentences, summarize

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"

_DOC = re.compile(
    r"<doc id=(\d+)>\s*<human_label>(\d)</human_label>\s*<summary>\s*(.*?)\s*</summary>"
    r"\s*<short_text>\s*(.*?)\s*</short_text>",
    re.S,
)
_NON_WORD = re.compile(r"[\W_]+")


def load_pairs(path: Path, min_label: int) -> list[tuple[str, str]]:
    """(text, reference summary) pairs rated at least ``min_label``."""
    text = path.read_text(encoding="utf-8")
    return [
        (body.strip(), summary.strip())
        for _id, label, summary, body in _DOC.findall(text)
        if int(label) >= min_label
    ]


def _chars(text: str) -> list[str]:
    return list(_NON_WORD.sub("", text))


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    def grams(chars: list[str]) -> Counter[str]:
        return Counter("".join(chars[i : i + n]) for i in range(len(chars) - n + 1))

    c, r = grams(candidate), grams(reference)
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    if not candidate or not reference:
        return 0.0
    previous = [0] * (len(reference) + 1)
    for char in candidate:
        current = [0]
        for j, other in enumerate(reference):
            current.append(previous[j] + 1 if char == other else max(previous[j + 1], current[j]))
        previous = current
    return _f1(previous[-1], len(candidate), len(reference))


def lead_baseline(text: str, max_chars: int) -> str:
    sentences = split_sentences(text)
    first = sentences[0] if sentences else text
    return first[:max_chars]


def score(outputs: list[str], references: list[str]) -> dict[str, float]:
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for output, reference in zip(outputs, references, strict=True):
        c, r = _chars(output), _chars(reference)
        totals["rouge1"] += rouge_n(c, r, 1)
        totals["rouge2"] += rouge_n(c, r, 2)
        totals["rougeL"] += rouge_l(c, r)
    return {k: round(100 * v / max(1, len(outputs)), 2) for k, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation data folder")
    parser.add_argument("--max-chars", type=int, default=30, help="summary length budget")
    parser.add_argument("--min-label", type=int, default=3, help="lowest human score used")
    args = parser.parse_args(argv)
    path = args.eval / "summaries" / "PART_III.txt"
    if not path.is_file():
        print(f"SKIP: summary data not found at {path} (see ../shared/eval/README.md)")
        print(json.dumps({"benchmark": "summaries", "skipped": True}))
        return 0
    pairs = load_pairs(path, args.min_label)
    references = [summary for _, summary in pairs]
    started = time.perf_counter()
    ours = [summarize("", [text], max_chars=args.max_chars) for text, _ in pairs]
    seconds = time.perf_counter() - started
    lead = [lead_baseline(text, args.max_chars) for text, _ in pairs]
    result = {
        "benchmark": "summaries",
        "pairs": len(pairs),
        "max_chars": args.max_chars,
        "jianbao": score(ours, references),
        "lead": score(lead, references),
        "summaries_per_second": round(len(pairs) / seconds),
    }
    print(
        f"LCSTS part III, human score >= {args.min_label}: {len(pairs)} pairs, budget "
        f"{args.max_chars} characters"
    )
    print(f"  {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    for name in ("jianbao", "lead"):
        figures = result[name]
        assert isinstance(figures, dict)
        print(
            f"  {name:<10} {figures['rouge1']:>8.2f} {figures['rouge2']:>8.2f}"
            f" {figures['rougeL']:>8.2f}"
        )
    print(f"  ({result['summaries_per_second']} summaries per second)")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
