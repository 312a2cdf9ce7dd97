"""Finding article links on a listing page (most government sites have no feed).

By default a link counts as an article when it stays on the listing's site and its URL or
its anchor text looks like one: a date in the path (``/2023/10/16/``, ``/202310/``),
``t20231016_``, ``content_``, ``art_``, an ``.shtml``/``.html`` name with digits, or a long
Chinese anchor text — and it is not a navigation, index or list page. When a source names
a CSS selector, the selector decides instead. A date written next to a link (``<span>
2023-10-16</span>`` in the same row) becomes the link's ``published_at``.

``find_next_page`` finds the next page of a paginated listing: a 下一页 link, ``rel=next``,
or the ``createPageHTML(…)`` call that TRS-built government sites use to draw their pager
(``index.html`` → ``index_1.html``).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from jianbao.collect.dates import find_date
from jianbao.collect.urls import canonicalize_url, same_site
from jianbao.errors import ParseError
from jianbao.records import Link

#: URL shapes of article pages on Chinese news and government sites
ARTICLE_URL_PATTERNS = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"/(?:19|20)\d{2}[-_/]?(?:0[1-9]|1[0-2])(?:[-_/]?(?:0[1-9]|[12]\d|3[01]))?/",
        r"[/_]t(?:19|20)\d{6}_\d+",
        r"content_\d+",
        r"art_\d+_\d+",
        r"/[^/?#]*\d{4,}[^/?#]*\.s?html?$",
        r"/(?:article|detail|details|content|news|show|view|info|doc)s?/\d{3,}",
        r"[?&](?:id|aid|articleid|article_id|newsid|news_id|contentid|docid|infoid)=\d{3,}",
        r"/c_\d+\.htm",
    )
)
#: file names of index, list and navigation pages
NAV_NAME = re.compile(
    r"^(?:index|default|list|more|home|main|node|column|channel|category)(?:_\d+)?"
    r"(?:\.s?html?|\.jsp|\.php|\.aspx?)?$",
    re.I,
)
NAV_TEXTS = frozenset(
    {
        "首页",
        "更多",
        "更多>>",
        "更多>",
        ">>",
        "下一页",
        "上一页",
        "尾页",
        "末页",
        "返回",
        "返回首页",
        "登录",
        "注册",
        "网站地图",
        "联系我们",
        "关于我们",
        "无障碍",
        "English",
    }
)
BINARY_EXTENSIONS = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|jpe?g|png|gif|bmp|webp|mp4|mp3|avi|wps|exe|apk)$",
    re.I,
)
NEXT_TEXTS = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "next page", "›", "»", ">"})
_CHROME_TAGS = frozenset({"nav", "footer"})
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*"
    r"['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
#: a long enough Chinese anchor text is an article title
MIN_TITLE_CHARS = 8
MIN_TITLE_CJK = 6


def parse_html(text: str) -> lxml_html.HtmlElement | None:
    """Parse a page leniently; None when there is nothing to parse."""
    cleaned = _XML_DECL.sub("", text or "")
    if not cleaned.strip():
        return None
    try:
        return lxml_html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None


def _base(doc: lxml_html.HtmlElement, base_url: str) -> str:
    for element in doc.iter("base"):
        href = element.get("href")
        if href:
            return urljoin(base_url, href.strip())
    return base_url


def _anchor_text(anchor: lxml_html.HtmlElement) -> str:
    return _SPACE.sub(" ", anchor.text_content() or "").strip()


def _title_of(anchor: lxml_html.HtmlElement) -> str:
    """The anchor's text, or its title attribute when the text is cut short ("…")."""
    text = _anchor_text(anchor)
    attribute = _SPACE.sub(" ", anchor.get("title") or "").strip()
    if attribute and len(attribute) > len(text.rstrip(".…")):
        return attribute
    return text


