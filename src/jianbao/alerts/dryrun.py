"""The rule editor's dry run: what a rule would have fired over the last 30 days
("this rule would have fired 4 times: …"), from the stored articles, sending nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.alerts.facts import story_facts
from jianbao.alerts.rules import Rule, Thresholds, check_rule, evaluate
from jianbao.config import Settings
from jianbao.db.models import Article

DAYS = 30
#: articles looked at, the newest first
LIMIT = 5000


@dataclass(frozen=True)
class WouldFire:
    story_key: str
    title: str
    at: datetime
    outlets: tuple[str, ...]
    reason: str


def dry_run(
    session: Session, settings: Settings, rule: Rule, now: datetime, limits: Thresholds
) -> list[WouldFire]:
    """The stories of the last ``DAYS`` days ``rule`` fires on, the newest first."""
    checked = check_rule(rule)
    when = func.coalesce(Article.published_at, Article.extracted_at)
    articles = list(
        session.scalars(
            select(Article)
            .where(when >= now - timedelta(days=DAYS))
            .order_by(Article.id.desc())
            .limit(LIMIT)
        )
    )
    found: list[WouldFire] = []
    volumes = checked.kind == "spike"
    for facts in story_facts(session, settings, articles, now, volumes=volumes):
        fired = evaluate(checked, facts, limits)
        if fired is not None:
            lead = facts.lead
            found.append(
                WouldFire(facts.key, lead.title, lead.at, tuple(facts.outlets), fired.reason)
            )
    return sorted(found, key=lambda w: w.at, reverse=True)
