"""The job functions on their own: the SQLite backup and its retention, pasted URLs
collected at once, and the draft of the day made once."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from jianbao.config import Settings
from jianbao.db.models import Article, Issue, Source
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.deliver.send import ChannelReport, DeliveryReport
from jianbao.jobs.backup import backup_store, prune_backups
from jianbao.jobs.work import collect_urls, delivery_summary, make_draft
from jianbao.records import SHANGHAI, SourceSpec
from jianbao.testing import make_settings
from pipeline_site import ARTICLES, build_site


def test_the_backup_is_a_consistent_copy_and_old_ones_go(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, backup_keep=2)
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            add_source(session, SourceSpec(name="东川日报", url="https://news.example/rss"))
        made = []
        for hour in (1, 2, 3):
            result = backup_store(settings, datetime(2026, 11, 20, hour, tzinfo=SHANGHAI))
            assert result.outcome == "ok"
            made.append(Path(result.detail["file"]))
        # written while the store is open (WAL, a connection held): the online backup API
        assert result.detail["removed"] == ["jianbao-20261120-010000.db"]
        kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
        assert kept == ["jianbao-20261120-020000.db", "jianbao-20261120-030000.db"]
        copy = sqlite3.connect(made[-1])
        try:
            names = [row[0] for row in copy.execute("select name from sources")]
            assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
        finally:
            copy.close()
        assert names == ["东川日报"]
    finally:
        db.close()


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for stamp in ("20261118-020000", "20261120-020000", "20261119-020000"):
        (tmp_path / f"jianbao-{stamp}.db").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("kept")
    assert prune_backups(tmp_path, 1) == [
        "jianbao-20261118-020000.db",
        "jianbao-20261119-020000.db",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jianbao-20261120-020000.db", "notes.txt"]


def test_backup_of_postgres_is_left_to_pg_dump(settings: Settings) -> None:
    result = backup_store(settings, datetime(2026, 11, 20, 2, tzinfo=SHANGHAI))
    if settings.database_url.startswith("postgresql"):
        assert result.outcome == "skipped" and "pg_dump" in result.detail["reason"]
        assert not (settings.data_dir / "backups").exists()
    else:
        assert result.outcome == "ok"


def test_backup_can_be_turned_off(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, backup_keep=0)
    result = backup_store(settings, datetime(2026, 11, 20, 2, tzinfo=SHANGHAI))
    assert result.outcome == "skipped"
    assert not (tmp_path / "backups").exists()


def test_pasted_urls_are_collected_at_once(db: Database, settings: Settings) -> None:
    with build_site() as site:
        paths = list(ARTICLES)
        report = collect_urls(db, settings, [site.url(path) for path in paths])
    assert report.articles_new == len(paths)
    with db.session() as session:
        assert session.scalars(select(Source)).first() is None  # no source needed


def test_the_draft_of_a_day_is_made_once(db: Database, settings: Settings) -> None:
    first = make_draft(db, settings, "daily", date(2026, 2, 14), notify=None)
    second = make_draft(db, settings, "daily", date(2026, 2, 14), notify=None)
    assert first.detail["created"] is True and second.detail["created"] is False
    assert first.detail["issue"] == second.detail["issue"]
    with db.session() as session:
        assert len(list(session.scalars(select(Issue)))) == 1


def test_an_unknown_publication_fails_clearly(db: Database, settings: Settings) -> None:
    from jianbao.errors import JianbaoError

    with pytest.raises(JianbaoError):
        make_draft(db, settings, "quarterly", date(2026, 2, 14), notify=None)


def test_mondays_daily_covers_the_weekend(db: Database, settings: Settings) -> None:
    with db.session() as session:
        for k, day in enumerate((20, 21, 22)):  # Friday evening, Saturday, Sunday
            session.add(
                Article(
                    url=f"https://news.example/{k}.html",
                    canonical_url=f"https://news.example/{k}.html",
                    content_hash=f"{k:064d}",
                    title=f"东川省医院第{k + 1}批上线电子健康卡",
                    body="东川省推进电子健康卡应用。",
                    source_name="东川日报",
                    published_at=datetime(2026, 11, day, 20, 0, tzinfo=SHANGHAI),
                    relevant=True,
                    summary="东川省推进电子健康卡应用。",
                )
            )
    result = make_draft(db, settings, "daily", date(2026, 11, 23), notify=None)
    assert result.detail["items"] == 3
    with db.session() as session:
        issue = session.get(Issue, result.detail["issue"])
        assert issue is not None
        assert (issue.period_start, issue.period_end) == (date(2026, 11, 20), date(2026, 11, 23))


def test_an_unknown_editor_channel_is_kept_on_the_run_and_passed_to_the_admins(
    tmp_path: Path,
) -> None:
    """The roster names a channel no configuration has (send_notice's NotConfigured): the
    reminder's failure is returned as data, never raised (review finding 2)."""
    from jianbao.errors import NotConfigured
    from jianbao.jobs.work import Editor, _tell_editor

    said: list[tuple[str, str, str]] = []

    def notify(channel: str, title: str, text: str, url: str) -> None:
        if channel == "王五群":
            raise NotConfigured("没有这个频道", item="channels.王五群")
        said.append((channel, title, text))

    settings = make_settings(tmp_path, admin_channel="管理员群")
    detail = _tell_editor(
        settings, notify, Editor("王五", "王五群"), "日报草稿待审", "请审阅", "http://x/issues/1"
    )
    assert detail["editor_told"] is False and detail["admins_told"] is True
    assert "没有这个频道" in detail["editor_note"]
    [(channel, title, text)] = said
    assert channel == "管理员群" and title == "值班编辑 王五 未收到通知"
    assert "请转告 王五：日报草稿待审——请审阅" in text
    english = make_settings(tmp_path, admin_channel="管理员群", language="en")
    _tell_editor(english, notify, Editor("王五", "王五群"), "t", "x", "")
    assert said[-1][1] == "Duty editor 王五 was not reached"


def test_the_run_note_names_the_parts_another_process_is_sending() -> None:
    report = DeliveryReport(
        issue_id=1,
        channels=[
            ChannelReport(channel="处室群", total=3, sent=1, in_flight=[2], waiting=1),
            ChannelReport(channel="领导邮箱", total=1, sent=1),
        ],
    )
    assert delivery_summary(report) == "处室群 1/3（第 2 部分正由另一进程发送），领导邮箱 1/1"
    assert delivery_summary(report, "en") == (
        "处室群 1/3 (part 2 being sent by another process), 领导邮箱 1/1"
    )
