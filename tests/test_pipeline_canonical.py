"""Which address a collected article is stored under, and when a link counts as known:
a page's claimed canonical (<link rel=canonical>, og:url) over real loopback HTTP, on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.pipeline import Pipeline
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, article_page


def _claiming(*canonicals: str) -> dict[str, Route]:
    """The two articles of the test site, the first page claiming the first canonical,
    the second the last (``{path}``: the page's own path)."""
    routes = {}
    for n, (path, (title, when, source, paragraphs)) in enumerate(ARTICLES.items()):
        claim = canonicals[min(n, len(canonicals) - 1)].format(path=path)
        link = f'<head><link rel="canonical" href="{claim}">'
        page = article_page(title, when, source, paragraphs).replace(b"<head>", link.encode(), 1)
        routes[path] = Route(page)
    return routes


def _stored(db: Database) -> dict[str, str]:
    with db.session() as session:
        return dict(session.execute(sa.select(Article.title, Article.canonical_url)).all())


def test_a_template_canonical_at_the_home_page_loses_no_article(
    db: Database, settings: Settings
) -> None:
    with LoopbackSite(_claiming("/")) as site:
        report = asyncio.run(Pipeline(settings, db).ingest_urls([site.url(p) for p in ARTICLES]))
        assert report.articles_new == 2 and report.already_known == 0
        assert sorted(_stored(db).values()) == sorted(site.url(p) for p in ARTICLES)


def test_a_canonical_at_a_folder_above_the_page_or_another_site_is_not_trusted(
    db: Database, settings: Settings
) -> None:
    with LoopbackSite(_claiming("/news/2026", "https://elsewhere.example.com{path}")) as site:
        urls = [site.url(p) for p in ARTICLES]
        report = asyncio.run(Pipeline(settings, db).ingest_urls(urls))
        assert report.articles_new == 2
        assert sorted(_stored(db).values()) == sorted(urls)


def test_a_same_site_canonical_is_the_key(db: Database, settings: Settings) -> None:
    """The page's own claim on its site is kept: it is how two spellings of one article
    are stored once."""
    with LoopbackSite(_claiming("/story{path}")) as site:
        report = asyncio.run(Pipeline(settings, db).ingest_urls([site.url(p) for p in ARTICLES]))
        assert report.articles_new == 2
        assert sorted(_stored(db).values()) == sorted(site.url("/story" + p) for p in ARTICLES)


def test_a_link_whose_page_names_its_https_address_is_not_fetched_again(
    db: Database, settings: Settings
) -> None:
    """Links in http, pages naming their https address: the article is stored under the
    https address and its link is known next time, without fetching the page."""
    with LoopbackSite({}) as site:
        site.routes.update(_claiming(site.url("{path}").replace("http://", "https://")))
        urls = [site.url(p) for p in ARTICLES]

        def ingest() -> tuple[int, int, int]:
            before = sum(site.hits[p] for p in ARTICLES)
            report = asyncio.run(Pipeline(settings, db).ingest_urls(urls))
            fetched = sum(site.hits[p] for p in ARTICLES) - before
            return report.articles_new, report.already_known, fetched

        assert ingest() == (2, 0, 2)
        assert all(key.startswith("https://") for key in _stored(db).values())
        assert ingest() == (0, 2, 0)
        # a store of before migration 0026 has no link addresses: the next visit notes
        # them, and the one after fetches nothing
        with db.session() as session:
            session.execute(sa.update(Article).values(fetched_key=None))
        assert ingest() == (0, 2, 2)
        assert ingest() == (0, 2, 0)
