"""Sending an issue (or a notice) through its channels, part by part, exactly once.

``send_issue`` is what the CLI (``jianbao issue send``), the workstation (发送, 重发,
预览到我的频道) and the scheduler (``jianbao run``'s 08:00 send) call. A published issue
goes to its audiences — the publication's ``channels``, or the channels named — and a
draft only as a preview to one named channel, marked 预览. A revision (更正) carries a
note heading its first part.

Each part is logged (``jianbao.deliver.log``): claimed before its request, answered after
it. A second run resumes: what was sent is not sent again (``again`` starts a new round).
Requests are paced from the log's recent attempts, so two processes sending to one robot
together keep its limit; a rate limit or a request that provably never left is retried
with a bounded backoff; one that left without an answer is unconfirmed, never resent by
itself;
a part that stays refused is ``failed`` with the platform's reason, the channel's later
parts wait (the group never reads part 3 before part 2), and the other channels go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jianbao.config import Settings
from jianbao.db.models import Delivery, Issue
from jianbao.db.session import Database
from jianbao.deliver import log
from jianbao.deliver.base import Channel, Message, Notice, SendResult, redact_traceback
from jianbao.deliver.pacing import Pacer, pacer_for, send_with_retry
from jianbao.editions.dates import format_date_cn
from jianbao.editions.issue_store import configured_view, get_issue, publication_config
from jianbao.editions.numerals import issue_number_text
from jianbao.errors import DeliveryError, JianbaoError, NotConfigured

#: where a bug inside a channel's ``send`` is written, with its traceback (secrets masked)
logger = logging.getLogger("jianbao.deliver")
#: requests made for one part in one run (the first and its retries)
MAX_TRIES = 4
#: the longest wait between two tries of a part
MAX_RETRY_WAIT = 120.0
#: the window of recent attempts read from the log for pacing
PACING_WINDOW = timedelta(minutes=1)

PREVIEW_NOTE = "【预览】这是尚未发布的草稿，仅供核对，请勿转发。"

Sleep = Callable[[float], Awaitable[None]]
Builder = Callable[[str], Channel]


@dataclass(frozen=True, slots=True)
class PartEvent:
    """Progress of a send: a part of a channel changed state (sending, sent, failed,
    skipped when it was sent before), or a channel was skipped (part 0)."""

    channel: str
    part: int
    total: int
    state: str
    error: str = ""


Progress = Callable[[PartEvent], None]


@dataclass
class ChannelReport:
    """What became of an issue on one channel in this run."""

    channel: str
    kind: str = ""
    round: int = 0
    total: int = 0
    #: parts of the round sent, in this run or before it
    sent: int = 0
    #: of which sent by this run
    sent_now: int = 0
    #: part → why it failed
    failed: dict[int, str] = field(default_factory=dict)
    #: parts interrupted in flight by an earlier run (the platform's answer unknown): not
    #: sent again without being asked
    unconfirmed: list[int] = field(default_factory=list)
    #: parts another process is sending right now (or that were interrupted less than
    #: ``log.IN_FLIGHT`` ago): left to it, and this channel's later parts with them
    in_flight: list[int] = field(default_factory=list)
    #: parts not tried because an earlier part failed or is in flight
    waiting: int = 0
    #: why nothing was sent: not configured, unknown name, the issue could not be prepared
    skipped: str = ""

    @property
    def complete(self) -> bool:
        return not self.skipped and self.total > 0 and self.sent == self.total


@dataclass
class DeliveryReport:
    """Per channel: parts sent k/n, failures with reasons, channels skipped and why."""

    issue_id: int
    preview: bool = False
    channels: list[ChannelReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.channels) and all(c.complete for c in self.channels)


# -- notes ---------------------------------------------------------------------------------


def correction_note(issue: Issue) -> str:
    """The 更正 line heading a revision's first part."""
    number = f"{issue_number_text(issue.number)}" if issue.number else ""
    when = format_date_cn(issue.issue_date)
    return (
        f"【更正】{issue.publication.title}{number}（{when}）第 {issue.revision} 版："
        "此前发送的内容有更正，以本条为准。"
    )


def issue_note(issue: Issue, *, preview: bool) -> str:
    notes = []
    if preview:
        notes.append(PREVIEW_NOTE)
    if issue.revision > 1:
        notes.append(correction_note(issue))
    return "\n".join(notes)


