"""Pacing and the bounded retry, with a clock and a sleep the tests move (no real waits)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from deliver.fakes import FakeClock
from jianbao.deliver.base import SendResult
from jianbao.deliver.pacing import Pacer, Window, pacer_for, send_with_retry, wait_before_next


def _sleeper(clock: FakeClock, log: list[float]):
    async def sleep(seconds: float) -> None:
        log.append(seconds)
        clock.advance(seconds)

    return sleep


def test_the_twenty_first_send_in_a_minute_waits_for_the_oldest_to_leave() -> None:
    pacer = Pacer([Window(20, 60.0)], recent=[100.0 + i for i in range(20)], clock=lambda: 130.0)
    assert pacer.delay() == pytest.approx(100 + 61 - 130)  # a second of margin
    assert pacer.delay(now=161.5) == 0  # the first left the window at 161
    pacer.record(161.0)
    assert pacer.delay(now=161.5) == pytest.approx(0.5)  # the second one leaves at 162
    assert pacer.delay(now=200.0) == 0


def test_every_window_is_kept_the_tightest_one_decides() -> None:
    # Feishu: 100 a minute and 5 a second (times far from the hour's busy moments)
    pacer = pacer_for("feishu", recent=[1010.0, 1010.1, 1010.2, 1010.3, 1010.4])
    assert pacer.delay(now=1010.5) == pytest.approx(1010.0 + 1.2 - 1010.5)
    many = pacer_for("feishu", recent=[1050.0 + i / 10 for i in range(100)])
    assert many.delay(now=1060.0) == pytest.approx(1050.0 + 61 - 1060.0)  # the minute decides


def test_recent_sends_from_the_log_count_whatever_their_form() -> None:
    now = datetime(2026, 5, 28, 8, 0, 30, tzinfo=UTC)
    aware = [now - timedelta(seconds=20)] * 20
    naive = [t.replace(tzinfo=None) for t in aware]  # SQLite gives zone-less UTC
    for recent in (aware, naive):
        assert wait_before_next("dingtalk", recent, now=now.timestamp()) == pytest.approx(41)
    assert wait_before_next("email", aware, now=now.timestamp()) == 0


def test_waiting_takes_no_real_time_and_never_crowds_a_window() -> None:
    clock = FakeClock(1_000.0)
    slept: list[float] = []
    pacer = pacer_for("wecom", clock=clock, sleep=_sleeper(clock, slept))
    times = []

    async def run() -> None:
        for _ in range(50):
            await pacer.wait()
            times.append(clock())

    asyncio.run(run())
    assert all(
        sum(1 for t in times if start <= t < start + 60) <= 20 for start in times
    )  # any minute holds at most twenty sends
    assert len(slept) == 2 and pacer.waited == pytest.approx(sum(slept))


def test_retries_are_bounded_and_waits_capped() -> None:
    calls: list[int] = []
    slept: list[float] = []

    async def send() -> SendResult:
        calls.append(1)
        if len(calls) == 1:
            return SendResult(ok=False, retryable=True, retry_after=90.0, error="45009")
        if len(calls) == 2:
            return SendResult(ok=False, retryable=True, error="network")
        return SendResult(ok=True)

    seen: list[tuple[int, bool]] = []
    result = asyncio.run(
        send_with_retry(
            send,
            sleep=_sleeper(FakeClock(0), slept),
            on_attempt=lambda n, r: seen.append((n, r.ok)),
            max_wait=120.0,
        )
    )
    assert result.ok and seen == [(1, False), (2, False), (3, True)]
    assert slept == [90.0, 4.0]  # the platform's wait; then backoff 2 × 2¹

    calls.clear()

    async def always_failing() -> SendResult:
        calls.append(1)
        return SendResult(ok=False, retryable=True, error="network")

    result = asyncio.run(
        send_with_retry(always_failing, attempts=3, sleep=_sleeper(FakeClock(0), []))
    )
    assert not result.ok and len(calls) == 3

    calls.clear()

    async def refused() -> SendResult:
        calls.append(1)
        return SendResult(ok=False, error="93000")

    assert not asyncio.run(send_with_retry(refused, sleep=_sleeper(FakeClock(0), []))).ok
    assert len(calls) == 1  # a refusal is not retried


def test_a_platform_wait_longer_than_the_cap_is_not_waited_out_within_the_run() -> None:
    """Review rev1 finding 7: DingTalk blocks a robot for ten minutes (130101). Retrying at
    the 120 s cap hit the block three more times and held the scheduler's tick 6 minutes;
    the result now comes back at once, its wait kept for a later run."""
    calls: list[int] = []
    slept: list[float] = []

    async def blocked() -> SendResult:
        calls.append(1)
        return SendResult(ok=False, retryable=True, retry_after=600.0, error="130101")

    sleep = _sleeper(FakeClock(0), slept)
    result = asyncio.run(send_with_retry(blocked, sleep=sleep, max_wait=120.0))
    assert len(calls) == 1 and slept == []
    assert result.retryable and result.retry_after == 600.0


def test_sends_logged_after_now_by_a_clock_since_set_back_hold_a_window_at_most_once() -> None:
    """Review rev1 finding 8: the clock ran eight hours ahead (an RTC read as UTC) for two
    hours, twenty notices went, then NTP set it back: the pacer waited 6 hours."""
    now = 1_000_000.0
    ahead = [now + 8 * 3600 - 7200 + 360 * k for k in range(20)]
    assert wait_before_next("wecom", ahead, now=now) <= 61.0
    assert wait_before_next("wecom", ahead[:19], now=now) == 0


def test_feishu_sends_wait_out_the_top_of_the_hour_and_the_half_hour() -> None:
    eight = datetime(2026, 5, 28, 0, 0, tzinfo=UTC).timestamp()  # 08:00 in Beijing
    assert wait_before_next("feishu", [], now=eight) == pytest.approx(20.0)
    assert wait_before_next("feishu", [], now=eight + 1800 + 15) == pytest.approx(5.0)
    assert wait_before_next("feishu", [], now=eight + 60) == 0
    assert wait_before_next("wecom", [], now=eight) == 0
