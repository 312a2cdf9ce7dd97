"""Shared fixtures of the job tests: a fake clock, and runners driven by it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.jobs.lease import Lease
from jianbao.jobs.runner import Runner
from jianbao.jobs.runs import NoticeFn
from jianbao.records import SHANGHAI

# the Celery tests' services and worker processes (real Redis, PostgreSQL, jianbao worker)
from .celery_workers import admin, prefix, redis_client, workers  # noqa: F401


class FakeClock:
    """The time the test says it is (aware, Asia/Shanghai)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> datetime:
        self.now = datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


MakeRunner = Callable[..., tuple[Runner, FakeClock]]


@pytest.fixture
def make_runner(db: Database, settings: Settings) -> Iterator[MakeRunner]:
    """``make_runner(last_tick, now, notify=…, settings=…)``: a runner whose previous tick
    was at ``last_tick`` (as if it had run until then) and whose clock says ``now``."""
    made: list[Runner] = []

    def make(
        last_tick: datetime,
        now: datetime,
        *,
        notify: NoticeFn | None = None,
        settings_: Settings | None = None,
        holder: str = "runner-a",
    ) -> tuple[Runner, FakeClock]:
        clock = FakeClock(now)
        lease = Lease(db, holder=holder, seconds=60, clock=clock)
        assert lease.acquire()
        lease.mark_tick(last_tick)
        runner = Runner(
            db,
            settings_ or settings,
            clock=clock,
            lease=lease,
            notify=notify if notify is not None else _unused,
        )
        made.append(runner)
        return runner, clock

    yield make
    for runner in made:
        runner.close()


def _unused(channel: str, title: str, text: str, url: str) -> None:
    raise AssertionError(f"no notice expected here: {channel} {title} {text}")
