"""What a cycle does with values longer than the store's columns and with an article the
store refuses, over real loopback HTTP on SQLite and PostgreSQL (SQLite does not enforce
a VARCHAR's length; PostgreSQL refused the whole cycle before)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.pipeline import AUTHOR_CHARS, KEY_CHARS, Pipeline, stored_key
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, article_page

(EHR_PATH, EHR), (RUN_PATH, RUN) = ARTICLES.items()
LONG_QUERY = "?id=" + "a" * 2100
LONG_AUTHOR = "某某" * 150


def _feed(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>东川日报</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    """A feed of two items: one links with a 2,100-character query, the other gives a
    300-character author for a page that names none."""
    title, when, source, paragraphs = EHR
    unsigned = article_page(*RUN).replace("责任编辑：王小明".encode(), b"")
    routes = {
        "/rss.xml": Route(
            _feed(
                f"<item><title>{title}</title><link>{EHR_PATH}{LONG_QUERY}</link></item>",
                f"<item><title>{RUN[0]}</title><link>{RUN_PATH}</link>"
                f"<author>{LONG_AUTHOR}</author></item>",
            ),
            content_type="application/rss+xml",
        ),
        EHR_PATH: Route(article_page(title, when, source, paragraphs)),
        RUN_PATH: Route(unsigned),
    }
    with LoopbackSite(routes) as running:
        yield running


def _add_feed(db: Database, site: LoopbackSite) -> None:
    with db.session() as session:
        add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))


def test_a_long_link_and_a_long_feed_author_are_stored_bounded(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    _add_feed(db, site)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.errors == [] and report.articles_new == 2
    with db.session() as session:
        rows = {row.title: row for row in session.scalars(sa.select(Article))}
    long_link = rows[EHR[0]]
    assert long_link.url == site.url(EHR_PATH + LONG_QUERY)  # the address as it was
    assert len(long_link.canonical_url) <= KEY_CHARS
    assert long_link.canonical_url == stored_key(long_link.url)
    assert rows[RUN[0]].author == LONG_AUTHOR[:AUTHOR_CHARS]
    # the long link is known on the next cycle: its page is not fetched again
    hits = site.hits[EHR_PATH]
    again = asyncio.run(Pipeline(settings, db).run_cycle(["东川日报"]))
    assert again.errors == [] and again.articles_new == 0
    assert site.hits[EHR_PATH] == hits


def test_stored_keys_of_long_urls_are_stable_and_distinct() -> None:
    base = "https://example.com/a?id=" + "x" * 3000
    assert stored_key(base) == stored_key(base)
    assert stored_key(base) != stored_key(base + "y")
    assert len(stored_key(base)) <= KEY_CHARS
    assert stored_key("https://example.com/a") == "https://example.com/a"


def _refuse_marathons(db: Database) -> None:
    """Make the store itself refuse any article titled with 马拉松 (a constraint of the
    database, as a value too long is)."""
    with db.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(
                sa.text(
                    "CREATE TRIGGER refuse_marathons BEFORE INSERT ON articles "
                    "WHEN NEW.title LIKE '%马拉松%' BEGIN SELECT RAISE(ABORT, '拒收'); END"
                )
            )
        else:
            session.execute(
                sa.text(
                    "ALTER TABLE articles ADD CONSTRAINT refuse_marathons "
                    "CHECK (position('马拉松' in title) = 0)"
                )
            )


def test_an_article_the_store_refuses_is_that_links_failure_not_the_cycles(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    _add_feed(db, site)
    _refuse_marathons(db)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.articles_new == 1 and report.sources_failed == 0
    [error] = report.errors
    assert error.startswith(site.url(RUN_PATH)) and "东川日报" in error
    with db.session() as session:
        assert session.scalars(sa.select(Article.title)).all() == [EHR[0]]
