"""bytes + URL (+ headers, + a feed's hint) → Article.

The order: decode; parse; a site rule when one matches; candidate bodies from the general
methods, chosen by measured features; byline lines read into fields and removed; noise
cleaned; date found where the article states it; the feed's hint fills what the page lacks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from jianbao.errors import ExtractError
from jianbao.extract import dates
from jianbao.extract.blocks import Block, iter_blocks
from jianbao.extract.body import (
    Candidate,
    choose_body,
    density_candidate,
    looks_doubtful,
    measure,
    trafilatura_candidate,
)
from jianbao.extract.budget import ExtractBudget
from jianbao.extract.byline import (
    Byline,
    dateline_source,
    is_byline,
    read_byline,
    reporter_credit,
)
from jianbao.extract.cleanup import (
    clean_paragraphs,
    is_noise,
    normalize_text,
    title_text,
    without_controls,
)
from jianbao.extract.decoding import decode_html
from jianbao.extract.layout import body_end, body_start, header_region, title_index
from jianbao.extract.page import (
    canonical_url,
    find_title,
    first_text,
    match_rule,
    parse_html,
    site_like,
)
from jianbao.extract.patterns import AUTHOR_CLASS, SOURCE_CLASS
from jianbao.extract.published import find_published
from jianbao.extract.sanitize import paragraphs_to_html
from jianbao.extract.site_rules import SiteRule
from jianbao.records import SHANGHAI, Article, Link

_SOURCE_CLASS = re.compile(SOURCE_CLASS, re.I)
_AUTHOR_CLASS = re.compile(AUTHOR_CLASS, re.I)
_DATE_TEXT = re.compile(
    r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_FIELD_LABEL = re.compile(r"^[\s(（【\[]*(?:来源|來源|作者|记者|記者|稿源)?\s*[:：]?\s*")

#: a body shorter than this (characters) is not an article
_MIN_BODY = 20


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def extract_article(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    hint: Link | None = None,
    budget: ExtractBudget | None = None,
) -> Article:
    """Extract one article from a fetched page; raises ExtractError when it has no body,
    or when the page is beyond its ``budget`` (markup, elements, CPU time)."""
    budget = (budget or ExtractBudget()).start()
    return extract_decoded(decode_page(body, headers), url, hint, budget)


def decode_page(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """The page's text, decoded by its Content-Type header, its markup and its bytes."""
    return decode_html(body, _header(headers, "content-type"))


def extract_decoded(
    text: str, url: str, hint: Link | None = None, budget: ExtractBudget | None = None
) -> Article:
    """:func:`extract_article` of a page already decoded (the collection cycle times
    decoding and extraction apart); ``budget`` started before decoding, when it was."""
    if budget is None:
        budget = ExtractBudget().start()
    budget.check_markup(text, url)
    tree = parse_html(text)
    if tree is None:
        return _from_hint_only(url, hint, "页面为空或不是 HTML")
    budget.check_elements(tree, url)
    return extract_from_tree(tree, text, url, hint, budget)


