"""When to poll a source next: its interval, adapted to how often it publishes and fails.

A pure function, so the scheduler (jobs), the CLI's ``collect`` (due sources only) and the
health view agree. A source that published nothing new lately is polled less often (up to
``QUIET_FACTOR`` times its interval), a busy one more often (down to ``BUSY_FACTOR``), and
one that keeps failing backs off exponentially, so a dead site is not hammered for months;
every result stays within ``MIN_INTERVAL`` … ``MAX_INTERVAL``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MIN_INTERVAL = timedelta(minutes=5)
MAX_INTERVAL = timedelta(days=1)
#: a source with nothing new in its recent checks waits up to this many intervals
QUIET_FACTOR = 4.0
#: a source with many new items is polled this much sooner
BUSY_FACTOR = 0.5
#: new items in the recent checks from which a source counts as busy
BUSY_ITEMS = 10
#: failures beyond this do not double the wait further
MAX_BACKOFF_STEPS = 6


def adaptive_interval(
    interval: timedelta,
    recent_new_items: int,
    consecutive_failures: int = 0,
    *,
    quiet_checks: int = 1,
) -> timedelta:
    """The wait before the next check.

    ``recent_new_items`` counts new articles found in the source's recent checks;
    ``quiet_checks`` says how many checks in a row found nothing (each doubles the wait,
    up to ``QUIET_FACTOR``). ``consecutive_failures`` doubles the wait per failure.
    """
    seconds = max(interval, MIN_INTERVAL).total_seconds()
    if consecutive_failures > 0:
        steps = min(consecutive_failures, MAX_BACKOFF_STEPS)
        seconds *= 2.0**steps
    elif recent_new_items <= 0:
        seconds *= min(QUIET_FACTOR, 2.0 ** max(1, quiet_checks))
    elif recent_new_items >= BUSY_ITEMS:
        seconds *= BUSY_FACTOR
    bounded = min(max(seconds, MIN_INTERVAL.total_seconds()), MAX_INTERVAL.total_seconds())
    return timedelta(seconds=bounded)


def next_due(
    last_checked: datetime,
    interval: timedelta,
    recent_new_items: int,
    consecutive_failures: int = 0,
    *,
    quiet_checks: int = 1,
) -> datetime:
    """When the source is due again after its check at ``last_checked``."""
    return last_checked + adaptive_interval(
        interval, recent_new_items, consecutive_failures, quiet_checks=quiet_checks
    )


def is_due(
    now: datetime,
    last_checked: datetime | None,
    interval: timedelta,
    recent_new_items: int,
    consecutive_failures: int = 0,
    *,
    quiet_checks: int = 1,
) -> bool:
    """True when the source should be checked at ``now`` (always, if never checked)."""
    if last_checked is None:
        return True
    return now >= next_due(
        last_checked,
        interval,
        recent_new_items,
        consecutive_failures,
        quiet_checks=quiet_checks,
    )
