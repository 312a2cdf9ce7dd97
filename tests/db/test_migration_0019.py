"""Migration 0019 on a store that holds articles: those the alert pass had judged before
count as seen (upgrading alerts on nothing old), the others wait for it; every article
is stale for ``jianbao rejudge``; the downgrade takes the columns away again. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from jianbao.db.session import Database, alembic_config, make_engine

INSERT = sa.text(
    "insert into articles (url, canonical_url, content_hash, title, body, language,"
    " extracted_at, relevant, score, matched_terms, model_features, summary, imported,"
    " sentiment) values (:url, :url, :hash, '标题', '正文', 'zh', :at, :no, 0.0, '[]', '[]',"
    " '', :no, :sentiment)"
)


@pytest.mark.empty_database
def test_judged_rows_count_as_seen_and_all_are_stale(database_url: str) -> None:
    Database(database_url).close()  # the whole chain, then back to before 0019
    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.downgrade(config, "0018")
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with engine.begin() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("articles")}
        assert "alerts_seen_at" not in columns and "judged_with" not in columns
        for n, sentiment in enumerate(["neg", None]):
            conn.execute(
                INSERT,
                {
                    "url": f"https://a.example/{n}",
                    "hash": f"{n:064d}",
                    "at": at,
                    "no": False,
                    "sentiment": sentiment,
                },
            )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select url, alerts_seen_at, judged_with from articles order by url")
        ).all()
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("articles")}
    engine.dispose()
    judged, unjudged = rows
    assert judged[1] is not None and unjudged[1] is None
    assert judged[2] is None and unjudged[2] is None
    assert "ix_articles_alerts_pending" in indexes