def audience(settings: Settings, issue: Issue, names: Sequence[str] | None) -> list[str]:
    """The channels an issue goes to: those named, else its publication's."""
    chosen = list(names or publication_config(issue.publication, settings).channels)
    if not chosen:
        raise DeliveryError(
            "这一期没有可发送的频道",
            item=f"publications.{issue.publication.key}",
            hint=(
                f'在 [publications.{issue.publication.key}] 写 channels = ["频道名"]，'
                "或用 --channel 指定"
            ),
        )
    return list(dict.fromkeys(chosen))


def issue_files(settings: Settings, issue: Issue) -> list[Path]:
    """A published issue's rendered files (absolute), for channels that attach them."""
    return [settings.data_dir / name for name in issue.files or []]


# -- the sending loop ------------------------------------------------------------------------


def _default_builder(settings: Settings) -> Builder:
    from jianbao.deliver.registry import configured_channels

    built = configured_channels(settings)

    def build(name: str) -> Channel:
        found = built.get(name)
        if found is None:
            known = "、".join(built) or "（无）"
            raise NotConfigured(
                "没有这个频道",
                item=f"channels.{name}",
                hint=f"已配置的频道：{known}；在配置中加 [channels.{name}]",
            )
        if isinstance(found, NotConfigured):
            raise found
        return found

    return build


def build_sender(
    db: Database,
    settings: Settings,
    *,
    build: Builder | None = None,
    sleep: Sleep | None = None,
    clock: Callable[[], float] | None = None,
    progress: Progress | None = None,
) -> Sender:
    """The sender every entry point sends with: through the channels ``build`` makes,
    by default those configured in ``settings`` (an unknown or switched-off one raises
    ``NotConfigured`` when it is built)."""
    return Sender(
        db, build or _default_builder(settings), sleep=sleep, clock=clock, progress=progress
    )


class Sender:
    """Sends parts through channels, logging each and pacing from the log.

    ``clock`` and ``sleep`` are injected so tests take no real time.
    """

    def __init__(
        self,
        db: Database,
        build: Builder,
        *,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
        progress: Progress | None = None,
    ):
        self.db = db
        self.build = build
        self.sleep = sleep or asyncio.sleep
        self.clock = clock or time.time
        self.progress = progress or (lambda event: None)

    def now(self) -> datetime:
        """The sender's clock as the log's time (the pacer and the log agree)."""
        return datetime.fromtimestamp(self.clock(), UTC)

    def pacer(self, channel: Channel) -> Pacer:
        """A pacer starting from the channel's attempts of the last minute, by every
        process (read from the log just before a part is claimed)."""
        with self.db.session() as session:
            recent = log.recent_attempts(session, channel.name, PACING_WINDOW, self.now())
        return pacer_for(channel.kind, recent=recent, clock=self.clock, sleep=self.sleep)

    async def send_part(
        self, channel: Channel, row_id: int, message: Message, pacer: Pacer
    ) -> SendResult:
        """Send a claimed part, retrying what waiting may cure, and record the answer."""

        tries = 0

        async def once() -> SendResult:
            nonlocal tries
            tries += 1  # the claim counted the first
            with self.db.session() as session:
                log.mark_attempt(session, row_id, retry=tries > 1, now=self.now())
            try:
                return await channel.send(message)
            except JianbaoError as exc:
                return SendResult(ok=False, error=str(exc))
            except Exception as exc:  # a bug: the row keeps only its kind (its text may
                # hold a URL); the log keeps the traceback, secrets masked, for a maintainer
                logger.error(
                    "频道 %s（%s）第 %s/%s 部分发送时程序出错，记为失败；"
                    "请把以下内容交给维护者：\n%s",
                    channel.name,
                    channel.kind,
                    message.part,
                    message.total,
                    redact_traceback(exc, _secrets(channel)),
                )
                return SendResult(ok=False, error=f"内部错误：{type(exc).__name__}")

        result = await send_with_retry(
            once,
            pacer=pacer,
            attempts=MAX_TRIES,
            max_wait=MAX_RETRY_WAIT,
            sleep=self.sleep,
        )
        with self.db.session() as session:
            log.finish(session, row_id, result, self.now())
        return result

    def _state(self, row: Delivery) -> tuple[str, bool]:
        """A part's state as the log has it now, and whether another process may be
        sending it at this moment (``log.in_flight`` by this sender's clock)."""
        with self.db.session() as session:
            fresh = session.get(Delivery, row.id)
            if fresh is None:  # the round's rows are never deleted: the snapshot stands
                fresh = row
            return fresh.state, log.in_flight(fresh, self.now())

    async def send_round(
        self,
        report: ChannelReport,
        channel: Channel,
        messages: Sequence[Message],
        rows: Sequence[Delivery],
        *,
        resend_unconfirmed: bool = False,
    ) -> None:
        """Send a round's parts in order, each at most once, none ahead of an earlier one.

        Each part's state is read afresh from the log just before deciding on it: the
        ``rows`` were read when the round was opened, and another process (the scheduler's
        late send while the editor clicks 发送) may have claimed or sent parts since. A part
        another process is sending now — ``sending`` with an attempt younger than
        ``log.IN_FLIGHT``, which covers its retries and their waits — is left to it, and
        so are this channel's later parts: sending them would put part 2 in the group
        before part 1. Only a part ``sending`` for longer than that was left by a process
        that died: it is reported unconfirmed (the platform most likely posted it) and
        the later parts, never sent, go on.
        """
        by_part = {row.part: row for row in rows}
        stopped = ""
        for message in messages:
            event = PartEvent(channel.name, message.part, message.total, "")
            state, busy = self._state(by_part[message.part])
            if state == "sent":
                report.sent += 1
                self.progress(_with(event, "skipped"))
                continue
            if stopped:
                report.waiting += 1
                continue
            if busy:
                report.in_flight.append(message.part)
                stopped = "busy"
                self.progress(_with(event, "in_flight"))
                continue
            if state == "sending" and not resend_unconfirmed:
                # left by a run that died in flight, probably posted: reported, not
                # resent, and the later parts go on (they were never sent)
                report.unconfirmed.append(message.part)
                self.progress(_with(event, "unconfirmed"))
                continue
            row_id = by_part[message.part].id
            pacer = self.pacer(channel)
            with self.db.session() as session:
                mine = log.claim(session, row_id, unconfirmed=resend_unconfirmed, now=self.now())
            if not mine:
                # taken by another process between the read and the claim
                if self._state(by_part[message.part])[0] == "sent":
                    report.sent += 1
                    self.progress(_with(event, "skipped"))
                    continue
                report.in_flight.append(message.part)
                stopped = "busy"
                self.progress(_with(event, "in_flight"))
                continue
            self.progress(_with(event, "sending"))
            result = await self.send_part(channel, row_id, message, pacer)
            if result.ok:
                report.sent += 1
                report.sent_now += 1
                self.progress(_with(event, "sent"))
            elif result.unconfirmed:
                # the request left, no answer came: most likely posted, so not resent;
                # the later parts go on, as after a run that died in flight
                report.unconfirmed.append(message.part)
                self.progress(_with(event, "unconfirmed", result.error))
            else:
                reason = result.error or result.answer or "发送失败"
                report.failed[message.part] = reason
                stopped = "failed"
                self.progress(_with(event, "failed", reason))


