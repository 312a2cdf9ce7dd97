"""CPU time per stage of a collection cycle: every article's stages are timed, and a
stage timed inside another counts once, in the inner stage."""

from __future__ import annotations

import asyncio
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
