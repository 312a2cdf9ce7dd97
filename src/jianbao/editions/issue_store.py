"""Issues in the store: creating drafts, editing their items, numbering, viewing.

Numbers come from the store, never from the editor's typing: a new issue takes the next
number after the publication's last issue (or the publication's first number), and the
item list is one ordered list from which the 导语, the 目录 and the 具体内容 are all drawn.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.candidates import list_candidates
from jianbao.config import Settings
from jianbao.db.models import Article, Issue, IssueItem, Publication
from jianbao.editions.compose import build_issue_view
from jianbao.editions.periods import period_for
from jianbao.errors import InputError, IssueError, NotFound
from jianbao.records import ISSUE_KINDS, SHANGHAI, IssueItemView, IssueKind, IssueView

#: how many stories a new draft is filled with, by kind
DEFAULT_FILL = {"daily": 5, "weekly": 20, "monthly": 40}


def ensure_publications(session: Session, settings: Settings) -> dict[str, Publication]:
    """The three built-in publications (daily, weekly, monthly), created on first use."""
    titles = {
        "daily": settings.daily_publication,
        "weekly": settings.weekly_publication,
        "monthly": settings.monthly_publication,
    }
    existing = {p.key: p for p in session.scalars(select(Publication))}
    for kind in ISSUE_KINDS:
        if kind not in existing:
            pub = Publication(
                key=kind,
                title=titles[kind],
                kind=kind,
                publisher=settings.publisher,
                topic_phrase=settings.topic_phrase,
                scope=settings.scope,
                period_rule="seven-days" if kind == "weekly" else None,
                first_number=1,
                source_label="来源",
            )
            session.add(pub)
            existing[kind] = pub
    session.flush()
    return existing


def get_publication(session: Session, settings: Settings, key: str) -> Publication:
    pubs = ensure_publications(session, settings)
    if key not in pubs:
        raise NotFound(
            "no publication with this name", item=key, hint="use one of: " + ", ".join(pubs)
        )
    return pubs[key]


def next_number(session: Session, publication: Publication) -> int:
    """The number after the publication's last issue, or its first number."""
    last = session.scalar(
        select(func.max(Issue.number)).where(Issue.publication_id == publication.id)
    )
    return publication.first_number if last is None else max(last + 1, publication.first_number)


def new_issue(
    session: Session,
    settings: Settings,
    kind: str,
    issue_date: date,
    *,
    number: int | None = None,
    fill: int | None = None,
) -> Issue:
    """A new draft issue of ``kind`` dated ``issue_date``, filled with the top candidates."""
    if kind not in ISSUE_KINDS:
        raise InputError(f"unknown issue kind {kind!r}", hint="use daily, weekly or monthly")
    publication = get_publication(session, settings, kind)
    start, end = period_for(kind, issue_date, publication.period_rule)
    if kind == "daily":
        number_value = None
    else:
        number_value = number if number is not None else next_number(session, publication)
        clash = session.scalar(
            select(Issue.id).where(
                Issue.publication_id == publication.id, Issue.number == number_value
            )
        )
        if clash is not None:
            raise IssueError(
                f"issue number {number_value} of {publication.title} exists already",
                hint="leave --number out to take the next number",
            )
    issue = Issue(
        publication=publication,
        number=number_value,
        issue_date=issue_date,
        period_start=start,
        period_end=end,
    )
    session.add(issue)
    session.flush()
    count = DEFAULT_FILL[kind] if fill is None else fill
    if count:
        for candidate in list_candidates(session, start, end, limit=count):
            _append(session, issue, candidate.article)
    return issue


def get_issue(session: Session, issue_id: int) -> Issue:
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFound("no issue with this id", item=str(issue_id), hint="see `jianbao issue list`")
    return issue


def list_issues(session: Session) -> list[Issue]:
    return list(session.scalars(select(Issue).order_by(Issue.issue_date.desc(), Issue.id.desc())))


def _editable(issue: Issue) -> None:
    if issue.status != "draft":
        raise IssueError(
            "a published issue cannot be changed",
            item=f"#{issue.id}",
            hint="publish a correction as a new revision",
        )


def _append(session: Session, issue: Issue, article: Article) -> IssueItem:
    item = IssueItem(
        article_id=article.id,
        position=len(issue.items) + 1,
        title=article.title,
        summary=article.summary or "",
        source_name=article.source_name or "",
        category=article.category,
    )
    issue.items.append(item)
    session.flush()
    return item


def add_item(
    session: Session, issue: Issue, article_id: int, position: int | None = None
) -> IssueItem:
    """Add an article to a draft, at the end or at ``position`` (1-based)."""
    _editable(issue)
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(
            "no article with this id", item=str(article_id), hint="see `jianbao candidates`"
        )
    if any(item.article_id == article_id for item in issue.items):
        raise IssueError("this article is in the issue already", item=str(article_id))
    item = _append(session, issue, article)
    if position is not None:
        move_item(session, issue, item.position, position)
    return item


def remove_item(session: Session, issue: Issue, position: int) -> None:
    _editable(issue)
    item = _item_at(issue, position)
    issue.items.remove(item)
    _renumber(issue)
    session.flush()


def move_item(session: Session, issue: Issue, position: int, to: int) -> None:
    """Move the item at ``position`` to ``to`` (both 1-based); the others close up."""
    _editable(issue)
    item = _item_at(issue, position)
    if not 1 <= to <= len(issue.items):
        raise InputError(f"position {to} is outside the issue", hint=f"use 1 to {len(issue.items)}")
    items = list(issue.items)
    items.remove(item)
    items.insert(to - 1, item)
    issue.items[:] = items
    _renumber(issue)
    session.flush()


def _item_at(issue: Issue, position: int) -> IssueItem:
    for item in issue.items:
        if item.position == position:
            return item
    raise InputError(
        f"the issue has no item {position}",
        item=f"#{issue.id}",
        hint=f"use 1 to {len(issue.items)}" if issue.items else "the issue is empty",
    )


def _renumber(issue: Issue) -> None:
    for index, item in enumerate(issue.items, start=1):
        item.position = index


def publish_issue(session: Session, issue: Issue) -> None:
    """Freeze a draft: its number, its items and (by the caller) its rendered files."""
    _editable(issue)
    if not issue.items:
        raise IssueError("an empty issue cannot be published", item=f"#{issue.id}")
    issue.status = "published"
    issue.published_at = datetime.now(UTC)


def issue_view(issue: Issue) -> IssueView:
    """The render-ready view of an issue, computed from its stored items."""
    pub = issue.publication
    items = [
        IssueItemView(
            position=item.position,
            title=item.title,
            url=item.article.url,
            source=item.source_name,
            published_at=(
                item.article.published_at.astimezone(SHANGHAI).date()
                if item.article.published_at
                else None
            ),
            summary=item.summary,
            paragraphs=[p for p in item.article.body.split("\n") if p.strip()],
            category=item.category,
        )
        for item in issue.items
    ]
    kind: IssueKind = pub.kind  # type: ignore[assignment]
    return build_issue_view(
        kind,
        publication_title=pub.title,
        issue_date=issue.issue_date,
        number=issue.number,
        items=items,
        publisher=pub.publisher,
        topic_phrase=pub.topic_phrase,
        scope=pub.scope,
        period=(issue.period_start, issue.period_end),
        source_label=pub.source_label,
    )
