"""Benchmark: the ranked search (title matches first, then the articles using the term
most) against the newest-first search it replaced, on one synthetic store, same run.

The store is benchmarks/web.py's (articles over a year, every article indexed, cached in
the temporary folder). The baseline is the previous algorithm, kept here: the newest
index matches read a page at a time until ``limit`` of them hold the query literally.

    .venv/bin/python benchmarks/search_ranking.py [--articles 20000] [--rounds 20]

Prints p50/p95 per query for both and their ratio; ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from jianbao.archive.search import (
    _candidate_ids,
    _contains,
    _folded,
    search_articles,
    search_tokens,
)
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from web import store_path

QUERIES = ("医保", "互联网医院", "电子病历", "AI")
LIMIT = 50


def newest_first(session: Session, query: str, limit: int = LIMIT) -> list[Article]:
    """The previous search: newest index matches holding the query, no ranking."""
    tokens = list(dict.fromkeys(search_tokens(query)))
    ids = _candidate_ids(session, tokens, limit * 5)
    needle = _folded(query).strip()
    rows = select(Article).options(defer(Article.html), defer(Article.signature))
    hits: list[Article] = []
    for at in range(0, len(ids), limit + 10):
        chunk = ids[at : at + limit + 10]
        by_id = {a.id: a for a in session.scalars(rows.where(Article.id.in_(chunk)))}
        for article_id in chunk:
            article = by_id.get(article_id)
            if article and _contains(article.title + "\n" + article.body, needle):
                hits.append(article)
                if len(hits) >= limit:
                    return hits
    return hits


def timed(fn, rounds: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[int(0.95 * (len(took) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    path = store_path(args.articles)
    db = Database.from_settings(
        Settings(data_dir=path.parent, database_url=f"sqlite:///{path.as_posix()}")
    )
    results = {}
    with db.session() as session:
        for query in QUERIES:
            old = timed(lambda q=query: newest_first(session, q), args.rounds)
            new = timed(lambda q=query: search_articles(session, q, limit=LIMIT), args.rounds)
            in_title = sum(
                query.lower() in h.article.title.lower()
                for h in search_articles(session, query, limit=10)
            )
            results[query] = {
                "newest_first_p50_ms": round(old[0], 1),
                "newest_first_p95_ms": round(old[1], 1),
                "ranked_p50_ms": round(new[0], 1),
                "ranked_p95_ms": round(new[1], 1),
                "ratio_p95": round(new[1] / old[1], 2) if old[1] else None,
                "title_matches_in_top_10": in_title,
            }
            print(
                f"{query}: newest-first p50 {old[0]:.1f} ms p95 {old[1]:.1f} ms; "
                f"ranked p50 {new[0]:.1f} ms p95 {new[1]:.1f} ms "
                f"(×{results[query]['ratio_p95']}); title matches in top 10: {in_title}"
            )
    db.close()
    print(json.dumps({"articles": args.articles, "queries": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
