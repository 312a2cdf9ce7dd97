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

from jianbao.collect.source_limits import KINDS, MAX_PAGES, check_source_spec
from jianbao.errors import InputError, ParseError
from jianbao.records import SourceKind, SourceSpec

#: the largest OPML file read (a reader's export of a thousand feeds is ~200 KB)
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_opml(text: str | bytes) -> list[SourceSpec]:
    """The sources an OPML document lists. Raises ParseError when it is not OPML.

    Outlines without a URL are folders; outlines that repeat a URL are skipped; names
    are made unique (``名称 (2)``) since a source's name is its key.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(
            f"OPML 文件过大：{len(data) / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB",
            hint="分成几个文件导入",
        )
    if b"<!ENTITY" in data:
        raise ParseError(
            "OPML 文件含有实体定义（<!ENTITY>），不予导入",
            hint="阅读器导出的 OPML 不需要实体定义；删去 <!DOCTYPE …> 一段后再导入",
        )
    # strict: in recover mode an entity bomb or 10,000 nested outlines read as an empty
    # document, and the import reported "0 added" with no error
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data.lstrip(b"\xef\xbb\xbf \t\r\n"), parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            "OPML 文件无法解析",
            item=f"第 {exc.lineno} 行" if exc.lineno else None,
            hint=f"{exc.msg}；请从阅读器重新导出完整的 OPML",
        ) from exc
    except ValueError as exc:
        raise ParseError("OPML 文件无法解析", hint=str(exc)[:200]) from exc
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ParseError("不是 OPML 文件：缺少 <opml> 根元素", hint="从阅读器导出 OPML 后再导入")
    specs: list[SourceSpec] = []
    names: set[str] = set()
    urls: set[str] = set()
    for position, outline in enumerate(root.iter("outline"), start=1):
        url = (outline.get("xmlUrl") or outline.get("url") or "").strip()
        if not url or url in urls:
            continue
        urls.add(url)
        kind = _kind(outline)
        where = f"第 {position} 个 outline（第 {outline.sourceline} 行）"
        title = _one_line(outline.get("title") or outline.get("text") or "")
        spec = SourceSpec(
            name=_unique(title or url, names),
            url=url,
            kind=kind,
            link_selector=outline.get("linkSelector") or None,
            max_pages=_page_count(outline.get("maxPages"), where),
            default_source_name=_one_line(outline.get("sourceName") or "") or None,
            render=outline.get("render") or "http",
            respect_robots=(outline.get("respectRobots") or "").lower() != "false",
        )
        try:
            check_source_spec(spec, where)
        except InputError as exc:
            raise ParseError(exc.message, item=exc.item, hint=exc.hint) from None
        specs.append(spec)
    return specs


def _one_line(text: str) -> str:
    """A title as one line: feed readers export titles with stray line breaks."""
    return " ".join(text.split())


def _kind(outline: etree._Element) -> SourceKind:
    declared = (outline.get("jianbaoKind") or "").strip().lower()
    if declared in KINDS:
        return cast(SourceKind, declared)
    if outline.get("xmlUrl"):
        return "feed"
    return "url"


def _page_count(value: str | None, where: str) -> int:
    """The ``maxPages`` written (1 when absent); anything but a whole number is refused."""
    text = (value or "").strip()
    if not text:
        return 1
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise ParseError(
            f"{where}的 maxPages 无效：{text[:20]}",
            hint=f"maxPages 须是 1 到 {MAX_PAGES} 之间的整数",
        )
    return int(text)


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
