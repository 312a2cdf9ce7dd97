"""Runs left ``running`` by a process that is gone, and the one-collection-at-a-time rule.

A run's row says ``running`` from its claim until :func:`~jianbao.jobs.runs.finish_run`.
A process killed in between (SIGKILL, OOM, a restart, systemd's stop timeout) leaves it
so for good, and whatever reads ``running`` as "busy" is then wrong for ever: the
workstation's 立即采集 returned the dead run and showed a progress box that never moved,
and the scheduler's "is a collection already running?" would skip every cycle. So a run
counts as running only while its holder may be alive:

- a scheduler's run (holder ``host:pid:tail``, :func:`jianbao.jobs.lease.holder_id`) while
  its holder holds the scheduler lease, or while its pid is alive on this host;
- a 立即采集 run (holder ``web:<user>``, its host and pid in the detail) while that pid is
  alive on this host (in this very process: while its thread runs); from another host,
  for :data:`MANUAL_STALE` after its start, as nothing better can be known from here.

:func:`close_orphaned_runs` records the others as failed ("interrupted"); the runner calls
it when it takes the lease, and 立即采集 before it looks for a running cycle.
:func:`running_collection` is the rule both collection starters follow: the manual cycle
and the scheduled one never run side by side (each has its own fetcher and per-host
gates, so together they would double what a government site sees).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from jianbao.db.models import JobRun
from jianbao.db.session import Database
from jianbao.jobs.lease import Lease

log = logging.getLogger("jianbao.jobs")

#: the prefix of a beat's holder: its collect runs hand batches to the workers and end at
#: once, so they are no cycle for 立即采集 to wait for
BEAT_HOLDER = "beat:"

#: a manual cycle of another host still marked running after this long is taken as cut off
MANUAL_STALE = timedelta(hours=2)


def this_process() -> dict[str, object]:
    """Where a run started here runs: kept in a manual run's detail."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (signal 0 checks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Liveness:
    """What is known now about who may still be running: the scheduler lease's holder
    (None when the lease is free or lapsed) and the manual runs alive in this process."""

    now: datetime
    lease_holder: str | None
    local_manual: Collection[int] = ()
    #: a manual run is being claimed in this process right now (its id not yet known)
    claiming: bool = False

    @classmethod
    def of(
        cls,
        db: Database,
        now: datetime,
        local_manual: Collection[int] = (),
        *,
        claiming: bool = False,
        lease_holder: str | None = None,
    ) -> Liveness:
        """What is known now; the lease's holder read from the store unless given."""
        if lease_holder is None:
            current = Lease(db).current()
            if current is not None and current.expires_at > now:
                lease_holder = current.holder
        return cls(now, lease_holder, local_manual, claiming)

    def may_run(self, run: JobRun) -> bool:
        """False when the process that holds ``run`` is known to be gone."""
        if run.holder.startswith("web:"):
            return self._manual_alive(run)
        if run.holder == self.lease_holder:
            return True
        host, pid = _host_and_pid(run.holder)
        if host == socket.gethostname() and pid is not None:
            return pid_alive(pid)
        return False  # another host's scheduler that lost the lease (or an unknown holder)

    def _manual_alive(self, run: JobRun) -> bool:
        detail = run.detail or {}
        pid = detail.get("pid")
        if detail.get("host") == socket.gethostname() and isinstance(pid, int):
            if pid == os.getpid():
                return self.claiming or run.id in self.local_manual
            return pid_alive(pid)
        started = run.started_at
        return started is not None and started > self.now - MANUAL_STALE


def _host_and_pid(holder: str) -> tuple[str, int | None]:
    parts = holder.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1])
    return "", None


def close_orphaned_runs(
    db: Database,
    liveness: Liveness,
    *,
    reason: Callable[[JobRun], str],
    which: Callable[[JobRun], bool] = lambda _run: True,
) -> list[tuple[str, str, datetime]]:
    """Record as failed (with ``reason(run)``) every ``running`` run that ``which`` picks
    and whose process is gone; (job, publication, planned time) of each closed run."""
    closed: list[tuple[str, str, datetime]] = []
    with db.session() as session:
        for run in session.scalars(select(JobRun).where(JobRun.outcome == "running")):
            if not which(run) or liveness.may_run(run):
                continue
            run.outcome = "failed"
            run.finished_at = liveness.now
            run.error = reason(run)
            closed.append((run.job, run.publication, run.planned_at))
            log.warning(
                "任务 %s %s 运行中断，已记为失败（%s）", run.job, run.publication, run.holder
            )
    return closed


def running_collection(
    db: Database, liveness: Liveness, *, before: int | None = None
) -> int | None:
    """The id of a collection run (scheduled or manual) still running, if any; with
    ``before``, only one claimed earlier than run ``before``.

    A starter claims its own row first and then asks for an earlier one: of two that
    start at the same moment, the later claim sees the earlier and steps back, and the
    earlier does not look at later ones — so exactly one runs."""
    query = select(JobRun).where(JobRun.job == "collect", JobRun.outcome == "running")
    if before is not None:
        query = query.where(JobRun.id < before)
    with db.session() as session:
        for run in session.scalars(query.order_by(JobRun.id)):
            if not run.holder.startswith(BEAT_HOLDER) and liveness.may_run(run):
                return run.id
    return None
