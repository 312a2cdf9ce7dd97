"""``jianbao beat``: the schedule of a scale-out deployment, handed to the Celery workers.

Celery's own beat knows nothing of 调休 workdays, the duty roster or a publication's grace
period, and two of them would fire everything twice. This beat is the embedded runner
(:class:`jianbao.jobs.runner.Runner`) with one difference: a claimed job is sent to the
workers (``run_job`` on its queue) instead of being run here, and so are the alert pass of
every tick (``check_alerts`` on the deliver queue) and a late issue the editor published
within the grace period (``send_late`` on the deliver queue: a send waiting out a
platform's rate limit must not hold the beat's ticks, and the deliver queue's rate limit
applies to it). Everything else is shared with ``jianbao run``:

- the same due-jobs function (:func:`jianbao.jobs.due.due_between`) of the clock, the
  working-day calendar and the publications;
- the same scheduler lease in the store: among several beats (and ``jianbao run``
  processes) one holds it and ticks, the others wait as standby and take over within
  ``scheduler_lease_seconds`` when it stops or dies;
- the same run records: a planned job is claimed once (``job_runs``' unique key), so even
  two beats that both believed they held the lease could not send a job twice; the worker
  writes how it ended on that row.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from jianbao.config import Settings
from jianbao.db.models import JobRun
from jianbao.db.session import Database
from jianbao.editions.publication import Publication
from jianbao.jobs.due import PlannedJob
from jianbao.jobs.lease import Clock, Lease, holder_id, utc_now
from jianbao.jobs.orphans import BEAT_HOLDER
from jianbao.jobs.runner import LateSend, Runner
from jianbao.jobs.runs import NoticeFn, finish_run, notify_admins, update_detail
from jianbao.jobs.tasks import ALERTS_EXPIRE, CHECK_ALERTS, SEND_LATE, send_job, send_task

log = logging.getLogger("jianbao.jobs")


class Beat(Runner):
    """Ticks the schedule while holding the lease and sends each claimed job to a queue."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        app: Any,
        *,
        clock: Clock = utc_now,
        lease: Lease | None = None,
        notify: NoticeFn | None = None,
        stop: threading.Event | None = None,
    ):
        # "beat:" marks its runs as hand-offs: a collect it claimed is batches sent to
        # the workers, not a cycle 立即采集 must wait for (jianbao.jobs.orphans)
        lease = lease or Lease(
            db,
            holder=f"{BEAT_HOLDER}{holder_id()}",
            seconds=settings.scheduler_lease_seconds,
            clock=clock,
        )
        super().__init__(db, settings, clock=clock, lease=lease, notify=notify, stop=stop)
        self.app = app

    def _collection_busy(self, run_id: int, now: datetime) -> bool:
        """Never: the workers' per-source locks keep one collection of a source at a time,
        and the beat's previous collect is only waiting in the queue."""
        return False

    def _alerts(self, now: datetime) -> None:
        """The alert pass of every tick, handed to a worker (``check_alerts`` on the
        deliver queue); a broker that refuses it is logged, and the next tick sends again."""
        try:
            send_task(self.app, self.settings, CHECK_ALERTS, expires=ALERTS_EXPIRE)
        except Exception:
            log.exception("预警检查未能交给任务进程")

    def _sweeps(self, run: JobRun) -> bool:
        """Only 立即采集's rows: a scheduled job the beat claimed runs on a worker, which
        may well outlive the beat that sent it (its row is the worker's to finish)."""
        return run.holder.startswith("web:")

    def _send_late(self, late: LateSend, now: datetime) -> None:
        """Hand the late issue to a worker (``send_late``), and mark the run so the next
        ticks do not hand it over again; a broker that refuses it is logged, and the next
        tick tries again (the run is not marked)."""
        try:
            send_task(self.app, self.settings, SEND_LATE, late.run_id, late.issue_id)
        except Exception:
            log.exception("补发未能交给任务进程：%s", late.publication)
            return
        update_detail(self.db, late.run_id, {"late_queued_at": now.isoformat()})
        log.info("补发已交给任务进程：%s 第 %s 期", late.publication, late.issue_id)

    def _execute(self, job: PlannedJob, run_id: int, publications: dict[str, Publication]) -> str:
        """Send the claimed job to the workers; a broker that refuses it fails the run
        (recorded and told to the admins) instead of leaving it ``running``."""
        try:
            send_job(self.app, self.settings, job, run_id)
        except Exception as exc:
            log.exception("任务未能交给任务进程：%s %s", job.job, job.publication or "")
            finish_run(self.db, run_id, "failed", now=self.clock(), error=f"消息队列不可用：{exc}")
            notify_admins(
                self.settings,
                self.notify,
                f"{job.job} 未能交给任务进程",
                f"消息队列（broker_url）不可用：{exc}",
            )
            return "failed"
        log.info("已交给任务进程：%s %s", job.job, job.publication or "")
        return "queued"
