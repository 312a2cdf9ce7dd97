"""What is due when: the day's jobs as a pure function of the clock and the configuration.

A cron library knows nothing of 调休, so the schedule is computed here from the
working-day calendar, the publications and the settings, and nothing else: no store,
no clock of its own. ``planned_jobs`` lists what would happen in a window, including
the jobs that do not run and why (春节假期, 周末, 刊物已停用), for ``jianbao schedule``;
``due_between`` is what the runner asks each tick with its previous tick time, so a
long window after downtime catches up: one collection cycle instead of every missed
one, drafts made late, and a send made only within the publication's grace period,
otherwise reported as missed (never sent silently at noon).

Placement (each publication's ``draft_at``/``send_at`` on the issue's day):

- daily: every working day (调休 weekend days included, holidays excluded);
- weekly: the last working day of its Monday–Sunday week (Friday; Thursday when Friday
  is a holiday; the 调休 Saturday before a long break);
- monthly: the month's last working day.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jianbao.clock_times import parse_clock_time, parse_hours
from jianbao.config import Settings
from jianbao.editions.dates import weekday_cn
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.publication import Publication
from jianbao.errors import InputError
from jianbao.installation import schedule_zone
from jianbao.jobs.calendar import DayInfo, calendar_warning, day_info

#: the jobs, in the order they are listed when due at the same minute
JOBS = ("calendar_check", "backup", "retrain", "collect", "draft", "send")

#: when the calendar check tells the admins about missing holiday data
CALENDAR_CHECK_AT = time(9, 0)

#: the day-info lookup (a cached ``day_info``)
_InfoFn = Callable[[date], DayInfo]


@dataclass(frozen=True, slots=True)
class PlannedJob:
    """One job at one time: what, for which publication, and whether it runs and why."""

    job: str
    publication: str | None
    #: timezone-aware, in the schedule's time zone
    at: datetime
    reason: str
    runs: bool
    #: the issue's date for draft and send jobs
    issue_date: date | None = None
    #: a send whose time (and grace) passed while the service was down: report, never send
    missed: bool = False


def planned_jobs(
    start: datetime,
    end: datetime,
    *,
    publications: Mapping[str, Publication],
    override: CalendarOverride | None,
    settings: Settings,
) -> list[PlannedJob]:
    """Every job planned at ``start <= at < end``, those that do not run included."""
    zone = schedule_zone(settings)
    _require_aware(start, "start")
    _require_aware(end, "end")
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    cache: dict[date, DayInfo] = {}

    def info(d: date) -> DayInfo:
        if d not in cache:
            cache[d] = day_info(d, override)
        return cache[d]

    jobs: list[PlannedJob] = []
    day = first
    while day <= last:
        jobs.extend(_house_jobs(day, zone, settings, override))
        for pub in publications.values():
            jobs.extend(_publication_jobs(pub, day, zone, info))
        day += timedelta(days=1)
    return _in_order(j for j in jobs if start <= j.at < end)


def due_between(
    last_tick: datetime,
    now: datetime,
    *,
    publications: Mapping[str, Publication],
    override: CalendarOverride | None,
    settings: Settings,
) -> list[PlannedJob]:
    """What became due at ``last_tick < at <= now`` and should be acted on now.

    Only jobs that run are returned, except missed sends (``missed``, ``runs`` false),
    which the runner reports. Collection, backup, retraining and the calendar check are
    each made once however many times they fell due in the window.
    """
    planned = planned_jobs(
        last_tick,
        now + timedelta(microseconds=1),
        publications=publications,
        override=override,
        settings=settings,
    )
    planned = [j for j in planned if j.at > last_tick and j.runs]
    latest: dict[str, PlannedJob] = {}
    counts: dict[str, int] = {}
    result: list[PlannedJob] = []
    for job in planned:
        if job.job in ("collect", "backup", "retrain", "calendar_check"):
            latest[job.job] = job
            counts[job.job] = counts.get(job.job, 0) + 1
        elif job.job == "send":
            result.append(_send_now(job, now, publications))
        else:
            result.append(job)
    for name, job in latest.items():
        if counts[name] > 1:
            job = replace(job, reason=f"{job.reason}（停机期间错过 {counts[name]} 次，合并为一次）")
        result.append(job)
    return _in_order(result)


def _in_order(jobs: Iterable[PlannedJob]) -> list[PlannedJob]:
    """By time, then in the order of ``JOBS``, then by publication."""
    return sorted(jobs, key=lambda j: (j.at, JOBS.index(j.job), j.publication or ""))


def _send_now(
    job: PlannedJob, now: datetime, publications: Mapping[str, Publication]
) -> PlannedJob:
    pub = publications[job.publication or ""]
    late = now - job.at
    grace = timedelta(minutes=pub.send_grace_minutes)
    if late > grace:
        return replace(
            job,
            runs=False,
            missed=True,
            reason=(
                f"错过发送时间 {pub.send_at}（晚了 {_minutes(late)} 分钟，"
                f"超过宽限 {pub.send_grace_minutes} 分钟），不补发，记为错过"
            ),
        )
    if late >= timedelta(minutes=1):
        return replace(job, reason=f"{job.reason}；补发（晚 {_minutes(late)} 分钟，在宽限内）")
    return job


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"时间 {moment.isoformat()} 没有时区",
            item=name,
            hint="传入带时区的时间，如 2026-02-14T07:00:00+08:00",
        )


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone)


def _house_jobs(
    day: date, zone: ZoneInfo, settings: Settings, override: CalendarOverride | None
) -> Iterable[PlannedJob]:
    """Collection, backup, retraining and the calendar check of one day."""
    every = settings.collect_every_minutes
    begin, stop = parse_hours(settings.collect_hours)
    minute = 0
    while minute < 24 * 60:
        if begin <= minute < stop:
            clock = time(minute // 60, minute % 60)
            yield PlannedJob("collect", None, _at(day, clock, zone), f"每 {every} 分钟采集", True)
        minute += every
    yield PlannedJob(
        "backup", None, _at(day, parse_clock_time(settings.backup_at), zone), "每日备份", True
    )
    retrain = settings.retrain_after_decisions > 0
    yield PlannedJob(
        "retrain",
        None,
        _at(day, parse_clock_time(settings.retrain_at), zone),
        (
            f"新增 {settings.retrain_after_decisions} 条编辑决定后重新训练模型"
            if retrain
            else "自动重新训练已关闭（retrain_after_decisions = 0）"
        ),
        retrain,
    )
    warning = calendar_warning(day, override)
    yield PlannedJob(
        "calendar_check",
        None,
        _at(day, CALENDAR_CHECK_AT, zone),
        warning or "节假日数据齐全",
        warning is not None,
    )


def _publication_jobs(
    pub: Publication, day: date, zone: ZoneInfo, info: _InfoFn
) -> Iterable[PlannedJob]:
    """The draft and the send of ``pub`` on ``day``, if its issue falls on that day."""
    placed = _placement(pub, day, info)
    if placed is None:
        return
    runs, reason = placed
    if runs and not pub.enabled:
        runs, reason = False, "刊物已停用（enabled = false）"
    draft_at = _at(day, parse_clock_time(pub.draft_at), zone)
    send_at = _at(day, parse_clock_time(pub.send_at), zone)
    yield PlannedJob("draft", pub.key, draft_at, reason, runs, issue_date=day)
    send_reason = f"{reason}；自动发送（auto_send）" if runs and pub.auto_send else reason
    yield PlannedJob("send", pub.key, send_at, send_reason, runs, issue_date=day)


def _placement(pub: Publication, day: date, info: _InfoFn) -> tuple[bool, str] | None:
    """(runs, reason) when ``pub`` has an issue planned (or skipped) on ``day``, else None."""
    today = info(day)
    if pub.kind == "daily":
        return today.working, today.reason
    if pub.kind == "weekly":
        monday = day - timedelta(days=day.weekday())
        week = [monday + timedelta(days=i) for i in range(7)]
        return _last_working(day, week, info, "本周", friday=monday + timedelta(days=4))
    first = day.replace(day=1)
    length = calendar.monthrange(day.year, day.month)[1]
    month = [first + timedelta(days=i) for i in range(length)]
    return _last_working(day, month, info, "本月", friday=None)


def _last_working(
    day: date, period: list[date], info: _InfoFn, name: str, friday: date | None
) -> tuple[bool, str] | None:
    working = [d for d in period if info(d).working]
    issue_day = working[-1] if working else None
    if day == issue_day:
        today = info(day)
        reason = f"{name}最后一个工作日（{weekday_cn(day)}，{today.reason}）"
        if friday is not None and day != friday and not info(friday).working:
            reason += f"；周五{info(friday).reason}"
        return True, reason
    if friday is not None and day == friday:
        if issue_day is None:
            return False, f"{info(day).reason}；{name}没有工作日，不出刊"
        return False, f"{info(day).reason}；改在 {issue_day.month}月{issue_day.day}日出刊"
    return None
