"""Text blocks of an HTML element: the paragraphs a reader sees, with their link text.

Block-level tags and <br> end a paragraph; inline tags join text. Each block remembers how
many of its characters sit inside links, which is what separates an article paragraph
from a list of headlines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

#: tags whose content is never text a reader sees
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "select",
        "option",
        "button",
        "textarea",
        "input",
        "svg",
        "canvas",
        "object",
        "embed",
        "head",
        "template",
        "map",
        "audio",
        "video",
    }
)
#: tags that start and end a paragraph
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "blockquote",
        "pre",
        "hr",
        "form",
        "fieldset",
        "center",
        "figure",
        "figcaption",
        "caption",
        "address",
        "main",
        "body",
        "html",
        "text",
    }
)

CJK_PUNCT = frozenset("，。！？；：、“”‘’（）《》…,.!?;:")
SENTENCE_END = frozenset("。！？…!?；")


@dataclass(slots=True)
class Block:
    """One paragraph of visible text."""

    text: str
    link_chars: int
    #: the element whose text started this block (for position and class features)
    element: etree._Element | None = None
    #: tag of the nearest block ancestor (p, div, td, li, h1…)
    tag: str = ""

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _wraps_text(anchor: etree._Element) -> bool:
    """An <a> wrapping paragraphs (a broken template links a whole article) is not a link."""
    if len(anchor) < 2:
        return False
    breaks = 0
    for child in anchor:
        tag = _tag(child)
        if tag in ("p", "div", "table"):
            return True
        breaks += tag == "br"
    return breaks >= 2


def iter_blocks(root: etree._Element) -> Iterator[Block]:
    """The visible paragraphs under ``root``, in document order."""
    return iter(page_blocks(root))


def page_blocks(root: etree._Element) -> list[Block]:
    """The visible paragraphs under ``root`` as a list (one C-speed walk of the tree)."""
    blocks: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    first: etree._Element | None = None
    # stacks: the tag of the enclosing block, and whether we are inside a link
    block_tags: list[str] = [_tag(root)]
    links: list[bool] = [False]

    def flush() -> None:
        nonlocal link_chars, first
        if parts:
            text = " ".join("".join(parts).split())
            if text:
                blocks.append(Block(text, min(link_chars, len(text)), first, block_tags[-1]))
            parts.clear()
        link_chars = 0
        first = None

    def add(text: str | None, element: etree._Element, in_link: bool) -> None:
        nonlocal link_chars, first
        if not text:
            return
        if first is None and text.strip():
            first = element
        parts.append(text)
        if in_link:
            link_chars += len(text.strip())

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipping: etree._Element | None = None
    for event, element in walker:
        if event in ("comment", "pi"):
            if skipping is None:
                add(element.tail, element, links[-1])
            continue
        tag = _tag(element)
        if event == "start":
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                skipping = element
                continue
            if tag in BLOCK_TAGS:
                flush()
                block_tags.append(tag)
            else:
                block_tags.append(block_tags[-1])
            links.append(links[-1] or (tag == "a" and not _wraps_text(element)))
            add(element.text, element, links[-1])
            continue
        # end
        if skipping is element:
            skipping = None
        else:
            if tag in BLOCK_TAGS:
                flush()
            block_tags.pop()
            links.pop()
        if element is not root:
            add(element.tail, element, links[-1])
    flush()
    return blocks


def visible_text(element: etree._Element) -> str:
    """All visible text of an element, blocks joined by newlines."""
    return "\n".join(block.text for block in iter_blocks(element))
