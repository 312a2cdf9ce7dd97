"""The scheduler lease: one holder at a time on both backends, renewed by its holder, taken
over by a standby when the holder stops renewing — also when it is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from jianbao.db.session import Database
from jianbao.jobs.lease import Lease, LeaseKeeper


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def store(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.close()


def test_only_one_holder_until_the_lease_expires(store: Database) -> None:
    clock = FakeClock(datetime(2026, 2, 14, 7, 0, tzinfo=UTC))
    first = Lease(store, holder="a", seconds=60, clock=clock)
    second = Lease(store, holder="b", seconds=60, clock=clock)
    assert first.acquire() is True
    assert second.acquire() is False
    clock.advance(50)
    assert first.acquire() is True  # renewed: good for another 60 s from now
    clock.advance(50)
    assert second.acquire() is False
    assert first.holds() and not second.holds()
    clock.advance(61)  # the holder stopped renewing
    assert second.acquire() is True
    assert first.acquire() is False
    assert second.current() is not None and second.current().holder == "b"  # type: ignore[union-attr]


def test_a_released_lease_is_taken_at_once(store: Database) -> None:
    clock = FakeClock(datetime(2026, 2, 14, 7, 0, tzinfo=UTC))
    first = Lease(store, holder="a", seconds=600, clock=clock)
    second = Lease(store, holder="b", seconds=600, clock=clock)
    assert first.acquire()
    first.release()
    assert second.acquire() is True


def test_the_last_tick_is_kept_by_the_holder_only(store: Database) -> None:
    clock = FakeClock(datetime(2026, 2, 14, 7, 0, tzinfo=UTC))
    holder = Lease(store, holder="a", seconds=60, clock=clock)
    other = Lease(store, holder="b", seconds=60, clock=clock)
    assert holder.last_tick() is None
    holder.acquire()
    holder.mark_tick(clock.now)
    other.mark_tick(clock.now + timedelta(hours=1))  # not the holder: ignored
    assert holder.last_tick() == clock.now


def test_racing_processes_get_one_lease(store: Database) -> None:
    """Eight threads ask for a lease nobody holds yet, at once: exactly one gets it."""
    start = threading.Barrier(8)
    won: list[str] = []

    def contend(name: str) -> None:
        lease = Lease(store, holder=name, seconds=60)
        start.wait()
        if lease.acquire():
            won.append(name)

    threads = [threading.Thread(target=contend, args=(f"p{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert Lease(store, holder="x").current().holder == won[0]  # type: ignore[union-attr]


HOLDER_SCRIPT = """
import sys, time
from jianbao.db.session import Database
from jianbao.jobs.lease import Lease, LeaseKeeper
db = Database(sys.argv[1], migrate=False)
lease = Lease(db, seconds=float(sys.argv[2]))
keeper = LeaseKeeper(lease, every=0.05)
keeper.renew()
keeper.start()
was = None
while True:
    held = keeper.held.is_set()
    if held != was:
        print(("held " if held else "standby ") + lease.holder, flush=True)
        was = held
    time.sleep(0.02)
"""


def _spawn(url: str, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, url, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_a_standby_takes_over_when_the_holder_is_killed(database_url: str) -> None:
    Database(database_url).close()  # the schema, before the processes share it
    lease_seconds = 1.0
    first = _spawn(database_url, lease_seconds)
    second: subprocess.Popen[str] | None = None
    try:
        assert first.stdout is not None
        line = first.stdout.readline().split()
        assert line[0] == "held"
        first_holder = line[1]
        second = _spawn(database_url, lease_seconds)
        assert second.stdout is not None
        line = second.stdout.readline().split()
        assert line[0] == "standby"  # the first still renews
        killed_at = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        line = second.stdout.readline().split()
        took = time.monotonic() - killed_at
        assert line[0] == "held"
        assert line[1] != first_holder
        # it waited for the lease to lapse, and not much longer
        assert took < lease_seconds + 3
        db = Database(database_url, migrate=False)
        try:
            assert Lease(db).current().holder == line[1]  # type: ignore[union-attr]
        finally:
            db.close()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_the_keeper_renews_and_gives_the_lease_up_on_stop(store: Database) -> None:
    lease = Lease(store, holder="a", seconds=30)
    keeper = LeaseKeeper(lease, every=0.01)
    keeper.start()
    assert keeper.held.wait(5)
    keeper.stop(release=True)
    assert not lease.holds()
    assert Lease(store, holder="b", seconds=30).acquire() is True


class SlowStore(Lease):
    """A lease whose renewals wait for ``go`` (a store slow under load) or fail (locked)."""

    def __init__(self, store: Database) -> None:
        super().__init__(store, holder="a", seconds=30)
        self.renewing = threading.Event()
        self.go = threading.Event()
        self.fail = False

    def acquire(self) -> bool:
        self.renewing.set()
        self.go.wait(10)
        if self.fail:
            raise RuntimeError("database is locked")
        return super().acquire()


def test_a_renewal_in_flight_at_stop_does_not_take_the_lease_back(store: Database) -> None:
    """The release waits for a renewal in flight (one that ended after it would take the
    lease back for a full length), however long the store takes to answer."""
    lease = SlowStore(store)
    lease.go.set()
    keeper = LeaseKeeper(lease, every=0.01)
    keeper.start()
    assert keeper.held.wait(5)
    lease.go.clear()
    lease.renewing.clear()
    assert lease.renewing.wait(5)  # the keeper is in a renewal, waiting on the store
    stopper = threading.Thread(target=keeper.stop)
    stopper.start()
    time.sleep(0.2)
    assert stopper.is_alive()  # the release waits for the renewal in flight
    lease.go.set()
    stopper.join(10)
    assert not stopper.is_alive() and not keeper.is_alive()
    assert not lease.holds() and not keeper.held.is_set()
    assert Lease(store, holder="b", seconds=30).acquire() is True


def test_the_lease_is_given_up_even_when_the_last_renewal_failed(store: Database) -> None:
    """A renewal that fails on a locked store clears ``held``, yet the row is still this
    holder's until it expires: stopping gives it up all the same."""
    lease = SlowStore(store)
    lease.go.set()
    keeper = LeaseKeeper(lease, every=3600)
    assert keeper.renew() is True
    lease.fail = True
    assert keeper.renew() is False and not keeper.held.is_set()
    keeper.stop(release=True)
    assert Lease(store, holder="b", seconds=30).acquire() is True
