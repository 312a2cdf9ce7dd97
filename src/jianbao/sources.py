"""Source tools for people: try a URL before adding it, see which sources need
attention, and move source lists in and out (OPML, TOML, YAML).

``probe_source`` answers "what would this source yield right now?" without storing
anything: the kind it looks like, the links found and the first article extracted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.collect.discover import discover_source
from jianbao.collect.feeds import parse_feed
from jianbao.collect.fetcher import Fetcher
from jianbao.collect.listing import find_article_links
from jianbao.collect.opml import read_opml, write_opml
from jianbao.collect.sitemaps import parse_sitemap
from jianbao.config import Settings
from jianbao.db.models import Article, Source
from jianbao.db.store import SOURCE_KINDS, add_source, list_sources, source_spec
from jianbao.errors import InputError, JianbaoError
from jianbao.extract import extract_article
from jianbao.extract.decoding import decode_html
from jianbao.records import Article as ArticleRecord
from jianbao.records import FetchedPage, Link, SourceKind, SourceSpec

#: a page with at least this many article-like links is taken for a listing page
LISTING_MIN_LINKS = 3


@dataclass
class ProbeResult:
    """What a source would yield now."""

    url: str
    kind: SourceKind
    links: list[Link] = field(default_factory=list)
    article: ArticleRecord | None = None
    article_error: str | None = None


def detect_kind(page: FetchedPage) -> SourceKind:
    """Feed, sitemap, listing page or single article, judged from the document itself."""
    try:
        if parse_feed(page.body, page.final_url, page.content_type).links:
            return "feed"
    except JianbaoError:
        pass
    try:
        found = parse_sitemap(page.body, page.final_url)
        if found.links or found.child_sitemaps:
            return "sitemap"
    except JianbaoError:
        pass
    html = decode_html(page.body, page.content_type)
    if len(find_article_links(html, page.final_url)) >= LISTING_MIN_LINKS:
        return "listing"
    return "url"


async def probe_source(
    settings: Settings, url: str, kind: SourceKind | None = None, selector: str | None = None
) -> ProbeResult:
    """Fetch ``url``, detect its kind unless given, list its links and extract the first."""
    async with Fetcher(settings) as fetcher:
        page = await fetcher.fetch(url)
        found_kind = kind or detect_kind(page)
        spec = SourceSpec(name="probe", url=url, kind=found_kind, link_selector=selector)
        links = await discover_source(fetcher, spec, page)
        result = ProbeResult(url=url, kind=found_kind, links=links)
        if not links:
            return result
        first = links[0]
        try:
            article_page = page if found_kind == "url" else await fetcher.fetch(first.url)
            result.article = extract_article(
                article_page.body, article_page.final_url, article_page.headers, hint=first
            )
        except JianbaoError as exc:
            result.article_error = str(exc)
        return result


@dataclass
class SourceHealth:
    """How a source is doing, and whether someone should look at it."""

    name: str
    kind: str
    enabled: bool
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    week_per_day: float
    usual_per_day: float
    flags: list[str] = field(default_factory=list)


#: failures in a row after which a source is flagged as failing
FAILING_AFTER = 3


def source_health(session: Session, now: datetime | None = None) -> list[SourceHealth]:
    """Every source with its recent and usual article rate and its flags:
    ``failing`` (keeps failing), ``quiet`` (nothing this week though it usually
    publishes), ``never`` (never fetched successfully)."""
    now = now or datetime.now(UTC)
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    result = []
    for row in list_sources(session):
        week_count = _count_since(session, row, week)
        month_count = _count_since(session, row, month)
        health = SourceHealth(
            name=row.name,
            kind=row.kind,
            enabled=row.enabled,
            last_success_at=row.last_success_at,
            last_error=row.last_error,
            consecutive_failures=row.consecutive_failures,
            week_per_day=week_count / 7,
            usual_per_day=month_count / 30,
        )
        if row.consecutive_failures >= FAILING_AFTER:
            health.flags.append("failing")
        if row.last_success_at is None and row.last_checked_at is not None:
            health.flags.append("never")
        if week_count == 0 and month_count >= 3:
            health.flags.append("quiet")
        result.append(health)
    return result


def _count_since(session: Session, row: Source, since: datetime) -> int:
    return int(
        session.scalar(
            select(func.count(Article.id)).where(
                Article.source_id == row.id, Article.extracted_at >= since
            )
        )
        or 0
    )


# -- import and export ------------------------------------------------------------------


def read_source_file(path: Path) -> list[SourceSpec]:
    """Sources from an OPML, TOML or YAML file (by its suffix)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", item=str(path)) from None
    suffix = path.suffix.lower()
    if suffix in (".opml", ".xml"):
        return read_opml(data)
    if suffix == ".toml":
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"TOML 文件无法解析：{exc}", item=str(path)) from None
        return _specs(table.get("sources", []), str(path))
    if suffix in (".yaml", ".yml"):
        try:
            loaded = yaml.safe_load(data.decode("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(f"YAML 文件无法解析：{exc}", item=str(path)) from None
        entries = loaded.get("sources", []) if isinstance(loaded, dict) else loaded
        return _specs(entries, str(path))
    raise InputError("不认识的来源文件类型", item=str(path), hint="使用 .opml、.toml 或 .yaml 文件")


def _specs(entries: object, where: str) -> list[SourceSpec]:
    if not isinstance(entries, list):
        raise InputError("sources 应是列表", item=where, hint="写成 [[sources]] 条目")
    specs = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            raise InputError(
                f"第 {n} 个来源缺少 name 或 url", item=where, hint="name = …, url = …"
            )
        kind = entry.get("kind", "feed")
        if kind not in SOURCE_KINDS:
            raise InputError(f"第 {n} 个来源：未知类型 {kind!r}", item=where)
        specs.append(
            SourceSpec(
                name=str(entry["name"]),
                url=str(entry["url"]),
                kind=kind,
                link_selector=entry.get("selector"),
                max_pages=int(entry.get("pages", 1)),
                default_source_name=entry.get("source_name"),
                render=entry.get("render", "http"),
            )
        )
    return specs


def import_sources(session: Session, specs: list[SourceSpec]) -> tuple[int, int]:
    """Add the sources not yet present (by name or URL); returns (added, skipped)."""
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
    """All sources as OPML or YAML text (YAML reads back with ``read_source_file``)."""
    specs = [source_spec(row) for row in list_sources(session)]
    if fmt == "opml":
        return write_opml(specs)
    if fmt == "yaml":
        entries = []
        for spec in specs:
            entry: dict[str, object] = {"name": spec.name, "url": spec.url, "kind": spec.kind}
            if spec.link_selector:
                entry["selector"] = spec.link_selector
            if spec.max_pages != 1:
                entry["pages"] = spec.max_pages
            if spec.default_source_name:
                entry["source_name"] = spec.default_source_name
            if spec.render != "http":
                entry["render"] = spec.render
            entries.append(entry)
        return yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False)
    raise InputError(f"未知的导出格式 {fmt!r}", hint="可用 opml 或 yaml")
