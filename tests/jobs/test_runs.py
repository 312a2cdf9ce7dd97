"""The record of job runs: a planned job is recorded once, its end written, problems listed,
and the admins told of failures — or the log says why they could not be."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.jobs.runs import (
    RunKey,
    claim_run,
    finish_run,
    get_run,
    notify_admins,
    recent_runs,
    runs_between,
    update_detail,
)

AT = datetime(2026, 2, 14, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


def test_a_planned_job_is_claimed_once(db: Database) -> None:
    key = RunKey("send", "daily", AT)
    first = claim_run(db, key, now=AT, holder="a")
    assert first is not None
    assert claim_run(db, key, now=AT + timedelta(seconds=30), holder="b") is None
    # another publication at the same time is another job
    assert claim_run(db, RunKey("send", "weekly", AT), now=AT, holder="a") is not None
    finish_run(db, first, "ok", now=AT + timedelta(seconds=5), detail={"issue": 7})
    run = get_run(db, first)
    assert run is not None
    assert (run.outcome, run.holder, run.detail) == ("ok", "a", {"issue": 7})
    assert run.finished_at == AT + timedelta(seconds=5)


def test_progress_is_merged_into_the_detail(db: Database) -> None:
    run_id = claim_run(db, RunKey("collect", "", AT), now=AT, holder="web:editor")
    assert run_id is not None
    update_detail(db, run_id, {"sources_done": 1})
    update_detail(db, run_id, {"sources_done": 2, "articles": 5})
    finish_run(db, run_id, "ok", now=AT, detail={"summary": "done"})
    run = get_run(db, run_id)
    assert run is not None
    assert run.detail == {"sources_done": 2, "articles": 5, "summary": "done"}


def test_problems_are_listed_newest_first(db: Database) -> None:
    outcomes = ["ok", "failed", "missed", "late", "skipped"]
    for minutes, outcome in enumerate(outcomes):
        at = AT + timedelta(minutes=minutes)
        run_id = claim_run(db, RunKey("collect", "", at), now=at, holder="a")
        assert run_id is not None
        finish_run(db, run_id, outcome, now=at)
    with db.session() as session:
        problems = [run.outcome for run in recent_runs(session, problems_only=True)]
        window = runs_between(session, AT + timedelta(minutes=1), AT + timedelta(minutes=3))
    assert problems == ["late", "missed", "failed"]
    assert [run.outcome for run in window] == ["failed", "missed"]


def test_an_unknown_outcome_is_refused(db: Database) -> None:
    run_id = claim_run(db, RunKey("collect", "", AT), now=AT, holder="a")
    assert run_id is not None
    with pytest.raises(ValueError):
        finish_run(db, run_id, "fine", now=AT)


def test_admins_are_told_on_their_channel(settings: Settings) -> None:
    told: list[tuple[str, str, str, str]] = []
    configured = settings.model_copy(update={"admin_channel": "管理员群"})
    assert notify_admins(configured, lambda *args: told.append(args), "采集失败", "原因")
    assert told == [("管理员群", "采集失败", "原因", "")]


def test_without_an_admin_channel_the_log_says_so(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="jianbao.jobs"):
        assert notify_admins(settings, lambda *args: None, "采集失败", "原因") is False
    assert "admin_channel" in caplog.text and "采集失败" in caplog.text


def test_a_failing_admin_channel_does_not_raise(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*_args: str) -> None:
        raise RuntimeError("机器人拒收")

    configured = settings.model_copy(update={"admin_channel": "管理员群"})
    with caplog.at_level(logging.ERROR, logger="jianbao.jobs"):
        assert notify_admins(configured, refuse, "备份失败", "磁盘满") is False
    assert "机器人拒收" in caplog.text
