"""A story's facts for the rules, read from the store: its articles with their outlets,
authority tiers, risk and sentiment, and the recent volume of its incident terms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.alerts.rules import Member, StoryFacts
from jianbao.alerts.spike import BASELINE_DAYS
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.judge.authority import authority_rules, authority_tier
from jianbao.judge.risk import judge_risk


def story_key(article: Article) -> str:
    return f"s{article.story_id}" if article.story_id is not None else f"a{article.id}"


def _member(article: Article, settings: Settings) -> Member:
    rules = authority_rules(settings.authority)
    return Member(
        article_id=article.id,
        title=article.title,
        body=article.body[:3000],
        url=article.url,
        outlet=article.source_name or _host(article.url),
        tier=authority_tier(article.url, article.source_name, rules),
        at=article.published_at or article.extracted_at,
        risk=article.risk or 0.0,
        sentiment=article.sentiment or "neu",
        relevant=bool(article.relevant),
    )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url


def story_facts(
    session: Session,
    settings: Settings,
    articles: Iterable[Article],
    now: datetime,
    *,
    volumes: bool = True,
) -> list[StoryFacts]:
    """The facts of the stories ``articles`` belong to (each story once, all its
    articles), with the last day's volume of their incident terms when ``volumes``."""
    by_key: dict[str, list[Article]] = {}
    story_ids: set[int] = set()
    for article in articles:
        by_key.setdefault(story_key(article), [])
        if article.story_id is not None:
            story_ids.add(article.story_id)
        else:
            by_key[story_key(article)].append(article)
    if story_ids:
        for article in session.scalars(select(Article).where(Article.story_id.in_(story_ids))):
            by_key[story_key(article)].append(article)
    facts: list[StoryFacts] = []
    for key, members in by_key.items():
        if not members:
            continue
        built = tuple(_member(a, settings) for a in members)
        volume: dict[str, tuple[int, float]] = {}
        if volumes:
            lead = min(built, key=lambda m: (m.tier, m.at))
            for term in judge_risk(lead.title, "").terms[:3]:
                volume[term] = term_volume(session, term, now)
        facts.append(StoryFacts(key, built, volume))
    return facts


def term_volume(session: Session, term: str, now: datetime) -> tuple[int, float]:
    """Stories (a story counted once, however many outlets carry it) whose headlines name
    ``term`` in the last day, and the daily mean of the ``BASELINE_DAYS`` before."""
    day = now - timedelta(days=1)
    start = day - timedelta(days=BASELINE_DAYS)
    when = func.coalesce(Article.published_at, Article.extracted_at)
    stories = func.count(func.distinct(func.coalesce(Article.story_id, -Article.id)))
    named = Article.title.contains(term)
    today = session.scalar(select(stories).where(named, when >= day)) or 0
    before = session.scalar(select(stories).where(named, when >= start, when < day)) or 0
    return today, before / BASELINE_DAYS
