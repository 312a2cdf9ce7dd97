"""A scheduled send the platforms turned away for now is tried again within the grace.

An 08:00 send meets a brief outage: the robot's host refuses connections for a minute, the
platform answers 429 or a rate-limit code, DingTalk blocks the robot for ten minutes. The
sender already retries such a part a few times within the run (``deliver.pacing``), but an
outage longer than that used to fail the run for good: nothing tried again, and the daily
was lost for the day over a fifteen-second hiccup.

Here such a run stays open (``late``, with ``retry_at`` in its detail) and a later tick
sends again, after a growing wait (:data:`FIRST_WAIT` doubled each time, at most
:data:`MAX_WAIT`, never before the platform's own ``retry_after``), until the
publication's ``send_grace_minutes`` are over; then it fails for good. The admins are told
when it first fails (once, not at every tick), when it is given up, and when a retry got
it through. The delivery log keeps every part that was sent from being sent again, so a
retry only sends what the platforms did not take.

Only a failure that says the message was **not accepted** is tried again: the channel's
``SendResult.retryable`` (a rate limit, a request that never left). A part whose fate is
unknown (unconfirmed: the robot may well have posted it), a refusal that waiting will not
cure (a wrong key, a channel not configured) and a bug fail the run at once, as before —
an editor looks before anything is sent again.

To know which, :class:`AnswerLog` wraps the channels of one send and keeps each part's
last answer: the delivery report keeps only the reason's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.config import Settings
from jianbao.deliver.base import Channel, Message, Notice, SendResult
from jianbao.deliver.send import Builder, DeliveryReport
from jianbao.installation import schedule_zone
from jianbao.jobs.messages import say
from jianbao.records import IssueView

if TYPE_CHECKING:
    from jianbao.jobs.work import JobResult

#: the wait before the first retry; doubled at each retry after it
FIRST_WAIT = timedelta(minutes=1)
#: the longest wait between two retries
MAX_WAIT = timedelta(minutes=30)
#: the last retry is planned this long before the grace ends (ticks come every 20–30 s)
LAST_TRY_MARGIN = timedelta(minutes=1)


# -- which failures may be tried again -----------------------------------------------------


@dataclass
class AnswerLog:
    """The channels of one send, each part's last answer kept: (channel, part) → result."""

    inner: Builder
    answers: dict[tuple[str, int], SendResult] = field(default_factory=dict)

    def build(self, name: str) -> Channel:
        return _Answered(self.inner(name), self.answers)


class _Answered:
    """A channel whose ``send`` notes the answer; everything else is the channel's."""

    def __init__(self, channel: Channel, answers: dict[tuple[str, int], SendResult]):
        self._channel = channel
        self._answers = answers
        self.name = channel.name
        self.kind = channel.kind

    def __getattr__(self, name: str) -> Any:  # a channel's secrets, for masking
        return getattr(self._channel, name)

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        return self._channel.prepare(view, files, note=note)

    def prepare_notice(self, notice: Notice) -> list[Message]:
        return self._channel.prepare_notice(notice)

    def describe(self) -> str:
        return self._channel.describe()

    async def send(self, message: Message) -> SendResult:
        key = (self.name, message.part)
        # an exception (a bug, a refusal raised) is not a failure waiting may cure
        self._answers[key] = SendResult(ok=False, error="exception")
        result = await self._channel.send(message)
        self._answers[key] = result
        return result


@dataclass(frozen=True, slots=True)
class Temporary:
    """Whether every failure of a send may pass by waiting, and the platform's least wait."""

    temporary: bool
    retry_after: float = 0.0


def classify(report: DeliveryReport, answers: dict[tuple[str, int], SendResult]) -> Temporary:
    """A send's failures are temporary when each is a failed part whose last answer was
    ``retryable`` — and there is no skipped channel, no unconfirmed part and at least one
    channel (those need a person)."""
    if not report.channels:
        return Temporary(False)
    waits = [0.0]
    failed = False
    for channel in report.channels:
        if channel.skipped or channel.unconfirmed:
            return Temporary(False)
        for part in channel.failed:
            answer = answers.get((channel.channel, part))
            if answer is None or answer.ok or not answer.retryable:
                return Temporary(False)
            failed = True
            waits.append(answer.retry_after or 0.0)
    return Temporary(failed, max(waits))


# -- the retry plan --------------------------------------------------------------------------


def retry_or_fail(
    settings: Settings,
    result: JobResult,
    *,
    planned_at: datetime,
    now: datetime,
    grace_minutes: int,
    before: dict[str, Any] | None = None,
) -> JobResult:
    """A send's :class:`~jianbao.jobs.work.JobResult` as the run should record it: a
    temporary failure within the grace becomes ``late`` with ``retry_at`` (the next tick at
    or after it sends again); one past the grace, or any other failure, stays ``failed``
    (with the retries said when there were some); a success is kept. ``before`` is the
    run's detail so far (its retries counted)."""
    from jianbao.jobs.work import JobResult

    before = before or {}
    tries = int(before.get("tries") or 0) + 1
    if result.outcome != "failed" or not result.detail.get("temporary"):
        if waiting_retry(before) is None:
            return result
        # a retry that went through, or failed in a way waiting will not cure
        return JobResult(result.outcome, _done({**result.detail, "tries": tries}), result.error)
    wait = max(
        min(FIRST_WAIT * 2 ** (tries - 1), MAX_WAIT),
        timedelta(seconds=float(result.detail.get("retry_after") or 0.0)),
    )
    until = planned_at + timedelta(minutes=grace_minutes)
    next_at = min(now + wait, until - LAST_TRY_MARGIN)
    detail = {**result.detail, "tries": tries}
    if next_at <= now:  # the grace is over: failed for good
        error = say(
            settings,
            "send.gave_up.note",
            error=result.error,
            tries=tries,
            until=clock_time(settings, until),
        )
        return JobResult("failed", _done(detail), error)
    detail.update(
        {
            "sent": False,
            "retry_at": next_at.isoformat(),
            "retry_until": until.isoformat(),
            "failure": result.error,
            "late_queued_at": None,
        }
    )
    error = say(
        settings, "send.retrying.note", error=result.error, at=clock_time(settings, next_at)
    )
    return JobResult("late", detail, error)


def _done(detail: dict[str, Any]) -> dict[str, Any]:
    """A run no longer waiting for a retry."""
    return {**detail, "retry_at": None}


def waiting_retry(detail: dict[str, Any]) -> datetime | None:
    """When a run waiting for a retry is tried next (None: it is not waiting for one)."""
    value = detail.get("retry_at")
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def clock_time(settings: Settings, moment: datetime) -> str:
    """HH:MM in the schedule's zone (a retry is within the day: the date adds nothing)."""
    return moment.astimezone(schedule_zone(settings)).strftime("%H:%M")
