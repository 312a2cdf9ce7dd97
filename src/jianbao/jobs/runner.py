"""The embedded runner: the schedule of ``jianbao run``, one lease-holding process at a time.

Each tick asks :func:`jianbao.jobs.due.due_between` what fell due since the previous tick
(kept on the lease row, so a restart after downtime catches up from where the schedule
stopped) and acts on it:

- a job is claimed in ``job_runs`` before it starts (the unique key: a second tick or a
  second process never repeats it), then finished as ok, failed, skipped, missed or late;
- collection and retraining run in turn on one background thread, so a long cycle never
  delays an 08:00 send; a cycle still running when the next falls due — this runner's, or
  the workstation's 立即采集 — is recorded as skipped, and a scheduled cycle writes its
  progress on its run as 立即采集 does;
- when it takes the lease, runs a gone process left ``running`` are recorded as
  interrupted (:mod:`jianbao.jobs.orphans`), and when it stops, this process's 立即采集
  cycles stop with it;
- a draft is made for today only: a draft of an earlier day (the service was down all
  that day) is recorded as missed, as is a send whose grace period has passed — and the
  admins are told; nothing is sent silently at noon;
- a send that found the issue unpublished is ``late``: at each later tick within the
  grace period the day's issue is looked up again (by its date, so one made or made
  anew after the send time counts) and sent once the editor publishes it;
- a send the platforms did not accept for now (a rate limit, a request that never left)
  is ``late`` too, with ``retry_at``: later ticks send again after a growing wait until
  the grace is over, then it fails for good (:mod:`jianbao.jobs.send_retry`); the admins
  are told when it first fails, when it went through and when it is given up;
- a failure notifies the admins' channel (``admin_channel``), and the log keeps it all;
  a whole tick that fails (a store away, a bug) is told once per distinct error, and
  again each hour it lasts, not at every tick;
- the publications file and the holiday file (``calendar_file``) are read at each tick,
  so an edit takes effect without a restart; one that no longer reads (a typo, saved as
  GBK) is told to the admins and the tick goes on with the last version that read — a
  bad 调休 date must not stop collection, sends and backups. Each file is read once a
  tick and its last good version kept on disk (:mod:`jianbao.jobs.schedule_files`), so
  a runner started again while the file is broken still has it.
  :func:`schedule_problems` says the same to ``jianbao beat --check``.

The clock is injected (tests drive ticks with a fake one, no sleeps); the lease is
renewed by a :class:`~jianbao.jobs.lease.LeaseKeeper` beside the ticks while the loop
runs. A standby process ticks without the lease and does nothing until it gets it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jianbao.config import Settings
from jianbao.db.models import JobRun, SchedulerLease
from jianbao.db.session import Database
from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.issue_store import calendar_override, publication_configs
from jianbao.editions.publication import Publication
from jianbao.errors import STAGE_NAMES, ConfigError, JianbaoError
from jianbao.installation import schedule_zone
from jianbao.jobs import work
from jianbao.jobs.backup import backup_store
from jianbao.jobs.channel_check import channel_problems
from jianbao.jobs.due import PlannedJob, due_between, planned_jobs
from jianbao.jobs.lease import SCHEDULER, Clock, Lease, LeaseKeeper, utc_now
from jianbao.jobs.messages import say
from jianbao.jobs.orphans import close_orphaned_runs, running_collection
from jianbao.jobs.runs import NoticeFn, RunKey, claim_run, finish_run, notify_admins
from jianbao.jobs.schedule_files import (
    CALENDAR,
    PUBLICATIONS,
    GoodVersion,
    ScheduleFile,
    keep_copy,
    kept_copy_path,
    kept_version,
    read_schedule_file,
)
from jianbao.jobs.send_retry import clock_time, retry_or_fail, waiting_retry
from jianbao.jobs.work import JobResult, Stopped

log = logging.getLogger("jianbao.jobs")

#: the longest downtime caught up at start: older planned jobs are not looked at
CATCH_UP_LIMIT = timedelta(days=7)

#: jobs that run on the background thread, in turn
BACKGROUND = ("collect", "retrain")

#: a problem told to the admins is told again after this long if it lasts (once a tick,
#: every 20–30 s, would bury the channel)
TELL_AGAIN_AFTER = timedelta(hours=1)

#: a held lease whose last completed tick is older than this: the schedule is stuck
STALE_TICK = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Acted:
    """What a tick did with one planned job (for the log and the tests)."""

    job: str
    publication: str
    planned_at: datetime
    outcome: str
    run_id: int | None


class Runner:
    """Runs the schedule of one store; ``tick`` once per interval while holding the lease."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        lease: Lease | None = None,
        notify: NoticeFn | None = None,
        stop: threading.Event | None = None,
    ):
        self.db = db
        self.settings = settings
        self.clock = clock
        self.lease = lease or Lease(db, seconds=settings.scheduler_lease_seconds, clock=clock)
        self.notify = notify if notify is not None else work.notice_sender(db, settings)
        self.stop = stop or threading.Event()
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        #: the background job submitted last (the thread runs them in order)
        self._busy: Future[str] | None = None
        #: the collection cycle in hand, if any
        self._collecting: Future[str] | None = None
        #: whether the runs left running by gone processes were closed since the lease
        #: was taken
        self._swept = False
        #: the settings as configured; ``settings`` is what the jobs get (the same, or a
        #: copy naming the last good version of a schedule file that no longer reads)
        self.configured = settings
        #: publications / calendar → the version last read without error (its copy kept
        #: on disk too, for a runner started again while the file is broken)
        self._last_good: dict[str, GoodVersion] = {}
        #: setting → the copy of its file's last good version, while the file is broken
        self._kept_files: dict[str, Path | None] = {}
        #: problem source (tick, publications, calendar) → the text told and when
        self._told: dict[str, tuple[str, datetime]] = {}

    # -- the loop ------------------------------------------------------------------------

    def run(self, *, interval: float = 30.0, keeper: LeaseKeeper | None = None) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set; then let the background
        job finish the article in hand and give the lease up for a standby."""
        keeper = keeper or LeaseKeeper(self.lease)
        keeper.start()
        self.log_plan()
        self.check_channels()
        waiting_logged = False
        try:
            while not self.stop.is_set():
                if keeper.held.is_set() or keeper.renew():
                    waiting_logged = False
                    self.tick_safely()
                elif not waiting_logged:
                    current = self.lease.current()
                    log.info(
                        "待命：调度由 %s 负责，其停止后接管", current.holder if current else "?"
                    )
                    waiting_logged = True
                self.stop.wait(interval)
        finally:
            work.stop_manual_collections()  # 立即采集's cycles of this process too
            self.close()
            keeper.stop(release=True)

    def log_plan(self, days: int = 1) -> None:
        """Say at start what the schedule will do (as scrapy logs its enabled parts): the
        collection rhythm and the publication jobs of the next ``days``."""
        now = self.clock()
        log.info(
            "采集：每 %s 分钟一轮（%s）；备份 %s（保留 %s 份）",
            self.settings.collect_every_minutes,
            self.settings.collect_hours,
            self.settings.backup_at,
            self.settings.backup_keep,
        )
        try:
            publications = read_publications(self.settings)
            planned = planned_jobs(
                now,
                now + timedelta(days=days),
                publications=publications,
                override=calendar_override(self.settings),
                settings=self.settings,
            )
        except Exception as exc:  # a bad publications file: said here, and at each tick
            log.error("读不出日程：%s", exc)
            return
        for job in planned:
            if job.job in ("draft", "send"):
                log.info(
                    "日程：%s %s %s%s（%s）",
                    _local(job.at, self.settings),
                    publications[job.publication or ""].title,
                    _JOB_NAMES[job.job],
                    "" if job.runs else " 不执行",
                    job.reason,
                )

    def check_channels(self) -> list[str]:
        """Say at start every channel name the schedule would send to that is not
        configured or is switched off (:mod:`jianbao.jobs.channel_check`): in the log, as
        errors, and to the admins — else a typo shows only when the 08:00 send fails.
        Never raises; the problems found."""
        try:
            publications = read_publications(self.settings)
        except Exception:  # said by log_plan, and at each tick
            publications = {}
        try:
            with self.db.session() as session:
                problems = channel_problems(self.settings, publications, session)
        except Exception:
            log.exception("无法检查频道配置")
            return []
        for problem in problems:
            log.error("频道配置：%s", problem)
        if problems:
            notify_admins(
                self.settings,
                self.notify,
                say(self.settings, "channel.problems.title", count=len(problems)),
                "\n".join(problems),
            )
        return problems

    def close(self) -> None:
        """Wait for the background job (a collection gives up at its next await)."""
        self.stop.set()
        self._background.shutdown(wait=True)

    def wait_idle(self, timeout: float | None = None) -> None:
        """Block until the background job in hand is done (tests, and stopping)."""
        busy = self._busy
        if busy is not None:
            busy.result(timeout)

    # -- one tick ------------------------------------------------------------------------

    def tick_safely(self) -> list[Acted]:
        """One tick that never raises: a failure is logged, told to the admins once per
        distinct error (and again each :data:`TELL_AGAIN_AFTER` it lasts), and the next
        tick tries again."""
        try:
            acted = self.tick()
        except JianbaoError as exc:  # a store away, a file that never read
            log.error("调度出错，下一轮重试：%s", exc)
            self._tell_once("tick", say(self.settings, "tick.failed.title"), str(exc))
            return []
        except Exception as exc:  # a bug: the traceback, and the next tick tries again
            log.exception("调度出错，下一轮重试")
            self._tell_once(
                "tick", say(self.settings, "tick.failed.title"), f"{type(exc).__name__}: {exc}"
            )
            return []
        self._resolved("tick")
        return acted

    def _tell_once(self, source: str, title: str, text: str) -> None:
        """Tell the admins of a problem unless this very text was told within the hour."""
        now = self.clock()
        told = self._told.get(source)
        if told is not None and told[0] == text and now - told[1] < TELL_AGAIN_AFTER:
            return
        self._told[source] = (text, now)
        notify_admins(self.settings, self.notify, title, text)

    def _resolved(self, source: str) -> None:
        """A problem told earlier is gone: logged, and a recurrence is told afresh."""
        if self._told.pop(source, None) is not None:
            log.info("已恢复：%s", say(self.settings, f"tick.source.{source}"))

    def _schedule_inputs(self) -> tuple[dict[str, Publication], CalendarOverride | None]:
        """The publications and the holiday override for this tick: read anew (an edit
        takes effect at the next tick); a file that no longer reads falls back to the
        version last read, with the admins told. With nothing read before, a holiday
        file is done without (the calendar library's data, told) and a publications
        file's error stands (the tick fails, and is told)."""
        publications = self._read_or_keep(PUBLICATIONS)
        override = self._read_or_keep(CALENDAR)
        # the jobs (a draft's period and 调休 heading, the duty editor) read the files
        # themselves: while one falls back they are handed a copy of the version kept
        self.settings = (
            self.configured.model_copy(update=self._kept_files)
            if self._kept_files
            else self.configured
        )
        return publications, override

    def _read_or_keep(self, file: ScheduleFile) -> Any:
        """One schedule file read anew (once: its bytes are parsed and kept), or its
        last good version kept (see above) — in this process's memory or, after a
        restart, on disk."""
        path: Path | None = getattr(self.configured, file.setting)
        try:
            value, data = read_schedule_file(self.configured, file)
        except ConfigError as exc:
            if path is None:
                raise
            return self._keep_going(file, path, exc)
        if path is not None and data is not None:
            self._good(file, path, value, data)
        self._kept_files.pop(file.setting, None)
        self._resolved(file.source)
        return value

    def _good(self, file: ScheduleFile, path: Path, value: Any, data: bytes) -> None:
        """A version that read: kept in memory, and written whole on disk when it is new
        to this process (a copy the data folder refused is tried again when needed)."""
        known = self._last_good.get(file.source)
        if known is not None and known.data == data:  # the same text as the last tick
            return
        version = GoodVersion(value, data, kept_copy_path(self.configured, file, path))
        keep_copy(version)
        self._last_good[file.source] = version

    def _keep_going(self, file: ScheduleFile, path: Path, exc: ConfigError) -> Any:
        """A file that does not read: its last good version, the admins told; with none,
        the calendar library's holidays (told) or, for the publications, the error."""
        version = self._last_good.get(file.source) or kept_version(self.configured, file, path)
        if version is None:
            if file is not CALENDAR:  # no publications to go on with: the tick fails
                raise exc
            # never read: the calendar library's own data (it knows the years the
            # State Council has published), so collection, sends and backups go on
            self._tell_once(
                file.source,
                say(self.configured, "tick.library_calendar.title", file=path),
                say(self.configured, "tick.stale_file.text", error=exc),
            )
            self._kept_files[file.setting] = None
            return None
        self._tell_once(
            file.source,
            say(self.configured, "tick.stale_file.title", file=path),
            say(self.configured, "tick.stale_file.text", error=exc),
        )
        if not version.copy.is_file():  # the data folder refused it when it read
            keep_copy(version)
        self._last_good[file.source] = version
        self._kept_files[file.setting] = version.copy
        return version.value

    def tick(self) -> list[Acted]:
        """Act on what fell due since the previous tick; nothing without the lease."""
        now = self.clock()
        if not self.lease.acquire():
            self._swept = False  # a standby: sweep again when it takes the lease over
            return []
        if not self._swept:
            self._close_orphaned(now)
            self._swept = True
        last = self.lease.last_tick()
        if last is None:  # the first start on this store: the latest collection slot
            last = now - timedelta(minutes=self.settings.collect_every_minutes)
        last = max(last, now - CATCH_UP_LIMIT)
        publications, override = self._schedule_inputs()
        planned = due_between(
            last, now, publications=publications, override=override, settings=self.settings
        )
        acted: list[Acted] = []
        for job in planned:
            if self.stop.is_set():
                return acted  # the tick is not marked: the rest is looked at again
            acted.append(self._act(job, now, publications))
        self._follow_up_late(now, publications)
        self._alerts(now)
        self.lease.mark_tick(now)
        return acted

    def _close_orphaned(self, now: datetime) -> None:
        """Record as interrupted the runs a gone process left ``running`` (a SIGKILL, a
        restart mid-cycle): else they show as running for good, and a collection would
        count as busy. A publication job among them is told to the admins (a send may
        have reached part of its channels). Never raises: the tick goes on."""
        try:
            closed = close_orphaned_runs(
                self.db,
                work.liveness(self.db, now, lease_holder=self.lease.holder),
                reason=lambda run: say(self.settings, "run.interrupted", holder=run.holder),
                which=self._sweeps,
            )
        except Exception:
            log.exception("无法检查中断的任务")
            return
        told = [
            f"{_local(at, self.settings)} {key} {_JOB_NAMES.get(job, job)}"
            for job, key, at in closed
            if job not in BACKGROUND
        ]
        if told:
            notify_admins(
                self.settings,
                self.notify,
                say(self.settings, "run.interrupted.title"),
                say(self.settings, "run.interrupted.text", runs="；".join(told)),
            )

    def _sweeps(self, run: JobRun) -> bool:
        """Which running rows the runner may close: all (its jobs run in this process or
        a gone scheduler's)."""
        return True

    def _alerts(self, now: datetime) -> None:
        """The alert pass of every tick (jianbao.alerts.job): articles stored since the
        previous tick are judged, alerted on and told within a minute; never raises."""
        from jianbao.alerts.job import check_alerts

        try:
            check_alerts(self.db, self.settings, now, stop=self.stop.is_set)
        except Exception:  # an alert must not stop the schedule: logged, tried next tick
            log.exception("预警检查失败")

    def _act(self, job: PlannedJob, now: datetime, publications: dict[str, Publication]) -> Acted:
        key = RunKey(job.job, job.publication or "", job.at)
        today = now.astimezone(schedule_zone(self.settings)).date()
        if job.missed or (job.job == "draft" and job.issue_date != today):
            return self._missed(job, key, now)
        if job.job == "collect" and self._collecting is not None and not self._collecting.done():
            run_id = claim_run(self.db, key, now=now, holder=self.lease.holder, outcome="skipped")
            if run_id is not None:
                finish_run(self.db, run_id, "skipped", now=now, error="上一轮仍在进行")
            return Acted(job.job, key.publication, job.at, "skipped", run_id)
        run_id = claim_run(self.db, key, now=now, holder=self.lease.holder)
        if run_id is None:  # already recorded by an earlier tick or another process
            return Acted(job.job, key.publication, job.at, "done", None)
        if job.job == "collect" and self._collection_busy(run_id, now):
            error = say(self.settings, "collect.busy")
            finish_run(self.db, run_id, "skipped", now=now, error=error)
            return Acted(job.job, key.publication, job.at, "skipped", run_id)
        log.info("开始：%s %s（%s）", job.job, key.publication, job.reason)
        if job.job in BACKGROUND:
            self._busy = self._background.submit(self._execute, job, run_id, publications)
            if job.job == "collect":
                self._collecting = self._busy
            return Acted(job.job, key.publication, job.at, "running", run_id)
        outcome = self._execute(job, run_id, publications)
        return Acted(job.job, key.publication, job.at, outcome, run_id)

    def _collection_busy(self, run_id: int, now: datetime) -> bool:
        """Whether another collection cycle (立即采集's, claimed before ``run_id``) still
        runs: two cycles side by side would each keep their own per-host gates and visit
        every host twice at once."""
        seen = work.liveness(self.db, now, lease_holder=self.lease.holder)
        return running_collection(self.db, seen, before=run_id) is not None

    def _missed(self, job: PlannedJob, key: RunKey, now: datetime) -> Acted:
        reason = job.reason if job.missed else "停机错过了当天的草稿时间，不再补做"
        run_id = claim_run(self.db, key, now=now, holder=self.lease.holder, outcome="missed")
        if run_id is not None:
            finish_run(self.db, run_id, "missed", now=now, error=reason)
            title = work.publication_title_of(self.db, key.publication)
            notify_admins(
                self.settings,
                self.notify,
                f"{title}错过{_JOB_NAMES.get(job.job, job.job)}",
                f"{_local(job.at, self.settings)} 计划的任务未执行：{reason}",
            )
        return Acted(job.job, key.publication, job.at, "missed", run_id)

    def _execute(self, job: PlannedJob, run_id: int, publications: dict[str, Publication]) -> str:
        """Run one claimed job and record how it ended; never raises."""
        try:
            result = self._call(job, publications, run_id)
        except Stopped as exc:
            result = JobResult("skipped", error=exc.message)
        except Exception as exc:  # recorded and told; the schedule goes on
            log.exception("任务失败：%s %s", job.job, job.publication or "")
            result = JobResult("failed", error=str(exc))
        if job.job == "send" and job.publication in publications:
            # the platforms did not take it for now: later ticks try again (send_retry)
            result = retry_or_fail(
                self.settings,
                result,
                planned_at=job.at,
                now=self.clock(),
                grace_minutes=publications[job.publication].send_grace_minutes,
            )
            if job.issue_date is not None and waiting_retry(result.detail):
                result.detail.setdefault("issue_date", job.issue_date.isoformat())
        try:
            finish_run(
                self.db,
                run_id,
                result.outcome,
                now=self.clock(),
                error=result.error,
                detail=result.detail,
            )
        except Exception:  # the store went away mid-job: the log keeps what happened
            log.exception(
                "无法记录任务结果：%s %s → %s", job.job, job.publication or "", result.outcome
            )
        log.info(
            "结束：%s %s → %s %s",
            job.job,
            job.publication or "",
            result.outcome,
            result.error or "",
        )
        if result.outcome == "failed":
            try:
                title = work.publication_title_of(self.db, job.publication or "")
            except Exception:  # the store is away: the key will do
                title = job.publication or ""
            notify_admins(
                self.settings,
                self.notify,
                f"{title}{_JOB_NAMES.get(job.job, job.job)}失败",
                f"{_local(job.at, self.settings)} 的任务失败：{result.error}",
            )
        elif waiting_retry(result.detail) is not None:
            _tell_retrying(
                self.db, self.settings, self.notify, job.publication or "", job.at, result
            )
        return result.outcome

    def _call(
        self, job: PlannedJob, publications: dict[str, Publication], run_id: int | None = None
    ) -> JobResult:
        if job.job == "collect":
            return work.collect_cycle(
                self.db, self.settings, stop=self.stop, progress=_log_collection, run_id=run_id
            )
        if job.job == "retrain":
            return work.retrain_models(self.db, self.settings)
        if job.job == "backup":
            return backup_store(self.settings, self.clock())
        if job.job == "calendar_check":
            told = notify_admins(self.settings, self.notify, "节假日数据即将用完", job.reason)
            return JobResult("ok", {"warning": job.reason, "admins_told": told})
        assert job.publication is not None and job.issue_date is not None
        if job.job == "draft":
            return work.make_draft(
                self.db, self.settings, job.publication, job.issue_date, notify=self.notify
            )
        if job.job == "send":
            return work.send_publication(
                self.db,
                self.settings,
                job.publication,
                job.issue_date,
                notify=self.notify,
                auto_send=publications[job.publication].auto_send,
            )
        raise ValueError(f"unknown job {job.job!r}")

    def _follow_up_late(self, now: datetime, publications: dict[str, Publication]) -> None:
        """Send a late issue once the editor has published it, while within the grace; a
        send waiting for a retry is sent again when its time comes, or given up (and
        told) when the grace ended before it could be."""
        give_up_retries(self.db, self.settings, self.notify, now, publications)
        for late in late_sends(self.db, self.settings, now, publications):
            self._send_late(late, now)

    def _send_late(self, late: LateSend, now: datetime) -> None:
        """Send it here (the embedded runner sends its 08:00 issues itself too)."""
        send_late(self.db, self.settings, self.notify, late, now)


def read_publications(settings: Settings) -> dict[str, Publication]:
    """:func:`publication_configs`, with a publications file not in UTF-8 said plainly."""
    try:
        return publication_configs(settings)
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"刊物配置文件不是 UTF-8 编码（not UTF-8: byte {exc.start}）",
            item=str(settings.publications_file),
            hint="用 UTF-8 另存该文件 (save the file as UTF-8)",
        ) from exc


