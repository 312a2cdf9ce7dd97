"""Main text: candidate bodies from several methods, and the choice between them.

Two general methods run on every page:

* ``density_candidate`` — our own: every text block scores by its length, its Chinese
  punctuation and how little of it is link text; scores flow to ancestors; the best
  container (with its high-scoring siblings) is the body.
* ``trafilatura_candidate`` — trafilatura's extraction without its slow fallbacks.

``choose_body`` compares them by measured features (punctuation, link density, paragraph
shape, agreement between the two) instead of trusting one method for every site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree

from jianbao.extract.blocks import CJK_PUNCT, SENTENCE_END, Block, iter_blocks
from jianbao.extract.cleanup import clean_paragraphs

# class/id words that mark page furniture or article containers (weights, not verdicts)
_NEGATIVE = re.compile(
    r"comment|footer|foot|nav|menu|sidebar|side|aside|related|recommend|share|"
    r"banner|advert|\bad\b|ads|breadcrumb|crumb|copyright|toolbar|login|hot|rank|"
    r"links|friend|tags|topbar|header|list|bottom|pagelist|page-nav|pager",
    re.I,
)
_POSITIVE = re.compile(
    r"article|content|text|body|main|post|entry|detail|story|news|zw|正文|conent|cont|"
    r"TRS_Editor|Custom_UnionStyle|left_zw|artibody|endtext|js_content",
    re.I,
)
_CONTAINER_TAGS = frozenset(
    {"div", "td", "article", "section", "main", "body", "form", "center", "span", "font", "text"}
)


@dataclass(slots=True)
class Candidate:
    """One proposed body: its paragraphs and what was measured on them."""

    method: str
    paragraphs: list[str]
    element: etree._Element | None = None
    features: dict[str, float] = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def measure(paragraphs: list[str], link_chars: int = 0) -> dict[str, float]:
    """Features of a body: size, punctuation, paragraph shape, link density."""
    text = "".join(paragraphs)
    chars = max(1, len(text))
    punct = sum(1 for ch in text if ch in CJK_PUNCT)
    ends = sum(1 for p in paragraphs if p and p[-1] in SENTENCE_END)
    lengths = [len(p) for p in paragraphs] or [0]
    return {
        "chars": float(len(text)),
        "paragraphs": float(len(paragraphs)),
        "punct_ratio": punct / chars,
        "sentence_end_ratio": ends / max(1, len(paragraphs)),
        "mean_paragraph": sum(lengths) / max(1, len(lengths)),
        "short_ratio": sum(1 for n in lengths if n < 12) / max(1, len(lengths)),
        "link_density": link_chars / chars,
    }


# -- our own: block scores flowing to containers ------------------------------------------


def _block_score(block: Block) -> float:
    text = block.text
    n = len(text)
    if n < 5:
        return 0.0
    punct = sum(1 for ch in text if ch in CJK_PUNCT)
    density = block.link_density
    if density > 0.5:
        return 0.0
    base = 1.0 + punct + min(n / 40.0, 6.0)
    if n < 15 and punct == 0:
        base *= 0.3
    return base * (1.0 - density) ** 2


def _class_weight(element: etree._Element) -> float:
    names = " ".join(filter(None, (element.get("class"), element.get("id"))))
    if not names:
        return 1.0
    weight = 1.0
    if _POSITIVE.search(names):
        weight *= 1.3
    if _NEGATIVE.search(names):
        weight *= 0.6
    return weight


def density_candidate(
    tree: etree._Element, blocks: list[Block] | None = None, title_index: int | None = None
) -> Candidate | None:
    """The container whose text blocks score highest, with its worthy siblings.

    ``blocks`` are the page's blocks when the caller has them already (one walk per page);
    ``title_index`` is the position of the title among them, when known: the article
    follows its title closely, so containers that start right after it are favoured.
    """
    if blocks is None:
        body = tree.find(".//body")
        blocks = list(iter_blocks(body if body is not None else tree))
    if not blocks:
        return None
    scores: dict[etree._Element, float] = {}
    first_block: dict[etree._Element, int] = {}
    # text and link characters under every element, summed bottom-up in one pass
    totals: dict[etree._Element, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.element is None:
            continue
        for ancestor in _ancestors(block.element, 64):
            entry = totals.setdefault(ancestor, [0, 0])
            entry[0] += len(block.text)
            entry[1] += block.link_chars
        score = _block_score(block)
        if score <= 0:
            continue
        container = _nearest_container(block.element)
        # a <p> is a paragraph, not a body: its score belongs to what holds the paragraphs
        if container.tag == "p" and container.getparent() is not None:
            container = container.getparent()
        for depth, ancestor in enumerate(_ancestors(container, 4)):
            scores[ancestor] = scores.get(ancestor, 0.0) + score / (1.0 + depth * depth)
            first_block.setdefault(ancestor, index)
    if not scores:
        return None

    def density(element: etree._Element) -> float:
        text, links = totals.get(element, (0, 0))
        return links / max(1, text)

    areas = _comment_areas(tree)
    best: etree._Element | None = None
    best_value = 0.0
    for element, score in scores.items():
        value = score * (1.0 - density(element)) * _class_weight(element)
        value *= _position_weight(first_block.get(element), title_index)
        if _in_comment_area(element, areas):
            value *= 0.3
        if value > best_value:
            best, best_value = element, value
    if best is None:
        return None
    chosen = [best]
    parent = best.getparent()
    if parent is not None:
        threshold = max(10.0, best_value * 0.2)
        for sibling in parent:
            if sibling is best:
                continue
            value = scores.get(sibling, 0.0) * (1.0 - density(sibling)) * _class_weight(sibling)
            if _in_comment_area(sibling, areas) or sibling in areas:
                continue
            if value >= threshold:
                chosen.append(sibling)
        order = {el: i for i, el in enumerate(parent)}
        chosen.sort(key=lambda el: order.get(el, 0))
    paragraphs: list[str] = []
    link_chars = 0
    for element in chosen:
        for block in iter_blocks(element):
            if block.link_density > 0.5 and len(block.text) < 80:
                continue
            paragraphs.append(block.text)
            link_chars += block.link_chars
    candidate = Candidate("density", paragraphs, best)
    candidate.features = measure(paragraphs, link_chars)
    return candidate


def _position_weight(first: int | None, title_index: int | None) -> float:
    """Favour a container that starts just after the title; disfavour one before it."""
    if first is None or title_index is None:
        return 1.0
    if first < title_index:
        return 0.8
    if first - title_index <= 15:
        return 1.25
    return 1.0


def _comment_areas(tree: etree._Element) -> set[etree._Element]:
    """<fieldset>s, and <form>s with a text box but no headline: where comments are typed."""
    areas: set[etree._Element] = set(tree.iter("fieldset"))
    for form in tree.iter("form"):
        if form.find(".//textarea") is not None and form.find(".//h1") is None:
            areas.add(form)
    return areas


def _in_comment_area(element: etree._Element, areas: set[etree._Element]) -> bool:
    return bool(areas) and any(a in areas for a in _ancestors(element, 6))


def _nearest_container(element: etree._Element) -> etree._Element:
    current: etree._Element | None = element
    while current is not None:
        tag = current.tag.lower() if isinstance(current.tag, str) else ""
        if tag in ("p", "div", "td", "article", "section", "li", "blockquote", "body", "pre"):
            return current
        current = current.getparent()
    return element


def _ancestors(element: etree._Element, count: int) -> list[etree._Element]:
    found: list[etree._Element] = []
    current: etree._Element | None = element
    while current is not None and len(found) < count:
        found.append(current)
        current = current.getparent()
    return found


# -- trafilatura ---------------------------------------------------------------------------


def trafilatura_candidate(
    page: str, url: str | None, blocks: list[Block] | None = None
) -> Candidate | None:
    """trafilatura's main text (fast mode: no readability/justext fallbacks)."""
    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            fast=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
        )
    except Exception:
        return None
    if document is None:
        return None
    text = getattr(document, "text", None) or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if not paragraphs:
        return None
    link_chars = 0
    if blocks:
        # table rows come back as "| a | b |": the cells are what the page shows
        flat = "\n".join(paragraphs).replace("\\|", " ").replace("|", " ")
        projected, link_chars = project_onto_blocks(flat, blocks)
        covered = sum(len("".join(p.split())) for p in projected)
        if covered >= 0.8 * len("".join(flat.split())):
            paragraphs = projected
        else:
            link_chars = 0
    candidate = Candidate("trafilatura", paragraphs)
    candidate.features = measure(paragraphs, link_chars)
    return candidate


