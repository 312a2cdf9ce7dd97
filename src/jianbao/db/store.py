"""Queries and writes on the store that more than one caller needs.

Kept apart from the models so that the pipeline, the editions and the web share one way
of asking "is this URL known?", "which sources are due?" or "what are the candidates?".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from jianbao.collect.schedule import is_due
from jianbao.collect.source_limits import check_source_spec
from jianbao.db.models import Article, FetchAttempt, Source
from jianbao.errors import InputError, NotFound
from jianbao.records import SourceKind, SourceSpec

SOURCE_KINDS: tuple[SourceKind, ...] = ("feed", "listing", "sitemap", "url")


def source_spec(row: Source) -> SourceSpec:
    """The plain record a collect stage needs, from a stored source row."""
    return SourceSpec(
        id=row.id,
        name=row.name,
        url=row.url,
        kind=row.kind,  # type: ignore[arg-type]
        link_selector=row.link_selector,
        max_pages=row.max_pages,
        default_source_name=row.default_source_name,
        render=row.render,
        respect_robots=row.respect_robots,
    )


def add_source(session: Session, spec: SourceSpec) -> Source:
    """Store a new source; a name already taken is an error, not an overwrite.

    Every field is checked first (``check_source_spec``: kind, fetch mode, lengths, page
    count), so nothing the columns cannot hold or collection cannot use is stored.
    """
    check_source_spec(spec)
    if session.scalar(select(Source.id).where(Source.name == spec.name)) is not None:
        raise InputError(
            "已有同名来源",
            item=spec.name,
            hint="换一个名称，或先删除旧来源",
        )
    row = Source(
        name=spec.name,
        url=spec.url,
        kind=spec.kind,
        link_selector=spec.link_selector,
        max_pages=spec.max_pages,
        default_source_name=spec.default_source_name,
        render=spec.render,
        respect_robots=spec.respect_robots,
    )
    session.add(row)
    session.flush()
    return row


def get_source(session: Session, name: str) -> Source:
    row = session.scalar(select(Source).where(Source.name == name))
    if row is None:
        raise NotFound("没有这个来源", item=name, hint="用 jianbao sources list 查看")
    return row


def list_sources(session: Session, *, enabled_only: bool = False) -> list[Source]:
    query = select(Source).order_by(Source.name)
    if enabled_only:
        query = query.where(Source.enabled.is_(True))
    return list(session.scalars(query))


def known_urls(session: Session, canonical_urls: Iterable[str]) -> set[str]:
    """Which of these canonical URLs are stored already (queried in chunks): as an
    article's canonical URL, or as the address of the link it was collected from where
    its page named another (``fetched_key``)."""
    urls = list(dict.fromkeys(canonical_urls))
    found: set[str] = set()
    for chunk in _chunks(urls, 500):
        found.update(
            session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(chunk)))
        )
        found.update(
            key
            for key in session.scalars(
                select(Article.fetched_key).where(Article.fetched_key.in_(chunk))
            )
            if key is not None
        )
    return found


def note_fetched_key(session: Session, canonical_url: str, fetched_key: str) -> None:
    """Record on the article stored under ``canonical_url`` the address of a link it was
    collected from, when it has none yet and that address is another (a row stored
    before migration 0026, met again through a link that differs from its page's
    claim): the link is then known without a fetch."""
    if fetched_key == canonical_url:
        return
    session.execute(
        update(Article)
        .where(Article.canonical_url == canonical_url, Article.fetched_key.is_(None))
        .values(fetched_key=fetched_key)
    )


def article_with_hash(session: Session, digest: str) -> Article | None:
    return session.scalar(select(Article).where(Article.content_hash == digest).limit(1))


#: :func:`stored_as`'s statement: the row of the URL first, else one of the same text
_STORED_AS = text(
    "SELECT canonical_url FROM articles WHERE canonical_url = :url OR content_hash = :digest "
    "ORDER BY canonical_url = :url DESC LIMIT 1"
)


def stored_as(session: Session, canonical_url: str, content_hash: str) -> str | None:
    """Whether an article is stored already: "known" (its canonical URL is), "same_content"
    (its text is, under another URL) or None.

    Asked for every article a cycle stores, so asked cheaply: one statement over the
    indexes of the URL and of the text's hash, written once as SQL (building and running
    an ORM select each time cost ten times the query: 0.3 against 0.03 CPU ms; issue 21)."""
    found = session.execute(_STORED_AS, {"url": canonical_url, "digest": content_hash}).scalar()
    if found is None:
        return None
    return "known" if found == canonical_url else "same_content"


def stored_signatures(
    session: Session, since: datetime | None = None, *, after_id: int | None = None
) -> Iterator[tuple[int, bytes]]:
    """(article id, MinHash signature) of stored articles, to rebuild the story index
    (``after_id``: only those stored after it, to catch up with other processes)."""
    query = select(Article.id, Article.signature).where(Article.signature.is_not(None))
    if since is not None:
        query = query.where(Article.extracted_at >= since)
    if after_id is not None:
        query = query.where(Article.id > after_id).order_by(Article.id)
    for article_id, signature in session.execute(query):
        if signature is not None:
            yield article_id, signature


#: the PostgreSQL advisory lock that serialises storing articles ("jianbao articles")
ARTICLE_LOCK = 0x6A69_616E_6172


def lock_article_writes(session: Session) -> None:
    """Hold the store's article lock until ``session`` commits (PostgreSQL; SQLite has one
    writer anyway). Workers on several machines storing at once then see each other's
    articles: the same canonical URL or content is stored once, and a story is joined or
    merged knowing every article stored before it (issue 19)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ARTICLE_LOCK})


def article_lock_held(dialect: str) -> tuple[str, dict[str, int]]:
    """An SQL expression true while this transaction holds the article lock (taken by
    :func:`lock_article_writes`), and its parameters: PostgreSQL lists an advisory lock
    on a bigint key as two halves; SQLite, with one writer, is always in order."""
    if dialect != "postgresql":
        return "1", {}
    return (
        "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND pid = pg_backend_pid() AND classid::bigint = :high"
        " AND objid::bigint = :low AND objsubid = 1)",
        {"high": ARTICLE_LOCK >> 32, "low": ARTICLE_LOCK & 0xFFFF_FFFF},
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: how many recent visits of a source inform its adaptive poll interval
RECENT_VISITS = 5


def source_is_due(session: Session, row: Source, now: datetime) -> bool:
    """Whether a source should be visited now: its poll interval, lengthened when it has
    published nothing lately or keeps failing, shortened when it is busy."""
    outcomes = session.execute(
        select(FetchAttempt.outcome, FetchAttempt.articles_new)
        .where(
            FetchAttempt.source_id == row.id,
            # a visit cut short by a killed cycle says nothing about the source
            FetchAttempt.outcome.not_in(("running", "interrupted")),
        )
        .order_by(FetchAttempt.id.desc())
        .limit(RECENT_VISITS)
    ).all()
    recent_new = sum(new for _outcome, new in outcomes)
    quiet = 0
    for _outcome, new in outcomes:
        if new:
            break
        quiet += 1
    return is_due(
        now,
        row.last_checked_at,
        timedelta(minutes=row.poll_minutes),
        recent_new,
        row.consecutive_failures,
        quiet_checks=max(1, quiet),
    )
