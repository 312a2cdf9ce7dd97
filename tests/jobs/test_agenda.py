"""The agenda: planned jobs with the store's state (duty editor, draft or published)."""

from __future__ import annotations

from datetime import date, datetime

from jianbao.config import Settings
from jianbao.db.models import Issue
from jianbao.db.session import Database
from jianbao.editions.issue_store import ensure_publications, publication_configs
from jianbao.editions.publication import Publication
from jianbao.jobs.agenda import agenda
from jianbao.jobs.roster import PersonRow, import_roster
from jianbao.records import SHANGHAI


def test_sends_say_whether_the_editor_published(db: Database, settings: Settings) -> None:
    day = date(2026, 3, 13)  # a Friday: daily and weekly
    configs = publication_configs(settings)
    with db.session() as session:
        rows = ensure_publications(session, settings)
        for key, status in (("daily", "published"), ("weekly", "draft")):
            session.add(
                Issue(
                    publication_id=rows[key].id,
                    issue_date=day,
                    period_start=day,
                    period_end=day,
                    status=status,
                )
            )
        import_roster(session, [PersonRow("张三")], unit="day", start=day)
    with db.session() as session:
        entries = agenda(
            session,
            datetime(2026, 3, 13, tzinfo=SHANGHAI),
            datetime(2026, 3, 14, tzinfo=SHANGHAI),
            publications=configs,
            override=None,
            settings=settings,
        )
    states = {(e.job.job, e.job.publication): e.state for e in entries}
    assert states[("send", "daily")].startswith("已发布")
    assert states[("send", "weekly")].startswith("待编辑发布（草稿")
    assert states[("draft", "daily")] == "值班：张三"
    assert {e.job.job for e in entries} == {"draft", "send"}  # routine jobs summarised


def test_auto_send_publications_need_no_editor(db: Database, settings: Settings) -> None:
    pubs = {
        "daily": Publication.from_mapping(
            "daily", {"title": "每日学习播报", "kind": "daily", "auto_send": True}
        )
    }
    with db.session() as session:
        entries = agenda(
            session,
            datetime(2026, 3, 13, tzinfo=SHANGHAI),
            datetime(2026, 3, 14, tzinfo=SHANGHAI),
            publications=pubs,
            override=None,
            settings=settings,
            everything=True,
        )
    send = [e for e in entries if e.job.job == "send"]
    assert [e.state for e in send] == ["自动检查、发布并发送"]
    assert sum(e.job.job == "collect" for e in entries) == 48
    assert [e.state for e in entries if e.job.job == "draft"] == ["未排值班"]
