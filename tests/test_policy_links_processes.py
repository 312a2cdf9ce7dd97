"""Policy-link caches with several processes storing into one store (issue 19): each
Celery worker (and a URL pasted beside ``jianbao run``) has its own pipeline and its own
index of policy documents, loaded once. A reading stored by one must still be linked to
a document another stored after that index was loaded — whichever arrives first.

Two pipelines on one store stand for two processes (each keeps its own caches, as a
worker process does); SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.pipeline import Pipeline
from jianbao.records import SHANGHAI
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page, policy_pages

PAGES = policy_pages(datetime.now(SHANGHAI))


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        for path, (title, date_, source, paragraphs) in PAGES.items():
            running.routes[path] = Route(article_page(title, date_, source, paragraphs))
        yield running


def linked(db: Database, site: LoopbackSite) -> dict[str, tuple[int, int | None]]:
    """path → (article id, the document it is linked to)."""
    with db.session() as session:
        rows = session.execute(sa.select(Article.url, Article.id, Article.policy_article_id))
        return {url.removeprefix(site.base_url): (id_, doc) for url, id_, doc in rows}


def test_a_reading_finds_a_document_another_process_stored_after_its_index_loaded(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    first, second = Pipeline(settings, db), Pipeline(settings, db)

    def ingest(pipeline: Pipeline, *paths: str) -> None:
        asyncio.run(pipeline.ingest_urls([site.url(path) for path in paths]))

    # the first process stores a reading before its document (and loads its index)
    ingest(first, "/news/early.html", "/news/other.html")
    ingest(second, "/gov/notice.html")  # the second stores the document
    ingest(first, "/news/late.html")  # the first, a reading citing its 发文字号
    stored = linked(db, site)
    notice = stored["/gov/notice.html"][0]
    assert stored["/news/late.html"][1] == notice  # the first's index caught up
    assert stored["/news/early.html"][1] == notice  # linked back by the second
    assert stored["/news/other.html"][1] is None


def test_readings_before_a_document_are_linked_even_when_its_process_died(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    first, second = Pipeline(settings, db), Pipeline(settings, db)

    def ingest(pipeline: Pipeline, *paths: str) -> None:
        asyncio.run(pipeline.ingest_urls([site.url(path) for path in paths]))

    ingest(first, "/news/early.html")
    # the second process stores the document and dies before its cycle's end, where it
    # would have linked the earlier readings back (the cycle's end is skipped, as a
    # SIGKILL after the document's commit would skip it)
    second.policies.finish = lambda _db: 0
    ingest(second, "/gov/notice.html")
    assert linked(db, site)["/news/early.html"][1] is None
    ingest(first, "/news/late.html")  # the first catches up with the document
    stored = linked(db, site)
    notice = stored["/gov/notice.html"][0]
    assert stored["/news/late.html"][1] == notice
    assert stored["/news/early.html"][1] == notice