def project_onto_blocks(text: str, blocks: list[Block]) -> tuple[list[str], int]:
    """The page's own blocks that make up ``text``, in order, and their link characters.

    Another extractor's text loses the page's paragraphing (or merges lines); taking the
    page blocks it covers restores paragraphs, so bylines and widgets stand on their own
    lines for the cleanup, and link text is known again.
    """
    squashed = "".join(text.split())
    found: list[str] = []
    link_chars = 0
    position = 0
    for block in blocks:
        key = "".join(block.text.split())
        if len(key) < 2:
            continue
        at = squashed.find(key, position)
        if at < 0:
            continue
        # a short block may match by accident far ahead: accept it only close by
        if len(key) < 10 and at - position > 200:
            continue
        found.append(block.text)
        link_chars += block.link_chars
        position = at + len(key)
    return found, link_chars


# -- choosing --------------------------------------------------------------------------------


def _is_prose(paragraph: str) -> bool:
    text = paragraph.rstrip(" |")
    if not text or text.startswith("|"):
        return False
    if text[-1] in SENTENCE_END or text[-1] in "”」』":
        return len(text) >= 8
    punct = sum(1 for ch in text if ch in CJK_PUNCT)
    return len(text) >= 80 and punct / len(text) >= 0.04


def prose_score(paragraphs: list[str]) -> float:
    """Characters of prose minus half the characters of everything else.

    Measured on cleaned paragraphs: sentences count for a body, headline lists, table
    rows and navigation count against it.
    """
    prose = 0
    other = 0
    for paragraph in paragraphs:
        if _is_prose(paragraph):
            prose += len(paragraph)
        else:
            other += len(paragraph)
    return prose - 0.5 * other


