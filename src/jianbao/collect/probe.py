"""What a URL would yield as a source, right now, without storing anything.

Backs ``jianbao sources test URL`` and ``sources add`` without ``--kind``: fetch the URL,
tell its kind from what came back (a feed, a sitemap, a page listing articles, or one
article), list the links it offers and the feeds the page itself declares, so a person
can pick the right kind before adding the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from jianbao.collect.discover import PageFetcher, discover_source
from jianbao.collect.listing import find_article_links, parse_html
from jianbao.collect.xmlhead import FEED_ROOTS, root_name
from jianbao.errors import JianbaoError
from jianbao.extract.decoding import decode_html
from jianbao.records import FetchedPage, Link, SourceKind, SourceSpec

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
#: a page with fewer article links than this is taken for a single article
MIN_LISTING_LINKS = 5


@dataclass
class SourceProbe:
    """What probing a URL found."""

    url: str
    final_url: str
    kind: SourceKind
    links: list[Link] = field(default_factory=list)
    #: feeds the page declares with <link rel="alternate">
    declared_feeds: list[str] = field(default_factory=list)
    title: str | None = None
    error: str | None = None


def detect_kind(page: FetchedPage) -> SourceKind:
    """The source kind a fetched document looks like."""
    body = page.body.lstrip()
    content_type = (page.content_type or "").lower()
    if "json" in content_type or body[:1] == b"{":
        return "feed"
    root = root_name(body[:4096])
    if root in FEED_ROOTS:
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    if body[:2] == b"\x1f\x8b" and "sitemap" in page.final_url.lower():
        return "sitemap"
    html = decode_html(page.body, page.content_type)
    if len(find_article_links(html, page.final_url)) >= MIN_LISTING_LINKS:
        return "listing"
    return "url"


def find_feed_links(html: str, base_url: str) -> list[str]:
    """The feeds a page declares (``<link rel="alternate" type="application/rss+xml">``)."""
    doc = parse_html(html)
    if doc is None:
        return []
    found: list[str] = []
    for element in doc.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").lower().strip()
        href = (element.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_TYPES and href:
            url = urljoin(base_url, href)
            if url.startswith(("http://", "https://")) and url not in found:
                found.append(url)
    return found


async def probe_source(
    fetcher: PageFetcher, url: str, *, kind: SourceKind | None = None, name: str = "probe"
) -> SourceProbe:
    """Fetch ``url`` and report its kind (detected unless given) and the links it yields.

    Fetch errors propagate (the caller shows them); a document that does not parse as
    the kind is reported in ``error`` with no links.
    """
    page = await fetcher.fetch(url)
    detected = kind or detect_kind(page)
    probe = SourceProbe(url=url, final_url=page.final_url, kind=detected)
    if detected in ("listing", "url"):
        html = decode_html(page.body, page.content_type)
        probe.declared_feeds = find_feed_links(html, page.final_url)
        doc = parse_html(html)
        if doc is not None:
            title = doc.findtext(".//title")
            probe.title = " ".join(title.split()) if title else None
    spec = SourceSpec(name=name, url=url, kind=detected)
    try:
        probe.links = await discover_source(fetcher, spec, page)
    except JianbaoError as exc:
        probe.error = str(exc)
    return probe
