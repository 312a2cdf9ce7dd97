"""When a refused alert is tried again on a channel, and how much one pass may send
(review finding 6).

The alert pass runs on the scheduler's tick (every 20 seconds), before the tick is marked.
A channel that kept refusing (a wrong key, a DingTalk keyword or IP refusal) used to be
asked again at every tick — about 4,300 refused requests a day per alert and channel —
and a platform that was down cost each alert and channel four tries with their timeouts
and waits (about 94 s), so five alerts on two channels held the tick, the 07:00 draft and
the 08:00 send behind it, for a quarter of an hour. Now:

- a pass makes one request per part (:func:`one_try`): the next pass is the retry;
- after a failed try the alert waits on that channel ``BACKOFF`` (1, 2, 5, 15, 30 minutes,
  then hourly for the day ``RETRY_FOR`` of jianbao.alerts.job): read from the delivery
  log's row (its tries and its last attempt), so every process agrees and nothing new is
  stored;
- a channel that failed in a pass is not asked again in that pass: its other alerts
  wait for the next one (a platform that is down costs one timeout per pass, not one
  per alert);
- a pass starts no new alert after ``PASS_BUDGET`` seconds of sending, nor once its
  caller asks it to stop (``jianbao run`` stopping): the rest are sent by the next pass.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Delivery
from jianbao.deliver.base import Channel, Message, Notice, SendResult
from jianbao.deliver.send import Builder

#: how long an alert waits on a channel after its 1st, 2nd, … failed try there (the
#: last repeats)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
)
#: a pass starts no new alert after sending for this many seconds (the first is always
#: started): a tick is never held much longer than this and one request's timeout
PASS_BUDGET = 30.0


def retry_at(row: Delivery) -> datetime | None:
    """When a part whose send failed may be tried again (None: it did not fail)."""
    if row.state != "failed" or row.attempted_at is None:
        return None
    return row.attempted_at + BACKOFF[min(max(row.attempts, 1), len(BACKOFF)) - 1]


def waiting_channels(session: Session, alert_id: int, now: datetime) -> dict[str, str]:
    """The channels where alert ``alert_id`` failed and waits: channel → why it failed."""
    rows = session.scalars(
        select(Delivery).where(Delivery.alert_id == alert_id, Delivery.state == "failed")
    )
    waiting: dict[str, str] = {}
    for row in rows:
        at = retry_at(row)
        if at is not None and at > now:
            waiting.setdefault(row.channel, row.error or row.answer or "发送失败")
    return waiting


class OneTry:
    """A channel whose failures are final for the pass: a rate limit or a network fault
    is not waited out and tried again inside the pass (the pass runs on the scheduler's
    tick); the delivery log records it ``failed`` and the next pass after ``BACKOFF``
    tries again. Everything else is the channel's own (its name, kind, secrets: a bug's
    traceback is still masked with them)."""

    def __init__(self, channel: Channel):
        self._channel = channel
        self.name = channel.name
        self.kind = channel.kind

    def __getattr__(self, name: str) -> Any:
        return getattr(self._channel, name)

    def prepare(self, view: Any, files: Any = (), *, note: str = "") -> list[Message]:
        return self._channel.prepare(view, files, note=note)

    def prepare_notice(self, notice: Notice) -> list[Message]:
        return self._channel.prepare_notice(notice)

    async def send(self, message: Message) -> SendResult:
        result = await self._channel.send(message)
        if result.retryable:
            return replace(result, retryable=False, retry_after=None)
        return result

    def describe(self) -> str:
        return self._channel.describe()


def one_try(build: Builder) -> Builder:
    """``build`` with each channel made a :class:`OneTry`."""

    def built(name: str) -> Channel:
        return OneTry(build(name))

    return built