def schedule_problems(db: Database, settings: Settings, now: datetime) -> list[str]:
    """What keeps the schedule from running as configured, for a health check: the
    publications or holiday file does not read (the runner goes on with the version it
    read last, or does nothing if it never read one), a channel named by a publication,
    ``admin_channel``, ``alert_channels`` or the roster is not configured or is switched
    off, or the lease holder has not finished a tick for :data:`STALE_TICK` (its ticks
    fail: the log and the admins' channel say why). Empty when all is well."""
    problems: list[str] = []
    publications: dict[str, Publication] = {}
    for read in (read_publications, calendar_override):
        try:
            value = read(settings)
        except ConfigError as exc:  # (beat --check says 配置： once, before them all)
            problems.append(str(exc).removeprefix(f"{STAGE_NAMES[exc.stage]}："))
        else:
            if isinstance(value, dict):  # the publications (their channels checked below)
                publications = value
    with db.session() as session:
        problems += channel_problems(settings, publications, session)
        lease = session.get(SchedulerLease, SCHEDULER)
        if lease is not None and lease.expires_at > now:
            since = lease.ticked_at or lease.acquired_at
            if now - since > STALE_TICK:
                problems.append(
                    say(
                        settings,
                        "tick.stale",
                        holder=lease.holder,
                        since=_local(since, settings),
                    )
                )
    return problems


