"""A correction opened before the send time does not make the day look unpublished.

The editor published the daily at 07:40 and opened a correction (a newer draft revision)
at 07:55. At 08:00 the published revision goes out on time; the duty editor is not told
that the day is 未发送：待发布, and the run is not ``late``. Real loopback WeCom robots, a
real roster, both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from deliver.fakes import FakeWeCom
from deliver.published import published_daily
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.models import Issue, JobRun
from jianbao.db.session import Database
from jianbao.editions.issue_store import revise_issue
from jianbao.jobs.roster import PersonRow, import_roster
from jianbao.jobs.work import notice_sender
from jobs.conftest import MakeRunner, shanghai


@pytest.fixture
def robots() -> Iterator[tuple[FakeWeCom, FakeWeCom]]:
    with FakeWeCom(key="group-key-01") as group, FakeWeCom(key="editor-key-02") as editor:
        yield group, editor


def test_a_correction_opened_before_the_send_time_leaves_the_published_issue_to_go_out(
    db: Database,
    settings: Settings,
    robots: tuple[FakeWeCom, FakeWeCom],
    tmp_path: Path,
    make_runner: MakeRunner,
) -> None:
    group, editor = robots
    path = tmp_path / "publications.toml"
    path.write_text(
        '[publications.daily]\ntitle = "每日学习播报"\nkind = "daily"\n'
        'channels = ["处室群"]\nformats = ["md"]\ndraft_at = "07:00"\nsend_at = "08:00"\n',
        encoding="utf-8",
    )
    settings = settings.model_copy(
        update={
            "publications_file": path,
            "channels": {
                "处室群": ChannelConfig(kind="wecom", url=group.url),
                "张三": ChannelConfig(kind="wecom", url=editor.url),
            },
        }
    )
    with db.session() as session:
        import_roster(
            session, [PersonRow(name="张三", channel="张三")], unit="week", start=date(2026, 11, 16)
        )
    issue_id = published_daily(db, settings, 3)  # 2026-11-20, published
    with db.session() as session:
        correction = revise_issue(session, session.get_one(Issue, issue_id)).id
    runner, _clock = make_runner(
        shanghai(2026, 11, 20, 7, 59, 30),
        shanghai(2026, 11, 20, 8, 0, 5),
        notify=notice_sender(db, settings),
        settings_=settings,
    )
    runner.tick()
    with db.session() as session:
        [run] = session.scalars(select(JobRun).where(JobRun.job == "send"))
        outcome, detail = run.outcome, dict(run.detail)
        assert session.get_one(Issue, correction).status == "draft"  # still the editor's
    assert outcome == "ok" and detail["issue"] == issue_id
    assert len(group.accepted) == 1 and "更正" not in json.dumps(group.accepted, ensure_ascii=False)
    assert editor.accepted == []  # no false 未发送：待发布
