"""What the workstation's screens do, over the middle layer, so routes stay thin.

Each function takes an open session and plain values and does one editor action or one
query a page needs. Edits are recorded as editor decisions (they are the audit trail and
the training data) in the same transaction as the change.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from jianbao.archive.search import (
    fold_term,
    holds_all,
    index_article,
    mark_all,
    search_articles,
)
from jianbao.candidates import (
    Candidate,
    CandidateArticle,
    fill_policy_documents,
    list_candidates,
    period_bounds,
    rank_article,
)
from jianbao.collect.opml import read_opml
from jianbao.config import Settings
from jianbao.db.models import Article, Issue, IssueItem, Publication, Source, Story
from jianbao.decisions import latest_decisions, record_decision
from jianbao.editions import issue_store
from jianbao.editions.findings import Finding
from jianbao.editions.issue_store import add_item, check_issue, get_issue, publish_issue
from jianbao.errors import InputError, NotFound
from jianbao.judge.rank import DEFAULT_WEIGHTS, RankWeights, Reason
from jianbao.records import SHANGHAI, Bilingual, SourceSpec
from jianbao.sources import NEEDS_ATTENTION, ProbeResult, import_sources, probe_spec
from jianbao.sources import source_health as shared_source_health

STATUSES = ("new", "accept", "reject", "publish")


def today() -> date:
    return datetime.now(SHANGHAI).date()


#: the days a date field takes: a period's arithmetic (the day after, the week before)
#: overflows at year 1 and 9999, and a draft dated there takes a number in date order; the
#: range still holds the archive's oldest issues and the far end the candidates list takes
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2199, 12, 31)


def parse_day(value: str | None, default: date) -> date:
    """A date typed in a field (YYYY-MM-DD), ``default`` when empty; a bad format or a
    day outside FIRST_DAY..LAST_DAY is an InputError naming the value and what to type."""
    if not value:
        return default
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InputError("日期格式不对", item=value, hint="用 2026-11-20 这样的格式") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(
            "日期超出范围",
            item=value,
            hint=f"用 {FIRST_DAY.isoformat()} 到 {LAST_DAY.isoformat()} 之间的日期，如 2026-11-20",
        )
    return day


# -- candidates --------------------------------------------------------------------------


@dataclass
class CandidateRow:
    candidate: Candidate
    status: str
    in_issue: bool


def open_drafts(session: Session) -> list[Issue]:
    """The drafts, newest first, with their publication (every page lists its title: one
    query, not one per draft)."""
    return list(
        session.scalars(
            select(Issue)
            .options(joinedload(Issue.publication))
            .where(Issue.status == "draft")
            .order_by(Issue.issue_date.desc(), Issue.id.desc())
        )
    )


def candidate_rows(
    session: Session,
    start: date,
    end: date,
    *,
    category: str | None = None,
    source: str | None = None,
    status: str | None = None,
    text: str | None = None,
    include_irrelevant: bool = False,
    issue: Issue | None = None,
    limit: int = 100,
    weights: RankWeights = DEFAULT_WEIGHTS,
    sentiment: str | None = None,
    scopes: tuple[str, ...] = (),
) -> list[CandidateRow]:
    """The ranked candidates of a period with the editor's status, filtered; ``scopes``:
    the chosen draft's publication's candidate scopes (the daily's national policy)."""
    found = list_candidates(
        session,
        start,
        end,
        relevant_only=not include_irrelevant,
        category=category or None,
        text=text or None,
        limit=None if (source or status or sentiment) else limit,
        weights=weights,
        scopes=scopes,
    )
    if source:
        found = [c for c in found if (c.article.source_name or "") == source]
    if sentiment:  # 负面/中性/正面 (issue 18)
        found = [c for c in found if c.article.sentiment == sentiment]
    decisions = latest_decisions(session, [c.article.id for c in found])
    in_issue = {item.article_id for item in issue.items} if issue else set()
    rows = [
        CandidateRow(c, decisions.get(c.article.id, "new"), c.article.id in in_issue) for c in found
    ]
    if status:
        rows = [r for r in rows if r.status == status]
    return rows[:limit]


def _rank(
    article: Article, outlets: int, period_end: date | None, weights: RankWeights
) -> tuple[float, list[Reason]]:
    """rank_article's score and reasons, counted (like list_candidates) from the end of
    the period shown, so a row keeps its rank after an action."""
    now = datetime.now(SHANGHAI)
    if period_end is not None:
        now = min(now, period_bounds(period_end, period_end)[1])
    ranked = rank_article(article, outlets, now, weights)
    return ranked.score, list(ranked.reasons)


def candidate_row(
    session: Session,
    article_id: int,
    issue: Issue | None,
    period_end: date | None = None,
    weights: RankWeights = DEFAULT_WEIGHTS,
) -> CandidateRow:
    """One candidate, rebuilt after an action on it (for the row htmx swaps in)."""
    article = _article(session, article_id)
    story = article.story
    outlets = story.size if story else 1
    rank, reasons = _rank(article, outlets, period_end, weights)
    others = []
    if story is not None and story.size > 1:
        others = [
            (m.source_name or "", m.url)
            for m in session.scalars(select(Article).where(Article.story_id == story.id))
            if m.id != article.id
        ]
    status = latest_decisions(session, [article.id]).get(article.id, "new")
    in_issue = issue is not None and any(i.article_id == article.id for i in issue.items)
    candidate = Candidate(CandidateArticle.of(article), rank, outlets, others, reasons)
    fill_policy_documents(session, [candidate])
    return CandidateRow(candidate, status, in_issue)


def source_names(session: Session, start: date, end: date) -> list[str]:
    """The outlets with articles in the period (by the published_at index, not a scan)."""
    low, high = period_bounds(start, end)
    names = session.scalars(
        select(Article.source_name)
        .where(Article.published_at >= low, Article.published_at < high)
        .distinct()
    )
    return sorted(n for n in names if n)


def accept_article(
    session: Session, article_id: int, issue_id: int | None, editor: str
) -> Issue | None:
    """Record the acceptance and add the article to the open issue (once)."""
    record_decision(session, article_id, "accept", editor=editor)
    if issue_id is None:
        return None
    issue = get_issue(session, issue_id)
    if all(item.article_id != article_id for item in issue.items):
        add_item(session, issue, article_id)
    return issue


def reject_article(
    session: Session, article_id: int, editor: str, issue_id: int | None = None
) -> Issue | None:
    """Record the rejection; an article the open draft holds leaves it (an item both
    不用 and ✓ in the draft was a mistake waiting to be published). The draft it left,
    if any."""
    record_decision(session, article_id, "reject", editor=editor)
    if issue_id is None:
        return None
    issue = get_issue(session, issue_id)
    held = next((i for i in issue.items if i.article_id == article_id), None)
    if held is None or issue.status != "draft":
        return None
    issue_store.remove_item(session, issue, held.position)
    return issue


def edit_summary(session: Session, article_id: int, summary: str, editor: str) -> Article:
    """A new summary for the article and for its items in open drafts."""
    article = _article(session, article_id)
    old = article.summary
    article.summary = summary.strip()
    for item in session.scalars(
        select(IssueItem)
        .join(Issue)
        .where(IssueItem.article_id == article_id, Issue.status == "draft")
    ):
        item.summary = article.summary
    record_decision(
        session, article_id, "edit", editor=editor, detail={"summary": [old, article.summary]}
    )
    return article


def _article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound("没有这篇文章", item=str(article_id))
    return article


def edit_article(
    session: Session,
    article_id: int,
    *,
    title: str,
    published: str,
    source_name: str,
    editor: str,
) -> Article:
    """Correct an article's title, date (YYYY-MM-DD or YYYY-MM-DD HH:MM) and source."""
    article = _article(session, article_id)
    changes: dict[str, list[str | None]] = {}
    title = title.strip()
    if not title:
        raise InputError("标题不能为空", item=str(article_id))
    if title != article.title:
        changes["title"] = [article.title, title]
        article.title = title
    if published.strip():
        when = _parse_when(published)
        if when != article.published_at:
            changes["published_at"] = [
                article.published_at.isoformat() if article.published_at else None,
                when.isoformat(),
            ]
            article.published_at = when
    source_name = source_name.strip()
    if source_name != (article.source_name or ""):
        changes["source_name"] = [article.source_name, source_name]
        article.source_name = source_name or None
    if changes:
        record_decision(session, article_id, "edit", editor=editor, detail=changes)
        session.flush()
        index_article(session, article.id, article.title, article.body)
    return article


def _parse_when(text: str) -> datetime:
    text = text.strip().replace("T", " ")
    try:
        if len(text) <= 10:
            return datetime.combine(date.fromisoformat(text), time(8, 0), SHANGHAI)
        return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
    except ValueError:
        raise InputError(
            "发布时间格式不对", item=text, hint="用 2026-11-20 或 2026-11-20 09:30"
        ) from None


# -- issues ------------------------------------------------------------------------------


def edit_item(
    session: Session,
    issue: Issue,
    position: int,
    *,
    title: str,
    summary: str | None,
    category: str,
    editor: str,
    body: str | None = None,
    restore_body: bool = False,
) -> IssueItem:
    """Change one item's title, category and the text its publication prints: the
    summary (a daily) or the 主要内容 (a weekly or monthly); a field the form does not
    send (None) is left as it is."""
    return issue_store.edit_item(
        session,
        issue,
        position,
        title=title,
        summary=summary,
        category=category,
        body=body,
        restore_body=restore_body,
        editor=editor,
    )


def issue_findings(session: Session, settings: Settings, issue: Issue) -> list[Finding]:
    """The checker's findings for an issue, as publishing will see them (number sequence,
    recent issues, the publication's configuration and calendar file)."""
    return check_issue(session, issue, settings=settings)


def publish(
    session: Session, settings: Settings, issue: Issue, override_reason: str = ""
) -> list[Path]:
    """Check, freeze and archive the issue; the files written. The number is the one this
    request read, the one the editor confirmed: taken meanwhile by another publish, the
    store refuses (409) rather than print another."""
    return publish_issue(
        session,
        settings,
        issue,
        override_reason=override_reason or None,
        as_number=issue.number,
    )


# -- sources -----------------------------------------------------------------------------


@dataclass
class SourceHealth:
    source: Source
    per_day: float
    attention: bool
    #: the verdict of `jianbao sources health` (ok, new, empty, quiet, failing, dead)
    status: str = "ok"
    reasons: list[Bilingual] = field(default_factory=list)


def source_health(session: Session, now: datetime | None = None) -> list[SourceHealth]:
    """Each source with its articles per day over the last week and whether it needs a
    look, by the same verdict as `jianbao sources health` (empty, quiet, failing, dead)."""
    rows = {src.id: src for src in session.scalars(select(Source))}
    return [
        SourceHealth(
            rows[h.id],
            round(h.week_per_day, 1),
            h.enabled and h.status in NEEDS_ATTENTION,
            h.status,
            h.reasons,
        )
        for h in shared_source_health(session, now)
    ]


def set_source_enabled(session: Session, source_id: int, enabled: bool) -> Source:
    src = session.get(Source, source_id)
    if src is None:
        raise NotFound("没有这个来源", item=str(source_id))
    src.enabled = enabled
    session.flush()
    return src


def preview_source(settings: Settings, spec: SourceSpec) -> ProbeResult:
    """What a source would yield now (the CLI's ``sources test``): nothing stored."""
    return asyncio.run(probe_spec(settings, spec))


def import_opml(session: Session, data: bytes) -> tuple[int, int]:
    """Add the OPML's sources; those already present (by name or URL) are skipped.
    (added, skipped)"""
    return import_sources(session, read_opml(data))


# -- archive and search ------------------------------------------------------------------


@dataclass
class ArticleHit:
    article: Article
    title_html: Markup
    snippet_html: Markup


@dataclass
class SearchResults:
    terms: list[str]
    articles: list[ArticleHit]
    items: list[IssueItem]


def search_terms(query: str) -> list[str]:
    return [t for t in query.replace("，", " ").split() if t][:5]


def search(
    session: Session,
    query: str,
    *,
    start: date | None = None,
    end: date | None = None,
    limit: int = 50,
) -> SearchResults:
    """Articles (through the full-text index of jianbao.archive.search) and published
    items (:func:`published_items`) containing every term, marked; both read every term
    and text folded (Simplified, NFKC)."""
    terms = search_terms(query)
    if not terms:
        return SearchResults([], [], [])
    # the index is asked for the longest term (the most selective); the others are then
    # required in the text, so "互联网医院 监管" finds texts with both, in any order. Every
    # term and the text are read folded as the index reads them (Simplified, NFKC), so
    # "医保 报销" finds the 繁體 page "医保报销" finds, and "HPV 接种" the ＨＰＶ one
    main = max(terms, key=len)
    others = [fold_term(t) for t in terms if t != main]
    hits = search_articles(session, main, start=start, end=end, limit=limit * (4 if others else 1))
    articles = []
    for hit in hits:
        if holds_all(hit.article.title + "\n" + hit.article.body, others):
            if others:
                title = Markup(mark_all(hit.article.title, [fold_term(t) for t in terms]))
                snippet = Markup(hit.snippet_html)
            else:
                title, snippet = Markup(hit.title_html), Markup(hit.snippet_html)
            articles.append(ArticleHit(hit.article, title, snippet))
        if len(articles) >= limit:
            break
    items = published_items(session, [fold_term(t) for t in terms], limit, start=start, end=end)
    return SearchResults(terms, articles, items)


def published_items(
    session: Session,
    needles: list[str],
    limit: int,
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[IssueItem]:
    """Published items whose title or summary holds every needle (folded terms), newest
    issue first, read folded as the articles are (:func:`holds_all`): 醫保 finds the item
    titled 医保…, ＨＰＶ the HPV one, and the other way round. A LIKE in SQL compared the
    text as stored, so a 繁體 or full-width word missed them. Items are not in the index
    (an editor rewrites their titles), but few: their titles and summaries are read here
    until ``limit`` hold the terms — 30,000 items none of which does take ~0.45 s.

    ``start`` and ``end`` (whole days, either may be open) bound the issue's date, the
    date the listing shows beside each item, as they bound the articles' dates."""
    query = (
        select(IssueItem.id, IssueItem.title, IssueItem.summary)
        .join(Issue)
        .where(Issue.status == "published")
    )
    if start:
        query = query.where(Issue.issue_date >= start)
    if end:
        query = query.where(Issue.issue_date <= end)
    rows = session.execute(
        query.order_by(Issue.issue_date.desc(), IssueItem.position, IssueItem.id)
    )
    ids: list[int] = []
    for item_id, title, summary in rows:
        if holds_all(f"{title}\n{summary}", needles):
            ids.append(item_id)
            if len(ids) >= limit:
                break
    if not ids:
        return []
    found = session.scalars(select(IssueItem).where(IssueItem.id.in_(ids)))
    by_id = {item.id: item for item in found}
    return [by_id[item_id] for item_id in ids]


def published_issues(session: Session, publication: str | None = None) -> list[Issue]:
    query = select(Issue).join(Publication).where(Issue.status == "published")
    if publication:
        query = query.where(Publication.key == publication)
    return list(session.scalars(query.order_by(Issue.issue_date.desc(), Issue.id.desc())))


# -- dashboard ---------------------------------------------------------------------------


def dashboard_data(session: Session, end: date, days: int = 30) -> dict[str, object]:
    """Chart series and lists for the dashboard, over the ``days`` ending at ``end``."""
    start = end - timedelta(days=days - 1)
    low = datetime.combine(start, time.min, SHANGHAI)
    high = datetime.combine(end + timedelta(days=1), time.min, SHANGHAI)
    rows = session.execute(
        select(Article.published_at, Article.category, Article.source_name, Article.relevant).where(
            Article.published_at >= low, Article.published_at < high
        )
    ).all()
    day_list = [(start + timedelta(days=i)).isoformat() for i in range(days)]
    per_day: dict[str, Counter[str]] = {}
    per_source: Counter[str] = Counter()
    relevant = 0
    for published_at, category, source_name, is_relevant in rows:
        if published_at is None:
            continue
        day = published_at.astimezone(SHANGHAI).date().isoformat()
        per_day.setdefault(category or "未分类", Counter())[day] += 1
        per_source[source_name or "未知"] += 1
        relevant += int(bool(is_relevant))
    week_low = datetime.combine(end - timedelta(days=6), time.min, SHANGHAI)
    terms: Counter[str] = Counter()
    for matched in session.scalars(
        select(Article.matched_terms).where(
            Article.published_at >= week_low, Article.published_at < high
        )
    ):
        terms.update(matched or [])
    stories = session.execute(
        select(Story.size, Article.title, Article.id)
        .join(Article, Article.id == Story.representative_id)
        .where(Story.size > 1)
        .order_by(Story.size.desc(), Story.id.desc())
        .limit(8)
    ).all()
    return {
        "days": day_list,
        "per_day": [
            {"name": name, "data": [counts.get(d, 0) for d in day_list]}
            for name, counts in sorted(per_day.items())
        ],
        "per_source": per_source.most_common(15),
        "total": len(rows),
        "relevant": relevant,
        "terms": terms.most_common(15),
        "stories": [{"size": s, "title": t, "id": i} for s, t, i in stories],
    }
