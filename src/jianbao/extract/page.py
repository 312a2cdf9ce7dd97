"""The parsed page and what its markup states: title, canonical URL, site rule fields.

Titles come from several witnesses — the <h1>, og:title, <title> (minus the site name the
page appends), a crawl wrapper's title attribute — and the one the others agree with wins.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from jianbao.extract.blocks import iter_blocks
from jianbao.extract.site_rules import SITE_RULES, SiteRule

# Plain lxml elements (not lxml.html's): the per-element class lookup of lxml.html costs
# more than the rest of the walk on a large page.
_PARSER = etree.HTMLParser(remove_comments=False, remove_pis=True, no_network=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TITLE_SPLIT = re.compile(
    r"\s*(?:_|\||｜|—|--|-\s|\s-|::|·\s|－|_{2,}| > |»|<"
    r"|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff]))\s*"
)
_SPACE = re.compile(r"\s+")


def parse_html(text: str) -> etree._Element | None:
    """An lxml tree of the page, or None when there is nothing to parse."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def _text(node: object) -> str:
    if isinstance(node, str):
        return _SPACE.sub(" ", node).strip()
    if isinstance(node, etree._Element):
        return _SPACE.sub(" ", " ".join(b.text for b in iter_blocks(node))).strip()
    return ""


def first_text(tree: etree._Element, xpaths: tuple[str, ...]) -> str | None:
    """The text of the first XPath (in order) that yields any."""
    for xpath in xpaths:
        try:
            found = tree.xpath(xpath)
        except etree.XPathError:
            continue
        if not isinstance(found, list):
            continue
        for node in found:
            value = _text(node)
            if value:
                return value
    return None


def meta_content(tree: etree._Element, *keys: str) -> str | None:
    wanted = {k.lower() for k in keys}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key in wanted:
            value = _SPACE.sub(" ", meta.get("content") or "").strip()
            if value:
                return value
    return None


def match_rule(tree: etree._Element, url: str) -> SiteRule | None:
    """The first site rule whose hosts and signature match the page."""
    host = (urlsplit(url).hostname or "").lower()
    for rule in SITE_RULES:
        if rule.hosts and not any(host == h or host.endswith("." + h) for h in rule.hosts):
            continue
        try:
            if tree.xpath(rule.detect):
                return rule
        except etree.XPathError:
            continue
    return None


def canonical_url(tree: etree._Element, url: str) -> str:
    """<link rel=canonical>, then og:url, then the URL fetched; always absolute."""
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href and not href.startswith(("javascript:", "#")):
            return urljoin(url, href)
    og = meta_content(tree, "og:url")
    if og and og.startswith(("http://", "https://", "/")):
        return urljoin(url, og)
    return url


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def title_witnesses(tree: etree._Element) -> dict[str, str]:
    """Every place the page states its title."""
    found: dict[str, str] = {}
    og = meta_content(tree, "og:title", "twitter:title", "articletitle", "headline")
    if og:
        found["og"] = og
    head_title = tree.find(".//title")
    if head_title is not None and "".join(head_title.itertext()).strip():
        found["title"] = _SPACE.sub(" ", "".join(head_title.itertext())).strip()
    wrapper = tree.xpath("//text[@title]/@title")
    if wrapper:
        found["wrapper"] = str(wrapper[0]).strip()
    return found


_SITE_LIKE = re.compile(
    r"(?:网|網|新闻|新聞|资讯网|資訊網|频道|頻道|首页|首頁|Online|News|NEWS|\.com|\.cn)$"
    r"|^[A-Za-z0-9 .:|-]+$"
)
_SITE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:网|網|新闻|新聞)\s*[:：]\s*")


def site_like(text: str) -> bool:
    """True for a text that names a site or a section rather than an article."""
    text = text.strip().rstrip(":：|-_ ")
    return len(text) <= 4 or bool(_SITE_LIKE.search(text))


def _unprefixed(title: str) -> str:
    """'中國評論新聞：标题' → '标题' (an outlet's name printed before the headline)."""
    stripped = _SITE_PREFIX.sub("", title, count=1)
    return stripped if len(stripped) >= 6 else title


def find_title(tree: etree._Element, rule_title: str | None = None) -> tuple[str, float]:
    """The article's title and a confidence in it."""
    if rule_title:
        return rule_title, 0.95
    title, confidence = _title_guess(tree)
    return _unprefixed(title), confidence


def _title_guess(tree: etree._Element) -> tuple[str, float]:
    witnesses = title_witnesses(tree)
    page_title = witnesses.get("title") or witnesses.get("wrapper") or ""
    page_norm = _norm(page_title)
    headings: list[str] = []
    for tag in ("h1", "h2", "h3"):
        for element in tree.iter(tag):
            text = _text(element)
            if 4 <= len(text) <= 120 and not site_like(text):
                headings.append(text)
    # The longest heading that the <title> or og:title contains is the article title.
    references = [_norm(witnesses[k]) for k in ("og", "title", "wrapper") if k in witnesses]
    contained = [h for h in headings if _norm(h) and any(_norm(h) in r for r in references if r)]
    if contained:
        return max(contained, key=len), 0.9
    substantial = [h for h in headings if len(h) >= 6]
    if "og" in witnesses:
        og = _strip_site_name(witnesses["og"])
        if not site_like(og) or not substantial:
            return og, 0.8
    if page_title:
        stripped = _strip_site_name(page_title)
        # a heading that starts the <title> text is better than the split guess
        for heading in headings:
            if _norm(heading) and page_norm.startswith(_norm(heading)[:8]):
                return heading, 0.8
        if not site_like(stripped) or not substantial:
            return stripped, 0.7
    if substantial:
        return substantial[0], 0.6
    if headings:
        return headings[0], 0.5
    return "", 0.0


def _strip_site_name(title: str) -> str:
    """'文章标题_新闻中心_某某网' → '文章标题' (the longest part, usually the first)."""
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) <= 1:
        return title.strip()
    best = max(parts, key=len)
    return best.strip()
