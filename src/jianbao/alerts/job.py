"""The alert job ``jianbao run`` calls at every tick (every 20 seconds), so an article
stored by a collection cycle is alerted on within a minute:

1. take the articles it has not looked at (``alerts_seen_at`` empty): collection judged
   their sentiment and incident probability already (jianbao.judge.tone); rows stored
   without them (before migration 0019) are judged here, the same way;
2. for the stories of the recent ones, apply the rules (built-in and the editors') and
   record an alert per story and level (jianbao.alerts.store);
3. send the alerts due — not held by the quiet hours, not sent yet — to each of
   ``alert_channels``; a refusal is kept on the alert and tried again at the next tick
   for a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from jianbao.alerts.facts import story_facts
from jianbao.alerts.learn import risk_classifier
from jianbao.alerts.message import alert_notice
from jianbao.alerts.quiet import held_until
from jianbao.alerts.rules import Thresholds, builtin_rules, fire
from jianbao.alerts.store import editor_rules, record_alert
from jianbao.config import Settings
from jianbao.db.models import Alert, Article
from jianbao.db.session import Database
from jianbao.deliver.base import Notice
from jianbao.judge.tone import judge_tones

log = logging.getLogger("jianbao.alerts")

#: articles stored within this window are alerted on; older ones are only judged
WINDOW = timedelta(hours=48)
#: articles judged per tick (a first run over a large store catches up over ticks)
BATCH = 500
#: a refused alert is tried again for this long
RETRY_FOR = timedelta(days=1)

#: sends one notice to one channel; raises on refusal
SendFn = Callable[[str, Notice], None]


@dataclass
class AlertReport:
    judged: int = 0
    fired: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        risk=settings.alert_risk_threshold,
        spike_outlets=settings.alert_spike_outlets,
        spike_hours=settings.alert_spike_hours,
        watch=tuple(settings.alert_watch),
    )


def judge_new(db: Database, settings: Settings, now: datetime) -> list[int]:
    """Up to ``BATCH`` articles the pass has not looked at: their tone judged where it is
    missing, marked seen; the ids of those stored in the window."""
    with db.session() as session:
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
    db: Database, settings: Settings, now: datetime, *, send: SendFn | None = None
) -> AlertReport:
    """One pass: judge, fire, deliver. ``send`` defaults to the delivery channels."""
    report = AlertReport()
    recent = judge_new(db, settings, now)
    report.judged = len(recent)
    if recent:
        report.fired = fire_alerts(db, settings, recent, now)
    deliver_due(db, settings, now, send or _channel_sender(db, settings), report)
    return report


def fire_alerts(
    db: Database, settings: Settings, article_ids: list[int], now: datetime
) -> list[int]:
    from jianbao.jobs.due import schedule_zone

    zone = schedule_zone(settings)
    limits = thresholds(settings)
    fired_ids: list[int] = []
    with db.session() as session:
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
    db: Database, settings: Settings, now: datetime, send: SendFn, report: AlertReport
) -> None:
    """Send the alerts that are due to every alert channel."""
    if not settings.alert_channels:
        return
    from jianbao.jobs.work import workstation_url

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
        pending = [(a.id, a) for a in due if a.held_until is None or a.held_until <= now]
        notices = []
        for alert_id, alert in pending:
            article = session.get(Article, alert.article_id)
            notices.append(
                (
                    alert_id,
                    alert_notice(
                        alert,
                        story_url=workstation_url(settings, f"/alerts#alert-{alert_id}"),
                        article_url=article.url if article else "",
                    ),
                )
            )
    for alert_id, notice in notices:
        errors = []
        for channel in settings.alert_channels:
            try:
                send(channel, notice)
            except Exception as exc:  # one channel's refusal does not stop the others
                errors.append(f"{channel}：{exc}")
        with db.session() as session:
            alert = session.get_one(Alert, alert_id)
            if errors:
                alert.delivery_error = "；".join(errors)[:2000]
                report.failed[alert_id] = alert.delivery_error
            else:
                alert.delivered_at = now
                alert.delivery_error = ""
                report.sent.append(alert_id)


def _channel_sender(db: Database, settings: Settings) -> SendFn:
    from jianbao.jobs.work import notice_sender

    notify = notice_sender(db, settings)

    def send(channel: str, notice: Notice) -> None:
        notify(channel, notice.title, notice.text, notice.url)

    return send
