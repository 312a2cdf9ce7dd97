"""What the 归档 screen lists: published issues, imported or not, by publication and year,
with their kept files; and for search hits, the issues an article appeared in.

Queries only: the web route renders what these return, the CLI could print it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session, contains_eager

from jianbao.db.models import Issue, IssueItem, Publication


@dataclass(frozen=True, slots=True)
class Appearance:
    """An issue an article was published in."""

    issue_id: int
    publication: str
    number: int | None
    issue_date: date

    def label(self) -> str:
        number = f"第{self.number}期" if self.number is not None else ""
        return f"{self.publication}{number}（{self.issue_date.isoformat()}）"


def archived_issues(
    session: Session,
    *,
    publication: str | None = None,
    year: int | None = None,
    limit: int = 500,
) -> list[Issue]:
    """Published issues, newest first, of one publication (by key) and year if given,
    with their publication (one query, not one per issue; their items are counted by
    :func:`item_counts`, not loaded: issue 19)."""
    query = (
        select(Issue)
        .join(Publication)
        .where(Issue.status == "published")
        .options(contains_eager(Issue.publication))
    )
    if publication:
        query = query.where(Publication.key == publication)
    if year:
        query = query.where(extract("year", Issue.issue_date) == year)
    return list(
        session.scalars(query.order_by(Issue.issue_date.desc(), Issue.id.desc()).limit(limit))
    )


def item_counts(session: Session, issue_ids: Iterable[int]) -> dict[int, int]:
    """Issue id → its number of items, in one grouped query (the archive lists hundreds
    of issues: loading their items to count them took seconds on PostgreSQL)."""
    ids = list(issue_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(IssueItem.issue_id, func.count())
        .where(IssueItem.issue_id.in_(ids))
        .group_by(IssueItem.issue_id)
    )
    return {int(issue_id): int(count) for issue_id, count in rows}


def archive_publications(session: Session) -> list[tuple[str, str]]:
    """(key, title) of the publications that have published issues."""
    rows = session.execute(
        select(Publication.key, Publication.title)
        .join(Issue, Issue.publication_id == Publication.id)
        .where(Issue.status == "published")
        .group_by(Publication.key, Publication.title)
        .order_by(Publication.key)
    )
    return [(key, title) for key, title in rows]


def archive_years(session: Session) -> list[int]:
    """The years with published issues, newest first."""
    year = extract("year", Issue.issue_date)
    rows = session.execute(
        select(year).where(Issue.status == "published").group_by(year).order_by(func.min(year))
    )
    return sorted({int(value) for (value,) in rows if value is not None}, reverse=True)


def appearances(session: Session, article_ids: Iterable[int]) -> dict[int, list[Appearance]]:
    """Article id → the published issues it appeared in, newest first."""
    ids = list(article_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(IssueItem.article_id, Issue.id, Publication.title, Issue.number, Issue.issue_date)
        .join(Issue, Issue.id == IssueItem.issue_id)
        .join(Publication, Publication.id == Issue.publication_id)
        .where(IssueItem.article_id.in_(ids), Issue.status == "published")
        .order_by(Issue.issue_date.desc(), Issue.id.desc())
    )
    found: dict[int, list[Appearance]] = {}
    for article_id, issue_id, title, number, day in rows:
        found.setdefault(article_id, []).append(Appearance(issue_id, title, number, day))
    return found


def kept_file(data_dir: Path, issue: Issue, index: int) -> Path | None:
    """The ``index``-th file kept for ``issue``, when it is inside the data folder's
    archive and exists (a stored path is never trusted to point elsewhere)."""
    files = issue.files or []
    if not 0 <= index < len(files):
        return None
    root = (data_dir / "archive").resolve()
    path = (data_dir / files[index]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