@dataclass(frozen=True, slots=True)
class LateSend:
    """A ``late`` send run whose issue the editor has published since (or that waits for
    a retry whose time has come): what to send."""

    run_id: int
    publication: str
    issue_id: int
    detail: dict[str, Any]
    #: the send's planned time and its publication's grace: a send the platforms did not
    #: accept for now is tried again within it (None: not tried again)
    planned_at: datetime | None = None
    grace_minutes: int = 0


def late_sends(
    db: Database, settings: Settings, now: datetime, publications: dict[str, Publication]
) -> list[LateSend]:
    """The late sends within their publication's grace whose issue is published now.

    The issue is looked up by its day at each call (``issue_date`` in the run's detail,
    else the send time's date), not by the id seen at the send time: an issue made by hand
    after a failed draft, or deleted and made again, is the one the editor publishes. A run
    already sent, handed to a worker (``late_queued_at``), or waiting for a retry whose
    time (``retry_at``) has not come, is left alone."""
    grace = max((p.send_grace_minutes for p in publications.values()), default=0)
    horizon = now - timedelta(minutes=grace)
    with db.session() as session:
        late = list(
            session.scalars(
                select(JobRun).where(
                    JobRun.job == "send",
                    JobRun.outcome == "late",
                    JobRun.planned_at >= horizon,
                )
            )
        )
        waiting = [
            (run.id, run.publication, run.planned_at, dict(run.detail or {}))
            for run in late
            if not (run.detail or {}).get("sent") and not (run.detail or {}).get("late_queued_at")
        ]
    found: list[LateSend] = []
    for run_id, key, planned_at, detail in waiting:
        pub = publications.get(key)
        if pub is None or now - planned_at > timedelta(minutes=pub.send_grace_minutes):
            continue
        retry_at = waiting_retry(detail)
        if retry_at is not None and now < retry_at:
            continue
        day = detail.get("issue_date") or planned_at.astimezone(schedule_zone(settings)).date()
        issue_id = work.published_issue_of_day(
            db, key, day if isinstance(day, date) else date.fromisoformat(day)
        )
        if issue_id is not None:
            found.append(
                LateSend(run_id, key, issue_id, detail, planned_at, pub.send_grace_minutes)
            )
    return found


