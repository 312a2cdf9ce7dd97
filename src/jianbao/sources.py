"""Source tools for people: try a URL before adding it, see which sources need
attention, and move source lists in and out (OPML, TOML, YAML).

``probe_source`` answers "what would this source yield right now?" without storing
anything: the kind it looks like, the links found and the first article extracted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.collect.health import assess_source
from jianbao.collect.opml import read_opml, write_opml
from jianbao.collect.source_limits import check_source_spec
from jianbao.collect.sourcefile import format_for, read_sources_file, write_sources_file
from jianbao.config import Settings
from jianbao.db.attempts import newest_with_links
from jianbao.db.models import Article, Source
from jianbao.db.store import add_source, list_sources, source_spec
from jianbao.errors import InputError, JianbaoError, NotFound
from jianbao.records import Article as ArticleRecord
from jianbao.records import Bilingual, Link, SourceKind, SourceSpec

#: the largest sources file read (OPML, TOML or YAML)
MAX_SOURCE_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class ProbeResult:
    """What a source would yield now."""

    url: str
    kind: SourceKind
    links: list[Link] = field(default_factory=list)
    article: ArticleRecord | None = None
    article_error: str | None = None


async def probe_source(
    settings: Settings, url: str, kind: SourceKind | None = None, selector: str | None = None
) -> ProbeResult:
    """Fetch ``url``, detect its kind unless given, list its links and extract the first."""
    return await probe_spec(
        settings,
        SourceSpec(name="probe", url=url, kind=kind or "feed", link_selector=selector),
        detect=kind is None,
    )


async def probe_spec(settings: Settings, spec: SourceSpec, *, detect: bool = False) -> ProbeResult:
    """What a configured source would yield now (``jianbao sources test``, the
    workstation's 试抓): found the way a collection cycle finds them, with the same fetcher,
    guard and limits, and its first article extracted; nothing stored. ``detect`` reads the
    kind from the page instead of the spec."""
    # imported here: the fetcher (aiohttp) and the extractor (trafilatura) are the
    # heaviest imports of the workstation's start-up, and only a probe needs them
    from jianbao.collect.discover import discover_source
    from jianbao.collect.fetcher import Fetcher
    from jianbao.collect.probe import detect_kind
    from jianbao.extract import extract_article

    async with Fetcher(settings) as fetcher:
        page = await fetcher.fetch(spec.url)
        if detect:
            spec = replace(spec, kind=detect_kind(page))
        links = await discover_source(fetcher, spec, page)
        result = ProbeResult(url=spec.url, kind=spec.kind, links=links)
        if not links:
            return result
        first = links[0]
        try:
            article_page = page if spec.kind == "url" else await fetcher.fetch(first.url)
            result.article = extract_article(
                article_page.body, article_page.final_url, article_page.headers, hint=first
            )
        except JianbaoError as exc:
            result.article_error = str(exc)
        return result


@dataclass
class SourceHealth:
    """How a source is doing, and whether someone should look at it."""

    id: int
    name: str
    kind: str
    enabled: bool
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    week_per_day: float
    usual_per_day: float
    #: ok, new, empty, quiet, failing or dead (see jianbao.collect.health)
    status: str = "ok"
    #: why, in Chinese (each one a str) and English (``.en``)
    reasons: list[Bilingual] = field(default_factory=list)


def source_health(session: Session, now: datetime | None = None) -> list[SourceHealth]:
    """Every source with its recent and usual article rate and its health status
    (``jianbao.collect.health.assess_source`` judges; this reads the figures).

    The rates count articles by their publication date, not by when they were collected:
    a first collection or a backfill brings in weeks of articles at once, which by
    collection time looked like a burst this week and a silence before."""
    now = now or datetime.now(UTC)
    week = _counts_since(session, now - timedelta(days=7), now)
    month = _counts_since(session, now - timedelta(days=30), now)
    ever = _counts_ever(session)
    sources = list_sources(session)
    links = _links_found(session, [row.id for row in sources if not ever.get(row.id)])
    result = []
    for row in sources:
        week_per_day = week.get(row.id, 0) / 7
        usual_per_day = month.get(row.id, 0) / 30
        verdict = assess_source(
            now,
            last_success=row.last_success_at,
            consecutive_failures=row.consecutive_failures,
            last_error=row.last_error,
            recent_per_day=week_per_day,
            usual_per_day=usual_per_day,
            articles_ever=ever.get(row.id, 0),
            links_ever=links.get(row.id, 0),
        )
        result.append(
            SourceHealth(
                id=row.id,
                name=row.name,
                kind=row.kind,
                enabled=row.enabled,
                last_success_at=row.last_success_at,
                last_error=row.last_error,
                consecutive_failures=row.consecutive_failures,
                week_per_day=week_per_day,
                usual_per_day=usual_per_day,
                status=verdict.status,
                reasons=verdict.reasons,
            )
        )
    return result


#: verdicts that mean someone should look at the source
NEEDS_ATTENTION = ("empty", "quiet", "failing", "dead")


def _counts_since(session: Session, since: datetime, now: datetime) -> dict[int, int]:
    """Articles per source published between ``since`` and ``now`` (an article without a
    date counts from when it was collected): two queries, each on its own index."""
    counts: dict[int, int] = {}
    dated = Article.published_at >= since, Article.published_at <= now
    undated = Article.extracted_at >= since, Article.published_at.is_(None)
    for where in (dated, undated):
        rows = session.execute(
            select(Article.source_id, func.count(Article.id))
            .where(*where, Article.source_id.is_not(None))
            .group_by(Article.source_id)
        )
        for source_id, count in rows:
            if source_id is not None:
                counts[source_id] = counts.get(source_id, 0) + int(count)
    return counts


def _links_found(session: Session, source_ids: list[int]) -> dict[int, int]:
    """For these sources, the article links that each one's newest visit finding any
    found (none: no kept visit found one; pruning keeps each source's newest such visit,
    jianbao.db.attempts, so "never" stays true). Asked only for the sources without
    articles; each is read from the end of its ``(source_id, id)`` index entries and stops
    at the first visit with links, instead of taking the most over its whole history."""
    if not source_ids:
        return {}
    newest = newest_with_links(Source.id, "links_found")
    rows = session.execute(select(Source.id, newest).where(Source.id.in_(source_ids)))
    return {source_id: int(found or 0) for source_id, found in rows}


def _counts_ever(session: Session) -> dict[int, int]:
    """Articles per source, all time (the source_id index answers it)."""
    rows = session.execute(
        select(Article.source_id, func.count(Article.id))
        .where(Article.source_id.is_not(None))
        .group_by(Article.source_id)
    )
    return {source_id: int(count) for source_id, count in rows if source_id is not None}


# -- editing ----------------------------------------------------------------------------


def update_source(session: Session, source_id: int, spec: SourceSpec) -> Source:
    """Change a stored source's name, address, kind, link selector, 来源 and page count.

    Checked like a new source (``check_source_spec``); a name another source holds is an
    error. The fetch state (ETag, failures, last success) is kept unless the address or
    the kind changed: then the next cycle fetches afresh and judges the source anew.
    """
    row = session.get(Source, source_id)
    if row is None:
        raise NotFound("没有这个来源", item=str(source_id))
    check_source_spec(spec)
    taken = session.scalar(select(Source.id).where(Source.name == spec.name, Source.id != row.id))
    if taken is not None:
        raise InputError("已有同名来源", item=spec.name, hint="换一个名称")
    if (spec.url, spec.kind) != (row.url, row.kind):
        row.etag = row.last_modified = row.last_error = None
        row.last_success_at = None
        row.consecutive_failures = 0
    row.name, row.url, row.kind = spec.name, spec.url, spec.kind
    row.link_selector = spec.link_selector
    row.default_source_name = spec.default_source_name
    row.max_pages = spec.max_pages
    session.flush()
    return row


def remove_source(session: Session, source_id: int) -> str:
    """Delete a source; its articles stay (their ``source_id`` becomes empty). Its name."""
    row = session.get(Source, source_id)
    if row is None:
        raise NotFound("没有这个来源", item=str(source_id))
    name = row.name
    session.delete(row)
    session.flush()
    return name


# -- import and export ------------------------------------------------------------------


def read_source_file(path: Path) -> list[SourceSpec]:
    """Sources from an OPML, TOML or YAML file (by its suffix)."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_FILE_BYTES:
            raise InputError(
                f"来源文件过大：{size / 1048576:.1f} MB，"
                f"上限 {MAX_SOURCE_FILE_BYTES // 1048576} MB",
                item=str(path),
                hint="分成几个文件导入",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", item=str(path)) from None
    if path.suffix.lower() in (".opml", ".xml"):
        return read_opml(data)
    fmt = format_for(path.name)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("来源文件不是 UTF-8 编码", item=str(path), hint="另存为 UTF-8") from None
    return read_sources_file(content, fmt)


def import_sources(session: Session, specs: list[SourceSpec]) -> tuple[int, int]:
    """Add the sources not yet present (by name or URL); returns (added, skipped).

    Every source is checked before any is added, so a bad one in the middle of a file
    leaves nothing half-imported (and the session's transaction rolls back the rest).
    """
    for position, spec in enumerate(specs, start=1):
        check_source_spec(spec, f"第 {position} 个来源")
    taken_names = {row.name for row in list_sources(session)}
    taken_urls = {row.url for row in list_sources(session)}
    added = skipped = 0
    for spec in specs:
        if spec.name in taken_names or spec.url in taken_urls:
            skipped += 1
            continue
        add_source(session, spec)
        taken_names.add(spec.name)
        taken_urls.add(spec.url)
        added += 1
    return added, skipped


def export_sources(session: Session, fmt: str) -> str:
    """All sources as OPML, YAML or TOML text (readable back by ``read_source_file``)."""
    specs = [source_spec(row) for row in list_sources(session)]
    if fmt == "opml":
        return write_opml(specs)
    if fmt in ("yaml", "toml"):
        return write_sources_file(specs, fmt)  # type: ignore[arg-type]
    raise InputError(f"未知的导出格式 {fmt!r}", hint="可用 opml、yaml 或 toml")
