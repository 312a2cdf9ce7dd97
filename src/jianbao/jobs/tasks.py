"""The Celery tasks: thin wrappers around the job functions ``jianbao run`` calls.

Each task is idempotent, because ``acks_late`` delivers a task again when its worker died
before finishing it:

- ``collect_sources`` collects a batch of sources through
  :class:`jianbao.pipeline.Pipeline`, as a cycle does (many hosts at once on one event
  loop: fetching waits on the network, so a process keeps many requests in flight); an
  article stored by an earlier attempt is known by its canonical URL or content and
  skipped, and every article is stored under the store's article lock
  (:func:`jianbao.db.store.lock_article_writes`), so two workers never store it twice;
- ``collect_due`` sends the due sources as batches of whole hosts (all sources of a host
  in one batch, so one process mostly has a host to itself);
- ``run_job`` runs one planned job the beat claimed (its row in ``job_runs``) exactly as
  the embedded runner does — a run already finished is not run again;
- ``deliver_issue`` sends a published issue (the delivery log keeps a part once sent from
  being sent again), rate-limited; ``send_late`` sends a late issue the editor published
  within the grace period and records it on its ``late`` run, as ``jianbao run``'s tick
  does; ``ingest_urls`` stores pasted article URLs;
- ``check_alerts`` is the alert pass the beat sends at every tick (one pass at a time
  across the workers; an alert is recorded once per story and level).

Every worker process fetches through one per-host gate in Redis
(:mod:`jianbao.jobs.politeness`): together they keep each host's delay and concurrency.

The settings come from the app (``app.jianbao_settings``); each worker process opens its
own connection to the store on first use, after Celery forked it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.editions.issue_store import publication_configs
from jianbao.editions.publication import Publication
from jianbao.jobs import work
from jianbao.jobs.due import PlannedJob
from jianbao.jobs.politeness import RedisHostGate
from jianbao.jobs.runner import Runner
from jianbao.jobs.runs import get_run
from jianbao.jobs.work import JobResult
from jianbao.learning import current_model_files
from jianbao.pipeline import CycleReport, Pipeline
from jianbao.stories import event_window

log = logging.getLogger("jianbao.jobs")

COLLECT_SOURCES = "jianbao.collect_sources"
COLLECT_DUE = "jianbao.collect_due"
RUN_JOB = "jianbao.run_job"
DELIVER_ISSUE = "jianbao.deliver_issue"
SEND_LATE = "jianbao.send_late"
INGEST_URLS = "jianbao.ingest_urls"
CHECK_ALERTS = "jianbao.check_alerts"

#: the queue (kind of work) of each task
TASK_QUEUES = {
    COLLECT_SOURCES: "fetch",
    INGEST_URLS: "fetch",
    COLLECT_DUE: "schedule",
    RUN_JOB: "schedule",
    DELIVER_ISSUE: "deliver",
    SEND_LATE: "deliver",
    # an alert is a delivery that must leave within a minute: the deliver queue is kept
    # short (a send job, a publication's parts), never behind a retraining or a backup
    CHECK_ALERTS: "deliver",
}

#: an alert pass not started within this many seconds is dropped: the beat has sent the
#: next one by then (it sends one every tick, as ``jianbao run`` runs one)
ALERTS_EXPIRE = 60.0

#: the queue of each planned job run through ``run_job``
JOB_QUEUES = {
    "collect": "schedule",
    "backup": "schedule",
    "calendar_check": "schedule",
    "retrain": "cpu",
    "draft": "deliver",
    "send": "deliver",
}


class WorkerStore:
    """The store and the pipeline of one worker process, opened on first use (after the
    fork: a connection must never be shared between processes)."""

    def __init__(self, settings: Settings):
        # Celery's processes are the parallelism: the pipeline judges in-process (a prefork
        # child is no place to start a pool of its own)
        self.settings = settings.model_copy(update={"pipeline_workers": 1})
        self._pid = 0
        self._db: Database | None = None
        self._pipeline: Pipeline | None = None

    def db(self) -> Database:
        if self._db is None or self._pid != os.getpid():
            self._db = Database.from_settings(self.settings)
            self._pid = os.getpid()
            self._pipeline = None
        return self._db

    def pipeline(self) -> Pipeline:
        """The process's pipeline, kept between tasks so its story index is built once and
        then caught up with what other workers stored; built again after a retraining."""
        db = self.db()
        if self._pipeline is None or self._pipeline.models != current_model_files(self.settings):
            self._pipeline = Pipeline(self.settings, db)
            # every worker process together keeps each host's delay and concurrency
            self._pipeline.host_gate = RedisHostGate.from_settings(self.settings)
        return self._pipeline

    def run(self, work: Callable[[Pipeline], Awaitable[CycleReport]]) -> CycleReport:
        """``work(pipeline)`` on an event loop of its own (one per task), the shared gate's
        Redis connections closed with the loop."""
        pipeline = self.pipeline()

        async def run() -> CycleReport:
            try:
                return await work(pipeline)
            finally:
                if isinstance(pipeline.host_gate, RedisHostGate):
                    await pipeline.host_gate.aclose()

        return asyncio.run(run())


class TaskRunner(Runner):
    """Runs one planned job as the embedded runner does (the same calls, the same record
    of how it ended and the same admin notices), except that a collection sends one task
    per due source instead of collecting them all in this process."""

    def __init__(self, db: Database, settings: Settings, app: Any):
        super().__init__(db, settings)
        self.app = app

    def execute(self, job: PlannedJob, run_id: int, publications: dict[str, Publication]) -> str:
        return self._execute(job, run_id, publications)

    def _call(
        self, job: PlannedJob, publications: dict[str, Publication], run_id: int | None = None
    ) -> JobResult:
        if job.job == "collect":
            names = send_due_sources(self.app, self.db, self.settings)
            return JobResult("ok", {"sources_sent": len(names)})
        return super()._call(job, publications, run_id)


def send_task(
    app: Any, settings: Settings, name: str, *args: Any, expires: float | None = None
) -> Any:
    """Send task ``name`` to its queue (dropped unstarted after ``expires`` seconds, when
    given); the AsyncResult."""
    from jianbao.jobs.celery_app import queue_name

    return app.send_task(
        name, args=list(args), queue=queue_name(settings, TASK_QUEUES[name]), expires=expires
    )


#: sources per ``collect_sources`` task: enough to keep a process's requests in flight,
#: few enough that a task ends well within the broker's visibility timeout
COLLECT_BATCH = 50


def host_batches(sources: list[tuple[str, str]], size: int = COLLECT_BATCH) -> list[list[str]]:
    """(name, url) of sources → batches of names, each holding whole hosts (a host with
    more than ``size`` sources fills batches of its own), in the order given."""
    from urllib.parse import urlsplit

    by_host: dict[str, list[str]] = {}
    for name, url in sources:
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(name)
    batches: list[list[str]] = []
    current: list[str] = []
    for names in by_host.values():
        if current and len(current) + len(names) > size:
            batches.append(current)
            current = []
        for start in range(0, len(names), size):
            chunk = names[start : start + size]
            if len(chunk) == size:
                batches.append(chunk)
            else:
                current.extend(chunk)
    if current:
        batches.append(current)
    return batches


def send_due_sources(
    app: Any, db: Database, settings: Settings, *, only_due: bool = True, batch: int = COLLECT_BATCH
) -> list[str]:
    """``collect_sources`` tasks for the enabled sources (with ``only_due``, those whose
    poll interval has passed), in batches of whole hosts; the names sent."""
    from jianbao.db import store

    now = datetime.now(UTC)
    with db.session() as session:
        due = [
            (row.name, row.url)
            for row in store.list_sources(session, enabled_only=True)
            if not only_due or store.source_is_due(session, row, now)
        ]
    for names in host_batches(due, batch):
        send_task(app, settings, COLLECT_SOURCES, names, only_due)
    return [name for name, _url in due]


def send_job(app: Any, settings: Settings, job: PlannedJob, run_id: int) -> Any:
    """Hand a claimed planned job to the workers (``run_job`` on the job's queue)."""
    from jianbao.jobs.celery_app import queue_name

    args = [
        job.job,
        job.publication or "",
        job.at.isoformat(),
        job.issue_date.isoformat() if job.issue_date else "",
        job.reason,
        run_id,
    ]
    return app.send_task(
        RUN_JOB, args=args, queue=queue_name(settings, JOB_QUEUES.get(job.job, "schedule"))
    )


# -- locks ------------------------------------------------------------------------------


class TaskLock:
    """One holder at a time across the workers, in Redis (``<prefix>:<what>``). The lock's
    value is the task's id, so the same task delivered again after its worker died takes
    the lock over at once instead of waiting for it to expire."""

    def __init__(self, settings: Settings, what: str, task_id: str, ttl: float | None = None):
        import redis

        self.client = redis.Redis.from_url(settings.broker_url)
        self.key = f"{settings.broker_queue_prefix}:{what}"
        self.token = task_id.encode()
        self.ttl = int(ttl if ttl is not None else settings.broker_visibility_timeout + 60)

    def acquire(self) -> bool:
        if self.client.set(self.key, self.token, nx=True, ex=self.ttl):
            return True
        if self.client.get(self.key) == self.token:
            self.client.expire(self.key, self.ttl)
            return True
        return False

    def release(self) -> None:
        if self.client.get(self.key) == self.token:
            self.client.delete(self.key)
        self.client.close()

    @contextlib.contextmanager
    def kept(self) -> Iterator[None]:
        """Renew the lock every third of its time to live while the block runs: a short
        time to live then frees it soon after its worker dies, however long a live
        holder takes."""
        done = threading.Event()

        def renew() -> None:
            while not done.wait(self.ttl / 3):
                with contextlib.suppress(Exception):  # the next renewal tries again
                    self.client.expire(self.key, self.ttl)

        keeper = threading.Thread(target=renew, daemon=True, name=f"lock:{self.key}")
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()


class SourceLock(TaskLock):
    """One collection of a source at a time across the workers."""

    def __init__(self, settings: Settings, name: str, task_id: str):
        super().__init__(settings, f"collecting:{name}", task_id)
        self.name = name


#: the alert pass's lock lives this long unless renewed (it is, while the pass runs): a
#: worker that died mid-pass holds up the next pass at most this long
ALERTS_LOCK_SECONDS = 30


# -- the tasks ---------------------------------------------------------------------------


def register(app: Any, settings: Settings) -> None:
    """Define jianbao's tasks on ``app`` and route each to its queue.

    Each task is ``shared=False``: by default Celery also registers an ``app.task`` in
    every app created later in the process, and the first registration of a name wins, so
    a second app (tests, a CLI command making its own) would run the first one's tasks on
    the first one's settings and store."""
    from jianbao.jobs.celery_app import queue_name

    app.conf.task_routes = {
        name: {"queue": queue_name(settings, kind)} for name, kind in TASK_QUEUES.items()
    }
    worker = WorkerStore(settings)

    @app.task(name=COLLECT_SOURCES, bind=True, shared=False)
    def collect_sources(self: Any, names: list[str], only_due: bool = False) -> dict[str, Any]:
        """Collect a batch of sources in one cycle; a source another worker is collecting
        now, or that is no longer due, is left out."""
        from jianbao.db import store
        from jianbao.errors import NotFound

        db = worker.db()
        now = datetime.now(UTC)
        wanted: list[str] = []
        with db.session() as session:
            for name in names:
                try:
                    row = store.get_source(session, name)
                except NotFound:  # deleted since the task was sent
                    continue
                if row.enabled and (not only_due or store.source_is_due(session, row, now)):
                    wanted.append(name)
        locks = [SourceLock(worker.settings, name, self.request.id or name) for name in wanted]
        held = [lock for lock in locks if lock.acquire()]
        try:
            if not held:
                return {"sources": 0, "skipped": names}
            report = worker.run(lambda pipeline: pipeline.run_cycle([lock.name for lock in held]))
        finally:
            for lock in held:
                lock.release()
        log.info("采集 %s 个来源：%s", len(held), report.summary(worker.settings.language))
        # with the CPU seconds per stage (benchmarks/scale.py sums them over the tasks) and
        # how often this process's event window was read again or caught up with others'
        # articles (so far: the benchmark keeps each process's last)
        events = event_window(worker.db())  # the window the task's pipeline used
        window = {
            "pid": os.getpid(),
            "reloads": events.reloads,
            "catch_ups": events.catch_ups,
            "made_locked": events.made_locked,
        }
        return {
            **work.cycle_detail(report, worker.settings.language),
            "cpu": report.cpu.seconds,
            "lock": report.cpu.walls,
            "window": window,
        }

    @app.task(name=INGEST_URLS, shared=False)
    def ingest_urls(urls: list[str]) -> dict[str, Any]:
        """Store pasted article URLs (those stored already are known and skipped)."""
        report = worker.run(lambda pipeline: pipeline.ingest_urls(urls))
        return work.cycle_detail(report, worker.settings.language)

    @app.task(name=COLLECT_DUE, shared=False)
    def collect_due() -> list[str]:
        """Send one collection task per due source; their names."""
        return send_due_sources(app, worker.db(), worker.settings)

    @app.task(name=RUN_JOB, shared=False)
    def run_job(
        job: str, publication: str, planned_at: str, issue_date: str, reason: str, run_id: int
    ) -> str:
        """Run a planned job the beat claimed; one already finished is not run again."""
        db = worker.db()
        run = get_run(db, run_id)
        if run is None or run.outcome != "running":
            return run.outcome if run is not None else "gone"
        planned = PlannedJob(
            job=job,
            publication=publication or None,
            at=datetime.fromisoformat(planned_at),
            reason=reason,
            runs=True,
            issue_date=date.fromisoformat(issue_date) if issue_date else None,
        )
        runner = TaskRunner(db, worker.settings, app)
        try:
            return runner.execute(planned, run_id, publication_configs(worker.settings))
        finally:
            runner.close()

    @app.task(name=CHECK_ALERTS, bind=True, shared=False)
    def check_alerts(self: Any) -> dict[str, Any]:
        """The alert pass of a beat tick (as ``jianbao run`` runs one every tick): judge
        the new articles, fire, send what is due. One pass at a time across the workers:
        one that finds another running leaves the work to it (the next tick comes soon)."""
        from jianbao.alerts.job import check_alerts as alert_pass

        lock = TaskLock(
            worker.settings, "alerts", self.request.id or "alerts", ttl=ALERTS_LOCK_SECONDS
        )
        if not lock.acquire():
            lock.client.close()
            return {"skipped": "另一个预警检查正在进行"}
        try:
            with lock.kept():
                report = alert_pass(worker.db(), worker.settings, datetime.now(UTC))
        finally:
            lock.release()
        if report.sent or report.failed:
            log.info("预警：新触发 %s 条，发出 %s 条", len(report.fired), len(report.sent))
        return {
            "judged": report.judged,
            "fired": report.fired,
            "sent": report.sent,
            "failed": {str(key): value for key, value in report.failed.items()},
            # alert → channels whose send was interrupted in flight: not sent again by
            # itself (jianbao alerts resend, or 重发 on the 预警 page, after a look)
            "unconfirmed": {str(key): value for key, value in report.unconfirmed.items()},
        }

    @app.task(name=SEND_LATE, rate_limit=settings.deliver_rate_limit, shared=False)
    def send_late(run_id: int, issue_id: int) -> str:
        """Send the late issue the beat found published, and record it on the run (the
        beat marked it ``late_queued_at``, so no later tick hands it over again); a run
        sent already (a redelivered task) is not sent again."""
        from jianbao.jobs.runner import LateSend
        from jianbao.jobs.runner import send_late as send_it

        db = worker.db()
        run = get_run(db, run_id)
        if run is None or run.outcome != "late" or (run.detail or {}).get("sent"):
            return run.outcome if run is not None else "gone"
        # the planned time and the grace: a send not accepted for now is tried again
        pub = publication_configs(worker.settings).get(run.publication)
        late = LateSend(
            run_id,
            run.publication,
            issue_id,
            dict(run.detail or {}),
            run.planned_at if pub is not None else None,
            pub.send_grace_minutes if pub is not None else 0,
        )
        notify = work.notice_sender(db, worker.settings)
        return send_it(db, worker.settings, notify, late, datetime.now(UTC))

    @app.task(name=DELIVER_ISSUE, rate_limit=settings.deliver_rate_limit, shared=False)
    def deliver_issue(issue_id: int) -> dict[str, Any]:
        """Send a published issue; parts sent before are not sent again."""
        result = work.deliver_issue(worker.db(), worker.settings, issue_id)
        return {"outcome": result.outcome, "error": result.error, **result.detail}