def give_up_retries(
    db: Database,
    settings: Settings,
    notify: NoticeFn | None,
    now: datetime,
    publications: dict[str, Publication],
) -> list[int]:
    """Fail for good the sends still waiting for a retry when their grace is over (the
    runner was down, or the day's published issue went away): the admins told; their
    ids. One handed to a worker is left to it (it records how the retry ended)."""
    grace = max((p.send_grace_minutes for p in publications.values()), default=0)
    with db.session() as session:
        late = session.scalars(
            select(JobRun).where(
                JobRun.job == "send",
                JobRun.outcome == "late",
                JobRun.planned_at >= now - CATCH_UP_LIMIT - timedelta(minutes=grace),
            )
        )
        overdue = [
            (run.id, run.publication, run.planned_at, run.error or "", dict(run.detail or {}))
            for run in late
            if waiting_retry(run.detail or {}) is not None
            and not (run.detail or {}).get("late_queued_at")
            and run.publication in publications
            and now - run.planned_at
            > timedelta(minutes=publications[run.publication].send_grace_minutes)
        ]
    for run_id, key, planned_at, error, detail in overdue:
        until = planned_at + timedelta(minutes=publications[key].send_grace_minutes)
        note = say(
            settings,
            "send.gave_up.note",
            error=detail.get("failure") or error,
            tries=int(detail.get("tries") or 1),
            until=clock_time(settings, until),
        )
        finish_run(db, run_id, "failed", now=now, error=note, detail={"retry_at": None})
        _tell_gave_up(db, settings, notify, key, planned_at, note)
    return [run_id for run_id, *_ in overdue]


