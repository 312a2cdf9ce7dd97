"""Where the title and the body sit among the page's blocks.

Bylines and dates live between the title and the body (the header region) or just after
the body; these helpers find those places by matching texts, not by site templates.
"""

from __future__ import annotations

from jianbao.extract.blocks import Block

#: how many blocks after the title count as the article's header (bylines, dates)
HEADER_SPAN = 12


def squash(text: str) -> str:
    return "".join(text.split())


def title_index(blocks: list[Block], title: str) -> int | None:
    if not title:
        return None
    wanted = squash(title)
    best: int | None = None
    for index, block in enumerate(blocks):
        text = squash(block.text)
        if text == wanted or (wanted in text and len(text) <= len(wanted) + 30):
            if block.tag in ("h1", "h2", "h3"):
                return index
            if best is None:
                best = index
    return best


def body_start(blocks: list[Block], paragraphs: list[str], after: int | None) -> int | None:
    if not paragraphs:
        return None
    # the first substantial paragraph locates the body among the page's blocks
    probe = next((p for p in paragraphs if len(p) >= 20), paragraphs[0])
    wanted = squash(probe)[:40]
    start = (after or -1) + 1
    for index in range(start, len(blocks)):
        if wanted and wanted in squash(blocks[index].text):
            return index
    for index, block in enumerate(blocks):
        if wanted and wanted in squash(block.text):
            return index
    return None


def body_end(blocks: list[Block], paragraphs: list[str], start: int) -> int:
    """The index of the page block holding the body's last substantial paragraph."""
    probe = next((p for p in reversed(paragraphs) if len(p) >= 10), None)
    if probe is None:
        return start
    wanted = squash(probe)[:40]
    for index in range(start, min(len(blocks), start + 4 * len(paragraphs) + 40)):
        if wanted in squash(blocks[index].text):
            end = index
            break
    else:
        return start + len(paragraphs)
    # the last occurrence at or after the first match
    for index in range(end + 1, min(len(blocks), end + 40)):
        if wanted in squash(blocks[index].text):
            end = index
    return end


def header_region(
    blocks: list[Block], title_index: int | None, start_index: int | None
) -> list[Block]:
    """Blocks between the title and the body start: where bylines and dates sit."""
    if title_index is not None:
        end = start_index if start_index is not None and start_index > title_index else None
        if end is None or end - title_index > HEADER_SPAN * 3:
            end = title_index + 1 + HEADER_SPAN
        return blocks[title_index + 1 : end]
    if start_index is not None:
        return blocks[max(0, start_index - HEADER_SPAN // 2) : start_index]
    return []