def _secrets(channel: Channel) -> list[str]:
    """What a channel holds that must not reach the log (its signing secret, its mail
    password): masked in a traceback besides the URLs."""
    found = (getattr(channel, name, "") for name in ("secret", "password", "token"))
    return [value for value in found if isinstance(value, str) and value]


def _with(event: PartEvent, state: str, error: str = "") -> PartEvent:
    return PartEvent(event.channel, event.part, event.total, state, error)


# -- the entry points ------------------------------------------------------------------------


async def deliver_issue(
    db: Database,
    settings: Settings,
    issue_id: int,
    sender: Sender,
    *,
    channels: Sequence[str] | None = None,
    preview: str | None = None,
    again: bool = False,
    resend_unconfirmed: bool = False,
) -> DeliveryReport:
    """The work of ``send_issue``, with the sender (channels, sleep, pacing) given."""
    with db.session() as session:
        issue = get_issue(session, issue_id)
        if preview:
            names = [preview]
        else:
            if issue.status != "published":
                raise DeliveryError(
                    "草稿不能发给受众",
                    item=f"#{issue_id}",
                    hint="先发布这一期；要先看效果，用 --preview 频道名 发到自己的频道",
                )
            names = audience(settings, issue, channels)
        view = configured_view(settings, issue)
        note = issue_note(issue, preview=bool(preview))
        files = issue_files(settings, issue) if issue.status == "published" else []
    purpose = "preview" if preview else "issue"
    report = DeliveryReport(issue_id=issue_id, preview=bool(preview))
    for name in names:
        entry = ChannelReport(channel=name)
        report.channels.append(entry)
        try:
            channel = sender.build(name)
            entry.kind = channel.kind
            messages = channel.prepare(view, files, note=note)
        except JianbaoError as exc:
            entry.skipped = str(exc)
            sender.progress(PartEvent(name, 0, 0, "skipped", entry.skipped))
            continue
        plans = [log.PartPlan(m.part, m.total, m.text) for m in messages]
        with db.session() as session:
            entry.round, rows = log.open_round(
                session,
                issue_id=issue_id,
                channel=name,
                kind=channel.kind,
                purpose=purpose,
                parts=plans,
                again=again,
            )
        entry.total = len(messages)
        await sender.send_round(
            entry, channel, messages, rows, resend_unconfirmed=resend_unconfirmed
        )
    return report


