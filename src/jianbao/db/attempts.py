"""Fetch attempts: closing those a killed cycle left running, and keeping the table to a
few months (review finding 10).

Each collection cycle adds a row per visited source: 300 sources polled hourly make about
2.6 million rows a year, 1,000 sources 8.7 million, and nothing deleted them. What reads
old rows:

- the adaptive poll interval: a source's last ``RECENT_VISITS`` finished visits
  (jianbao.db.store.source_is_due);
- source health: whether a source without articles ever found an article link
  (jianbao.sources.source_health, "抓取成功，但从未找到文章链接");
- a maintainer asking when a source began to fail.

So attempts older than ``fetch_attempts_keep_days`` (90 by default) are deleted, except
each source's last ``KEEP_PER_SOURCE`` (a source disabled for months gets its poll
interval back when enabled again) and its newest visit that found a link (health still
knows it found some). An enabled source is visited at least daily
(jianbao.collect.schedule.MAX_INTERVAL), so its whole window is kept.

When: after a collection cycle, by whatever runs cycles (``jianbao run``, ``jianbao
collect``, a Celery worker's ``collect_sources``), with no schedule of its own. A cycle
looks for an attempt a day past the retention (a read at the start of the
``started_at`` index), so the table is pruned about once a day, a day's rows at a time.
One pass deletes at most ``PRUNE_MAX_ROWS``, in transactions of ``PRUNE_BATCH``: the
first pass on a store that grew for years goes in steps over the next cycles, without
stalling one of them or holding SQLite's write lock for long. SQLite reuses the freed
pages; the file does not shrink (VACUUM would copy the whole store).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Update,
    and_,
    delete,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from jianbao.db.models import FetchAttempt
from jianbao.db.store import RECENT_VISITS

#: each source's newest attempts kept whatever their age (at least the poll interval's)
KEEP_PER_SOURCE = 2 * RECENT_VISITS
#: an attempt this far past the retention starts a pruning pass: about one a day
PRUNE_SLACK = timedelta(days=1)
#: attempts deleted per transaction
PRUNE_BATCH = 2000
#: attempts deleted per pass at most (the rest in the next cycles)
PRUNE_MAX_ROWS = 50_000

#: the condition of the partial index ix_fetch_attempts_running, with the constant
#: written out, not bound: pg8000 prepares a statement once per connection, and a
#: PostgreSQL plan made generic for it cannot prove ``outcome = $1`` implies the index's
#: condition (SQLite 3.40 re-prepares for the bound value, but need not)
IS_RUNNING = FetchAttempt.outcome == literal_column("'running'")


def close_interrupted_statement(now: datetime, note: str) -> Update:
    """The UPDATE that closes every attempt left ``running`` as ``interrupted`` with
    ``note``; it reads the partial index of running attempts, not the table."""
    return (
        update(FetchAttempt)
        .where(IS_RUNNING)
        .values(outcome="interrupted", finished_at=now, error=note)
        .execution_options(synchronize_session=False)
    )


def _prunable(cutoff: datetime) -> ColumnElement[bool]:
    """Attempts started before ``cutoff`` that nothing needs (see the module's doc).

    Per candidate, two reads at the end of its source's ``(source_id, id)`` index entries:
    its source's ``KEEP_PER_SOURCE``-th newest attempt (none when the source has fewer,
    and then nothing of it goes) and, for a visit that found links, its source's newest
    such visit."""
    other = aliased(FetchAttempt)
    last_kept = (
        select(other.id)
        .where(other.source_id == FetchAttempt.source_id)
        .order_by(other.id.desc())
        .offset(KEEP_PER_SOURCE - 1)
        .limit(1)
        .scalar_subquery()
    )
    kept_with_links = newest_with_links(FetchAttempt.source_id, "id")
    return and_(
        FetchAttempt.started_at < cutoff,
        FetchAttempt.outcome != literal_column("'running'"),
        or_(
            FetchAttempt.source_id.is_(None),  # its source was deleted
            and_(
                FetchAttempt.id < last_kept,
                or_(FetchAttempt.links_found == 0, FetchAttempt.id != kept_with_links),
            ),
        ),
    )


def newest_with_links(
    source_id: ColumnElement[Any] | InstrumentedAttribute[Any],
    column: Literal["id", "links_found"],
) -> ScalarSelect[int]:
    """``column`` of the newest visit of the source ``source_id`` names that found an
    article link: the visit pruning always keeps, and the one source health reads to say
    whether a source ever found links — one query for both, so the two cannot drift."""
    other = aliased(FetchAttempt)
    return (
        select(getattr(other, column))
        .where(other.source_id == source_id, other.links_found > 0)
        .order_by(other.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def prune_attempts(
    sessions: Callable[[], AbstractContextManager[Session]], now: datetime, keep: timedelta
) -> int:
    """Delete the attempts older than ``keep`` that nothing needs, when one is a day past
    it; how many (at most ``PRUNE_MAX_ROWS``). ``sessions`` opens a transaction
    (``Database.session``): each batch is one, so readers and the cycles' writers wait for
    a batch, not for the whole pass."""
    cutoff = now - keep
    with sessions() as session:
        due = session.scalar(
            select(FetchAttempt.id)
            .where(_prunable(cutoff - PRUNE_SLACK))
            .order_by(FetchAttempt.started_at)
            .limit(1)
        )
    if due is None:
        return 0
    deleted = 0
    after: datetime | None = None
    while deleted < PRUNE_MAX_ROWS:
        with sessions() as session:
            query = select(FetchAttempt.id, FetchAttempt.started_at).where(_prunable(cutoff))
            if after is not None:
                # from where the last batch ended, so the attempts kept before it are not
                # judged again; one range of the index (a condition on the id as well,
                # for ties, made SQLite judge the whole range and sort it: 4 s for 6,000
                # rows of 300,000)
                query = query.where(FetchAttempt.started_at >= after)
            rows = session.execute(
                query.order_by(FetchAttempt.started_at, FetchAttempt.id).limit(
                    min(PRUNE_BATCH, PRUNE_MAX_ROWS - deleted)
                )
            ).all()
            if not rows:
                break
            gone = session.execute(
                delete(FetchAttempt)
                .where(FetchAttempt.id.in_([attempt_id for attempt_id, _at in rows]))
                .execution_options(synchronize_session=False)
            )
        # counted as deleted here, not as found: another process pruning at the same
        # time (Celery workers each end their cycle so) may have taken some
        deleted += int(getattr(gone, "rowcount", 0) or 0)
        after = rows[-1][1]
    return deleted
