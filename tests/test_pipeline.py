"""The collection cycle end to end over real loopback HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from jianbao.candidates import list_candidates
from jianbao.config import Settings
from jianbao.db.models import Article, FetchAttempt, Source, Story
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.judge.events import LEAD_CHARS, event_facts
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.stored_facts import loads as stored_facts
from jianbao.testing import LoopbackSite, Route, make_settings
from pipeline_site import REPUBLISHED, article_page, build_site


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with build_site() as running:
        yield running


def add_sources(db: Database, site: LoopbackSite, *extra: SourceSpec) -> None:
    with db.session() as session:
        add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))
        add_source(
            session,
            SourceSpec(
                name="东川省卫健委",
                url=site.url("/gov/list.html"),
                kind="listing",
                default_source_name="东川省卫生健康委员会",
            ),
        )
        for spec in extra:
            add_source(session, spec)


def pages_hit(site: LoopbackSite) -> int:
    """Requests for pages, robots.txt aside."""
    return sum(n for path, n in site.hits.items() if path != "/robots.txt")


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_a_cycle_stores_every_article_once(db: Database, settings: Settings, site) -> None:
    add_sources(db, site)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.errors == []
    assert report.articles_new == 3
    assert count(db, Article) == 3
    with db.session() as session:
        ehr = session.scalars(sa.select(Article).where(Article.title.contains("电子病历"))).all()
        marathon = session.scalar(sa.select(Article).where(Article.title.contains("马拉松")))
        assert marathon is not None and not marathon.relevant
        assert len(ehr) == 2 and all(a.relevant for a in ehr)
        # the republication is the same story, represented by the government original
        assert ehr[0].story_id == ehr[1].story_id
        story = session.get(Story, ehr[0].story_id)
        assert story is not None and story.size == 2
        representative = session.get(Article, story.representative_id)
        assert representative is not None and representative.url.endswith(REPUBLISHED[0])
        assert all(a.summary for a in ehr)
        assert ehr[0].published_at is not None
        # the event stage's facts were made where each relevant article was prepared and
        # stored with it: read back, they are those made from the row (issue 19)
        for row in ehr:
            made = event_facts(row.title, row.body[: 2 * LEAD_CHARS], row.published_at)
            assert stored_facts(row.event_facts, row.title, row.published_at) == made
        assert marathon.event_facts is None  # never compared: none made
        # the candidates list shows the story once, with the other outlet folded under it
        candidates = list_candidates(session, date(2026, 11, 14), date(2026, 11, 20))
        assert [c.article.id for c in candidates] == [representative.id]
        assert candidates[0].outlets == 2 and len(candidates[0].others) == 1
        assert candidates[0].others[0][0] == "东川日报"


def test_a_second_cycle_stores_nothing_twice(db: Database, settings: Settings, site) -> None:
    add_sources(db, site)
    asyncio.run(Pipeline(settings, db).run_cycle())
    hits_before = pages_hit(site)
    again = asyncio.run(Pipeline(settings, db).run_cycle())
    assert again.articles_new == 0
    assert again.not_modified == 1  # the feed answered 304 to its ETag
    assert count(db, Article) == 3
    # no article page was fetched again: only the feed and the listing page
    assert pages_hit(site) - hits_before == 2


def test_a_failing_source_is_recorded_and_the_others_go_on(
    db: Database, settings: Settings, site
) -> None:
    broken = SourceSpec(name="坏链接", url=site.url("/missing.xml"), kind="feed")
    add_sources(db, site, broken)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.sources_failed == 1 and report.articles_new == 3
    with db.session() as session:
        row = session.scalar(sa.select(Source).where(Source.name == "坏链接"))
        assert row is not None
        assert row.consecutive_failures == 1 and row.last_error
        attempt = session.scalar(sa.select(FetchAttempt).where(FetchAttempt.source_id == row.id))
        assert attempt is not None and attempt.outcome == "error" and attempt.error


def test_pasted_urls_are_ingested(db: Database, settings: Settings, site) -> None:
    url = site.url("/news/2026/11/16/ehr.html")
    report = asyncio.run(Pipeline(settings, db).ingest_urls([url, url + "?utm_source=wx"]))
    assert report.articles_new == 1
    assert count(db, Article) == 1


def test_only_due_sources_are_visited(db: Database, settings: Settings, site) -> None:
    add_sources(db, site)
    asyncio.run(Pipeline(settings, db).run_cycle())
    hits_before = pages_hit(site)
    report = asyncio.run(Pipeline(settings, db).run_cycle(only_due=True))
    assert report.sources == 0
    assert pages_hit(site) == hits_before
    named = asyncio.run(Pipeline(settings, db).run_cycle(["东川日报"], only_due=True))
    assert named.sources == 1


def test_robots_txt_is_honoured_unless_a_source_opts_out(
    db: Database, settings: Settings, site
) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /news/\n", content_type="text/plain"
    )
    add_sources(db, site)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.articles_new == 1  # only the government page; /news/ is disallowed
    assert all("robots" in line for line in report.errors) and len(report.errors) == 2
    assert not any(path.startswith("/news/") for path in site.hits)
    with db.session() as session:
        add_source(
            session,
            SourceSpec(
                name="授权转载", url=site.url("/rss.xml"), kind="feed", respect_robots=False
            ),
        )
    again = asyncio.run(Pipeline(settings, db).run_cycle(["授权转载"]))
    assert again.articles_new == 2


def test_a_feed_with_full_text_survives_an_unreachable_page(
    db: Database, settings: Settings
) -> None:
    text = "".join(
        f"<p>第{i}段：某市互联网医院平台接入全市医疗机构，电子病历实现互联互通。</p>"
        for i in range(4)
    )
    with LoopbackSite() as site:
        site.routes["/full.xml"] = Route(
            (
                "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
                "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel>"
                "<title>某市日报</title><item><title>某市互联网医院平台上线</title>"
                f"<link>{site.base_url}/gone.html</link><pubDate>Mon, 16 Nov 2026 09:00:00 +0800</pubDate>"
                f"<content:encoded><![CDATA[{text}]]></content:encoded></item></channel></rss>"
            ).encode(),
            content_type="application/rss+xml",
        )
        site.routes["/gone.html"] = Route(b"gone", status=404)
        with db.session() as session:
            add_source(session, SourceSpec(name="某市日报", url=site.url("/full.xml")))
        report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.articles_new == 1, report.errors
    with db.session() as session:
        row = session.scalar(sa.select(Article))
        assert row is not None and row.title == "某市互联网医院平台上线"
        assert row.body.count("互联互通") == 4 and row.source_name == "某市日报"


def test_a_backfill_follows_pagination_and_skips_older_links(
    db: Database, settings: Settings
) -> None:
    from pipeline_site import article_page

    days = ["2026-11-18", "2026-11-12", "2026-11-05", "2026-10-28"]
    with LoopbackSite() as site:
        for n, day in enumerate(days):
            site.routes[f"/xxgk/t{day.replace('-', '')}_{n}.html"] = Route(
                article_page(
                    f"某省互联网医院建设第{n}批项目通过验收",
                    f"{day} 09:00",
                    "某省卫生健康委员会",
                    [f"第{n}批互联网医院项目通过验收，电子病历系统同步升级。" * 3],
                )
            )
        pages = ["index.html", "index_1.html", "index_2.html", "index_3.html"]
        for n, (page, day) in enumerate(zip(pages, days, strict=True)):
            following = f'<a href="{pages[n + 1]}">下一页</a>' if n + 1 < len(pages) else ""
            site.routes[f"/xxgk/{page}"] = Route(
                (
                    "<html><body><ul class='list'>"
                    f"<li><a href='t{day.replace('-', '')}_{n}.html'>某省互联网医院建设第{n}批项目通过验收</a>"
                    f"<span>{day}</span></li></ul><div class='page'>{following}</div></body></html>"
                ).encode()
            )
        with db.session() as session:
            add_source(
                session,
                SourceSpec(name="某省卫健委", url=site.url("/xxgk/index.html"), kind="listing"),
            )
        first = asyncio.run(Pipeline(settings, db).run_cycle())
        assert first.articles_new == 1
        backfill = asyncio.run(Pipeline(settings, db).run_cycle(since=date(2026, 11, 1)))
    assert backfill.articles_new == 2  # pages 2 and 3; page 4 is older than November
    assert count(db, Article) == 3
    assert "/xxgk/t20261028_3.html" not in site.hits


def test_a_pasted_wechat_article_keeps_its_account_time_and_canonical_link(
    db: Database, settings: Settings
) -> None:
    from pathlib import Path

    page = (Path(__file__).parent / "extract" / "fixtures" / "wechat.html").read_bytes()
    with LoopbackSite() as site:
        site.routes["/s/AbCdEf123"] = Route(page)
        site.routes["/s"] = Route(page)  # the same article under its long form
        first = asyncio.run(Pipeline(settings, db).ingest_urls([site.url("/s/AbCdEf123")]))
        again = asyncio.run(
            Pipeline(settings, db).ingest_urls(
                [site.url("/s?__biz=MzA5&mid=2650&idx=1&sn=abc&chksm=99&scene=21#rd")]
            )
        )
    assert first.articles_new == 1 and again.articles_new == 0
    with db.session() as session:
        row = session.scalar(sa.select(Article))
        assert row is not None
        assert row.title == "智慧医院建设的五个关键问题"
        assert row.source_name == "医院信息化观察"
        assert row.published_at is not None and row.published_at.isoformat().startswith(
            "2023-10-16T10:30"
        )
    # the page names its mp.weixin.qq.com address, another site than the loopback one it
    # was fetched from here, so its fetched address is its key (fetched from
    # mp.weixin.qq.com, its claim is: tests/test_prepare.py)
    assert row.canonical_url == site.url("/s/AbCdEf123")


def many_articles_site(count: int) -> LoopbackSite:
    """A feed of ``count`` distinct articles, every third about health informatics."""
    site = LoopbackSite()
    items = []
    for n in range(count):
        path = f"/news/many/{n}.html"
        if n % 3 == 0:
            title = f"第{n}家医院上线互联网医院平台"
            text = [f"第{n}家医院的互联网医院平台今日上线，患者可在线复诊并使用电子处方。"]
        else:
            title = f"第{n}届城市美食节开幕"
            text = [f"第{n}届美食节在{n}号广场开幕，共有{n + 20}家商户参加。"]
        text.append(f"编号{n}的活动由主办方组织，现场共有{n * 7 + 3}名观众。")
        site.routes[path] = Route(article_page(title, "2026-11-16 09:00", "东川日报", text))
        items.append(f"<item><title>{title}</title><link>{site.base_url}{path}</link></item>")
    site.routes["/many.xml"] = Route(
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>多</title>'
            + "".join(items)
            + "</channel></rss>"
        ).encode(),
        content_type="application/rss+xml; charset=utf-8",
    )
    return site


def test_a_big_cycle_on_worker_processes_stores_what_one_process_stores(
    tmp_path: Path, database_url: str
) -> None:
    """48 articles start the worker pool; on SQLite the same cycle in one process is
    compared with it (PostgreSQL gives each test one database: the pooled run only)."""
    runs = [(2, database_url)]
    if database_url.startswith("sqlite"):
        runs.append((1, f"sqlite:///{(tmp_path / 'one.db').as_posix()}"))
    judged: list[list[tuple[object, ...]]] = []
    with many_articles_site(48) as site:
        for workers, url in runs:
            settings = make_settings(
                tmp_path / f"w{workers}", database_url=url, pipeline_workers=workers
            )
            database = Database.from_settings(settings)
            try:
                with database.session() as session:
                    add_source(session, SourceSpec(name="多", url=site.url("/many.xml")))
                report = asyncio.run(Pipeline(settings, database).run_cycle())
                assert report.errors == []
                assert report.articles_new == 48
                with database.session() as session:
                    rows = session.execute(
                        sa.select(
                            Article.title, Article.relevant, Article.category, Article.summary
                        ).order_by(Article.title)
                    ).all()
                judged.append([tuple(row) for row in rows])
            finally:
                database.close()
    assert len(judged[0]) == 48
    assert sum(bool(row[1]) for row in judged[0]) == 16
    if len(judged) == 2:
        assert judged[0] == judged[1]
