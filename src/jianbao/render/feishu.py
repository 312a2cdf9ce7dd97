"""Feishu (Lark) group-robot rich-text post: title links as ``a`` elements.

A post is a title and a list of lines, each line a list of elements (``text``, ``a``).
The robot refuses request bodies over 20 KB, so the issue is split into posts whose
JSON bodies stay within the limit, never splitting an item, each titled with （k/n）.
"""

from __future__ import annotations

import json
from typing import Any

from jianbao.issue_layout import grouped_items
from jianbao.records import IssueItemView, IssueView
from jianbao.render.chat import part_marker, truncate_bytes
from jianbao.render.layout import safe_url, summary_join, view_title

FEISHU_BODY_LIMIT = 20 * 1024
#: room delivery keeps in every body for a signed channel's timestamp and sign (and the
#: note and keyword it adds); the rendered file packs within the same limit, so its
#: parts are the ones a default channel sends
SIGNING_ROOM = 200
#: what the envelope and title of a body may take at most (checked by the tests)
_ENVELOPE = 600

Element = dict[str, str]
Line = list[Element]


def _item_line(view: IssueView, item: IssueItemView) -> Line:
    line: Line = [{"tag": "text", "text": f"{item.position}. "}]
    href = safe_url(item.url)
    if href:
        line.append({"tag": "a", "text": item.title, "href": href})
    else:
        line.append({"tag": "text", "text": item.title})
    if view.kind == "daily":
        if item.summary:
            line.append(
                {"tag": "text", "text": summary_join(item.title, item.summary) + item.summary}
            )
    elif item.source:
        line.append({"tag": "text", "text": f"（{item.source}）"})
    return line


def _lines(view: IssueView) -> list[list[Line]]:
    """Blocks of lines that must stay together (an item, with its category heading)."""
    blocks: list[list[Line]] = []
    if view.kind != "daily":
        blocks.append([[{"tag": "text", "text": view.lead}], []])
    for category, items in grouped_items(view):
        for index, item in enumerate(items):
            block = [_item_line(view, item)]
            if category and index == 0:
                block.insert(0, [{"tag": "text", "text": f"【{category}】"}])
            blocks.append(block)
    return blocks


def _size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False).encode("utf-8"))


def _shorten(block: list[Line], room: int) -> list[Line]:
    """Cut the longest text element of an over-long block (a long summary)."""
    while _size(block) > room:
        texts = [el for line in block for el in line if el.get("tag") == "text"]
        longest = max(texts, key=lambda el: len(el["text"]), default=None)
        if longest is None or len(longest["text"]) < 10:
            break
        longest["text"] = truncate_bytes(longest["text"], len(longest["text"].encode()) // 2)
    return block


def _payload(title: str, content: list[Line]) -> dict[str, Any]:
    return {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": title, "content": content}}},
    }


def feishu_payloads(view: IssueView, limit: int = FEISHU_BODY_LIMIT) -> list[dict[str, Any]]:
    """The robot API bodies (msg_type post), each within ``limit`` bytes of JSON."""
    title = view_title(view)
    room = limit - _ENVELOPE - len(title.encode("utf-8"))
    parts: list[list[Line]] = [[]]
    used = 0
    for block in _lines(view):
        block = _shorten(block, room)
        size = _size(block)
        if parts[-1] and used + size > room:
            parts.append([])
            used = 0
        parts[-1].extend(block)
        used += size
    total = len(parts)
    return [
        _payload(f"{title}{part_marker(i, total)}", content) for i, content in enumerate(parts, 1)
    ]
