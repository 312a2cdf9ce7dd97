"""CPU time per stage of a collection cycle: every article's stages are timed, and a
stage timed inside another counts once, in the inner stage."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.pipeline import Pipeline
from jianbao.stage_times import STAGES, StageTimes
from jianbao.testing import LoopbackSite
from pipeline_site import build_site
from test_pipeline import add_sources


def _busy(seconds: float) -> None:
    """Spend ``seconds`` of this thread's CPU time."""
    started = time.thread_time()
    while time.thread_time() - started < seconds:
        pass


def test_a_stage_inside_another_counts_once_in_the_inner_stage() -> None:
    times = StageTimes()
    started = time.thread_time()
    with times.timing("store"):
        _busy(0.02)
        with times.timing("stories"):
            _busy(0.05)
        with times.timing("search_index"):
            _busy(0.01)
    total = time.thread_time() - started
    assert times.seconds["stories"] >= 0.05
    assert times.seconds["search_index"] >= 0.01
    # the outer stage holds only its own work, not its inner stages'
    assert 0.02 <= times.seconds["store"] < 0.045
    assert sum(times.seconds.values()) == pytest.approx(total, abs=0.005)


def test_milliseconds_per_article_follow_the_stages_order() -> None:
    times = StageTimes(articles=4)
    times.merge({"sign": 0.004, "decode": 0.002, "extract": 0.04, "custom": 0.001})
    assert list(times.per_article_ms()) == ["decode", "extract", "sign", "custom"]
    assert times.per_article_ms()["extract"] == pytest.approx(10.0)
    assert times.total_ms() == pytest.approx(11.75)


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with build_site() as running:
        yield running


def test_a_cycle_reports_the_cpu_of_every_stage(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    add_sources(db, site)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.errors == [] and report.articles_new == 3
    assert report.cpu.articles == 3
    per_article = report.cpu.per_article_ms()
    assert set(per_article) == set(STAGES)
    assert all(ms >= 0 for ms in per_article.values())
    # parsing and choosing the body is real work on every page
    assert per_article["extract"] > 0
    assert report.cpu.total_ms() == pytest.approx(sum(per_article.values()))


def test_a_cycle_reports_the_article_locks_wall_time(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    """Each stored article holds the store's article lock from its grant to its commit:
    the held time is reported beside the CPU stages (benchmarks/scale.py: how much of a
    run the lock was taken), and it covers at least the CPU of the stages inside it."""
    add_sources(db, site)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.articles_new == 3
    walls = report.cpu.walls
    assert set(walls) == {"lock_wait", "lock_held"}
    inside = sum(report.cpu.seconds[stage] for stage in ("policies", "search_index"))
    assert walls["lock_held"] > inside > 0
    assert walls["lock_wait"] >= 0


def test_waiting_for_another_writers_article_lock_is_reported(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    """A second writer holding the article lock (PostgreSQL: another worker) makes this
    one wait, and the wait is what the report says."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: no article lock is taken")
    from sqlalchemy import text

    from jianbao.db.store import ARTICLE_LOCK

    add_sources(db, site)
    holder = db.engine.connect()
    holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ARTICLE_LOCK})

    def release_once_waited_for() -> None:
        # let go 0.5 s after the cycle's first store asks for the lock (or after 20 s)
        deadline = time.monotonic() + 20
        with db.engine.connect() as watcher:
            while time.monotonic() < deadline:
                waiting = watcher.execute(
                    text(
                        # this database's only: another test's writer elsewhere on the
                        # server must not start the half second
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        " AND NOT granted AND database ="
                        " (SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                ).scalar_one()
                watcher.rollback()
                if waiting:
                    break
                time.sleep(0.02)
        time.sleep(0.5)
        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ARTICLE_LOCK})

    releaser = threading.Thread(target=release_once_waited_for)
    releaser.start()
    try:
        report = asyncio.run(Pipeline(settings, db).run_cycle())
    finally:
        releaser.join()
        holder.close()
    assert report.articles_new == 3
    # the first article waited for the holder's release
    assert report.cpu.walls["lock_wait"] >= 0.45
