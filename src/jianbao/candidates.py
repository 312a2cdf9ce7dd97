"""The candidates list: one row per story in a period, ranked.

What the editor reviews each morning. A story carried by several outlets appears once,
through its representative article, with the other outlets listed under it; the number
of outlets counts towards the story's rank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Story
from jianbao.records import SHANGHAI


@dataclass
class Candidate:
    """A story proposed for an issue, through its representative article."""

    article: Article
    rank: float
    outlets: int = 1
    #: (source name, url) of the other articles of the same story
    others: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes covering whole days ``start``..``end`` in Asia/Shanghai."""
    return (
        datetime.combine(start, time.min, SHANGHAI),
        datetime.combine(end + timedelta(days=1), time.min, SHANGHAI),
    )


def rank_article(article: Article, outlets: int) -> tuple[float, list[str]]:
    """A story's rank and the reasons for it, shown to the editor."""
    reasons = []
    rank = article.score
    if article.matched_terms:
        reasons.append("关键词：" + "、".join(article.matched_terms[:5]))
    if outlets > 1:
        rank += math.log2(outlets)
        reasons.append(f"{outlets} 家媒体报道")
    if ".gov.cn" in article.url or "卫生健康委" in (article.source_name or ""):
        rank += 0.5
        reasons.append("政府网站")
    if article.category == "政策文件":
        rank += 0.5
        reasons.append("政策文件")
    return rank, reasons


def list_candidates(
    session: Session,
    start: date,
    end: date,
    *,
    relevant_only: bool = True,
    category: str | None = None,
    text: str | None = None,
    exclude_ids: set[int] | None = None,
    limit: int | None = 200,
) -> list[Candidate]:
    """Stories with an article published in ``start``..``end``, best first."""
    low, high = period_bounds(start, end)
    query = select(Article).where(Article.published_at >= low, Article.published_at < high)
    if relevant_only:
        query = query.where(Article.relevant.is_(True))
    if category:
        query = query.where(Article.category == category)
    if text:
        query = query.where(or_(Article.title.contains(text), Article.body.contains(text)))
    rows = list(session.scalars(query))
    by_story: dict[int, list[Article]] = {}
    for row in rows:
        by_story.setdefault(row.story_id or -row.id, []).append(row)
    stories = {
        s.id: s
        for s in session.scalars(select(Story).where(Story.id.in_([k for k in by_story if k > 0])))
    }
    result: list[Candidate] = []
    for key, members in by_story.items():
        story = stories.get(key)
        chosen = next((m for m in members if story and m.id == story.representative_id), None)
        if chosen is None:
            chosen = min(members, key=lambda m: (m.published_at or high, -len(m.body)))
        if exclude_ids and any(m.id in exclude_ids for m in members):
            continue
        outlets = story.size if story else 1
        rank, reasons = rank_article(chosen, outlets)
        others = (
            [
                (m.source_name or "", m.url)
                for m in _story_members(session, story)
                if m.id != chosen.id
            ]
            if story and story.size > 1
            else []
        )
        result.append(Candidate(chosen, rank, outlets, others, reasons))
    result.sort(key=lambda c: (-c.rank, -(c.article.published_at or low).timestamp()))
    return result[:limit] if limit else result


def _story_members(session: Session, story: Story | None) -> list[Article]:
    if story is None:
        return []
    return list(session.scalars(select(Article).where(Article.story_id == story.id)))
