"""DingTalk group-robot markdown: the title is the link, the issue split into parts.

DingTalk's markdown needs a blank line between paragraphs (a single newline is not a
break in its client), and a message card shows its ``title`` in the chat list, so each
part carries the issue's name and （k/n）. The size limit is configurable; the default
keeps well under the 20,000 bytes the robot accepts.
"""

from __future__ import annotations

from jianbao.records import IssueView
from jianbao.render.chat import markdown_blocks, part_marker, split_parts

DINGTALK_MARKDOWN_LIMIT = 18_000


def render_dingtalk_markdown(view: IssueView, limit: int = DINGTALK_MARKDOWN_LIMIT) -> list[str]:
    """The markdown texts, one per part, each within ``limit`` UTF-8 bytes."""
    title, blocks = markdown_blocks(view)
    return split_parts(
        lambda i, n: f"#### {title}{part_marker(i, n)}", blocks, limit, joiner="\n\n"
    )


def dingtalk_payloads(
    view: IssueView, limit: int = DINGTALK_MARKDOWN_LIMIT
) -> list[dict[str, object]]:
    """The robot API bodies (msgtype markdown), one per part."""
    texts = render_dingtalk_markdown(view, limit)
    title = view.heading if view.kind == "daily" else view.publication_title
    return [
        {
            "msgtype": "markdown",
            "markdown": {"title": f"{title}{part_marker(i, len(texts))}", "text": text},
        }
        for i, text in enumerate(texts, 1)
    ]
