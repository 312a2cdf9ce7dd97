"""A page beyond the extraction budget fails alone: the cycle records it as that
article's failure and stores the healthy articles beside it (issue 14, item 5)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, build_site


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with build_site() as running:
        base = running.base_url
        running.routes["/huge.xml"] = Route(
            (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>巨页</title><link>{base}/</link><item><title>巨页</title>"
                f"<link>{base}/huge.html</link></item></channel></rss>"
            ).encode(),
            content_type="application/rss+xml; charset=utf-8",
        )
        running.routes["/huge.html"] = Route(b"<html><body>" + b"<br>" * (5 * 1024 * 1024 // 4))
        yield running


def test_a_page_beyond_the_budget_is_that_articles_failure(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    with db.session() as session:
        add_source(session, SourceSpec(name="巨页", url=site.url("/huge.xml"), kind="feed"))
        add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert len(report.errors) == 1
    assert report.errors[0].startswith(site.url("/huge.html"))
    assert "页面过大：5242892 个字符" in report.errors[0]
    assert report.articles_new == len(ARTICLES)