def _tell_retrying(
    db: Database,
    settings: Settings,
    notify: NoticeFn | None,
    key: str,
    planned_at: datetime,
    result: JobResult,
) -> None:
    """The admins told, once, that a send will be tried again (not at every retry)."""
    until = datetime.fromisoformat(str(result.detail.get("retry_until")))
    notify_admins(
        settings,
        notify,
        say(settings, "send.retrying.title", title=work.publication_title_of(db, key)),
        say(
            settings,
            "send.retrying.text",
            at=_local(planned_at, settings),
            error=result.error,
            until=_local(until, settings),
        ),
    )


def _tell_gave_up(
    db: Database,
    settings: Settings,
    notify: NoticeFn | None,
    key: str,
    planned_at: datetime,
    error: str,
) -> None:
    notify_admins(
        settings,
        notify,
        say(settings, "send.gave_up.title", title=work.publication_title_of(db, key)),
        say(settings, "send.gave_up.text", at=_local(planned_at, settings), error=error),
    )


def send_late(
    db: Database, settings: Settings, notify: NoticeFn | None, late: LateSend, now: datetime
) -> str:
    """Send a late issue and record it on its run (still ``late``, or ``failed`` with the
    admins told); the outcome. Called by the runner's tick, and by a worker's
    ``send_late`` task in a scale-out deployment."""
    try:
        result = work.deliver_issue(db, settings, late.issue_id)
    except Exception as exc:
        log.exception("补发失败：%s", late.publication)
        result = JobResult("failed", error=str(exc))
    retrying = waiting_retry(late.detail) is not None
    if late.planned_at is not None:  # not accepted for now: tried again within the grace
        result = retry_or_fail(
            settings,
            result,
            planned_at=late.planned_at,
            now=now,
            grace_minutes=late.grace_minutes,
            before=late.detail,
        )
    detail = {**late.detail, **result.detail, "sent_late_at": now.isoformat()}
    outcome = "failed" if result.outcome == "failed" else "late"
    finish_run(db, late.run_id, outcome, now=now, error=result.error, detail=detail)
    title = work.publication_title_of(db, late.publication)
    at = late.planned_at or now
    if outcome == "failed" and retrying:
        _tell_gave_up(db, settings, notify, late.publication, at, str(result.error))
    elif outcome == "failed":
        notify_admins(
            settings, notify, say(settings, "late.failed.title", title=title), str(result.error)
        )
    elif result.outcome == "ok" and retrying:
        notify_admins(
            settings,
            notify,
            say(settings, "send.recovered.title", title=title),
            say(
                settings,
                "send.recovered.text",
                at=_local(at, settings),
                tries=detail.get("tries"),
                delivery=detail.get("delivery", ""),
            ),
        )
    elif not retrying and waiting_retry(result.detail) is not None:
        _tell_retrying(db, settings, notify, late.publication, at, result)
    return outcome


_JOB_NAMES = {
    "collect": "采集",
    "draft": "草稿",
    "send": "发送",
    "backup": "备份",
    "retrain": "模型训练",
    "calendar_check": "节假日数据检查",
}


def _log_collection(event: str, detail: str) -> None:
    """A scheduled cycle's failures in the log as they happen (the run records them too)."""
    if event == "error":
        log.warning("采集出错：%s", detail)


def _local(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(schedule_zone(settings)).strftime("%Y-%m-%d %H:%M")
