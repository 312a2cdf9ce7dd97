"""立即采集 supervised (review finding 7): runs a gone process left ``running`` are closed
(at the click, and when the runner takes the lease), the manual and the scheduled cycle
never run side by side, and stopping the service stops the manual cycle too — on the
loopback site of the pipeline tests, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from jianbao.config import Settings
from jianbao.db.models import JobRun
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.jobs.runs import RunKey, claim_run, get_run, update_detail
from jianbao.jobs.work import collect_now
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite
from jobs.conftest import MakeRunner, shanghai
from pipeline_site import build_site


def dead_pid() -> int:
    """The pid of a process that has just ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def collect_runs(db: Database) -> list[JobRun]:
    with db.session() as session:
        found = list(
            session.scalars(select(JobRun).where(JobRun.job == "collect").order_by(JobRun.id))
        )
        session.expunge_all()
        return found


def wait_finished(db: Database, run_id: int, timeout: float = 60) -> JobRun:
    deadline = time.monotonic() + timeout
    while True:
        run = get_run(db, run_id)
        assert run is not None
        if run.outcome != "running" or time.monotonic() > deadline:
            return run
        time.sleep(0.05)


@pytest.fixture
def slow_site(db: Database) -> Iterator[LoopbackSite]:
    """The feed of the pipeline tests, each article page answering after 0.3 s (the cycle
    is still running when the test acts)."""
    with build_site(delay=0.3) as site:
        with db.session() as session:
            add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))
        yield site


def test_a_manual_run_of_a_gone_process_no_longer_blocks_the_button(
    db: Database, settings: Settings
) -> None:
    started = datetime.now(UTC)
    dead = claim_run(db, RunKey("collect", "", started), now=started, holder="web:editor")
    assert dead is not None
    update_detail(db, dead, {"manual": True, "host": socket.gethostname(), "pid": dead_pid()})
    run_id = collect_now(db, settings, by="editor")  # no sources: a short cycle
    assert run_id != dead
    gone = get_run(db, dead)
    assert gone is not None and gone.outcome == "failed" and "运行中断" in (gone.error or "")
    assert wait_finished(db, run_id).outcome == "ok"


def test_the_runner_closes_runs_left_by_a_gone_scheduler_and_tells_the_admins(
    db: Database, settings: Settings, make_runner: MakeRunner
) -> None:
    told: list[tuple[str, str]] = []
    here = socket.gethostname()
    planned = shanghai(2026, 11, 20, 8, 0)
    gone = f"{here}:{dead_pid()}:a1b2c3"
    send = claim_run(db, RunKey("send", "daily", planned), now=planned, holder=gone)
    collect = claim_run(db, RunKey("collect", "", planned), now=planned, holder=gone)
    alive = f"{here}:{os.getpid()}:d4e5f6"  # this very process: alive, left alone
    other = claim_run(db, RunKey("backup", "", planned), now=planned, holder=alive)
    runner, _clock = make_runner(
        shanghai(2026, 11, 20, 10, 1),
        shanghai(2026, 11, 20, 10, 2),  # nothing due
        notify=lambda channel, title, text, url: told.append((title, text)),
        settings_=settings.model_copy(update={"admin_channel": "管理员群"}),
    )
    runner.tick()
    for run_id in (send, collect):
        assert run_id is not None
        run = get_run(db, run_id)
        assert run is not None and run.outcome == "failed" and gone in (run.error or "")
    assert other is not None and (kept := get_run(db, other)) and kept.outcome == "running"
    [(title, text)] = told  # once, for the send (a collection is only logged)
    assert "中断" in title and "2026-11-20 08:00 daily 发送" in text and "采集" not in text


def test_a_scheduled_collect_is_skipped_while_the_manual_one_runs(
    db: Database, settings: Settings, make_runner: MakeRunner, slow_site: LoopbackSite
) -> None:
    manual = collect_now(db, settings, by="editor")
    runner, _clock = make_runner(shanghai(2026, 11, 20, 9, 29), shanghai(2026, 11, 20, 9, 30, 1))
    acted = runner.tick()
    assert [(a.job, a.outcome) for a in acted] == [("collect", "skipped")]
    scheduled = [run for run in collect_runs(db) if run.id != manual]
    assert [(r.outcome, r.error) for r in scheduled] == [("skipped", "另一轮采集正在进行")]
    assert wait_finished(db, manual).outcome == "ok"


def test_the_button_shows_the_scheduled_cycle_instead_of_starting_a_second(
    db: Database, settings: Settings, make_runner: MakeRunner, slow_site: LoopbackSite
) -> None:
    runner, clock = make_runner(shanghai(2026, 11, 20, 9, 29), shanghai(2026, 11, 20, 9, 30, 1))
    [acted] = runner.tick()
    assert (acted.job, acted.outcome) == ("collect", "running") and acted.run_id is not None
    # (the click at the runner's time: the test's holder names no host and pid, so only its
    # lease, held until the fake clock's 09:31, says it is alive)
    assert collect_now(db, settings, by="editor", now=clock()) == acted.run_id
    # the page has a total once the cycle's thread has counted its due sources (its first
    # step; the click may come before it: seen in a fresh-clone CI at 1dd833c)
    deadline = time.monotonic() + 10
    progress = get_run(db, acted.run_id)
    while (progress is None or "total" not in progress.detail) and time.monotonic() < deadline:
        time.sleep(0.05)
        progress = get_run(db, acted.run_id)
    assert progress is not None and progress.detail["total"] == 1
    runner.wait_idle(timeout=60)
    assert [r.outcome for r in collect_runs(db)] == ["ok"]  # one cycle, no web row


def test_stopping_the_runner_stops_the_manual_cycle(
    db: Database, settings: Settings, make_runner: MakeRunner, slow_site: LoopbackSite
) -> None:
    manual = collect_now(db, settings, by="editor")
    runner, _clock = make_runner(shanghai(2026, 11, 20, 9, 31), shanghai(2026, 11, 20, 9, 32))
    runner.stop.set()  # SIGTERM: the loop ends at once and stops this process's cycles
    runner.run(interval=0.01)
    run = get_run(db, manual)
    assert run is not None and run.outcome == "skipped" and "中断" in (run.error or "")


def test_a_workstation_shutting_down_stops_its_manual_cycle(
    db: Database, settings: Settings, slow_site: LoopbackSite
) -> None:
    from fastapi.testclient import TestClient

    from jianbao.web.app import create_app

    with TestClient(create_app(settings, database=db)):
        manual = collect_now(db, settings, by="editor")  # as the 立即采集 button does
        assert get_run(db, manual).outcome == "running"  # type: ignore[union-attr]
    # the server's shutdown waited for the cycle to end at its next article
    run = get_run(db, manual)
    assert run is not None and run.outcome == "skipped" and "中断" in (run.error or "")
