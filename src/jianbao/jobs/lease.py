"""The scheduler lease: exactly one process fires the schedule among several sharing a store.

Every ``jianbao run`` (and each ``serve --workers`` process that runs the schedule) asks
for the lease named ``scheduler``. The row is taken or renewed by one conditional UPDATE
— *the holder is me, or the lease has expired* — and, when the row does not exist yet, by
an INSERT that the primary key lets only one process win. Both are atomic on SQLite (one
writer at a time) and on PostgreSQL (the UPDATE re-checks its condition after waiting for
a competing writer's lock), so two processes can never both believe they hold it.

The holder renews the lease well before it expires (a :class:`LeaseKeeper` thread, so a
long collection cycle does not let it lapse); a process that stops renewing — stopped,
crashed, SIGKILLed — loses it when ``expires_at`` passes, and a standby takes over at its
next try. The times come from the processes' clocks, so the machines sharing a
PostgreSQL store must keep their clocks in step (NTP); the lease's length leaves room.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from jianbao.db.models import SchedulerLease
from jianbao.db.session import Database

log = logging.getLogger("jianbao.jobs")

#: the lease that decides which process schedules
SCHEDULER = "scheduler"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def holder_id() -> str:
    """Who holds a lease, readable for an admin: host, process id and a random tail (a
    restarted process with a recycled pid is still someone else)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    """One named lease in the store, as seen by one holder."""

    def __init__(
        self,
        db: Database,
        *,
        name: str = SCHEDULER,
        holder: str | None = None,
        seconds: float = 60.0,
        clock: Clock = utc_now,
    ):
        self.db = db
        self.name = name
        self.holder = holder or holder_id()
        self.length = timedelta(seconds=seconds)
        self.clock = clock

    def acquire(self) -> bool:
        """Take the lease or renew it; True when this holder has it until now + length."""
        now = self.clock()
        expires = now + self.length
        with self.db.engine.begin() as conn:
            taken = conn.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name)
                .where((SchedulerLease.holder == self.holder) | (SchedulerLease.expires_at < now))
                .values(holder=self.holder, expires_at=expires)
            ).rowcount
            if taken == 1:
                return True
            exists = conn.execute(
                select(SchedulerLease.name).where(SchedulerLease.name == self.name)
            ).first()
        if exists is not None:
            return False
        try:
            with self.db.engine.begin() as conn:
                conn.execute(
                    insert(SchedulerLease).values(
                        name=self.name, holder=self.holder, acquired_at=now, expires_at=expires
                    )
                )
        except IntegrityError:  # another process inserted it first
            return False
        return True

    def holds(self) -> bool:
        """Whether this holder has the lease now (without renewing it)."""
        row = self.current()
        return row is not None and row.holder == self.holder and row.expires_at > self.clock()

    def current(self) -> SchedulerLease | None:
        """The lease row as stored (holder and expiry), or None before anyone took it."""
        with self.db.session() as session:
            row = session.get(SchedulerLease, self.name)
            if row is not None:
                session.expunge(row)
            return row

    def release(self) -> None:
        """Give the lease up at once (a graceful stop), so a standby need not wait."""
        with self.db.engine.begin() as conn:
            conn.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.holder)
                .values(expires_at=self.clock() - timedelta(seconds=1))
            )

    def mark_tick(self, at: datetime) -> None:
        """Record the end of a scheduling pass (where catch-up starts after downtime)."""
        with self.db.engine.begin() as conn:
            conn.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.holder)
                .values(ticked_at=at)
            )

    def last_tick(self) -> datetime | None:
        row = self.current()
        return row.ticked_at if row is not None else None

    def forget(self) -> None:
        """Remove the row (tests, and an admin resetting the schedule)."""
        with self.db.engine.begin() as conn:
            conn.execute(delete(SchedulerLease).where(SchedulerLease.name == self.name))


class LeaseKeeper(threading.Thread):
    """Renews a held lease every third of its length, beside whatever the holder is doing
    (a collection cycle may take longer than the lease). ``held`` is set while this
    process holds it; a renewal that fails clears it, and the runner stops scheduling."""

    def __init__(self, lease: Lease, *, every: float | None = None):
        super().__init__(name=f"lease-{lease.name}", daemon=True)
        self.lease = lease
        self.every = every if every is not None else lease.length.total_seconds() / 3
        self.held = threading.Event()
        self.stopping = threading.Event()
        # a renewal and the release never overlap, and none follows the release: a renewal
        # still in flight when the process stops (a store slow under load) would otherwise
        # take the lease back for its full length after it was given up
        self._turn = threading.Lock()

    def renew(self) -> bool:
        with self._turn:
            if self.stopping.is_set():
                return self.held.is_set()
            return self._renew()

    def _renew(self) -> bool:
        try:
            ok = self.lease.acquire()
        except Exception:  # a store that is briefly unreachable: not held until it answers
            log.exception("调度租约续期失败")
            ok = False
        if ok and not self.held.is_set():
            log.info("取得调度租约：%s", self.lease.holder)
        if not ok and self.held.is_set():
            log.warning("调度租约已失去：%s", self.lease.holder)
        if ok:
            self.held.set()
        else:
            self.held.clear()
        return ok

    def run(self) -> None:
        while not self.stopping.is_set():
            self.renew()
            self.stopping.wait(self.every)

    def stop(self, *, release: bool = True) -> None:
        """Stop renewing and, with ``release``, give the lease up. The release is tried
        whether or not the last renewal succeeded (one that failed on a locked store
        leaves the row still ours until it expires); it changes the row only while this
        holder has it."""
        self.stopping.set()
        with self._turn:  # waits for a renewal in flight; none starts after this
            if release:
                try:
                    self.lease.release()
                except Exception:
                    log.exception("调度租约释放失败")
            self.held.clear()
        if self.is_alive():
            self.join(timeout=5)
