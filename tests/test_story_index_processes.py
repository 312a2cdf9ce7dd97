"""The near-copy index with several processes storing into one store (issues 19 and 21).

Each process keeps its own story index, loaded once. An article another process stored
after that must still be found: a republication of it stored here joins its story. The
index reads the store again only when the new article's id shows that someone else
stored one since (issue 21: that read was one round trip for every stored article).

Two pipelines on one store stand for two processes; SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.pipeline import Pipeline
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page

#: not relevant to the topic, so the event stage (relevant articles only) cannot join the
#: copy to its original: only the near-copy index can
REPORT = [
    "11月16日，西岭市第十届青年书法作品展在市文化馆开幕，展出作品两百余件。",
    "据介绍，本次展览共收到全市各区县投稿六百余件，经专家评审选出入展作品和获奖作品。",
    "展览将持续到本月底，市民可凭身份证免费入馆参观，周一闭馆。",
    "主办方表示，今后将每年举办一次青年书法作品展，为青年书法爱好者搭建展示交流平台。",
]
OTHER = [
    "11月17日，南湖区疾病预防控制中心开展秋冬季流感疫苗接种宣传活动，现场发放宣传资料。",
    "工作人员提醒居民，老年人和慢性病患者是流感高风险人群，应尽早接种疫苗做好防护。",
    "活动还为社区居民提供了健康咨询和血压测量服务，受到居民欢迎。",
]
PAGES = {
    "/a/other.html": ("南湖区开展流感疫苗接种宣传", "2026-11-17 09:00", "南湖新闻", OTHER),
    "/a/report.html": (
        "西岭市第十届青年书法作品展开幕",
        "2026-11-16 09:00",
        "西岭日报",
        REPORT,
    ),
    "/b/copy.html": (
        "西岭市第十届青年书法作品展开幕",
        "2026-11-16 11:00",
        "西岭文化网",
        [*REPORT[:3], "（来源：西岭日报）"],
    ),
}


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        for path, (title, when, source, paragraphs) in PAGES.items():
            running.routes[path] = Route(article_page(title, when, source, paragraphs))
        yield running


def stories(db: Database, site: LoopbackSite) -> dict[str, int | None]:
    with db.session() as session:
        rows = session.execute(sa.select(Article.url, Article.story_id))
        return {url.removeprefix(site.base_url): story for url, story in rows}


def ingest(pipeline: Pipeline, site: LoopbackSite, *paths: str) -> None:
    report = asyncio.run(pipeline.ingest_urls([site.url(path) for path in paths]))
    assert report.articles_new == len(paths), report.errors


def test_a_republication_joins_the_story_another_process_stored_after_its_index_loaded(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    first, second = Pipeline(settings, db), Pipeline(settings, db)
    ingest(first, site, "/a/other.html")  # the first loads its index
    ingest(second, site, "/a/report.html")  # the second stores the original
    ingest(first, site, "/b/copy.html")  # the first stores the republication
    found = stories(db, site)
    assert found["/b/copy.html"] == found["/a/report.html"]
    assert found["/a/other.html"] != found["/a/report.html"]


def test_one_process_storing_alone_reads_no_signatures_again(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    pipeline = Pipeline(settings, db)
    ingest(pipeline, site, "/a/other.html")  # the index is loaded here
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        ingest(pipeline, site, "/a/report.html", "/b/copy.html")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    # nothing stored by anyone else: the signatures are never read back from the store
    assert not [s for s in statements if "articles.signature IS NOT NULL" in s]
    found = stories(db, site)
    assert found["/b/copy.html"] == found["/a/report.html"]  # found in the index it kept
