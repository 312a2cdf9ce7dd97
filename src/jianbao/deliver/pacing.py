"""Pacing: jianbao waits rather than being refused by a robot's rate limit.

WeCom and DingTalk take 20 messages a minute per robot (DingTalk then blocks the robot
for ten minutes, so the limit must never be crossed), Feishu 100 a minute and 5 a
second. A ``Pacer`` keeps the times of recent sends to one robot and, before each send,
waits until every window has room. It starts from the times of sends already made
(``recent``: the delivery log's, so separate processes respect the same limit) and takes
its clock and sleep from the caller, so tests take no real time.

``send_with_retry`` is the bounded retry a sender calls for one part: a retryable
result (a rate-limit code, a network fault) waits ``retry_after`` or a growing backoff,
then tries again, a few times at most.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from jianbao.deliver.base import SendResult

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``count`` sends in any ``seconds``."""

    count: int
    seconds: float


#: the platforms' documented limits per robot
RATE_LIMITS: dict[str, tuple[Window, ...]] = {
    "wecom": (Window(20, 60.0),),
    "dingtalk": (Window(20, 60.0),),
    "feishu": (Window(100, 60.0), Window(5, 1.0)),
    "email": (),
    "webhook": (),
}

#: seconds added to each window (at most a fifth of it): the platform's clock and ours
#: are not the same clock, and a request takes time to arrive
MARGIN = 1.0


#: Feishu throttles every bot at the top of the hour and the half hour (its guide asks
#: senders to avoid 10:00, 17:30…): a send falling in the first seconds waits them out
BUSY_SECONDS = 20.0


def feishu_busy_moment(now: float) -> float:
    """Seconds to wait when ``now`` is within ``BUSY_SECONDS`` after hh:00 or hh:30."""
    into = now % 1800.0
    return BUSY_SECONDS - into if into < BUSY_SECONDS else 0.0


def _seconds(value: float | datetime) -> float:
    """Seconds since the epoch; a datetime without a zone is UTC (the store's times)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    return float(value)


class Pacer:
    """The sends to one robot, and how long the next one must wait.

    ``clock`` gives wall-clock seconds (``time.time``), the same clock as the delivery
    log's times that ``recent`` may hold (datetimes with a time zone, or seconds).
    """

    def __init__(
        self,
        windows: Sequence[Window],
        *,
        recent: Iterable[float | datetime] = (),
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        margin: float = MARGIN,
        busy: Callable[[float], float] | None = None,
    ):
        self.windows = tuple(windows)
        self._clock = clock
        self._sleep = sleep
        self._margin = margin
        self._busy = busy
        self._span = max((self._width(w) for w in self.windows), default=0.0)
        self._sent: deque[float] = deque(sorted(_seconds(t) for t in recent))
        self._lock = asyncio.Lock()
        #: seconds waited in all (for logs and tests)
        self.waited = 0.0

    def delay(self, now: float | None = None) -> float:
        """Seconds to wait before a send at ``now`` keeps every window within its count."""
        now = self._clock() if now is None else now
        self._forget(now)
        # a send "after now" was logged before the clock stepped back (an RTC read as UTC
        # and then corrected by NTP: eight hours in China): it counts as made now, so
        # it holds a window at most once over, never for hours
        sent = [min(t, now) for t in self._sent]
        wait = 0.0
        for window in self.windows:
            span = self._width(window)
            inside = [t for t in sent if t > now - span]
            if len(inside) >= window.count:
                # the oldest send that must leave the window before one more fits
                oldest = inside[len(inside) - window.count]
                wait = max(wait, oldest + span - now)
        if self._busy is not None:
            wait += self._busy(now + wait)
        return wait

    def _width(self, window: Window) -> float:
        return window.seconds + min(self._margin, window.seconds / 5)

    def record(self, at: float | None = None) -> None:
        """Count a send (accepted or not: the platforms count failures too)."""
        self._sent.append(self._clock() if at is None else at)

    async def wait(self) -> float:
        """Wait until a send fits, then count it; returns the seconds waited."""
        async with self._lock:
            waited = 0.0
            while (delay := self.delay()) > 0:
                await self._sleep(delay)
                waited += delay
            self.record()
            self.waited += waited
            return waited

    def _forget(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self._span:
            self._sent.popleft()


def pacer_for(
    kind: str,
    *,
    recent: Iterable[float | datetime] = (),
    clock: Clock = time.time,
    sleep: Sleep = asyncio.sleep,
) -> Pacer:
    """A pacer with the documented limits of a channel kind."""
    busy = feishu_busy_moment if kind == "feishu" else None
    return Pacer(RATE_LIMITS.get(kind, ()), recent=recent, clock=clock, sleep=sleep, busy=busy)


def wait_before_next(
    kind: str, recent: Iterable[float | datetime], *, now: float | None = None
) -> float:
    """Seconds the next request to a robot of ``kind`` must wait, given when its recent
    requests were made (by any process: the delivery log's times)."""
    return pacer_for(kind, recent=recent).delay(now)


async def send_with_retry(
    send: Callable[[], Awaitable[SendResult]],
    *,
    pacer: Pacer | None = None,
    attempts: int = 4,
    backoff: float = 2.0,
    max_wait: float = 120.0,
    sleep: Sleep = asyncio.sleep,
    on_attempt: Callable[[int, SendResult], None] | None = None,
) -> SendResult:
    """Send one part, trying again while the answer is retryable, ``attempts`` at most.

    Each attempt first waits for the pacer. Between attempts: the platform's
    ``retry_after`` when it gave one, else ``backoff`` × 2ⁿ, never above ``max_wait``.
    When the platform's own wait is longer than ``max_wait`` (DingTalk blocks a robot for
    ten minutes), trying again sooner would only hit the block, and every try is made on
    the scheduler's tick: the result is returned at once, ``retry_after`` kept, for a
    later run to try once the wait is over.
    ``on_attempt(n, result)`` sees every attempt (the delivery log counts them).
    """
    result = SendResult(ok=False, error="未尝试发送")
    for attempt in range(1, max(1, attempts) + 1):
        if pacer is not None:
            await pacer.wait()
        result = await send()
        if on_attempt is not None:
            on_attempt(attempt, result)
        if result.ok or not result.retryable or attempt >= attempts:
            return result
        if result.retry_after is not None and result.retry_after > max_wait:
            return result
        wait = (
            result.retry_after if result.retry_after is not None else backoff * 2 ** (attempt - 1)
        )
        await sleep(min(max(wait, 0.0), max_wait))
    return result
