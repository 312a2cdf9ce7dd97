"""Storing back issues: ``jianbao archive import`` for one file, or many.

A file is read (``readers``), parsed into issues (``parse``), checked (the checker's
findings are kept and reported, never blocking), and stored in one transaction: each
issue as a *published* issue of its publication marked ``imported``, each item as an
article (the collected one with the same canonical link or the same text when there is
one, else one stored from the item's own text, marked imported) in a story, indexed for
search, with a ``publish`` decision — the editors' past choices are what the relevance
and category models learn from. The original file is kept under
``archive/imported/`` in the data folder.

The issue keeps its own 导语 (a daily: its day heading) and each item the 主要内容, the
link and the date it printed, so opening or re-rendering it says what it said — also
when the item was joined to a collected article whose link or date differ.

Importing the same bytes twice changes nothing (``unchanged``); an issue whose
publication and number (a daily: its date) is taken already is a ``conflict`` naming both
files; a file that cannot be read fails alone with its reason, and the rest go on. Since
new issues are numbered after the highest number stored, the numbering continues after
the imported ones.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jianbao.archive.parse import ImportedIssue, ImportedItem, parse_issues
from jianbao.archive.readers import SUFFIXES, read_document
from jianbao.archive.search import index_article
from jianbao.collect.urls import canonicalize_url
from jianbao.config import Settings
from jianbao.db.models import ArchiveFile, Article, Issue, IssueItem, Publication
from jianbao.db.session import Database
from jianbao.db.store import stored_signatures
from jianbao.decisions import record_decision
from jianbao.editions.check import check_doc
from jianbao.editions.issue_store import ensure_publications
from jianbao.editions.periods import period_for
from jianbao.errors import JianbaoError
from jianbao.judge.dedup import StoryIndex
from jianbao.records import SHANGHAI, content_hash
from jianbao.stories import assign_story

Status = Literal["imported", "unchanged", "conflict", "failed"]
#: the checker's findings kept per file
MAX_FINDINGS = 50
#: the longest source and category the store keeps (String(200), String(50) columns)
SOURCE_CHARS, CATEGORY_CHARS = 200, 50
#: the folder (under the data folder's archive) where imported files are kept
IMPORTED_FOLDER = "imported"


@dataclass
class FileResult:
    """What importing one file did."""

    path: Path
    status: Status
    #: the issues stored, as labels (《周报》第546期（2023-10-20）)
    issues: list[str] = field(default_factory=list)
    #: each conflict: the issue in this file and the one already stored, with its file
    conflicts: list[str] = field(default_factory=list)
    #: why it failed, or why it is unchanged
    reason: str = ""
    #: the checker's findings on the file as written
    findings: list[str] = field(default_factory=list)
    items: int = 0


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The importable files among ``paths``: files as given, folders searched
    recursively (sorted, hidden files and Office lock files ~$… skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUFFIXES
                    and not child.name.startswith((".", "~$"))
                ):
                    found.append(child)
        else:
            found.append(path)  # a named file is tried whatever it is, and fails clearly
    return list(dict.fromkeys(found))


def import_paths(
    db: Database,
    settings: Settings,
    paths: Iterable[Path],
    *,
    progress: Callable[[Path, FileResult], None] | None = None,
) -> list[FileResult]:
    """Import every file under ``paths``; one result per file, in order."""
    results = []
    near = near_copies(db, settings)
    for path in collect_files(paths):
        result = import_file(db, settings, path, near=near)
        results.append(result)
        if progress is not None:
            progress(path, result)
    return results


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def near_copies(db: Database, settings: Settings) -> StoryIndex[int]:
    """The store's near-duplicate index (from the stored signatures, as the collector
    builds it): built once for a run of imports, which add their own articles to it."""
    with db.session() as session:
        return StoryIndex.from_signatures(
            stored_signatures(session), threshold=settings.dedup_threshold
        )


def import_file(
    db: Database, settings: Settings, path: Path, *, near: StoryIndex[int] | None = None
) -> FileResult:
    """Import one file; never raises for a bad file (the result says why it failed).

    ``near`` is the store's near-duplicate index (``near_copies``): an item stored as an
    article of its own joins the story of a collected near-copy (the same report carried
    by another site). Without it the index is built for this file alone."""
    try:
        sha = file_sha256(path)
        with db.session() as session:
            known = session.scalar(select(ArchiveFile).where(ArchiveFile.sha256 == sha))
            if known is not None:
                return FileResult(path, "unchanged", reason=f"已于此前导入（{known.name}）")
        issues, doc = parse_issues(read_document(path), origin=str(path))
        findings = [str(f) for f in check_doc(doc)][:MAX_FINDINGS]
        index = near if near is not None else near_copies(db, settings)
        with db.session() as session:
            return _store(session, settings, path, sha, issues, findings, index)
    except IntegrityError:
        # another import stored the same file, or an issue with the same number, meanwhile
        return FileResult(
            path,
            "conflict",
            reason="另一个导入同时存入了同一文件或同一期。再导入一次此文件即可看到是哪一期",
        )
    except JianbaoError as exc:
        return FileResult(
            path, "failed", reason=exc.message + (f"。{exc.hint}" if exc.hint else "")
        )
    except OSError as exc:
        return FileResult(path, "failed", reason=f"无法读取文件：{exc.strerror or exc}")
    except Exception as exc:  # a damaged file may break a parser anywhere: it fails alone
        return FileResult(path, "failed", reason=f"文件无法解析：{type(exc).__name__}: {exc}"[:300])


def _store(
    session: Session,
    settings: Settings,
    path: Path,
    sha: str,
    issues: list[ImportedIssue],
    findings: list[str],
    near: StoryIndex[int],
) -> FileResult:
    result = FileResult(path, "imported", findings=findings)
    publications = ensure_publications(session, settings)
    stored = Path("archive") / IMPORTED_FOLDER / f"{sha[:12]}-{_safe_name(path.name)}"
    record = ArchiveFile(
        sha256=sha, name=path.name, stored_path=stored.as_posix(), size=path.stat().st_size
    )
    record.findings = findings
    session.add(record)
    session.flush()
    for parsed in issues:
        publication = _publication_for(session, settings, publications, parsed)
        clash = _existing(session, publication, parsed)
        if clash is not None:
            result.conflicts.append(
                f"{parsed.label(publication.title)} 与已有的 {_describe(session, clash)} 冲突"
            )
            continue
        issue = _store_issue(session, settings, publication, parsed, record, near)
        result.issues.append(parsed.label(publication.title))
        result.items += len(issue.items)
    if not result.issues:
        session.rollback()  # nothing stored: the file may be imported once the clash is gone
        result.status = "conflict"
        return result
    target = settings.data_dir / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(path, target)
    if result.conflicts:
        result.status = "conflict"
    return result


_UNSAFE = re.compile(r"[^\w.\-（）()·]+")


def _safe_name(name: str) -> str:
    return _UNSAFE.sub("_", name)[-120:] or "file"


def _title_key(title: str) -> str:
    return re.sub(r"\s+", "", title)


def _publication_for(
    session: Session,
    settings: Settings,
    publications: dict[str, Publication],
    parsed: ImportedIssue,
) -> Publication:
    """The publication an issue belongs to: the one the configuration maps its title
    to, else the one with its title, else (a daily) the daily publication; an unknown
    title becomes a publication of its own."""
    mapped = settings.archive_publications.get(parsed.title) if parsed.title else None
    if mapped and mapped in publications:
        return publications[mapped]
    key = _title_key(parsed.title)
    for publication in publications.values():
        if _title_key(publication.title) == key and publication.kind == parsed.kind:
            return publication
    if parsed.kind == "daily":
        for publication in publications.values():
            if publication.kind == "daily":
                return publication
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    new_key = f"archive-{parsed.kind}-{digest}"
    if new_key in publications:
        return publications[new_key]
    publication = Publication(
        key=new_key,
        title=parsed.title or "归档刊物",
        kind=parsed.kind,
        publisher=parsed.publisher,
        first_number=parsed.number or 1,
    )
    session.add(publication)
    session.flush()
    publications[new_key] = publication
    return publication


def _existing(session: Session, publication: Publication, parsed: ImportedIssue) -> Issue | None:
    """The stored issue already holding this publication and number (a daily: date)."""
    query = select(Issue).where(Issue.publication_id == publication.id)
    if parsed.number is not None:
        query = query.where(Issue.number == parsed.number)
    else:
        query = query.where(Issue.issue_date == parsed.issue_date)
    return session.scalars(query.order_by(Issue.revision).limit(1)).first()


def _describe(session: Session, issue: Issue) -> str:
    number = f"第{issue.number}期" if issue.number is not None else ""
    where = "本系统编排"
    if issue.archive_file_id is not None:
        archived = session.get(ArchiveFile, issue.archive_file_id)
        if archived is not None:
            where = f"导入自 {archived.name}"
    day = issue.issue_date.isoformat()
    return f"《{issue.publication.title}》{number}（{day}，#{issue.id}，{where}）"


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=SHANGHAI)


def _store_issue(
    session: Session,
    settings: Settings,
    publication: Publication,
    parsed: ImportedIssue,
    record: ArchiveFile,
    near: StoryIndex[int],
) -> Issue:
    try:
        start, end = period_for(parsed.kind, parsed.issue_date, publication.period_rule)  # type: ignore[arg-type]
    except JianbaoError:
        start = end = parsed.issue_date
    issue = Issue(
        publication=publication,
        number=parsed.number,
        issue_date=parsed.issue_date,
        period_start=start,
        period_end=end,
        status="published",
        published_at=_at_noon(parsed.issue_date),
        imported=True,
        archive_file_id=record.id,
        files=[record.stored_path],
        lead=parsed.lead or None,
        heading=parsed.heading or None,
    )
    session.add(issue)
    session.flush()
    for position, item in enumerate(parsed.items, start=1):
        article = _article_for(session, item, parsed, {i.article_id for i in issue.items}, near)
        issue.items.append(
            IssueItem(
                article_id=article.id,
                position=position,
                title=item.title,
                summary=item.summary,
                source_name=item.source[:SOURCE_CHARS],
                category=(item.category or "")[:CATEGORY_CHARS] or None,
                # the 主要内容 as the issue printed it (a joined article's text may differ)
                body="\n".join(item.paragraphs) if item.paragraphs else None,
                # and its link and date (a joined article's may differ too)
                printed_url=item.url,
                printed_date=printed_date(item, parsed),
            )
        )
        record_decision(  # flushes the item with the decision
            session, article.id, "publish", detail={"issue": issue.id, "imported": True}
        )
    return issue


def printed_date(item: ImportedItem, parsed: ImportedIssue) -> date | None:
    """The date an item printed (a daily's items: the issue's day)."""
    return item.published or (parsed.issue_date if parsed.kind == "daily" else None)


def _article_for(
    session: Session,
    item: ImportedItem,
    parsed: ImportedIssue,
    taken: set[int],
    near: StoryIndex[int],
) -> Article:
    """The collected article this item carries, else a new one from its own text, in
    the story of a stored near-copy when there is one (never another item of the same
    issue: the editors chose them as distinct)."""
    canonical = canonicalize_url(item.url) if item.url.startswith(("http://", "https://")) else ""
    digest = content_hash(item.paragraphs) if item.paragraphs else ""
    found = None
    if canonical:
        found = session.scalar(select(Article).where(Article.canonical_url == canonical))
    if found is None and digest:
        found = session.scalar(select(Article).where(Article.content_hash == digest).limit(1))
    if found is not None and found.id not in taken:
        return found
    body = "\n".join(item.paragraphs) or item.summary
    own = hashlib.sha256(
        f"{parsed.title}\n{parsed.issue_date}\n{item.title}\n{item.url}\n{body}".encode()
    ).hexdigest()
    if not canonical or found is not None:
        canonical = f"archive:{own}"
    clash = session.scalar(select(Article).where(Article.canonical_url == canonical))
    if clash is not None and clash.id not in taken:
        return clash
    if clash is not None:
        canonical = f"archive:{own}:{len(taken)}"
    published = printed_date(item, parsed)
    row = Article(
        url=item.url,
        canonical_url=canonical[:2000],
        content_hash=digest or content_hash([item.title, item.summary]),
        title=item.title,
        body=body,
        published_at=_at_noon(published) if published else None,
        source_name=item.source[:SOURCE_CHARS] or None,
        relevant=True,
        score=1.0,
        category=(item.category or "")[:CATEGORY_CHARS] or None,
        summary=item.summary,
        imported=True,
    )
    # signed as the collector signs (title and text), so a near-copy collected later
    # joins this story too
    row.signature = near.signature(row.title + "\n" + row.body)
    session.add(row)
    session.flush()
    similar = [key for key in near.query(row.signature) if key not in taken]
    assign_story(session, row, similar)
    near.add(row.id, row.signature)
    index_article(session, row.id, row.title, row.body)
    return row