def quality(candidate: Candidate, title: str | None = None) -> float:
    """A single figure for how much a candidate looks like article prose."""
    cleaned = clean_paragraphs(candidate.paragraphs, title)
    score = prose_score(cleaned)
    return score * (1.0 - min(candidate.features.get("link_density", 0.0), 0.9))


def looks_doubtful(candidate: Candidate) -> bool:
    """True when a body's features say it may be the wrong block or only part of one."""
    f = candidate.features
    return (
        f.get("chars", 0.0) < 200
        or f.get("punct_ratio", 0.0) < 0.03
        or f.get("link_density", 0.0) > 0.2
        or f.get("short_ratio", 0.0) > 0.5
    )


def choose_body(candidates: list[Candidate], title: str | None = None) -> Candidate | None:
    """The best candidate by measured prose; the first (our own) wins near-ties.

    Near-ties go to the earlier candidate because ours keeps the page's paragraphing and
    its link information, which the later cleanup uses.
    """
    usable = [c for c in candidates if c.paragraphs]
    if not usable:
        return None
    scored = [(quality(c, title), i, c) for i, c in enumerate(usable)]
    best_score, _, best = scored[0]
    for score, _, candidate in scored[1:]:
        if score > best_score * 1.1 + 20:
            best_score, best = score, candidate
    return best
