"""Source tools: probing a URL, health flags, import and export — over real HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jianbao.config import Settings
from jianbao.db.models import Article, FetchAttempt, Source
from jianbao.db.session import Database
from jianbao.db.store import add_source, list_sources
from jianbao.errors import JianbaoError
from jianbao.records import SourceSpec
from jianbao.sources import (
    export_sources,
    import_sources,
    probe_source,
    read_source_file,
    source_health,
)
from pipeline_site import build_site


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/rss.xml", "feed"), ("/news/2026/11/16/ehr.html", "url")],
)
def test_probe_detects_the_kind_and_extracts_the_first_article(
    sqlite_settings: Settings, path: str, kind: str
) -> None:
    with build_site() as site:
        result = asyncio.run(probe_source(sqlite_settings, site.url(path)))
    assert result.kind == kind
    assert result.links and result.article is not None
    assert result.article.title and result.article.paragraphs


def test_probe_of_a_listing_with_its_kind_given(sqlite_settings: Settings) -> None:
    with build_site() as site:
        result = asyncio.run(probe_source(sqlite_settings, site.url("/gov/list.html"), "listing"))
    assert len(result.links) == 1 and result.article is not None
    assert "电子病历" in result.article.title


def test_probe_stores_nothing(sqlite_settings: Settings) -> None:
    with build_site() as site:
        asyncio.run(probe_source(sqlite_settings, site.url("/rss.xml")))
    assert not (sqlite_settings.data_dir / "jianbao.db").exists()


def test_health_marks_failing_and_never_fetched_sources(db: Database) -> None:
    with db.session() as session:
        add_source(session, SourceSpec(name="好", url="https://good.example/rss"))
        bad = add_source(session, SourceSpec(name="坏", url="https://bad.example/rss"))
        bad.consecutive_failures = 4
        bad.last_checked_at = datetime.now(UTC)
        bad.last_error = "collect: HTTP 500"
    with db.session() as session:
        health = {h.name: h for h in source_health(session)}
    assert health["坏"].status == "dead"  # failing and never successful
    assert "连续失败 4 次" in health["坏"].reasons[0]
    assert health["好"].status == "new"


def _article(source_id: int, n: int, published: datetime | None, extracted: datetime) -> Article:
    return Article(
        url=f"https://a.example/{source_id}/{n}",
        canonical_url=f"https://a.example/{source_id}/{n}",
        content_hash=f"{source_id}-{n}",
        title=f"文章 {n}",
        body="正文",
        published_at=published,
        extracted_at=extracted,
        source_id=source_id,
    )


def test_rates_count_publication_dates_not_collection_time(db: Database) -> None:
    """Issue 15, item 9: a first collection brought in a month of articles today, and
    本周日均 counted all of them as this week's."""
    now = datetime(2026, 11, 20, 8, tzinfo=UTC)
    with db.session() as session:
        source = add_source(session, SourceSpec(name="回填", url="https://a.example/rss"))
        source.last_success_at = now
        for n in range(28):  # one a day over four weeks, all collected just now
            published = now - timedelta(days=n, hours=1)
            session.add(_article(source.id, n, published, now - timedelta(minutes=5)))
        session.add(_article(source.id, 99, None, now - timedelta(days=10)))  # undated, old
        session.add(_article(source.id, 98, None, now - timedelta(days=1)))  # undated, new
    with db.session() as session:
        health = {h.name: h for h in source_health(session, now)}["回填"]
    assert health.week_per_day == pytest.approx(8 / 7)  # 7 dated + 1 undated this week
    assert health.usual_per_day == pytest.approx(30 / 30)  # 28 dated + 2 undated
    assert health.status == "ok"


def test_a_source_fetched_fine_that_never_gave_an_article_needs_attention(
    db: Database,
) -> None:
    now = datetime(2026, 11, 20, 8, tzinfo=UTC)
    with db.session() as session:
        source = add_source(session, SourceSpec(name="空列表", url="https://e.example/list/"))
        source.last_success_at = now
    with db.session() as session:
        (health,) = source_health(session, now)
    assert health.status == "empty"
    with db.session() as session:  # its links were all collected through another source
        session.add(FetchAttempt(source_id=health.id, url="https://e.example/list/", links_found=4))
    with db.session() as session:
        (health,) = source_health(session, now)
    assert health.status == "ok"


def test_sources_round_trip_through_yaml_and_opml(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        add_source(
            session,
            SourceSpec(
                name="卫健委",
                url="https://w.example.gov.cn/list/",
                kind="listing",
                link_selector="ul.list a",
                max_pages=3,
                default_source_name="某省卫生健康委员会",
            ),
        )
        add_source(session, SourceSpec(name="医信", url="https://yx.example/atom.xml"))
        yaml_text = export_sources(session, "yaml")
        opml_text = export_sources(session, "opml")
        toml_text = export_sources(session, "toml")
    for name, text in (("s.yaml", yaml_text), ("s.opml", opml_text), ("s.toml", toml_text)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        specs = {s.name: s for s in read_source_file(path)}
        assert specs["卫健委"].kind == "listing" and specs["卫健委"].max_pages == 3
        assert specs["卫健委"].link_selector == "ul.list a"
        assert specs["医信"].kind == "feed"


def test_import_skips_sources_already_present(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[sources]]\nname = "医信"\nurl = "https://yx.example/atom.xml"\n\n'
        '[[sources]]\nname = "新"\nurl = "https://new.example/list/"\nkind = "listing"\n',
        encoding="utf-8",
    )
    with db.session() as session:
        add_source(session, SourceSpec(name="医信", url="https://yx.example/atom.xml"))
        assert import_sources(session, read_source_file(path)) == (1, 1)
        assert sorted(r.name for r in list_sources(session)) == sorted(["医信", "新"])
        assert isinstance(list_sources(session)[0], Source)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.toml", "[[sources]]\nname = 1\n", "缺少 name 或 url"),
        ("a.toml", "not toml at all [", "不是有效的 TOML"),
        (
            "a.yaml",
            "sources:\n  - name: x\n    url: https://x.example/\n    kind: magic\n",
            "kind 无效",
        ),
        ("a.csv", "name,url\n", "无法从文件名判断"),
    ],
)
def test_bad_source_files_say_what_is_wrong(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JianbaoError, match=message):
        read_source_file(path)
