"""Alerts in the store: one per story and level, the editors' rules, their handling.

An alert is recorded once per story and level (the unique key), and only when the level
is above every level the story already alerted at: a story that grows from 黄 to 橙
alerts again, one that stays 橙 as more outlets carry it does not. What a story alerted
at includes the alerts of its members: stories merge (an article bridging two, or an
editor's 合并) and the story kept is the one with the lower id, so its key is not the
key the merged story alerted under (review finding 5). Acknowledging or
dismissing an alert records a :class:`~jianbao.db.models.RiskMark` on its article —
acknowledged: an incident, dismissed: not — which teaches the risk classifier.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jianbao.alerts.levels import rank
from jianbao.alerts.rules import Fired, Rule, StoryFacts, check_rule
from jianbao.db.models import Alert, AlertRule, Article, RiskMark
from jianbao.errors import InputError

STATES = ("open", "acknowledged", "dismissed")
STATE_NAMES = {"open": "待处理", "acknowledged": "已确认", "dismissed": "已排除"}


def record_alert(
    session: Session,
    facts: StoryFacts,
    level: str,
    fired: list[Fired],
    *,
    now: datetime,
    held_until: datetime | None,
) -> Alert | None:
    """The new alert, or None when the story already alerted at this level or above —
    under its own key or through an alert led by one of its articles (a story merged
    into it, an article alerted alone before it joined the story): the group is not told
    the same event twice at one level."""
    members = [m.article_id for m in facts.members]
    known = list(
        session.scalars(
            select(Alert.level).where(
                or_(Alert.story_key == facts.key, Alert.article_id.in_(members))
            )
        )
    )
    if known and max(rank(k) for k in known) >= rank(level):
        return None
    lead = facts.lead
    alert = Alert(
        story_key=facts.key,
        level=level,
        article_id=lead.article_id,
        title=lead.title,
        reasons=[f.reason for f in fired],
        outlets=facts.outlets,
        risk=round(facts.risk, 3),
        fired_at=now,
        held_until=held_until,
        delivery_error="",
        state="open",
        handled_by="",
        note="",
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # another process recorded it a moment ago
        return None
    return alert


def handle_alert(
    session: Session, alert_id: int, state: str, *, by: str, note: str, now: datetime
) -> Alert:
    """Acknowledge or dismiss an alert (or reopen it), with who, when and a note; the
    article's risk mark teaches the classifier."""
    if state not in STATES:
        raise InputError(f"未知的预警状态：{state}", hint="状态为 open、acknowledged、dismissed")
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise InputError(f"没有编号为 {alert_id} 的预警", hint="用 jianbao alerts list 查看编号")
    alert.state = state
    alert.handled_by = by
    alert.handled_at = now
    alert.note = note.strip()
    if state != "open":
        session.add(
            RiskMark(
                article_id=alert.article_id,
                incident=state == "acknowledged",
                editor=by,
                origin=state,
                at=now,
            )
        )
    return alert


def mark_risk(session: Session, article_id: int, incident: bool, *, by: str, now: datetime) -> None:
    """An editor's ⚠ on an article (or its removal): training data of the classifier."""
    if session.get(Article, article_id) is None:
        raise InputError(f"没有编号为 {article_id} 的文章", hint="用 jianbao candidates 查看编号")
    session.add(
        RiskMark(article_id=article_id, incident=incident, editor=by, origin="mark", at=now)
    )


def list_alerts(session: Session, state: str | None = None, limit: int = 200) -> list[Alert]:
    query = select(Alert).order_by(Alert.fired_at.desc(), Alert.id.desc()).limit(limit)
    if state:
        query = query.where(Alert.state == state)
    return list(session.scalars(query))


# -- rules -------------------------------------------------------------------------------


def editor_rules(session: Session, *, enabled_only: bool = True) -> list[Rule]:
    query = select(AlertRule).order_by(AlertRule.id)
    if enabled_only:
        query = query.where(AlertRule.enabled.is_(True))
    return [Rule(r.name, r.kind, r.level, r.expression) for r in session.scalars(query)]


def save_rule(session: Session, rule: Rule, *, by: str) -> AlertRule:
    """Add a rule, or replace the one of the same name; checked first."""
    checked = check_rule(rule)
    row = session.scalar(select(AlertRule).where(AlertRule.name == checked.name))
    if row is None:
        row = AlertRule(name=checked.name, created_by=by)
        session.add(row)
    row.kind, row.level, row.expression, row.enabled = (
        checked.kind,
        checked.level,
        checked.expression,
        True,
    )
    session.flush()
    return row


def remove_rule(session: Session, name: str) -> None:
    row = session.scalar(select(AlertRule).where(AlertRule.name == name))
    if row is None:
        raise InputError(f"没有名为 {name} 的预警规则", hint="用 jianbao alerts rules 查看规则")
    session.delete(row)
