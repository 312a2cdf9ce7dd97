"""DingTalk group-robot markdown: the title is the link, the issue split into parts.

DingTalk's markdown needs a blank line between paragraphs (a single newline is not a
break in its client), and a message card shows its ``title`` in the chat list, so each
part carries the issue's name, its number (（第五四六期）) and （k/n）. The size limit is
configurable; the default keeps well under the 20,000 bytes the robot accepts.

These are the bodies a DingTalk channel with its default settings sends (no keyword,
note or mentions; ``deliver.dingtalk`` adds those): the rendered ``.dingtalk.jsonl``
file and delivery must agree, and tests/render/test_chat_files.py holds them to it.
"""

from __future__ import annotations

from jianbao.issue_layout import grouped_items
from jianbao.records import IssueView
from jianbao.render.chat import markdown_item, part_marker, split_parts, truncate_bytes
from jianbao.render.layout import view_title

DINGTALK_MARKDOWN_LIMIT = 18_000
#: an item longer than this is shortened, never split (room for a card's title and
#: buttons; delivery's ACTION_CARD_ROOM)
ITEM_BLOCK_LIMIT = DINGTALK_MARKDOWN_LIMIT - 4000


def dingtalk_item_blocks(view: IssueView) -> list[str]:
    """One markdown block per item, a category's heading on its first item's block."""
    blocks = []
    for category, items in grouped_items(view):
        for index, item in enumerate(items):
            text = markdown_item(view, item)
            if category and index == 0:
                text = f"**{category}**\n\n{text}"
            blocks.append(truncate_bytes(text, ITEM_BLOCK_LIMIT))
    return blocks


def render_dingtalk_markdown(view: IssueView, limit: int = DINGTALK_MARKDOWN_LIMIT) -> list[str]:
    """The markdown texts, one per part, each within ``limit`` UTF-8 bytes."""
    title = view_title(view)
    lead = [f"> {view.lead}"] if view.kind != "daily" and view.lead else []
    return split_parts(
        lambda i, n: f"#### {title}{part_marker(i, n)}",
        lead + dingtalk_item_blocks(view),
        limit,
        joiner="\n\n",
    )


def dingtalk_payloads(
    view: IssueView, limit: int = DINGTALK_MARKDOWN_LIMIT
) -> list[dict[str, object]]:
    """The robot API bodies (msgtype markdown), one per part; the card's title (what the
    chat list shows) names the issue with its number: 周报（第五四六期）."""
    texts = render_dingtalk_markdown(view, limit)
    title = view_title(view)
    return [
        {
            "msgtype": "markdown",
            "markdown": {"title": f"{title}{part_marker(i, len(texts))}", "text": text},
        }
        for i, text in enumerate(texts, 1)
    ]
