"""From a source's fetched page to the article links it offers, by source kind.

``discover_links`` reads one fetched page (a feed, a listing page, a sitemap, a single
article URL). ``discover_source`` goes further where a source spans several documents:
it follows a listing's pagination up to ``SourceSpec.max_pages`` and a sitemap index's
child sitemaps, fetching them through the same polite fetcher.

``Link.source_name`` (the 来源) comes from the source's configured
``default_source_name`` when there is one, else from what the document says (the feed's
title, a news sitemap's publication name); a listing page names no outlet, so the
extractor reads it from the article page.
"""

from __future__ import annotations

from typing import Protocol

from jianbao.collect.feeds import parse_feed
from jianbao.collect.listing import find_article_links, find_next_page
from jianbao.collect.sitemaps import parse_sitemap
from jianbao.collect.urls import canonicalize_url
from jianbao.errors import JianbaoError, ParseError
from jianbao.extract.decoding import decode_html
from jianbao.records import FetchedPage, Link, SourceSpec

#: child sitemaps fetched at most per sitemap index
MAX_CHILD_SITEMAPS = 50


class PageFetcher(Protocol):
    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage: ...


def discover_links(spec: SourceSpec, page: FetchedPage) -> list[Link]:
    """The article links in one fetched page of ``spec``. Raises ParseError when the page
    is not what the source kind expects (e.g. an HTML page where a feed should be)."""
    if spec.kind == "feed":
        result = parse_feed(page.body, page.final_url, page.content_type)
        return _named(result.links, spec)
    if spec.kind == "listing":
        html = decode_html(page.body, page.content_type)
        return _named(find_article_links(html, page.final_url, spec.link_selector), spec)
    if spec.kind == "sitemap":
        return _named(parse_sitemap(page.body, page.final_url).links, spec)
    if spec.kind == "url":
        return [Link(url=page.final_url, source_name=spec.default_source_name)]
    raise ParseError(
        f"未知的来源类型：{spec.kind}",
        item=spec.name,
        hint="来源类型应为 feed、listing、sitemap 或 url",
    )


async def discover_source(
    fetcher: PageFetcher,
    spec: SourceSpec,
    page: FetchedPage,
    problems: list[str] | None = None,
) -> list[Link]:
    """All links of a source starting from its first fetched page: listing pagination
    (up to ``spec.max_pages`` pages) and sitemap index children are fetched too.

    A later page that fails to fetch or parse ends the walk; what was found is kept. A
    child sitemap that cannot be fetched or read (a refused address among them) is
    skipped, and said in ``problems`` when given, so the cycle reports it instead of
    losing that part of the source silently.
    """
    if spec.kind == "listing":
        return await _walk_listing(fetcher, spec, page)
    if spec.kind == "sitemap":
        return await _walk_sitemap(fetcher, spec, page, problems)
    return discover_links(spec, page)


async def _walk_listing(fetcher: PageFetcher, spec: SourceSpec, page: FetchedPage) -> list[Link]:
    links: list[Link] = []
    visited = {canonicalize_url(page.final_url)}
    current = page
    for number in range(1, max(1, spec.max_pages) + 1):
        html = decode_html(current.body, current.content_type)
        links.extend(find_article_links(html, current.final_url, spec.link_selector))
        if number >= spec.max_pages:
            break
        following = find_next_page(html, current.final_url)
        if following is None or canonicalize_url(following) in visited:
            break
        visited.add(canonicalize_url(following))
        try:
            current = await fetcher.fetch(following)
        except JianbaoError:
            break
    return _named(_unique(links), spec)


async def _walk_sitemap(
    fetcher: PageFetcher, spec: SourceSpec, page: FetchedPage, problems: list[str] | None
) -> list[Link]:
    result = parse_sitemap(page.body, page.final_url)
    links = list(result.links)
    pending = list(result.child_sitemaps)[:MAX_CHILD_SITEMAPS]
    visited = {canonicalize_url(page.final_url)}
    fetched = 0
    while pending and fetched < MAX_CHILD_SITEMAPS:
        child_url = pending.pop(0)
        key = canonicalize_url(child_url)
        if key in visited:
            continue
        visited.add(key)
        fetched += 1
        try:
            child = await fetcher.fetch(child_url)
            child_result = parse_sitemap(child.body, child.final_url)
        except JianbaoError as exc:
            if problems is not None:
                problems.append(f"子 sitemap 未能读取，已跳过：{exc}")
            continue
        links.extend(child_result.links)
        pending.extend(child_result.child_sitemaps)
    return _named(_unique(links), spec)


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(canonicalize_url(link.url), link)
    return list(seen.values())


def _named(links: list[Link], spec: SourceSpec) -> list[Link]:
    if spec.default_source_name:
        for link in links:
            link.source_name = spec.default_source_name
    return links
