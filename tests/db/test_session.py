"""The store opens, migrates and keeps times right on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError

from jianbao.db.models import Article
from jianbao.db.session import Database, alembic_config
from jianbao.errors import ConfigError
from jianbao.records import SHANGHAI


def make_article(url: str, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": url,
        "canonical_url": url,
        "content_hash": "h" * 64,
        "title": "标题",
        "body": "正文",
    }
    values.update(fields)
    return Article(**values)


@pytest.mark.empty_database
def test_schema_is_created_and_upgrade_is_idempotent(database_url: str) -> None:
    first = Database(database_url)
    first.close()
    again = Database(database_url)
    with again.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar()
    again.close()
    assert {
        "sources",
        "articles",
        "stories",
        "issues",
        "issue_items",
        "decisions",
        "users",
    } <= tables
    assert version == ScriptDirectory.from_config(alembic_config(again.engine)).get_current_head()


def test_sqlite_uses_wal(sqlite_settings) -> None:
    db = Database.from_settings(sqlite_settings)
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    db.close()


def test_times_come_back_aware_in_shanghai(db: Database) -> None:
    published = datetime(2023, 10, 16, 9, 30, tzinfo=SHANGHAI)
    with db.session() as session:
        session.add(make_article("https://a.example/1", published_at=published))
    with db.session() as session:
        row = session.scalar(sa.select(Article))
        assert row is not None and row.published_at is not None
        assert row.published_at == published
        assert row.published_at.utcoffset() == SHANGHAI.utcoffset(published)
        assert row.published_at.astimezone(UTC).hour == 1


def test_a_naive_time_is_read_as_shanghai(db: Database) -> None:
    with db.session() as session:
        session.add(make_article("https://a.example/2", published_at=datetime(2023, 10, 16, 8)))
    with db.session() as session:
        row = session.scalar(sa.select(Article))
        assert row is not None and row.published_at is not None
        assert row.published_at.hour == 8 and row.published_at.tzinfo is not None


def test_a_canonical_url_is_stored_once(db: Database) -> None:
    with db.session() as session:
        session.add(make_article("https://a.example/3"))
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(make_article("https://a.example/3"))
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count(Article.id))) == 1


def test_a_failed_transaction_leaves_nothing_half_written(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(make_article("https://a.example/4"))
        session.flush()
        raise RuntimeError("crash mid-write")
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count(Article.id))) == 0


def test_an_unreadable_url_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="数据库地址"):
        Database("not a url at all")


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="无法打开数据库"):
        Database("postgresql+pg8000://nobody@127.0.0.1:1/none")
