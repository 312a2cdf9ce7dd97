"""The candidates list: one row per story in a period, ranked.

What the editor reviews each morning. A story carried by several outlets appears once,
through its representative article, with the other outlets listed under it; the number
of outlets counts towards the story's rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Story, StoryLink
from jianbao.judge.authority import authority_tier
from jianbao.judge.events import describe
from jianbao.judge.links import document_name
from jianbao.judge.rank import DEFAULT_WEIGHTS, Ranking, RankWeights, Reason, rank
from jianbao.policy_links import policy_documents
from jianbao.records import SHANGHAI, Bilingual


@dataclass(frozen=True, slots=True)
class CandidateArticle:
    """What the list shows of a representative article: read as plain columns, not as a
    mapped object (building ~800 mapped objects was most of a busy week's list), and safe
    to keep after the session closes (the web caches lists between requests)."""

    id: int
    url: str
    title: str
    summary: str
    source_name: str | None
    published_at: datetime | None
    category: str | None
    score: float
    matched_terms: list[str]
    story_id: int | None
    model_probability: float | None
    model_features: list[str]
    #: neg, neu or pos, judged at collection (jianbao.judge.tone)
    sentiment: str | None
    #: whether the judge found it relevant, and the wider scope it is in (the daily's
    #: 卫生健康与数字经济政策): a publication's list offers both, and says which is which
    relevant: bool
    scope: str | None

    @classmethod
    def of(cls, article: Article) -> CandidateArticle:
        return cls(*(getattr(article, name) for name in _COLUMNS))


_COLUMNS = [name for name in CandidateArticle.__slots__ if not name.startswith("_")]


@dataclass
class Candidate:
    """A story proposed for an issue, through its representative article."""

    article: CandidateArticle
    rank: float
    outlets: int = 1
    #: (source name, url) of the other articles of the same story
    others: list[tuple[str, str]] = field(default_factory=list)
    #: the rank explained, in Chinese (each one a str) and English (``.en``)
    reasons: list[Reason] = field(default_factory=list)
    #: (id, name) of the policy document the article is a reading of: 解读：《name》
    policy_document: tuple[int, str] | None = None
    #: ids of the other articles, in the order of ``others`` (to split one off by hand)
    other_ids: list[int] = field(default_factory=list)
    #: why the event stage put other outlets' write-ups in this story (同一文件《…》 …)
    merged: list[Bilingual] = field(default_factory=list)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes covering whole days ``start``..``end`` in Asia/Shanghai."""
    return (
        datetime.combine(start, time.min, SHANGHAI),
        datetime.combine(end + timedelta(days=1), time.min, SHANGHAI),
    )


def latest_candidate_day(session: Session, before: date) -> date | None:
    """The day (Asia/Shanghai) of the newest relevant article published up to ``before``:
    where to send an editor whose chosen window is empty."""
    newest = session.scalar(
        select(func.max(Article.published_at)).where(
            Article.relevant.is_(True), Article.published_at < period_bounds(before, before)[1]
        )
    )
    return newest.astimezone(SHANGHAI).date() if newest is not None else None


def rank_article(
    article: Article | CandidateArticle,
    outlets: int,
    now: datetime | None = None,
    weights: RankWeights = DEFAULT_WEIGHTS,
) -> Ranking:
    """A story's rank and the reasons for it, shown to the editor."""
    return rank(
        relevance=article.score,
        authority_tier=authority_tier(article.url, article.source_name, weights.authority),
        outlets=outlets,
        category=article.category,
        published_at=article.published_at,
        now=now or datetime.now(SHANGHAI),
        matched_terms=list(article.matched_terms or []),
        preference=article.model_probability,
        model_features=list(article.model_features or []),
        weights=weights,
    )


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
    weights: RankWeights = DEFAULT_WEIGHTS,
    scopes: tuple[str, ...] = (),
) -> list[Candidate]:
    """Stories with an article published in ``start``..``end``, best first; with
    ``relevant_only``, the relevant articles and those in one of ``scopes`` (a
    publication's ``candidate_scopes``: the daily's national policy)."""
    low, high = period_bounds(start, end)
    # recency counts from the end of the period, so a past week ranks as it did then
    now = min(datetime.now(SHANGHAI), high)
    # only the columns the list shows: bodies, HTML and signatures stay on disk
    query = select(*(getattr(Article, name) for name in _COLUMNS)).where(
        Article.published_at >= low, Article.published_at < high
    )
    if relevant_only and scopes:
        query = query.where(or_(Article.relevant.is_(True), Article.scope.in_(scopes)))
    elif relevant_only:
        query = query.where(Article.relevant.is_(True))
    if category:
        query = query.where(Article.category == category)
    if text:
        query = query.where(or_(Article.title.contains(text), Article.body.contains(text)))
    rows = [CandidateArticle(*row) for row in session.execute(query)]
    by_story: dict[int, list[CandidateArticle]] = {}
    for row in rows:
        by_story.setdefault(row.story_id or -row.id, []).append(row)
    stories = {
        story_id: (representative, size)
        for story_id, representative, size in session.execute(
            select(Story.id, Story.representative_id, Story.size).where(
                Story.id.in_([k for k in by_story if k > 0])
            )
        )
    }
    result: list[Candidate] = []
    for key, members in by_story.items():
        representative, size = stories.get(key, (None, 1))
        chosen = next((m for m in members if m.id == representative), None)
        if chosen is None:
            chosen = min(members, key=lambda m: (m.published_at or high, m.id))
        if exclude_ids and any(m.id in exclude_ids for m in members):
            continue
        ranking = rank_article(chosen, size, now, weights)
        result.append(Candidate(chosen, ranking.score, size, [], ranking.reasons))
    result.sort(key=lambda c: (-c.rank, -(c.article.published_at or low).timestamp()))
    shown = result[:limit] if limit else result
    _fill_other_outlets(session, shown)
    fill_policy_documents(session, shown)
    return shown


def _fill_other_outlets(session: Session, candidates: list[Candidate]) -> None:
    """The other outlets of every shown story, in one query."""
    by_story: dict[int, Candidate] = {
        c.article.story_id: c for c in candidates if c.outlets > 1 and c.article.story_id
    }
    if not by_story:
        return
    rows = session.execute(
        select(Article.story_id, Article.id, Article.source_name, Article.url)
        .where(Article.story_id.in_(list(by_story)))
        .order_by(Article.published_at)
    )
    for story_id, article_id, source_name, url in rows:
        candidate = by_story.get(story_id or 0)
        if candidate is None:
            continue
        if article_id != candidate.article.id:
            candidate.others.append((source_name or "", url))
            candidate.other_ids.append(article_id)
    links = session.execute(
        select(Article.story_id, StoryLink.reasons)
        .join(StoryLink, StoryLink.article_id == Article.id)
        .where(Article.story_id.in_(list(by_story)))
        .order_by(Article.id)
    )
    said: dict[int, list[list[str]]] = {}
    for story_id, reasons in links:
        said.setdefault(story_id or 0, []).extend(reasons or [])
    for story_id, reasons in said.items():
        by_story[story_id].merged = describe(reasons)


def fill_policy_documents(session: Session, candidates: list[Candidate]) -> None:
    """The policy document each shown article cites, in one query."""
    linked = policy_documents(session, [c.article.id for c in candidates])
    for candidate in candidates:
        found = linked.get(candidate.article.id)
        if found is not None:
            candidate.policy_document = (found[0], document_name(found[1]))