def extract_from_tree(
    tree: etree._Element,
    text: str,
    url: str,
    hint: Link | None = None,
    budget: ExtractBudget | None = None,
) -> Article:
    """The extraction proper, on an already parsed page (benchmarks time this too)."""
    if budget is None:
        budget = ExtractBudget().start()
    rule = match_rule(tree, url)
    rule_fields = _apply_rule(tree, rule) if rule else {}
    title, title_conf = find_title(tree, _as_str(rule_fields.get("title")))
    # a feed's title beats a guess from <title> (site names, section names)
    if hint and hint.title and (not title or title_conf <= 0.7):
        title, title_conf = hint.title.strip(), 0.75

    body_element = tree.find(".//body")
    page_blocks = list(iter_blocks(body_element if body_element is not None else tree))
    budget.check_time("读取页面块", url)
    title_at = title_index(page_blocks, title)
    chosen = _choose_candidate(
        tree, text, url, page_blocks, title_at, rule_fields.get("body_candidate"), title, budget
    )
    budget.check_time("选取正文", url)
    raw = chosen.paragraphs if chosen else []
    start_index = body_start(page_blocks, raw, title_at)
    header_blocks = header_region(page_blocks, title_at, start_index)
    if site_like(title) and start_index is not None:
        headline = _headline_before(page_blocks, start_index)
        if headline:
            title, title_conf = headline, 0.55

    byline = Byline()
    for block in header_blocks:
        byline.merge(read_byline(block.text))
    # byline lines printed just after the body (作者：… under the last paragraph)
    if start_index is not None:
        end_index = body_end(page_blocks, raw, start_index)
        for block in page_blocks[end_index + 1 : end_index + 6]:
            if block.link_density < 0.5 and is_byline(block.text):
                byline.merge(read_byline(block.text))
    # bylines inside the body: the first few and last few paragraphs
    edges = raw[:4] + raw[-6:] if len(raw) > 10 else raw
    for paragraph in edges:
        if is_byline(normalize_text(paragraph)):
            byline.merge(read_byline(normalize_text(paragraph)))

    paragraphs = clean_paragraphs(raw, title)
    budget.check_time("清理段落", url)
    if sum(len(p) for p in paragraphs) < _MIN_BODY and hint is not None:
        paragraphs = _hint_paragraphs(hint) or paragraphs
    if sum(len(p) for p in paragraphs) < _MIN_BODY:
        raise ExtractError(
            "页面里没有找到正文",
            item=url,
            hint="检查该网址是否为文章页；如是，请为该站点添加站点规则（extract/site_rules.py）",
        )

    confidence: dict[str, float] = {"title": title_conf}
    chosen_features = chosen.features if chosen else measure(paragraphs)
    confidence["body"] = _body_confidence(chosen_features, chosen.method if chosen else "hint")

    published = find_published(
        tree, text, url, rule_fields, header_blocks, byline, raw, hint, page_blocks, start_index
    )
    confidence["published_at"] = published.confidence

    source = rule_fields.get("source") or byline.source
    source_conf = 0.9 if source else 0.0
    if not source:
        source = _classed_text(tree, header_blocks, _SOURCE_CLASS)
        source_conf = 0.75 if source else 0.0
    if not source and paragraphs:
        source = dateline_source(paragraphs[0])
        source_conf = 0.6 if source else 0.0
    if not source and hint and hint.source_name:
        source, source_conf = hint.source_name, 0.5
    confidence["source_name"] = source_conf

    author = rule_fields.get("author") or byline.author
    if not author:
        author = _credited_reporter(paragraphs, header_blocks)
    if not author:
        author = _classed_text(tree, header_blocks, _AUTHOR_CLASS)
    if not author and hint and hint.author:
        author = hint.author
    confidence["author"] = 0.8 if author else 0.0

    return Article(
        url=url,
        canonical_url=canonical_url(tree, url),
        title=title_text(title) or (title_text(hint.title) if hint and hint.title else ""),
        paragraphs=paragraphs,
        published_at=published.value,
        source_name=_field_text(source),
        author=_field_text(author),
        language=_language(paragraphs),
        html=paragraphs_to_html(paragraphs),
        confidence=confidence,
    )


def _headline_before(blocks: list[Block], start: int) -> str | None:
    """The nearest headline-shaped block above the body, for pages whose <title> and
    og:title only name the site and whose headline is not marked up as a heading."""
    for block in reversed(blocks[max(0, start - 8) : start]):
        text = block.text.strip()
        if not 6 <= len(text) <= 60 or block.link_density >= 0.5:
            continue
        if text[-1] in "。；;：:" or site_like(text) or is_byline(text) or is_noise(text):
            continue
        if dates.is_date_line(text) or dates.parse_date(text) is not None:
            continue
        return text
    return None


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _field_text(value: object) -> str | None:
    """A source or author as stored: on one line, without control characters (a feed's
    author or a page's 来源 can carry them as a title can), or None when nothing is left."""
    return (title_text(value) or None) if isinstance(value, str) else None


def _choose_candidate(
    tree: etree._Element,
    text: str,
    url: str,
    blocks: list[Block],
    title_index: int | None,
    rule_body: object,
    title: str,
    budget: ExtractBudget,
) -> Candidate | None:
    """The body: the site rule's when it has one; else our density method, checked.

    trafilatura runs only when the density candidate looks doubtful by its measured
    features (little text, few sentence marks, many links or short lines), so the usual
    page costs one walk of the tree and the hard page gets a second opinion.
    """
    if isinstance(rule_body, Candidate) and rule_body.chars >= _MIN_BODY:
        return rule_body
    candidates: list[Candidate] = []
    density = density_candidate(tree, blocks, title_index)
    if density is not None:
        candidates.append(density)
        if not looks_doubtful(density):
            return density
    budget.check_time("密度法取正文", url)  # before trafilatura walks the page again
    second = trafilatura_candidate(text, url, blocks)
    if second is not None:
        candidates.append(second)
    return choose_body(candidates, title)


# -- site rules ---------------------------------------------------------------------------


