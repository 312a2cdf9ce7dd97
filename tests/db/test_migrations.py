"""Migrations upgrade a database that already holds data, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from jianbao.db.session import Database, alembic_config, make_engine


def head(engine: sa.Engine) -> str:
    """The newest revision of the migrations folder."""
    return str(ScriptDirectory.from_config(alembic_config(engine)).get_current_head())


@pytest.mark.empty_database
def test_an_old_database_with_data_upgrades_in_place(database_url: str) -> None:
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into sources (name, url, kind, max_pages, render, enabled, poll_minutes,"
                " consecutive_failures, created_at) values ('旧来源', 'https://old.example/rss',"
                " 'feed', 1, 'http', :yes, 60, 0, :now)"
            ),
            {"yes": True, "now": "2026-01-01 00:00:00"},
        )
    engine.dispose()
    db = Database(database_url)
    with db.engine.connect() as conn:
        row = conn.execute(sa.text("select name, respect_robots from sources")).one()
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar()
        article_columns = {c["name"] for c in sa.inspect(conn).get_columns("articles")}
    assert version == head(db.engine)
    db.close()
    assert row[0] == "旧来源" and bool(row[1]) is True
    assert version >= "0007" and "policy_article_id" in article_columns
    assert {"model_probability", "model_features"} <= article_columns
