"""Migration 0025 on a store that holds fetch attempts: the rows stay, the indexes the
cycles read through are made (review finding 10), and the downgrade puts the old
``source_id`` index back. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from jianbao.db.session import Database, alembic_config, make_engine

NEW = {
    "ix_fetch_attempts_source_id_id",
    "ix_fetch_attempts_started_at",
    "ix_fetch_attempts_running",
}


def indexes(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return {str(index["name"]) for index in sa.inspect(conn).get_indexes("fetch_attempts")}


@pytest.mark.empty_database
def test_attempts_stay_and_get_their_indexes(database_url: str) -> None:
    Database(database_url).close()  # the whole chain, then back to before 0025
    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.downgrade(config, "0024")
    assert "ix_fetch_attempts_source_id" in indexes(engine) and not NEW & indexes(engine)
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with engine.begin() as conn:
        for outcome in ("ok", "running"):
            conn.execute(
                sa.text(
                    "insert into fetch_attempts (url, started_at, outcome, links_found,"
                    " articles_new, errors) values ('https://e.example/rss', :at, :outcome,"
                    " 2, 1, 0)"
                ),
                {"at": at.replace(tzinfo=None), "outcome": outcome},
            )
    command.upgrade(config, "head")
    assert indexes(engine) >= NEW and "ix_fetch_attempts_source_id" not in indexes(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select outcome from fetch_attempts order by id")).all()
    assert [outcome for (outcome,) in rows] == ["ok", "running"]
    command.downgrade(config, "0024")
    assert "ix_fetch_attempts_source_id" in indexes(engine) and not NEW & indexes(engine)
    engine.dispose()
