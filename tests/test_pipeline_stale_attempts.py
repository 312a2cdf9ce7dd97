"""Fetch attempts a killed cycle left ``running`` are closed when the next starts (issue 14,
item 7).

A cycle records each source visit as a fetch attempt and finishes it when the visit ends.
A cycle killed mid-run (kill -9, a power cut, the OOM killer) never does, and its
attempts used to stay ``running`` forever. The next cycle closes them as
``interrupted`` with a note; a cycle that is alive when another starts writes its real
outcome over the mark when it finishes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.config import Settings
from jianbao.db.models import FetchAttempt
from jianbao.db.session import Database
from jianbao.db.store import add_source, get_source, source_is_due
from jianbao.pipeline import INTERRUPTED_NOTE, Pipeline
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page, build_site


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with build_site() as running:
        yield running


def attempts(db: Database) -> list[tuple[str, str | None, datetime | None]]:
    """(outcome, error, finished_at) of every attempt, oldest first."""
    with db.session() as session:
        rows = session.execute(
            sa.select(FetchAttempt.outcome, FetchAttempt.error, FetchAttempt.finished_at).order_by(
                FetchAttempt.id
            )
        ).all()
    return [(outcome, error, finished) for outcome, error, finished in rows]


def test_a_cycle_closes_the_attempts_an_earlier_cycle_left_running(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    with db.session() as session:
        source = add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml")))
        # what a cycle killed an hour ago left behind
        session.add(
            FetchAttempt(
                source_id=source.id,
                url=source.url,
                started_at=datetime.now(UTC) - timedelta(hours=1),
            )
        )
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.interrupted == 1
    (old_outcome, old_error, old_finished), (new_outcome, new_error, _) = attempts(db)
    assert old_outcome == "interrupted" and old_error == INTERRUPTED_NOTE
    assert old_finished is not None
    assert new_outcome == "ok" and new_error is None
    again = asyncio.run(Pipeline(settings, db).run_cycle())
    assert again.interrupted == 0  # nothing is closed twice


def test_an_interrupted_visit_does_not_count_as_a_quiet_one(
    db: Database, site: LoopbackSite
) -> None:
    now = datetime.now(UTC)
    with db.session() as session:
        source = add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml")))
        source.poll_minutes = 60
        source.last_checked_at = now - timedelta(minutes=70)
        session.add(FetchAttempt(source_id=source.id, url=source.url, outcome="ok", articles_new=3))
        for _ in range(5):  # visits killed cycles cut short: each "found nothing"
            session.add(FetchAttempt(source_id=source.id, url=source.url, outcome="interrupted"))
    with db.session() as session:
        # a source that published lately is due after its hour, not backed off to four
        assert source_is_due(session, get_source(session, "东川日报"), now)


def test_a_live_cycle_writes_its_outcome_over_the_mark(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    """Two cycles in flight at once (as `jianbao run` and a manual `jianbao collect` may be):
    the second closes the first's running attempt, which the first then finishes as ok."""
    slow = LoopbackSite()
    slow.routes["/rss.xml"] = Route(
        b"<rss version='2.0'><channel><title>t</title></channel></rss>",
        content_type="application/rss+xml",
        delay=0.6,
    )
    with db.session() as session:
        add_source(session, SourceSpec(name="慢站", url=slow.url("/rss.xml")))
        add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml")))

    async def both() -> tuple[int, int]:
        first = asyncio.create_task(Pipeline(settings, db).run_cycle(["慢站"]))
        while not slow.hits["/rss.xml"]:  # the first cycle is visiting its source now
            await asyncio.sleep(0.01)
        second = await Pipeline(settings, db).run_cycle(["东川日报"])
        return (await first).interrupted, second.interrupted

    with slow:
        first_closed, second_closed = asyncio.run(both())
    assert (first_closed, second_closed) == (0, 1)
    assert [outcome for outcome, _error, _finished in attempts(db)] == ["ok", "ok"]
    assert all(error is None for _outcome, error, _finished in attempts(db))


def _after(event: threading.Event, route: Route) -> Callable[[object], Route]:
    """``route``, answered once ``event`` is set (or after two minutes)."""

    def answer(_request: object) -> Route:
        event.wait(120)
        return route

    return answer


def test_a_killed_collect_leaves_no_attempt_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL a real `jianbao collect` while it visits its source, then collect again."""
    total = 12
    site = LoopbackSite()
    items = []
    # the last page answers only once the kill has landed: the visit is still under way
    # however early the others are fetched (collection fetches on while the risk
    # classifier trains, then stores what waited at once)
    killed = threading.Event()
    for i in range(total):
        path = f"/news/2026/11/16/k{i}.html"
        paragraphs = [f"第{i}篇：某市互联网医院第{i}期项目验收，接入电子病历系统。" * 3]
        page = Route(
            article_page(f"互联网医院项目{i}号验收", "2026-11-16 09:00", "某市日报", paragraphs),
            delay=0.3,
        )
        site.routes[path] = page if i < total - 1 else _after(killed, page)
        items.append(f"<item><title>t{i}</title><link>{site.base_url}{path}</link></item>")
    site.routes["/rss.xml"] = Route(
        ("<rss version='2.0'><channel><title>某市日报</title>" + "".join(items)).encode()
        + b"</channel></rss>",
        content_type="application/rss+xml",
    )
    env = {
        **os.environ,
        "JIANBAO_DATA_DIR": str(tmp_path / "data"),
        "JIANBAO_SSRF_ALLOWLIST": '["127.0.0.0/8"]',
        "JIANBAO_PER_HOST_DELAY": "0",
        "JIANBAO_PER_HOST_CONCURRENCY": "1",
        "JIANBAO_PIPELINE_WORKERS": "1",
        "JIANBAO_DATABASE_URL": "",
    }

    db_path = tmp_path / "data" / "jianbao.db"
    store = Database(f"sqlite:///{db_path}")
    with store.session() as session:
        add_source(session, SourceSpec(name="某市日报", url=site.url("/rss.xml")))
    store.close()
    with site:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "collect"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120  # the classifier trains first: slow under load
        stored = 0
        while time.monotonic() < deadline and stored < 1:
            with sqlite3.connect(db_path) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed.set()
        with sqlite3.connect(db_path) as conn:
            left = conn.execute("select outcome from fetch_attempts").fetchall()
        assert 0 < stored < total, "the kill should land mid-visit"
        assert left == [("running",)]
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(app, ["collect"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "select outcome, error, finished_at from fetch_attempts order by id"
        ).fetchall()
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    assert [outcome for outcome, _error, _finished in rows] == ["interrupted", "ok"]
    assert rows[0][1] == INTERRUPTED_NOTE and rows[0][2] is not None
    assert articles == total
