"""Fetch attempts are kept for ``fetch_attempts_keep_days``, not for ever, and the reads of
every cycle go through indexes (review finding 10).

Each cycle adds a row per visited source, millions a year, and nothing deleted them;
closing the attempts a killed cycle left ``running`` read the whole table at the start
of every cycle. Now a cycle deletes the attempts past the retention (about once a day),
keeping each source's last visits (its poll interval) and its newest visit that found
links (source health); the running ones are found through a partial index. On SQLite
and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db import attempts
from jianbao.db.models import FetchAttempt
from jianbao.db.session import Database
from jianbao.db.store import add_source, get_source, source_is_due
from jianbao.pipeline import Pipeline
from jianbao.records import SourceSpec
from jianbao.sources import _links_found
from jianbao.testing import LoopbackSite, Route, make_settings

EMPTY_FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        running.routes["/rss.xml"] = Route(EMPTY_FEED, content_type="application/rss+xml")
        yield running


def visits(db: Database, source_id: int | None, days_ago: list[float], **values: Any) -> None:
    now = datetime.now(UTC)
    with db.session() as session:
        for days in sorted(days_ago, reverse=True):  # ids in time order, as cycles make them
            at = now - timedelta(days=days)
            session.add(
                FetchAttempt(
                    source_id=source_id,
                    url="https://e.example/rss",
                    started_at=at,
                    finished_at=at,
                    outcome=values.get("outcome", "ok"),
                    links_found=values.get("links_found", 0),
                    articles_new=values.get("articles_new", 0),
                )
            )


def ages(db: Database, source_id: int | None) -> list[int]:
    """The kept attempts' ages in whole days, oldest first."""
    now = datetime.now(UTC)
    with db.session() as session:
        started = session.scalars(
            sa.select(FetchAttempt.started_at)
            .where(
                FetchAttempt.source_id.is_(None)
                if source_id is None
                else FetchAttempt.source_id == source_id
            )
            .order_by(FetchAttempt.id)
        ).all()
    return [(now - at).days for at in started]


def test_a_cycle_deletes_attempts_past_the_retention_keeping_what_is_read(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    with db.session() as session:
        daily = add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"))).id
        paused = add_source(session, SourceSpec(name="停用的来源", url="https://p.example/rss"))
        paused.enabled = False
        paused_id = paused.id
        gone = add_source(session, SourceSpec(name="已删除", url="https://g.example/rss")).id
    visits(db, daily, [day + 0.5 for day in range(100)], links_found=3, articles_new=1)
    # a source disabled four months ago: its last visits found nothing, one before did
    visits(db, paused_id, [134.5], links_found=4)
    visits(db, paused_id, [133.5 - day for day in range(14)], articles_new=0)
    visits(db, gone, [95.5, 10.5])
    with db.session() as session:
        session.delete(session.get(type(paused), gone))  # its attempts stay, source_id empty
        due_before = source_is_due(session, get_source(session, "停用的来源"), datetime.now(UTC))

    report = asyncio.run(Pipeline(settings, db).run_cycle(["东川日报"]))

    # the daily source: its last 90 days and this cycle's visit
    assert ages(db, daily) == [89 - day for day in range(90)] + [0]
    # the disabled one: its last 10 visits and its newest that found links
    assert ages(db, paused_id) == [134] + [129 - day for day in range(10)]
    assert ages(db, None) == [10]
    assert report.attempts_pruned == 10 + 4 + 1
    with db.session() as session:
        # what the poll interval and source health read is what they read before
        assert source_is_due(session, get_source(session, "停用的来源"), datetime.now(UTC)) is (
            due_before
        )
        assert _links_found(session, [paused_id]) == {paused_id: 4}
    again = asyncio.run(Pipeline(settings, db).run_cycle(["东川日报"]))
    assert again.attempts_pruned == 0


def test_pruning_waits_a_day_past_the_retention_then_goes_in_steps(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(attempts, "PRUNE_BATCH", 3)
    monkeypatch.setattr(attempts, "PRUNE_MAX_ROWS", 8)
    with db.session() as session:
        busy = add_source(session, SourceSpec(name="忙", url="https://b.example/rss")).id
        few = add_source(session, SourceSpec(name="少", url="https://f.example/rss")).id
    visits(db, few, [95.0, 95.0, 95.0])  # fewer than KEEP_PER_SOURCE: all kept
    # ten at one instant (read three at a time, among kept ones), five half a day past
    visits(db, busy, [92.0] * 10 + [90.5] * 5 + [day + 0.5 for day in range(12)])
    now, keep = datetime.now(UTC), timedelta(days=90)
    # a day and a half earlier, none was a day past the retention: nothing done (a
    # cycle does not prune every few rows)
    assert attempts.prune_attempts(db.session, now - timedelta(days=1.5), keep) == 0
    # at most PRUNE_MAX_ROWS a pass, the rest in the next cycles; a pass started by
    # those a day past takes all past the retention
    assert attempts.prune_attempts(db.session, now, keep) == 8
    assert attempts.prune_attempts(db.session, now, keep) == 2 + 5
    assert attempts.prune_attempts(db.session, now, keep) == 0
    assert ages(db, busy) == list(range(11, -1, -1))
    assert ages(db, few) == [95, 95, 95]
    # fetch_attempts_keep_days = 0 keeps them all
    settings = make_settings(tmp_path, database_url=db.url, fetch_attempts_keep_days=0)
    visits(db, busy, [400.0 + day for day in range(20)])
    assert Pipeline(settings, db).prune_attempts() == 0
    assert len(ages(db, busy)) == 20 + 12


def _plan(db: Database, statement: str, parameters: Any) -> str:
    """The backend's plan for a statement as the driver ran it."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return " ".join(str(row[-1]) for row in rows)
        # a few rows: the planner would rightly read the table; ask what it could use
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
        return " ".join(str(row[0]) for row in rows)


def test_closing_running_attempts_reads_the_index_not_the_table(
    db: Database, settings: Settings
) -> None:
    with db.session() as session:
        source = add_source(session, SourceSpec(name="东川日报", url="https://e.example/rss")).id
    visits(db, source, [day / 24 for day in range(50)])
    visits(db, source, [0.01], outcome="running")
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE FETCH_ATTEMPTS"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        assert Pipeline(settings, db).close_interrupted_attempts() == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    ((statement, parameters),) = seen
    assert "ix_fetch_attempts_running" in _plan(db, statement, parameters)
