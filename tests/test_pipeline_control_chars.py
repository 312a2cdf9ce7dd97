"""An article whose feed item holds control characters (a \\x00, a lone surrogate) is
stored cleaned, over real loopback HTTP on SQLite and PostgreSQL: PostgreSQL refuses a
\\x00 in text, and no output format can hold either (they were dropped only on output)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.control_chars import XML_REFUSED
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, article_page

(PATH, (TITLE, WHEN, SOURCE, PARAGRAPHS)), (RUN_PATH, RUN) = ARTICLES.items()
#: the controls a pasted or generated feed can carry; \x0b and \x0c are white space
DIRTY = "\x00\x01\x08\ud800\x1f\ufffe\uffff\udc00"
#: what a page's bytes can carry (lxml reads a \x00 as U+FFFD, the page's reader \x1f
#: as white space, so they are not among them)
DIRTY_PAGE = "\x01\x08&#1;&#xfffe;"


def _dirty_page() -> bytes:
    """The second article's page, with controls in its paragraphs and its 来源 line."""
    title, when, source, paragraphs = RUN
    dirty = [p[:8] + DIRTY_PAGE + p[8:] for p in paragraphs]
    return article_page(title, when, source[:2] + "\x02" + source[2:], dirty)


def _json_feed() -> bytes:
    body = "".join(
        f"<p>{p[:10]}{DIRTY}{p[10:]}</p>" if i == 0 else f"<p>{p}\t</p>"
        for i, p in enumerate(PARAGRAPHS)
    )
    item = {
        "id": "ehr",
        "url": PATH,
        # the feed's reader makes \x1f (white space to Python) a space in a title
        "title": TITLE[:6] + DIRTY.replace("\x1f", "") + TITLE[6:],
        "content_html": body,
        "date_published": "2026-11-16T09:30:00+08:00",
        "authors": [{"name": "王\x00小明\x0b"}],
    }
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": SOURCE + "\x07",
        "items": [item, {"id": "run", "url": RUN_PATH, "title": RUN[0]}],
    }
    # ensure_ascii: \u0000 and \ud800 as JSON escapes (UTF-8 cannot carry a lone surrogate)
    return json.dumps(feed, ensure_ascii=True).encode()


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    """A JSON feed of two items: the first's page is gone (the article is the item's own
    text), the second's page holds controls."""
    routes = {
        "/feed.json": Route(_json_feed(), content_type="application/feed+json"),
        PATH: Route(b"gone", status=404),
        RUN_PATH: Route(_dirty_page()),
    }
    with LoopbackSite(routes) as running:
        yield running


def test_a_feed_items_control_characters_are_cleaned_before_the_store(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    with db.session() as session:
        add_source(session, SourceSpec(name="东川日报", url=site.url("/feed.json"), kind="feed"))
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.errors == [] and report.articles_new == 2
    with db.session() as session:
        rows = {row.url: row for row in session.scalars(sa.select(Article))}
    from_feed, from_page = rows[site.url(PATH)], rows[site.url(RUN_PATH)]
    assert from_feed.title == TITLE
    assert from_feed.body == "\n".join(PARAGRAPHS)  # newlines between paragraphs kept
    assert from_feed.author == "王小明"
    assert from_feed.source_name == SOURCE
    assert from_page.title == RUN[0] and from_page.source_name == RUN[2]
    assert from_page.body == "\n".join(RUN[3])
    for row in (from_feed, from_page):
        for text in (row.title, row.body, row.html or "", row.summary or ""):
            assert XML_REFUSED.search(text) is None, repr(text)
