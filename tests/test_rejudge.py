"""``jianbao rejudge``: old articles get today's judgement (relevance, scope, sentiment,
risk, signature), the editors' decisions, picks and summaries are kept, a dry run writes
nothing, and a stopped run is taken up where it stopped. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.config import Settings
from jianbao.db.models import Article, Decision, IssueItem
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.decisions import record_decision
from jianbao.editions.issue_store import add_item, open_or_new_issue
from jianbao.errors import InputError
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.rejudge import rejudge, stale_articles, today_fingerprint
from jianbao.testing import LoopbackSite
from pipeline_site import build_site

#: stored by an old judge that read neither 繁體 nor the daily's scope
OLD = {
    "https://old.example/hk": (
        "澜海醫院上線電子病歷系統 推進互聯網醫院建設",
        "澜海醫院電子病歷系統正式上線，醫院資訊平台實現檢查檢驗結果互認共享。\n"
        "醫院表示將加快互聯網醫院建設，推動智慧醫院發展。",
    ),
    "https://old.example/policy": (
        "国务院常务会议部署促进数字经济高质量发展",
        "国务院总理主持召开国务院常务会议，部署促进数字经济高质量发展的政策措施。\n"
        "会议指出，要加快数据要素市场建设，国家发展改革委、国家数据局等部门要抓紧出台配套政策。\n"
        "会议还研究了深化医药卫生体制改革、推动公立医院高质量发展等事项，要求各部门抓好落实。",
    ),
}


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with build_site() as running:
        yield running


@pytest.fixture
def old_store(db: Database, settings: Settings, site: LoopbackSite) -> Database:
    """A store as an older judge left it: three collected articles (their judgement
    made old: no tone, no fingerprint), two it misjudged, and an editor's work — the
    marathon story picked into a daily with a rewritten summary."""
    with db.session() as session:
        add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))
        add_source(
            session, SourceSpec(name="卫健委", url=site.url("/gov/list.html"), kind="listing")
        )
    asyncio.run(Pipeline(settings, db).run_cycle())
    now = datetime.now(UTC)
    with db.session() as session:
        session.execute(sa.update(Article).values(judged_with=None, sentiment=None, risk=None))
        for n, (url, (title, body)) in enumerate(OLD.items()):
            session.add(
                Article(
                    url=url,
                    canonical_url=url,
                    content_hash=f"{n:064d}",
                    title=title,
                    body=body,
                    published_at=now,
                    relevant=False,
                )
            )
        marathon = session.scalars(sa.select(Article).where(Article.title.contains("马拉松"))).one()
        assert not marathon.relevant
        marathon.relevant = True  # the old judge let it through, and an editor took it
        marathon.summary = "编辑改写：马拉松期间医院急救保障到位。"
        record_decision(session, marathon.id, "accept", editor="editor")
        issue, _created = open_or_new_issue(session, settings, "daily", now.date(), fill=0)
        add_item(session, issue, marathon.id)
    return db


def snapshot(db: Database) -> dict[str, tuple[object, ...]]:
    with db.session() as session:
        rows = session.execute(
            sa.select(
                Article.url,
                Article.relevant,
                Article.scope,
                Article.sentiment,
                Article.risk,
                Article.signature,
                Article.summary,
                Article.judged_with,
            )
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def editors_work(db: Database) -> tuple[int, int]:
    with db.session() as session:
        decisions = session.scalar(sa.select(sa.func.count(Decision.id))) or 0
        items = session.scalar(sa.select(sa.func.count(IssueItem.id))) or 0
    return int(decisions), int(items)


def test_old_articles_get_todays_judgement_and_editors_work_is_kept(
    old_store: Database, settings: Settings
) -> None:
    db = old_store
    work = editors_work(db)
    with db.session() as session:
        assert stale_articles(session, settings) == 5
    before = snapshot(db)
    dry = rejudge(db, settings, dry_run=True, workers=1)  # counts, writes nothing
    assert snapshot(db) == before
    report = rejudge(db, settings, workers=1)
    assert report.counts() == dry.counts()
    assert report.judged == 5 and report.current == 0
    # the 繁體 report is health IT; the State Council's meeting is the daily's scope
    assert report.became_relevant == 1 and report.scope_gained == 1
    # the marathon would be dropped by today's judge, but an editor picked it
    assert report.kept_as_picked == 1 and report.became_irrelevant == 0
    assert report.sentiment_changed == 5 and report.risk_changed == 5
    after = snapshot(db)
    hk, policy = after["https://old.example/hk"], after["https://old.example/policy"]
    assert hk[0] is True and hk[4] is not None  # relevant, signed
    assert policy[0] is False and policy[1] == "卫生健康与数字经济政策"
    marathon = next(v for url, v in after.items() if "marathon" in url)
    assert marathon[0] is True and marathon[5] == "编辑改写：马拉松期间医院急救保障到位。"
    assert all(
        v[2] in ("neg", "neu", "pos") and v[6] == today_fingerprint(settings)
        for v in after.values()
    )
    assert editors_work(db) == work
    # judged by today's judge now: a second run has nothing to do
    again = rejudge(db, settings, workers=1)
    assert again.judged == 0 and again.current == 5


class Stop(Exception):
    pass


def test_a_stopped_run_is_taken_up_where_it_stopped(
    old_store: Database, settings: Settings
) -> None:
    """Batches of two; the run dies after the first (as a killed process would, its
    batch committed): the next run judges the three left, nothing twice."""

    def die(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        rejudge(old_store, settings, batch=2, workers=1, progress=die)
    with old_store.session() as session:
        assert stale_articles(session, settings) == 3
    seen: list[tuple[int, int]] = []
    rest = rejudge(
        old_store, settings, batch=2, workers=1, progress=lambda d, t: seen.append((d, t))
    )
    assert rest.judged == 3 and seen == [(2, 3), (3, 3)]
    # --all marks everything stale first, so a stopped --all run is resumed by a plain one
    with pytest.raises(Stop):
        rejudge(old_store, settings, everything=True, batch=2, workers=1, progress=die)
    resumed = rejudge(old_store, settings, batch=2, workers=1)
    assert resumed.judged == 3 and resumed.changed == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the CLI, once
def test_the_command(
    old_store: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("JIANBAO_DATABASE_URL", settings.database_url or "")
    runner = CliRunner()
    dry = runner.invoke(app, ["rejudge", "--dry-run", "--workers", "1"], catch_exceptions=False)
    assert dry.exit_code == 0, dry.output
    assert "试运行：判断了 5 篇" in dry.output and "变为相关 1" in dry.output
    assert "进入范围 1" in dry.output and "保持相关 1" in dry.output
    done = runner.invoke(app, ["rejudge", "--since", "2000-01-01"], catch_exceptions=False)
    assert done.exit_code == 0 and "已重新判断 5 篇" in done.output, done.output
    nothing = runner.invoke(app, ["rejudge"], catch_exceptions=False)
    assert "没有需要重新判断的文章（5 篇" in nothing.output
    bad = runner.invoke(app, ["rejudge", "--since", "2026-13-01"])
    assert isinstance(bad.exception, InputError) and "--since 不是日期" in str(bad.exception)
