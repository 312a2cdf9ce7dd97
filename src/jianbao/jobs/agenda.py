"""The agenda: the planned jobs of a window with what the store knows about each.

``jianbao schedule`` (and the workstation's 今日 page) show not only when a job would
run and why not (调休上班, 春节假期), but whether a send can go out: a daily is sent only
when the editor has published it, so a send whose issue is still a draft (or not made
yet) says 待编辑发布. Draft jobs name the duty editor who will be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import Issue
from jianbao.db.models import Publication as PublicationRow
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.publication import Publication
from jianbao.jobs.due import PlannedJob, planned_jobs
from jianbao.jobs.roster import duty_between

#: the jobs that run the same every day, summarised rather than listed
ROUTINE = ("collect", "backup", "retrain")


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """A planned job and its state: 待编辑发布, 已发布（第 3 期）, 值班：张三 …"""

    job: PlannedJob
    state: str = ""


def agenda(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    publications: Mapping[str, Publication],
    override: CalendarOverride | None,
    settings: Settings,
    everything: bool = False,
) -> list[AgendaEntry]:
    """The jobs planned at ``start <= at < end`` with their state. Unless ``everything``,
    the house jobs that run the same every day (collection cycles, dozens a day; backup;
    retraining) and a calendar check with nothing to say are left out."""
    jobs = planned_jobs(start, end, publications=publications, override=override, settings=settings)
    if not everything:
        jobs = [j for j in jobs if j.job not in ROUTINE and (j.runs or j.job != "calendar_check")]
    days = [j.issue_date for j in jobs if j.issue_date is not None]
    duty = dict(duty_between(session, min(days), max(days), override)) if days else {}
    issues = _issues(session, set(days))
    entries: list[AgendaEntry] = []
    for job in jobs:
        state = ""
        if job.runs and job.job == "draft" and job.issue_date is not None:
            person = duty.get(job.issue_date)
            state = f"值班：{person.name}" if person else "未排值班"
        elif job.runs and job.job == "send" and job.publication and job.issue_date:
            pub = publications[job.publication]
            issue = issues.get((job.publication, job.issue_date))
            state = _send_state(issue, pub)
        entries.append(AgendaEntry(job, state))
    return entries


def _issues(session: Session, days: set[date]) -> dict[tuple[str, date], Issue]:
    """The newest revision of each publication's issue on each of ``days``."""
    if not days:
        return {}
    rows = session.execute(
        select(PublicationRow.key, Issue)
        .join(Issue, Issue.publication_id == PublicationRow.id)
        .where(Issue.issue_date.in_(days))
        .order_by(Issue.revision)
    )
    return {(key, issue.issue_date): issue for key, issue in rows}


def _send_state(issue: Issue | None, pub: Publication) -> str:
    if issue is not None and issue.status == "published":
        return f"已发布（期编号 {issue.id}）"
    if pub.auto_send:
        return "自动检查、发布并发送"
    if issue is None:
        return "待编辑发布（草稿尚未生成）"
    return f"待编辑发布（草稿 {issue.id}）"