def _http_url(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    return url.split("#", 1)[0]


def url_looks_like_article(url: str) -> bool:
    return any(pattern.search(url) for pattern in ARTICLE_URL_PATTERNS)


def text_looks_like_title(text: str) -> bool:
    return (
        len(text) >= MIN_TITLE_CHARS
        and len(_CJK.findall(text)) >= MIN_TITLE_CJK
        and text not in NAV_TEXTS
    )


def is_navigation(url: str, text: str) -> bool:
    """True for links to index, list and navigation pages (and downloads)."""
    if text in NAV_TEXTS:
        return True
    try:
        path = urlsplit(url).path
    except ValueError:
        return True
    if not path or path.endswith("/"):
        return True
    name = path.rsplit("/", 1)[-1]
    return bool(NAV_NAME.match(name)) or bool(BINARY_EXTENSIONS.search(path))


def _in_chrome(anchor: lxml_html.HtmlElement) -> bool:
    """True for a link inside the page's navigation or footer (``<nav>``, ``<footer>``)."""
    return any(parent.tag in _CHROME_TAGS for parent in anchor.iterancestors())


def _row_date(anchor: lxml_html.HtmlElement) -> datetime | None:
    """The date written in the anchor's row, when the row holds only this one link."""
    node = anchor
    for _level in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html", "ul", "ol", "table", "tbody"):
            break
        if len([a for a in parent.iter("a") if a.get("href")]) > 1:
            break
        found = find_date(parent.text_content() or "")
        if found is not None:
            return found
        node = parent
    return find_date(_anchor_text(anchor))


def find_article_links(html: str, base_url: str, selector: str | None = None) -> list[Link]:
    """The article links on a listing page, in page order, each once.

    With ``selector`` (CSS), the selected ``<a>`` elements, or the links inside the
    selected elements, are taken as they are; without it, the article heuristics decide.
    Raises ParseError for a selector that does not parse.
    """
    doc = parse_html(html)
    if doc is None:
        return []
    base = _base(doc, base_url)
    anchors = _select(doc, selector) if selector else [a for a in doc.iter("a") if a.get("href")]
    page_key = canonicalize_url(base_url)
    found: dict[str, Link] = {}
    for anchor in anchors:
        url = _http_url(base, anchor.get("href"))
        if url is None:
            continue
        key = canonicalize_url(url)
        if key == page_key:
            continue
        title = _title_of(anchor)
        if not selector:
            if not same_site(url, base_url) or is_navigation(url, title) or _in_chrome(anchor):
                continue
            if not (url_looks_like_article(url) or text_looks_like_title(title)):
                continue
        link = Link(url=url, title=title or None, published_at=_row_date(anchor))
        known = found.get(key)
        if known is None:
            found[key] = link
        else:
            if len(title) > len(known.title or ""):
                known.title = title
            if known.published_at is None and link.published_at is not None:
                known.published_at = link.published_at
    return list(found.values())


def _select(doc: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    try:
        selected = doc.cssselect(selector)
    except Exception as exc:  # cssselect raises its own SelectorError kinds
        raise ParseError(
            f"CSS 选择器无法解析：{selector}",
            item=selector,
            hint="检查来源的 link_selector，例如 'ul.list li a'",
        ) from exc
    anchors: list[lxml_html.HtmlElement] = []
    for element in selected:
        if element.tag == "a":
            anchors.append(element)
        else:
            anchors.extend(a for a in element.iter("a") if a.get("href"))
    return anchors


def find_next_page(html: str, base_url: str) -> str | None:
    """The URL of the listing's next page, or None on the last page."""
    doc = parse_html(html)
    if doc is None:
        return None
    base = _base(doc, base_url)
    here = canonicalize_url(base_url)
    candidates: list[str | None] = []
    for element in doc.iter("a", "link"):
        rel = (element.get("rel") or "").lower().split()
        if "next" in rel:
            candidates.append(_http_url(base, element.get("href")))
    for anchor in doc.iter("a"):
        text = _anchor_text(anchor).lower()
        if text in NEXT_TEXTS or (anchor.get("title") or "").strip() in NEXT_TEXTS:
            candidates.append(_http_url(base, anchor.get("href")))
    candidates.append(_trs_next(html, base))
    for candidate in candidates:
        if candidate and canonicalize_url(candidate) != here:
            return candidate
    return None


def _trs_next(html: str, base: str) -> str | None:
    """Next page from a TRS pager call: ``createPageHTML(count, current, "index", "html")``
    (current 0-based) or ``createPageHTML('div', count, current, 'list', 'shtml', total)``
    (current 1-based). Either way the next page is ``<prefix>_<current+1>.<ext>``."""
    match = _TRS_PAGER.search(html)
    if match is None:
        return None
    count, current = int(match.group(1)), int(match.group(2))
    prefix, extension = match.group(3), match.group(4)
    one_based = match.group(0).split("(", 1)[1].lstrip().startswith(("'", '"'))
    last = count if one_based else count - 1
    if current + 1 > last:
        return None
    return urljoin(base, f"{prefix}_{current + 1}.{extension}")
