"""The record of job runs: every planned job that ran, failed, was skipped, missed or late.

A planned job (job, publication, planned time) is recorded once: :func:`claim_run` inserts
its row before the work starts, and the unique key makes a second claim — a second tick,
a second process — find the row instead of running the job again. :func:`finish_run`
writes how it ended. A failed or missed job is told to the admins' channel
(:func:`notify_admins`, the ``admin_channel`` setting); when that channel is missing or
fails too, the log says so: nothing stops silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import JobRun
from jianbao.db.session import Database

log = logging.getLogger("jianbao.jobs")

#: how a run ended; ``running`` until it does
OUTCOMES = ("running", "ok", "failed", "skipped", "missed", "late")


@dataclass(frozen=True, slots=True)
class RunKey:
    """What identifies a planned job: the job, its publication ('' for none), the time."""

    job: str
    publication: str
    planned_at: datetime


def claim_run(
    db: Database, key: RunKey, *, now: datetime, holder: str, outcome: str = "running"
) -> int | None:
    """Record that ``key`` starts now (or, with another ``outcome``, that it was skipped or
    missed); the new row's id, or None when the job was already recorded."""
    run = JobRun(
        job=key.job,
        publication=key.publication,
        planned_at=key.planned_at,
        started_at=now,
        finished_at=None if outcome == "running" else now,
        outcome=outcome,
        detail={},
        holder=holder,
    )
    try:
        with db.session() as session:
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        return None


def finish_run(
    db: Database,
    run_id: int,
    outcome: str,
    *,
    now: datetime,
    error: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write how the run ended (``detail`` is merged into what was recorded so far)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with db.session() as session:
        run = session.get(JobRun, run_id)
        if run is None:
            return
        run.outcome = outcome
        run.finished_at = now
        run.error = error
        if detail:
            run.detail = {**(run.detail or {}), **detail}


def update_detail(db: Database, run_id: int, detail: dict[str, Any]) -> None:
    """Merge progress into a running job's detail (立即采集's progress is read from it)."""
    with db.session() as session:
        run = session.get(JobRun, run_id)
        if run is not None:
            run.detail = {**(run.detail or {}), **detail}


def get_run(db: Database, run_id: int) -> JobRun | None:
    with db.session() as session:
        run = session.get(JobRun, run_id)
        if run is not None:
            session.expunge(run)
        return run


def recent_runs(session: Session, *, limit: int = 20, problems_only: bool = False) -> list[JobRun]:
    """The latest runs, newest first; ``problems_only`` keeps failed, missed and late ones."""
    query = select(JobRun).order_by(JobRun.planned_at.desc(), JobRun.id.desc()).limit(limit)
    if problems_only:
        query = query.where(JobRun.outcome.in_(("failed", "missed", "late")))
    return list(session.scalars(query))


def runs_between(session: Session, start: datetime, end: datetime) -> list[JobRun]:
    """Runs planned in [start, end), in planned order."""
    return list(
        session.scalars(
            select(JobRun)
            .where(JobRun.planned_at >= start, JobRun.planned_at < end)
            .order_by(JobRun.planned_at, JobRun.id)
        )
    )


#: sends one notice to a named channel: (channel name, title, text, url) → None; raises
#: when it cannot (jianbao.jobs.work.notice_sender builds it over jianbao.deliver)
NoticeFn = Callable[[str, str, str, str], None]


def notify_admins(
    settings: Settings, send: NoticeFn | None, title: str, text: str, url: str = ""
) -> bool:
    """Tell the admins' channel; True when it was told. Never raises: a job that failed
    must not fail again while reporting, and the log keeps what could not be sent."""
    log.error("%s：%s", title, text)
    channel = settings.admin_channel
    if not channel or send is None:
        log.error("未配置管理员通知渠道（admin_channel），以上问题只记在日志里")
        return False
    try:
        send(channel, title, text, url)
    except Exception as exc:
        log.error("通知管理员渠道 %s 失败：%s", channel, exc)
        return False
    return True
