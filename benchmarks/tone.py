"""What judging the tone at collection costs: sentiment and risk beside the relevance
judgement (issue 18).

Collection now judges each new article's sentiment and incident risk
(:mod:`jianbao.judge.tone`) in the same step as its relevance, category and scope
(:func:`jianbao.judge.judge_article`). On real articles — the hand-cleaned reference
articles of ``../shared/eval/extraction/daniel-dev/reference/`` — this measures, in one
process and in the same run, the CPU per article of the judge and of the tone, article
by article, each step in turn (the machine is shared: interleaving keeps the load the
same for all), with the risk lexicon alone and with the trained risk classifier
collection uses (trained on the labelled pages shipped with jianbao, and the editors'
⚠ marks when there are some; one article at a time through
:mod:`jianbao.judge.risk_direct`). The relevance model is trained first on
``../shared/eval/relevance/`` when present, as collection uses the editors' model. Ends
with one JSON line.

    .venv/bin/python benchmarks/tone.py [--eval DIR] [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
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

    def lexicon_tone(article: Article) -> None:
        judge_tone(article.title, article.body)

    def trained_tone(article: Article) -> None:
        judge_tone(article.title, article.body, trained)

    steps = {"judge": judge, "lexicon": lexicon_tone, "trained": trained_tone}
    for article in records[:20]:  # warm every cache (the direct form is built here)
        for step in steps.values():
            step(article)
    seconds = dict.fromkeys(steps, 0.0)
    clock = time.process_time
    for _ in range(args.rounds):
        for article in records:  # article by article, each step in turn: same load
            for name, step in steps.items():
                started = clock()
                step(article)
                seconds[name] += clock() - started
    count = args.rounds * len(records)
    ms = {name: total * 1000 / count for name, total in seconds.items()}
    result = {
        "articles": len(records),
        "rounds": args.rounds,
        "model": model is not None,
        "judge_ms": round(ms["judge"], 3),
        "tone_lexicon_ms": round(ms["lexicon"], 3),
        "tone_trained_ms": round(ms["trained"], 3),
        "tone_share": round(ms["lexicon"] / ms["judge"], 3),
        "tone_trained_share": round(ms["trained"] / ms["judge"], 3),
        "load": os.getloadavg()[0],
    }
    print(
        f"judge {result['judge_ms']} ms/article; tone with the risk lexicon "
        f"{result['tone_lexicon_ms']} ms (+{result['tone_share']:.0%}); with the trained "
        f"classifier {result['tone_trained_ms']} ms (+{result['tone_trained_share']:.0%}); "
        f"load {result['load']:.1f}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