def _apply_rule(tree: etree._Element, rule: SiteRule) -> dict[str, object]:
    fields: dict[str, object] = {"rule": rule.name}
    for xpath in rule.remove:
        for element in tree.xpath(xpath):
            _drop(element)
    title = first_text(tree, rule.title)
    if title:
        fields["title"] = title
    for name, xpaths in (("source", rule.source), ("author", rule.author)):
        value = first_text(tree, xpaths)
        if value:
            parsed = read_byline(value)
            labelled = parsed.source if name == "source" else parsed.author
            fields[name] = labelled or (
                value if len(value) <= 40 and ":" not in value and "：" not in value else None
            )
    date_text = first_text(tree, rule.date)
    if date_text:
        fields["date"] = dates.labelled_date(date_text) or dates.parse_date(date_text)
    fields["date_from_script"] = rule.date_from_script
    for xpath in rule.body:
        found = tree.xpath(xpath)
        if found:
            paragraphs = [b.text for b in iter_blocks(found[0])]
            candidate = Candidate(f"rule:{rule.name}", paragraphs, found[0])
            candidate.features = measure(paragraphs)
            fields["body_candidate"] = candidate
            break
    return {k: v for k, v in fields.items() if v is not None}


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _credited_reporter(paragraphs: list[str], header_blocks: list[Block]) -> str | None:
    """Reporters credited in the header lines, the opening dateline or the closing lines."""
    for block in header_blocks:
        if len(block.text) <= 60:
            found = reporter_credit(block.text)
            if found:
                return found
    for paragraph in paragraphs[:2]:
        found = reporter_credit(paragraph)
        if found:
            return found
    for paragraph in reversed(paragraphs[-3:]):
        found = reporter_credit(paragraph, closing=True)
        if found:
            return found
    return None


def _classed_text(
    tree: etree._Element, blocks: list[Block], pattern: re.Pattern[str]
) -> str | None:
    """Short text of a header element whose class/id names the field (class="source")."""
    if not blocks:
        return None
    header_text = "\n".join(block.text for block in blocks)
    for element in tree.xpath("//body//*[@class or @id]"):
        names = " ".join(filter(None, (element.get("class"), element.get("id"))))
        if not pattern.search(names):
            continue
        value = " ".join("".join(element.itertext()).split())
        if not value or len(value) > 60 or value not in header_text:
            continue
        value = _DATE_TEXT.sub(" ", value)
        value = _FIELD_LABEL.sub("", value.strip()).strip(" ()（）【】[]|")
        if 1 < len(value) <= 30:
            return value
    return None


# -- fallbacks and figures -----------------------------------------------------------------


def _hint_paragraphs(hint: Link) -> list[str]:
    for fragment in (hint.content_html, hint.summary):
        if not fragment:
            continue
        # a feed's text can hold what no page's bytes can: a lone surrogate (lxml stops
        # reading at one) or a \x00 given as a JSON escape
        tree = parse_html(f"<html><body>{without_controls(fragment)}</body></html>")
        if tree is None:
            continue
        paragraphs = clean_paragraphs([b.text for b in iter_blocks(tree)], hint.title)
        if paragraphs:
            return paragraphs
    return []


def _from_hint_only(url: str, hint: Link | None, why: str) -> Article:
    paragraphs = _hint_paragraphs(hint) if hint else []
    if not paragraphs or hint is None:
        raise ExtractError(why, item=url, hint="确认该网址返回的是 HTML 文章页")
    return Article(
        url=url,
        canonical_url=url,
        title=title_text(hint.title or ""),
        paragraphs=paragraphs,
        published_at=hint.published_at.astimezone(SHANGHAI) if hint.published_at else None,
        source_name=_field_text(hint.source_name),
        author=_field_text(hint.author),
        html=paragraphs_to_html(paragraphs),
        confidence={"title": 0.6, "body": 0.4, "published_at": 0.6 if hint.published_at else 0.0},
    )


def _body_confidence(features: dict[str, float], method: str) -> float:
    if method.startswith("rule:"):
        return 0.95
    chars = features.get("chars", 0.0)
    punct = features.get("punct_ratio", 0.0)
    value = 0.5 + min(chars / 2000.0, 0.3) + min(punct * 3, 0.2)
    return round(min(value, 0.95), 2)


# Characters common in traditional text and absent from simplified text.
_TRADITIONAL = set("這個們來說時會為對於與國際經濟發體學報導醫療衛網電視聯術據點開關區區實應變")
_SIMPLIFIED = set("这个们来说时会为对于与国际经济发体学报导医疗卫网电视联术据点开关区实应变")


_ONLY_TRADITIONAL = frozenset(_TRADITIONAL - _SIMPLIFIED)
_ONLY_SIMPLIFIED = frozenset(_SIMPLIFIED - _TRADITIONAL)


def _language(paragraphs: list[str]) -> str:
    sample = "".join(paragraphs)[:3000]
    trad = sum(1 for ch in sample if ch in _ONLY_TRADITIONAL)
    simp = sum(1 for ch in sample if ch in _ONLY_SIMPLIFIED)
    return "zh-Hant" if trad > simp * 2 and trad >= 5 else "zh"
