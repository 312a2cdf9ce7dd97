"""The newest matches of a query on PostgreSQL (jianbao.db.pg_search, issue 19) are the
ones a plain ``ORDER BY article_id DESC LIMIT n`` gives, whichever way they are found:
a common word from the newest rows alone, a less common one from a longer run of newest
rows, a rare one (only in old articles) from the index. Real PostgreSQL; the windows are
shrunk so a small store takes every path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import insert, text

from conftest import drop_postgres, fresh_postgres_url
from jianbao.db import pg_search
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.testing import make_settings

ROWS = 1200


@pytest.fixture(scope="module")
def store(
    postgres_admin: sa.Engine | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    if postgres_admin is None:
        pytest.skip("PostgreSQL not reachable")
    url = fresh_postgres_url(postgres_admin)
    db = Database.from_settings(make_settings(tmp_path_factory.mktemp("pg"), database_url=url))
    try:
        with db.session() as s:
            s.execute(
                insert(Article),
                [
                    {
                        "id": i,
                        "url": f"https://example.org/{i}",
                        "canonical_url": f"https://example.org/{i}",
                        "content_hash": f"{i:064x}",
                        "title": "t",
                        "body": "b",
                    }
                    for i in range(1, ROWS + 1)
                ],
            )
            s.execute(
                text(
                    "INSERT INTO article_search (article_id, tokens) "
                    "SELECT i, to_tsvector('simple', concat_ws(' ', '每条', "
                    "CASE WHEN mod(i, 10) = 0 THEN '十中一' END, "
                    "CASE WHEN mod(i, 100) = 0 THEN '百中一' END, "
                    "CASE WHEN i <= 40 THEN '旧词' END)) "
                    "FROM generate_series(1, :rows) AS i"
                ),
                {"rows": ROWS},
            )
        yield db
    finally:
        db.close()
        drop_postgres(postgres_admin, url)


def _plain(db: Database, word: str, limit: int) -> list[int]:
    with db.session() as s:
        return [
            int(i)
            for i in s.scalars(
                text(
                    "SELECT article_id FROM article_search "
                    "WHERE tokens @@ plainto_tsquery('simple', :q) "
                    "ORDER BY article_id DESC LIMIT :n"
                ),
                {"q": word, "n": limit},
            )
        ]


#: how many articles hold each query
HOLDING = {"每条": ROWS, "十中一": 120, "百中一": 12, "旧词": 40, "无此词": 0, "每条 百中一": 12}


@pytest.mark.parametrize(
    ("word", "limit"),
    [
        ("每条", 30),  # enough in the newest rows
        ("十中一", 30),  # a few there: a longer run of newest rows
        ("百中一", 8),  # too few to extrapolate within the longest run: the index
        ("旧词", 25),  # none among the newest: the index
        ("无此词", 10),  # nowhere
        ("每条 百中一", 5),  # every word required
    ],
)
def test_the_newest_matches_whichever_way(
    store: Database, monkeypatch: pytest.MonkeyPatch, word: str, limit: int
) -> None:
    monkeypatch.setattr(pg_search, "RECENT_ROWS", 100)
    monkeypatch.setattr(pg_search, "MOST_RECENT_ROWS", 400)
    expected = _plain(store, word, limit)
    with store.session() as s:
        found = pg_search.newest_matching_ids(s, word.split(), limit)
        # the planner's setting is as it was for the rest of the transaction
        assert s.scalar(text("SELECT current_setting('enable_seqscan')")) == "on"
    assert found == expected
    assert len(found) == min(limit, HOLDING[word])
