"""What judging the tone at collection costs: sentiment and risk beside the relevance
judgement (issue 18).

Collection now judges each new article's sentiment and incident risk
(:mod:`jianbao.judge.tone`) in the same step as its relevance, category and scope
(:func:`jianbao.judge.judge_article`). On real articles — the hand-cleaned reference
articles of ``../shared/eval/extraction/daniel-dev/reference/`` — this measures, in one
process and in the same run, the CPU per article of the judge alone and of the judge
followed by the tone, in alternating rounds (the machine is shared: interleaving keeps
the load the same for both), with the risk lexicon alone and with the trained risk
classifier collection uses (trained on the labelled pages shipped with jianbao, and the
editors' ⚠ marks when there are some; judged one article at a time through
:mod:`jianbao.judge.risk_direct`). The relevance model is trained first on ``../shared/eval/relevance/`` when present,
as collection uses the editors' model. Ends with one JSON line.

    .venv/bin/python benchmarks/tone.py [--eval DIR] [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

from jianbao.judge import judge_article
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.risk import RiskClassifier
from jianbao.judge.tone import judge_tone
from jianbao.judge.topic import parse_topic
from jianbao.records import Article

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from judge import DEFAULT_EVAL, load_articles  # noqa: E402  (the same articles)


def relevance_model(eval_dir: Path):  # type: ignore[no-untyped-def]
    """The relevance model trained on the development set, or None without it."""
    dev = eval_dir / "relevance" / "dev.tsv"
    if not dev.is_file():
        return None
    from jianbao.judge.model import train

    docs, labels = [], []
    with dev.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            docs.append((row["title"], row["text"]))
            labels.append(int(row["label"]))
    return train(docs, labels)


def risk_classifier() -> RiskClassifier:
    """The classifier collection uses in a store without marks: trained on the labelled
    pages shipped with jianbao (jianbao.alerts.learn.seeded_classifier)."""
    from jianbao.alerts.learn import seeded_classifier

    classifier = seeded_classifier()
    assert classifier.trained, "the shipped pages should train the classifier"
    return classifier


def cpu_ms(work, items) -> float:  # type: ignore[no-untyped-def]
    started = time.process_time()
    for item in items:
        work(item)
    return (time.process_time() - started) * 1000 / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = args.eval / "extraction" / "daniel-dev" / "reference"
    records = [
        Article(url="u", canonical_url="u", title=title, paragraphs=paragraphs)
        for title, paragraphs in load_articles(folder)
    ]
    topic = parse_topic(HEALTH_IT_TOPIC)
    model = relevance_model(args.eval)
    trained = risk_classifier()

    def judge(article: Article) -> None:
        judge_article(article, topic, model=model)

    def judge_and_tone(article: Article) -> None:
        judge(article)
        judge_tone(article.title, article.body)

    def judge_and_tone_trained(article: Article) -> None:
        judge(article)
        judge_tone(article.title, article.body, trained)

    runs: dict[str, list[float]] = {"judge": [], "lexicon": [], "trained": []}
    for work in (judge, judge_and_tone, judge_and_tone_trained):  # warm every cache
        cpu_ms(work, records[:20])
    for _ in range(args.rounds):
        runs["judge"].append(cpu_ms(judge, records))
        runs["lexicon"].append(cpu_ms(judge_and_tone, records))
        runs["trained"].append(cpu_ms(judge_and_tone_trained, records))
    base = statistics.median(runs["judge"])
    result = {
        "articles": len(records),
        "rounds": args.rounds,
        "model": model is not None,
        "judge_ms": round(base, 3),
        "with_tone_ms": round(statistics.median(runs["lexicon"]), 3),
        "with_tone_trained_ms": round(statistics.median(runs["trained"]), 3),
        "tone_share": round(statistics.median(runs["lexicon"]) / base - 1, 3),
        "tone_trained_share": round(statistics.median(runs["trained"]) / base - 1, 3),
        "load": os.getloadavg()[0],
    }
    print(
        f"judge {result['judge_ms']} ms/article; + tone (lexicon) {result['with_tone_ms']} ms "
        f"(+{result['tone_share']:.0%}); + tone (trained classifier) "
        f"{result['with_tone_trained_ms']} ms (+{result['tone_trained_share']:.0%}); "
        f"load {result['load']:.1f}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
