"""Readings are linked to the policy document they cite, whichever arrives first, over the
real pipeline on SQLite and PostgreSQL; the candidates list names the document."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from jianbao.candidates import list_candidates
from jianbao.config import Settings
from jianbao.db.models import Article, Story
from jianbao.db.session import Database
from jianbao.judge.links import document_name
from jianbao.pipeline import Pipeline
from jianbao.policy_links import PolicyLinker, load_policy_index
from jianbao.records import SHANGHAI
from jianbao.testing import LoopbackSite, Route
from pipeline_site import POLICY_NAME as NAME
from pipeline_site import article_page, policy_pages

TODAY = datetime.now(SHANGHAI)
PAGES = policy_pages(TODAY)


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        for path, (title, date_, source, paragraphs) in PAGES.items():
            running.routes[path] = Route(article_page(title, date_, source, paragraphs))
        yield running


def by_path(db: Database, site: LoopbackSite) -> dict[str, Article]:
    with db.session() as session:
        rows = session.scalars(sa.select(Article)).all()
    return {row.url.removeprefix(site.base_url): row for row in rows}


def test_readings_are_linked_to_the_document_they_cite(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    def ingest(*paths: str) -> None:
        """A pasted URL, each time by a new pipeline (as each `collect` is)."""
        asyncio.run(Pipeline(settings, db).ingest_urls([site.url(p) for p in paths]))

    ingest("/news/early.html", "/news/other.html")
    stored = by_path(db, site)
    assert stored["/news/early.html"].relevant
    assert stored["/news/early.html"].policy_article_id is None  # its document is not here yet

    ingest("/gov/notice.html")
    stored = by_path(db, site)
    notice = stored["/gov/notice.html"]
    assert notice.category == "政策文件" and notice.policy_article_id is None
    assert stored["/news/early.html"].policy_article_id == notice.id  # linked backwards

    ingest("/news/late.html")
    stored = by_path(db, site)
    assert stored["/news/late.html"].policy_article_id == notice.id  # by its 发文字号
    assert stored["/news/other.html"].policy_article_id is None

    with db.session() as session:
        shown = {
            c.article.id: c
            for c in list_candidates(
                session, (TODAY - timedelta(days=7)).date(), TODAY.date(), limit=None
            )
        }
    assert shown[stored["/news/early.html"].id].policy_document == (notice.id, NAME)
    assert shown[stored["/news/late.html"].id].policy_document == (notice.id, NAME)
    assert shown[notice.id].policy_document is None
    assert shown[stored["/news/other.html"].id].policy_document is None


def test_only_relevant_readings_are_linked_and_the_index_survives_a_restart(
    db: Database,
) -> None:
    with db.session() as session:
        notice = Article(
            url="https://gov.example/n",
            canonical_url="https://gov.example/n",
            content_hash="n" * 64,
            title=f"关于印发《{NAME}》的通知",
            body="国卫规划发〔2026〕18号\n各省卫生健康委：",
            category="政策文件",
            relevant=True,
        )
        session.add(notice)
        session.flush()
        notice_id = notice.id
    with db.session() as session:
        index = load_policy_index(session)  # a new pipeline reads the documents back
        assert index.cited_by("解读", "根据国卫规划发〔2026〕18号文件") == [notice_id]
        linker = PolicyLinker()
        unrelated = Article(
            url="https://x.example/1",
            canonical_url="https://x.example/1",
            content_hash="x" * 64,
            title="某企业年会提到国卫规划发〔2026〕18号",
            body="",
            relevant=False,
        )
        reading = Article(
            url="https://x.example/2",
            canonical_url="https://x.example/2",
            content_hash="y" * 64,
            title=f"专家解读《{NAME}》",
            body="",
            relevant=True,
            category="观点研究",
        )
        session.add_all([unrelated, reading])
        session.flush()
        assert linker.link(session, unrelated) is None
        assert linker.link(session, reading) == notice_id


def test_a_document_is_named_by_the_title_inside_its_announcement() -> None:
    assert document_name(f"国家卫生健康委关于印发《{NAME}》的通知") == NAME
    assert (
        document_name("关于加快推进电子病历系统应用的通知") == "关于加快推进电子病历系统应用的通知"
    )


def test_a_republication_is_no_reading_and_the_document_is_shown_by_its_issuer(
    db: Database,
) -> None:
    def article(n: int, title: str, body: str, category: str, story: Story) -> Article:
        return Article(
            url=f"https://s.example/{n}",
            canonical_url=f"https://s.example/{n}",
            content_hash=str(n).rjust(64, "s"),
            title=title,
            body=body,
            category=category,
            relevant=True,
            published_at=TODAY - timedelta(days=1),
            story=story,
        )

    with db.session() as session:
        event, other = Story(), Story()
        portal = article(1, f"重磅！《{NAME}》发布", "", "政策文件", event)
        ministry = article(
            2, f"国家卫生健康委印发《{NAME}》", "国卫规划发〔2026〕18号", "政策文件", event
        )
        session.add_all([portal, ministry])
        session.flush()
        event.representative_id = ministry.id
        # the portal's copy was registered first: a reading's link points at it
        linker = PolicyLinker()
        linker.add(portal)
        linker.add(ministry)
        same_story = article(
            3, f"《{NAME}》发布 首诊不得线上开展", f"《{NAME}》明确……", "行业动态", event
        )
        reading = article(4, f"一图读懂《{NAME}》", "", "观点研究", other)
        session.add_all([same_story, reading])
        session.flush()
        linker.index(session)
        assert linker.link(session, same_story) is None
        assert linker.link(session, reading) == portal.id
        other.representative_id = reading.id
        ministry_id, reading_id = ministry.id, reading.id
    with db.session() as session:
        shown = {
            c.article.id: c
            for c in list_candidates(session, TODAY.date() - timedelta(days=3), TODAY.date())
        }
    # shown through the story's representative: the ministry's own page
    assert shown[reading_id].policy_document == (ministry_id, NAME)
