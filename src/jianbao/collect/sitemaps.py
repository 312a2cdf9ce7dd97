"""Reading sitemaps: ``urlset``, ``sitemapindex``, Google News sitemaps, gzip and plain text.

A sitemap index only names child sitemaps; ``discover`` fetches those (bounded). Google
News sitemaps carry the headline, the publish time and the outlet's name, which become the
Link's title, ``published_at`` and ``source_name``. ``<lastmod>`` is a modification time,
not a publish time, so it is kept apart (``SitemapResult.lastmod``) for incremental
collection rather than passed off as a publish date.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from jianbao.collect.dates import parse_datetime
from jianbao.errors import ParseError, excerpt
from jianbao.records import Link

#: a gzip sitemap is inflated at most to this size (the protocol caps sitemaps at 50 MB)
MAX_INFLATED = 50 * 1024 * 1024


@dataclass
class SitemapResult:
    """Article links and child sitemaps found in one sitemap document."""

    links: list[Link] = field(default_factory=list)
    child_sitemaps: list[str] = field(default_factory=list)
    #: URL → <lastmod>, for links and child sitemaps that give one
    lastmod: dict[str, datetime] = field(default_factory=dict)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _inflate(body: bytes, url: str) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflater.decompress(body, MAX_INFLATED)
    except zlib.error as exc:
        raise ParseError("sitemap 的 gzip 压缩数据损坏", item=url, hint="检查网址") from exc


def parse_sitemap(body: bytes, url: str) -> SitemapResult:
    """Read one sitemap document. Raises ParseError when it is not a sitemap."""
    data = _inflate(body, url)
    if not data.strip():
        raise ParseError("sitemap 内容为空", item=url, hint="检查网址是否仍是 sitemap 地址")
    if not data.lstrip().startswith(b"<"):
        return _parse_text(data, url)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError("sitemap 不是有效的 XML", item=url, hint=excerpt(str(exc))) from exc
    if root is None:
        raise ParseError("sitemap 不是有效的 XML", item=url, hint="检查网址是否仍是 sitemap")
    kind = _local(root.tag)
    if kind == "urlset":
        return _parse_urlset(root)
    if kind == "sitemapindex":
        return _parse_index(root)
    raise ParseError(
        f"不是 sitemap：根元素是 <{excerpt(kind, 40) or '?'}>",
        item=url,
        hint="订阅源请用 feed 类型，网页列表请用 listing 类型",
    )


def _parse_urlset(root: etree._Element) -> SitemapResult:
    result = SitemapResult()
    seen: set[str] = set()
    for entry in root:
        if _local(entry.tag) != "url":
            continue
        loc = _child_text(entry, "loc")
        if not loc or not loc.startswith(("http://", "https://")) or loc in seen:
            continue
        seen.add(loc)
        link = Link(url=loc)
        news = _child(entry, "news")
        if news is not None:
            link.title = _child_text(news, "title")
            link.published_at = parse_datetime(_child_text(news, "publication_date"))
            publication = _child(news, "publication")
            if publication is not None:
                link.source_name = _child_text(publication, "name")
        modified = parse_datetime(_child_text(entry, "lastmod"))
        if modified is not None:
            result.lastmod[loc] = modified
        result.links.append(link)
    return result


def _parse_index(root: etree._Element) -> SitemapResult:
    result = SitemapResult()
    for entry in root:
        if _local(entry.tag) != "sitemap":
            continue
        loc = _child_text(entry, "loc")
        if loc and loc.startswith(("http://", "https://")) and loc not in result.child_sitemaps:
            result.child_sitemaps.append(loc)
            modified = parse_datetime(_child_text(entry, "lastmod"))
            if modified is not None:
                result.lastmod[loc] = modified
    return result


def _parse_text(data: bytes, url: str) -> SitemapResult:
    """A text sitemap: one URL per line."""
    lines = [line.strip() for line in data.decode("utf-8", errors="replace").splitlines()]
    urls = [line for line in lines if line]
    if not urls or not all(line.startswith(("http://", "https://")) for line in urls[:20]):
        raise ParseError("不是 sitemap：内容既不是 XML 也不是网址列表", item=url)
    result = SitemapResult()
    for line in dict.fromkeys(urls):
        if line.startswith(("http://", "https://")):
            result.links.append(Link(url=line))
    return result
