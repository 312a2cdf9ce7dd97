"""OPML import and export of sources, the format every feed reader speaks.

``read_opml`` takes the OPML a person exports from a feed reader (or from RSSHub, WeWe
RSS…) and returns one SourceSpec per feed outline, folders flattened. ``write_opml``
writes sources back; feeds as ordinary ``type="rss"`` outlines any reader can import,
and jianbao's other kinds (listing pages, sitemaps, single URLs) with their settings in
extra attributes (``jianbaoKind``, ``linkSelector``, ``maxPages``, ``sourceName``,
``render``, ``respectRobots``), which other readers ignore and ``read_opml`` reads back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import cast

from lxml import etree

from jianbao.errors import ParseError
from jianbao.records import SourceKind, SourceSpec

_KINDS: tuple[SourceKind, ...] = ("feed", "listing", "sitemap", "url")


def read_opml(text: str | bytes) -> list[SourceSpec]:
    """The sources an OPML document lists. Raises ParseError when it is not OPML.

    Outlines without a URL are folders; outlines that repeat a URL are skipped; names
    are made unique (``名称 (2)``) since a source's name is its key.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data.lstrip(b"\xef\xbb\xbf \t\r\n"), parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError("OPML 文件无法解析", hint=str(exc)) from exc
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ParseError("不是 OPML 文件：缺少 <opml> 根元素", hint="从阅读器导出 OPML 后再导入")
    specs: list[SourceSpec] = []
    names: set[str] = set()
    urls: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("url") or "").strip()
        if not url or url in urls:
            continue
        urls.add(url)
        kind = _kind(outline)
        name = _unique((outline.get("title") or outline.get("text") or url).strip() or url, names)
        specs.append(
            SourceSpec(
                name=name,
                url=url,
                kind=kind,
                link_selector=outline.get("linkSelector") or None,
                max_pages=_positive_int(outline.get("maxPages"), 1),
                default_source_name=outline.get("sourceName") or None,
                render=outline.get("render") or "http",
                respect_robots=(outline.get("respectRobots") or "").lower() != "false",
            )
        )
    return specs


def _kind(outline: etree._Element) -> SourceKind:
    declared = (outline.get("jianbaoKind") or "").strip().lower()
    if declared in _KINDS:
        return cast(SourceKind, declared)
    if outline.get("xmlUrl"):
        return "feed"
    return "url"


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number > 0 else default


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


def write_opml(specs: list[SourceSpec], *, title: str = "jianbao 来源") -> str:
    """An OPML 2.0 document listing ``specs`` (UTF-8 text with an XML declaration)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = etree.SubElement(root, "body")
    for spec in specs:
        outline = etree.SubElement(body, "outline", text=spec.name, title=spec.name)
        if spec.kind == "feed":
            outline.set("type", "rss")
            outline.set("xmlUrl", spec.url)
        else:
            outline.set("type", "link")
            outline.set("url", spec.url)
            outline.set("jianbaoKind", spec.kind)
        if spec.link_selector:
            outline.set("linkSelector", spec.link_selector)
        if spec.max_pages != 1:
            outline.set("maxPages", str(spec.max_pages))
        if spec.default_source_name:
            outline.set("sourceName", spec.default_source_name)
        if spec.render != "http":
            outline.set("render", spec.render)
        if not spec.respect_robots:
            outline.set("respectRobots", "false")
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text
