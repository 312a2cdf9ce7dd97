"""The alert job ``jianbao run`` calls at every tick (every 20 seconds), so an article
stored by a collection cycle is alerted on within a minute:

1. take the articles it has not looked at (``alerts_seen_at`` empty): collection judged
   their sentiment and incident probability already (jianbao.judge.tone); rows stored
   without them (before migration 0019) are judged here, the same way;
2. for the stories of the recent ones, apply the rules (built-in and the editors') and
   record an alert per story and level (jianbao.alerts.store) — in the transaction
   that marks the articles seen, so a failure or a crash between the two loses nothing;
3. send the alerts due — not held by the quiet hours, not sent yet — to each of
   ``alert_channels``, each channel at most once (jianbao.deliver.send.deliver_alert: the
   delivery log's claim before the request and answer after it, as an issue's parts):
   a refusal is kept on the alert and only the refusing channel is tried again, by a
   later pass after a growing wait (jianbao.alerts.backoff: one request per pass, 1, 2,
   5, 15, 30 minutes, then hourly), for a day; a send interrupted in flight (the
   process died between the request and the recording of the answer) or whose request
   left without an answer (a read timeout, a dropped connection, a 502/504) is reported
   unconfirmed (未确认, read from the delivery log: jianbao.alerts.sends) and not sent
   again by itself — the robot has most likely posted it — by this pass or a later one;
   only an editor's resend (``resend_unconfirmed``) sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.alerts import backoff
from jianbao.alerts.facts import story_facts
from jianbao.alerts.learn import risk_classifier
from jianbao.alerts.message import alert_notice
from jianbao.alerts.quiet import held_until
from jianbao.alerts.rules import Thresholds, builtin_rules, fire
from jianbao.alerts.store import editor_rules, record_alert
from jianbao.config import Settings
from jianbao.db.models import Alert, Article
from jianbao.db.session import Database
from jianbao.deliver.base import Message, Notice, SendResult
from jianbao.deliver.send import (
    Builder,
    ChannelReport,
    Sender,
    Sleep,
    build_sender,
    deliver_alert,
)
from jianbao.errors import InputError, JianbaoError
from jianbao.installation import schedule_zone, workstation_url
from jianbao.judge.tone import judge_tones

log = logging.getLogger("jianbao.alerts")

#: articles stored within this window are alerted on; older ones are only judged
WINDOW = timedelta(hours=48)
#: articles judged per tick (a first run over a large store catches up over ticks)
BATCH = 500
#: a refused alert is tried again for this long
RETRY_FOR = timedelta(days=1)

#: sends one notice to one channel; raises on refusal (tests and embedding callers; the
#: default is the configured channels, through the delivery log either way)
SendFn = Callable[[str, Notice], None]


@dataclass
class AlertReport:
    judged: int = 0
    fired: list[int] = field(default_factory=list)
    #: alerts every channel has now accepted
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    #: alert → channels whose send is unconfirmed: interrupted in flight, or its request
    #: left and no answer came (the robot answered too late); not sent again by itself
    unconfirmed: dict[int, list[str]] = field(default_factory=dict)
    #: channels another process may still be sending to (``resend_unconfirmed``)
    in_flight: list[str] = field(default_factory=list)
    #: alert → channels not tried in this pass: waiting after a failure
    #: (jianbao.alerts.backoff), or found failing by an earlier alert of the pass
    waiting: dict[int, list[str]] = field(default_factory=dict)
    #: alerts due but left to the next pass (the pass's time was up, or it was stopped)
    deferred: list[int] = field(default_factory=list)


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        risk=settings.alert_risk_threshold,
        spike_outlets=settings.alert_spike_outlets,
        spike_hours=settings.alert_spike_hours,
        watch=tuple(settings.alert_watch),
        spike_sector=settings.alert_spike_sector,
    )


def judge_new(db: Database, settings: Settings, now: datetime) -> list[int]:
    """Judge and mark seen the articles the pass has not looked at, without firing (tests
    and tools); the alert pass itself does both in one transaction (``check_alerts``)."""
    with db.session() as session:
        return judge_unseen(session, settings, now)


def judge_unseen(session: Session, settings: Settings, now: datetime) -> list[int]:
    """Up to ``BATCH`` articles the pass has not looked at: their tone judged where it is
    missing, marked seen; the ids of those stored in the window. Nothing is committed
    here: the caller fires the rules in the same transaction, so an article is only ever
    seen together with the alerts it raised."""
    articles = list(
        session.scalars(
            select(Article)
            .where(Article.alerts_seen_at.is_(None))
            .order_by(Article.id.desc())
            .limit(BATCH)
        )
    )
    if not articles:
        return []
    missing = [a for a in articles if a.sentiment is None or a.risk is None]
    if missing:
        classifier = risk_classifier(session, settings.resolved_database_url)
        tones = judge_tones([(a.title, a.body) for a in missing], classifier)
        for article, tone in zip(missing, tones, strict=True):
            article.sentiment, article.risk = tone.sentiment, tone.risk
    recent: list[int] = []
    for article in articles:
        article.alerts_seen_at = now
        if article.extracted_at >= now - WINDOW:
            recent.append(article.id)
    return recent


def check_alerts(
    db: Database,
    settings: Settings,
    now: datetime,
    *,
    send: SendFn | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Sleep | None = None,
    stop: Callable[[], bool] | None = None,
) -> AlertReport:
    """One pass: judge, fire, deliver. ``send`` defaults to the delivery channels;
    ``clock`` and ``sleep`` are the sender's (the delivery log's times, pacing); ``stop``
    says the caller is stopping (``jianbao run`` on SIGTERM): no further alert is sent.

    Judging, marking seen and recording the alerts are one transaction (review finding
    4): an error or a killed process between them rolls all of it back, and the next pass
    looks at the same articles again — an article is never "seen" without its alerts.
    Sending comes after the commit, from the store, as for any alert due."""
    report = AlertReport()
    with db.session() as session:
        recent = judge_unseen(session, settings, now)
        report.judged = len(recent)
        if recent:
            report.fired = fire_alerts(session, settings, recent, now)
    build = _function_builder(send) if send is not None else None
    deliver_due(db, settings, now, report, build=build, clock=clock, sleep=sleep, stop=stop)
    return report


def fire_alerts(
    session: Session, settings: Settings, article_ids: list[int], now: datetime
) -> list[int]:
    """Apply the rules to the stories of ``article_ids`` and record their alerts in
    ``session`` (the caller's transaction, with the articles marked seen)."""
    zone = schedule_zone(settings)
    limits = thresholds(settings)
    fired_ids: list[int] = []
    rules = builtin_rules(settings.alert_levels, settings.alert_watch) + editor_rules(session)
    articles = list(session.scalars(select(Article).where(Article.id.in_(article_ids))))
    for facts in story_facts(session, settings, articles, now):
        outcome = fire(rules, facts, limits)
        if outcome is None:
            continue
        level, fired = outcome
        hold = held_until(now, level, settings.alert_quiet_hours, zone)
        alert = record_alert(session, facts, level, fired, now=now, held_until=hold)
        if alert is not None:
            session.flush()
            fired_ids.append(alert.id)
            log.info("预警：%s %s（%s）", alert.level, alert.title, "；".join(alert.reasons))
    return fired_ids


def deliver_due(
    db: Database,
    settings: Settings,
    now: datetime,
    report: AlertReport,
    *,
    build: Builder | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Sleep | None = None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """Send the alerts that are due to every alert channel, each channel at most once.

    Bounded, as it runs on the scheduler's tick (jianbao.alerts.backoff): one request per
    part, a channel waiting after a failure is passed over, one that fails is not asked
    again in this pass, and no alert is started after ``PASS_BUDGET`` seconds or once
    ``stop()`` is true — those are ``deferred`` to the next pass."""
    if not settings.alert_channels:
        return
    with db.session() as session:
        due = list(
            session.scalars(
                select(Alert)
                .where(
                    Alert.delivered_at.is_(None),
                    Alert.state == "open",
                    Alert.fired_at >= now - RETRY_FOR,
                )
                .order_by(Alert.id)
            )
        )
        pending = [a for a in due if a.held_until is None or a.held_until <= now]
        notices = [(alert.id, _notice(session, settings, alert)) for alert in pending]
    if not notices:
        return
    sender = build_sender(db, settings, build=build, sleep=sleep, clock=clock)
    sender.build = backoff.one_try(sender.build)
    channels = list(dict.fromkeys(settings.alert_channels))
    started = time.monotonic()
    failing: dict[str, str] = {}  # channel → why it failed in this pass
    for index, (alert_id, notice) in enumerate(notices):
        late = index > 0 and time.monotonic() - started > backoff.PASS_BUDGET
        if late or (stop is not None and stop()):
            report.deferred = [a for a, _notice in notices[index:]]
            log.info("预警发送留待下一轮：%s 条", len(report.deferred))
            return
        with db.session() as session:
            held = backoff.waiting_channels(session, alert_id, sender.now())
        for name, why in failing.items():
            held.setdefault(name, why)
        trying = [name for name in channels if name not in held]
        outcomes = asyncio.run(_to_channels(db, sender, alert_id, trying, notice))
        for outcome in outcomes:
            if outcome.failed:
                failing[outcome.channel] = next(iter(outcome.failed.values()))
        waiting = {name: why for name, why in held.items() if name in channels}
        _record(db, alert_id, outcomes, now, report, waiting=waiting)


def resend_unconfirmed(
    db: Database,
    settings: Settings,
    alert_id: int,
    now: datetime,
    *,
    send: SendFn | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Sleep | None = None,
) -> AlertReport:
    """Send an alert again to the channels where its send was unconfirmed, on the
    editor's word (the message is not in the group): ``jianbao alerts resend``. Channels
    that took it are not sent it again; one whose send began less than five minutes ago
    (``log.IN_FLIGHT``) may still be on its way and is left alone (``in_flight``).
    Without alert channels there is nowhere to send it: an ``InputError``, not a success
    (review finding 12). What it came to, for the page and the CLI alike:
    :func:`resend_outcome`."""
    if not settings.alert_channels:
        raise InputError("没有配置预警频道", hint="在配置中设置 alert_channels")
    report = AlertReport()
    with db.session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise InputError(
                f"没有编号为 {alert_id} 的预警", hint="用 jianbao alerts list 查看编号"
            )
        notice = _notice(session, settings, alert)
    build = _function_builder(send) if send is not None else None
    sender = build_sender(db, settings, build=build, sleep=sleep, clock=clock)
    sender.build = backoff.one_try(sender.build)  # the editor waits on it: one try
    channels = list(dict.fromkeys(settings.alert_channels))
    outcomes = asyncio.run(_to_channels(db, sender, alert_id, channels, notice, again=True))
    report.in_flight = [o.channel for o in outcomes if o.in_flight]
    _record(db, alert_id, outcomes, now, report)
    return report


def resend_outcome(report: AlertReport, alert_id: int) -> tuple[str, str]:
    """What a resend came to — ``("sent", "")``, ``("failed", why)``, ``("unconfirmed",
    channels)`` or ``("in_flight", channels)``. A resend takes an unconfirmed part itself
    and sends it again, but that request too can leave without an answer (the robot
    answered after the timeout: jianbao.deliver.http): the part is unconfirmed again,
    most likely posted, and is neither sent nor failed — the editor looks at the group
    once more. A refusal on one channel is told first (it has a reason to act on); the
    list shows the unconfirmed channels either way (jianbao.alerts.sends)."""
    if alert_id in report.sent:
        return "sent", ""
    if alert_id in report.failed:
        return "failed", report.failed[alert_id]
    if report.unconfirmed.get(alert_id):
        return "unconfirmed", "、".join(report.unconfirmed[alert_id])
    return "in_flight", "、".join(report.in_flight)


def _notice(session: Session, settings: Settings, alert: Alert) -> Notice:
    article = session.get(Article, alert.article_id)
    return alert_notice(
        alert,
        story_url=workstation_url(settings, f"/alerts#alert-{alert.id}"),
        article_url=article.url if article else "",
    )


async def _to_channels(
    db: Database,
    sender: Sender,
    alert_id: int,
    channels: Sequence[str],
    notice: Notice,
    *,
    again: bool = False,
) -> list[ChannelReport]:
    return [
        await deliver_alert(db, sender, alert_id, name, notice, resend_unconfirmed=again)
        for name in channels
    ]


def _record(
    db: Database,
    alert_id: int,
    outcomes: list[ChannelReport],
    now: datetime,
    report: AlertReport,
    *,
    waiting: dict[str, str] | None = None,
) -> None:
    """The alert's state after a pass: delivered when every channel has it (at the first
    pass that saw it so); else why not: refusals, to be tried again, and channels
    ``waiting`` — not tried in this pass — with their last refusal, in ``delivery_error``;
    unconfirmed channels, for the editor to look at, in the report (the delivery log keeps
    them: jianbao.alerts.sends)."""
    waiting = waiting or {}
    errors = [f"{name}：{why}" for name, why in waiting.items()]
    if waiting:
        report.waiting[alert_id] = list(waiting)
    unconfirmed: list[str] = []
    for outcome in outcomes:
        if outcome.complete:
            continue
        if outcome.skipped:
            errors.append(f"{outcome.channel}：{outcome.skipped}")
        elif outcome.failed:
            errors.append(f"{outcome.channel}：{next(iter(outcome.failed.values()))}")
        elif outcome.unconfirmed:
            unconfirmed.append(outcome.channel)
    busy = any(o.in_flight and not o.complete for o in outcomes)
    with db.session() as session:
        alert = session.get_one(Alert, alert_id)
        if not errors and not unconfirmed and not busy:
            # a resend of an alert delivered before keeps the first delivery's time (what
            # the resend sent is in the delivery log)
            if alert.delivered_at is None:
                alert.delivered_at = now
            alert.delivery_error = ""
            report.sent.append(alert_id)
            return
        alert.delivery_error = "；".join(errors)[:2000]
        refused = errors[len(waiting) :]  # refused in this pass
        if refused:
            report.failed[alert_id] = "；".join(refused)[:2000]
        if unconfirmed:
            report.unconfirmed[alert_id] = unconfirmed
            log.warning("预警 %s 未确认送达：%s", alert_id, "、".join(unconfirmed))


class _FunctionChannel:
    """A ``SendFn`` as a channel (one message per notice), so that it too goes through
    the delivery log's claim and answer."""

    def __init__(self, name: str, send: SendFn):
        self.name = name
        self.kind = "function"
        self._send = send

    def prepare(self, view: object, files: object = (), *, note: str = "") -> list[Message]:
        raise NotImplementedError("只发送通知")

    def prepare_notice(self, notice: Notice) -> list[Message]:
        return [Message(kind=self.kind, body={"notice": notice}, text=notice.title)]

    async def send(self, message: Message) -> SendResult:
        """The function's refusal is the part's error, as a platform's would be. A refusal
        it declares (a ``JianbaoError``) is its answer; anything else may be a bug in the
        caller's function, so its traceback is logged too (review finding 8): the row
        keeps only the short text, and whoever runs it needs the rest for a maintainer."""
        try:
            self._send(self.name, message.body["notice"])
        except JianbaoError as exc:
            return SendResult(ok=False, error=str(exc))
        except Exception as exc:
            log.exception("预警频道 %s 发送出错", self.name)
            return SendResult(ok=False, error=str(exc))
        return SendResult(ok=True, answer="ok")

    def describe(self) -> str:
        return f"function {self.name}"


def _function_builder(send: SendFn) -> Builder:
    def build(name: str) -> _FunctionChannel:
        return _FunctionChannel(name, send)

    return build
