"""今日: the day as ``jianbao run`` sees it — today's schedule and how each job went, the
duty editor and the week ahead, the last runs that failed, were missed or late, a banner
when the holiday data does not cover the day — and two ways to collect now: 立即采集
(one cycle over every enabled source, its progress polled by htmx from the run's
record, so any worker process can answer) and a box of pasted article URLs (WeChat
articles included) collected at once through the same pipeline as
``jianbao collect --url``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import JobRun, User
from jianbao.editions.issue_store import calendar_override, publication_configs
from jianbao.errors import InputError, NotFound
from jianbao.installation import schedule_zone
from jianbao.jobs.calendar import DayInfo, calendar_warning, day_info
from jianbao.jobs.due import PlannedJob, planned_jobs
from jianbao.jobs.roster import DutyPerson, duty_editor, week_ahead
from jianbao.jobs.runs import get_run, recent_runs, runs_between
from jianbao.jobs.work import collect_now, collect_urls
from jianbao.web.routes import database, pages, settings
from jianbao.web.security import csrf_protect, require

router = APIRouter(prefix="/today", dependencies=[Depends(csrf_protect)])
Reader = Annotated[User, Depends(require("reader"))]
Editor = Annotated[User, Depends(require("editor"))]

#: pasted URLs collected in one go at most
MAX_URLS = 20


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """A planned job of today and what became of it."""

    job: PlannedJob
    title: str
    #: the run's outcome, or pending (still to come) / not_run (its time passed unseen)
    state: str
    run: JobRun | None


@dataclass
class TodayView:
    day: date
    info: DayInfo
    #: the calendar's warning (data missing or running out), shown as a banner
    warning: str | None
    schedule: list[ScheduleRow]
    collect_every: int
    collect_hours: str
    last_collect: JobRun | None
    duty: DutyPerson | None
    week: list[tuple[date, DutyPerson | None]]
    problems: list[JobRun]
    #: publication key → title, for the runs listed
    titles: dict[str, str]


def today_view(session: Session, config: Settings, now: datetime) -> TodayView:
    """Everything the page shows, read in one session."""
    zone = schedule_zone(config)
    day = now.astimezone(zone).date()
    start = datetime.combine(day, datetime.min.time(), zone)
    end = start + timedelta(days=1)
    override = calendar_override(config)
    publications = publication_configs(config)
    planned = planned_jobs(
        start, end, publications=publications, override=override, settings=config
    )
    runs = runs_between(session, start, end)
    by_key = {(run.job, run.publication, run.planned_at): run for run in runs}
    rows = []
    for job in planned:
        if job.job == "collect":
            continue  # shown as one line: every N minutes
        run = by_key.get((job.job, job.publication or "", job.at))
        if run is not None:
            state = run.outcome
        elif not job.runs:
            state = "not_planned"
        else:
            state = "pending" if job.at > now else "not_run"
        pub = publications.get(job.publication or "")
        rows.append(ScheduleRow(job, pub.title if pub else "", state, run))
    collects = [run for run in runs if run.job == "collect"]
    info = day_info(day, override)
    warning = calendar_warning(day, override) or (None if info.known else info.reason)
    return TodayView(
        day=day,
        info=info,
        warning=warning,
        schedule=rows,
        collect_every=config.collect_every_minutes,
        collect_hours=config.collect_hours,
        last_collect=collects[-1] if collects else _latest_collect(session),
        duty=duty_editor(session, day, override),
        week=week_ahead(session, day, override),
        problems=recent_runs(session, limit=10, problems_only=True),
        titles={key: pub.title for key, pub in publications.items()},
    )


def _latest_collect(session: Session) -> JobRun | None:
    runs = [run for run in recent_runs(session, limit=50) if run.job == "collect"]
    return runs[0] if runs else None


def _now() -> datetime:
    from jianbao.records import SHANGHAI

    return datetime.now(SHANGHAI)


@router.get("", response_class=HTMLResponse)
def today_page(request: Request, user: Reader) -> HTMLResponse:
    with database(request).session() as s:
        view = today_view(s, settings(request), _now())
        return pages(request).render(request, "today.html", view=view)


@router.post("/collect", response_class=HTMLResponse)
def start_collection(request: Request, user: Editor) -> HTMLResponse:
    run_id = collect_now(database(request), settings(request), by=user.username)
    return _progress(request, run_id)


@router.get("/collect/{run_id}", response_class=HTMLResponse)
def collection_progress(request: Request, run_id: int, user: Reader) -> HTMLResponse:
    return _progress(request, run_id)


def _progress(request: Request, run_id: int) -> HTMLResponse:
    run = get_run(database(request), run_id)
    if run is None or run.job != "collect":
        raise NotFound("没有这次采集", item=str(run_id), hint="回到今日页面重新开始")
    return pages(request).render(request, "_today_collect.html", run=run)


@router.post("/urls", response_class=HTMLResponse)
def paste_urls(request: Request, user: Editor, urls: Annotated[str, Form()] = "") -> HTMLResponse:
    wanted = list(dict.fromkeys(line.strip() for line in urls.splitlines() if line.strip()))
    if not wanted:
        raise InputError("没有填写文章地址", hint="每行粘贴一个文章链接，如微信公众号文章地址")
    bad = [url for url in wanted if not url.startswith(("http://", "https://"))]
    if bad:
        raise InputError(
            "文章地址须以 http:// 或 https:// 开头", item=bad[0][:200], hint="检查粘贴的链接"
        )
    if len(wanted) > MAX_URLS:
        raise InputError(
            f"一次最多采集 {MAX_URLS} 个地址，这次有 {len(wanted)} 个", hint="分几次粘贴"
        )
    report = collect_urls(database(request), settings(request), wanted)
    return pages(request).render(
        request,
        "_today_urls.html",
        report=report,
        count=len(wanted),
        summary=report.summary(pages(request).language(request)),
    )