def send_issue(
    db: Database,
    settings: Settings,
    issue_id: int,
    *,
    channels: Sequence[str] | None = None,
    preview: str | None = None,
    again: bool = False,
    progress: Progress | None = None,
    resend_unconfirmed: bool = False,
    sleep: Sleep | None = None,
    clock: Callable[[], float] | None = None,
    build: Builder | None = None,
) -> DeliveryReport:
    """Send issue ``issue_id`` (see the module's docstring); never raises for a channel's
    refusal — the report says per channel what was sent, failed or skipped and why.

    Raises ``DeliveryError`` when the issue may not go out as asked (a draft to an
    audience, no channels). ``resend_unconfirmed`` also sends parts an interrupted run
    left unconfirmed (the editor checked the group: they did not arrive).
    """
    sender = build_sender(db, settings, build=build, sleep=sleep, clock=clock, progress=progress)
    return asyncio.run(
        deliver_issue(
            db,
            settings,
            issue_id,
            sender,
            channels=channels,
            preview=preview,
            again=again,
            resend_unconfirmed=resend_unconfirmed,
        )
    )


async def deliver_notice(
    db: Database, sender: Sender, channel_name: str, notice: Notice
) -> list[SendResult]:
    channel = sender.build(channel_name)
    messages = channel.prepare_notice(notice)
    results = []
    for message in messages:
        with db.session() as session:
            row = log.add_notice_row(
                session,
                channel=channel_name,
                kind=channel.kind,
                part=message.part,
                total=message.total,
                summary=notice.title,
            )
            row_id = row.id
        pacer = sender.pacer(channel)
        with db.session() as session:
            log.claim(session, row_id, now=sender.now())
        results.append(await sender.send_part(channel, row_id, message, pacer))
    return results


async def deliver_alert(
    db: Database,
    sender: Sender,
    alert_id: int,
    channel_name: str,
    notice: Notice,
    *,
    resend_unconfirmed: bool = False,
) -> ChannelReport:
    """Send alert ``alert_id``'s notice to one channel, at most once there.

    Its parts are logged like an issue's (``log.alert_rows``: one round per alert and
    channel), claimed before each request and answered after it: parts this channel
    accepted before are not sent again (another channel's refusal does not repeat them),
    a refused part is ``failed`` and tried again by the next pass, and a part left
    ``sending`` by a process that died in flight is reported ``unconfirmed`` — not sent
    again — or ``in_flight`` while another process may still be sending it. An unknown or
    switched-off channel is ``skipped`` with the reason; nothing is raised.
    ``resend_unconfirmed`` (the editor looked at the group: it did not arrive) sends an
    unconfirmed part again, once its last attempt is ``log.IN_FLIGHT`` old."""
    entry = ChannelReport(channel=channel_name, round=1)
    try:
        channel = sender.build(channel_name)
        entry.kind = channel.kind
        messages = channel.prepare_notice(notice)
    except JianbaoError as exc:
        entry.skipped = str(exc)
        return entry
    plans = [log.PartPlan(m.part, m.total, notice.title) for m in messages]
    with db.session() as session:
        rows = log.alert_rows(
            session, alert_id=alert_id, channel=channel_name, kind=channel.kind, parts=plans
        )
    entry.total = len(messages)
    await sender.send_round(entry, channel, messages, rows, resend_unconfirmed=resend_unconfirmed)
    return entry


def send_notice(
    db: Database,
    settings: Settings,
    channel_name: str,
    notice: Notice,
    *,
    sleep: Sleep | None = None,
    clock: Callable[[], float] | None = None,
    build: Builder | None = None,
) -> list[SendResult]:
    """Send a notice (a reminder to the duty editor, an alert, a test) to one channel;
    logged in the same table with purpose ``notice``. Raises ``NotConfigured`` when the
    channel is unknown or switched off; a platform's refusal is in the results."""
    sender = build_sender(db, settings, build=build, sleep=sleep, clock=clock)
    return asyncio.run(deliver_notice(db, sender, channel_name, notice))
