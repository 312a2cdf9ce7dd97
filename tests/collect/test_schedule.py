"""Adaptive poll intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jianbao.collect.schedule import MAX_INTERVAL, MIN_INTERVAL, adaptive_interval, is_due, next_due

HOUR = timedelta(hours=1)
T0 = datetime(2023, 10, 16, 8, 0, tzinfo=UTC)


def test_normal_source_keeps_its_interval() -> None:
    assert next_due(T0, HOUR, recent_new_items=3) == T0 + HOUR


def test_quiet_source_is_polled_less_often() -> None:
    assert adaptive_interval(HOUR, 0) == 2 * HOUR
    assert adaptive_interval(HOUR, 0, quiet_checks=2) == 4 * HOUR
    assert adaptive_interval(HOUR, 0, quiet_checks=10) == 4 * HOUR


def test_busy_source_is_polled_more_often() -> None:
    assert adaptive_interval(HOUR, 25) == HOUR / 2


def test_failures_back_off_exponentially_and_bounded() -> None:
    assert adaptive_interval(HOUR, 5, 1) == 2 * HOUR
    assert adaptive_interval(HOUR, 5, 3) == 8 * HOUR
    assert adaptive_interval(HOUR, 5, 50) == MAX_INTERVAL


def test_never_checked_is_due() -> None:
    assert is_due(T0, None, HOUR, 0)
    assert not is_due(T0 + HOUR, T0, HOUR, 0)
    assert is_due(T0 + 2 * HOUR, T0, HOUR, 0)


@given(
    minutes=st.integers(min_value=0, max_value=100_000),
    items=st.integers(min_value=-5, max_value=1000),
    failures=st.integers(min_value=0, max_value=1000),
    quiet=st.integers(min_value=0, max_value=100),
)
def test_interval_always_within_bounds(minutes: int, items: int, failures: int, quiet: int) -> None:
    wait = adaptive_interval(timedelta(minutes=minutes), items, failures, quiet_checks=quiet)
    assert MIN_INTERVAL <= wait <= MAX_INTERVAL
    assert next_due(T0, timedelta(minutes=minutes), items, failures, quiet_checks=quiet) > T0


@given(failures=st.integers(min_value=0, max_value=20))
def test_more_failures_never_shorten_the_wait(failures: int) -> None:
    assert adaptive_interval(HOUR, 3, failures + 1) >= adaptive_interval(HOUR, 3, failures)
