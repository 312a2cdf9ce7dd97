"""Chat payloads: plain WeChat text and WeCom group-robot markdown.

A plain WeChat group shows no text links, so the plain form puts each link on its own
line after its title. Group robots take markdown in which the title is the link, within
a size limit (WeCom: 4,096 bytes of UTF-8); a long issue is split into numbered parts
(（1/3）…) and an item is never cut across two parts.
"""

from __future__ import annotations

from collections.abc import Callable

from jianbao.issue_layout import grouped_items
from jianbao.records import IssueItemView, IssueView
from jianbao.render.layout import (
    CONTENT_HEADING,
    CONTENT_LABEL,
    LEAD_HEADING,
    TOC_HEADING,
    field_line,
    issue_date_text,
    item_fields,
    item_heading,
    safe_url,
    summary_join,
    toc_line,
    view_title,
)

WECOM_MARKDOWN_LIMIT = 4096


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


# -- plain text ----------------------------------------------------------------------------


def _plain_daily(view: IssueView) -> str:
    lines = [view.heading, ""]
    for category, items in grouped_items(view):
        if category:
            lines += [f"【{category}】", ""]
        for item in items:
            lines.append(f"{item.position}. {item.title}")
            if item.url:
                lines.append(item.url)
            if item.summary:
                lines.append(item.summary)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _plain_report(view: IssueView) -> str:
    lines = [view.publication_title]
    if view.number_text:
        lines.append(view.number_text)
    if view.publisher:
        lines.append(view.publisher)
    lines += [issue_date_text(view), "", LEAD_HEADING, view.lead, "", TOC_HEADING]
    lines += [toc_line(item) for item in view.items]
    lines += ["", CONTENT_HEADING]
    for item in view.items:
        lines.append(item_heading(item))
        lines += [field_line(label, value) for label, value in item_fields(view, item)]
        lines.append(CONTENT_LABEL)
        lines += item.paragraphs
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_chat_text(view: IssueView) -> str:
    """Plain text for a WeChat group: each link on its own line after its title.

    A weekly or monthly comes out as the whole report in plain text (its 链接 lines are
    already on their own), a daily as the broadcast.
    """
    if view.kind == "daily":
        return _plain_daily(view)
    return _plain_report(view)


# -- splitting into parts ------------------------------------------------------------------


def truncate_bytes(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, ending with an ellipsis when cut."""
    if utf8_len(text) <= limit:
        return text
    budget = limit - utf8_len(ellipsis)
    out = []
    used = 0
    for ch in text:
        size = utf8_len(ch)
        if used + size > budget:
            break
        out.append(ch)
        used += size
    return "".join(out) + ellipsis


def split_parts(
    header: Callable[[int, int], str],
    blocks: list[str],
    limit: int,
    *,
    joiner: str = "\n",
) -> list[str]:
    """Pack ``blocks`` into messages of at most ``limit`` bytes, never splitting a block.

    ``header(part, total)`` gives each message's first line (it carries the （k/n）
    marker when there is more than one part). A block too big for a message on its own
    is shortened with an ellipsis, the only way to keep it whole.
    """
    reserve = utf8_len(header(99, 99)) + utf8_len(joiner)
    room = limit - reserve
    if room <= 0:
        raise ValueError("limit too small for the header")
    parts: list[list[str]] = [[]]
    used = 0
    for block in blocks:
        block = truncate_bytes(block, room)
        size = utf8_len(block) + utf8_len(joiner)
        if parts[-1] and used + size > room:
            parts.append([])
            used = 0
        parts[-1].append(block)
        used += size
    total = len(parts)
    return [joiner.join([header(i, total), *blocks_]) for i, blocks_ in enumerate(parts, 1)]


def part_marker(part: int, total: int) -> str:
    return f"（{part}/{total}）" if total > 1 else ""


# -- WeCom ---------------------------------------------------------------------------------


def wecom_link_text(text: str) -> str:
    """Link text that cannot close the markdown link early."""
    return text.replace("[", "【").replace("]", "】")


def _md_link(title: str, url: str) -> str:
    href = safe_url(url)
    text = wecom_link_text(title)
    return f"[{text}]({href})" if href else text


def markdown_item(view: IssueView, item: IssueItemView) -> str:
    """One item as robot markdown: ``1. [标题](链接)。摘要`` or ``1. [标题](链接)（来源）``."""
    line = f"{item.position}. {_md_link(item.title, item.url)}"
    if view.kind == "daily":
        if item.summary:
            line += summary_join(item.title, item.summary) + item.summary
    elif item.source:
        line += f"（{item.source}）"
    return line


def markdown_blocks(view: IssueView, quote_lead: bool = True) -> tuple[str, list[str]]:
    """(title line, blocks) shared by the robot markdown formats."""
    title = view_title(view)
    blocks: list[str] = []
    if view.kind != "daily":
        blocks.append((f"> {view.lead}" if quote_lead else view.lead) + "\n")
    for category, items in grouped_items(view):
        for index, item in enumerate(items):
            text = markdown_item(view, item)
            if category and index == 0:
                text = f"**{category}**\n{text}"
            blocks.append(text)
    return title, blocks


def render_wecom_markdown(view: IssueView, limit: int = WECOM_MARKDOWN_LIMIT) -> list[str]:
    """WeCom group-robot markdown messages, each within ``limit`` bytes, titles linked."""
    title, blocks = markdown_blocks(view)
    return split_parts(lambda i, n: f"**{title}**{part_marker(i, n)}", blocks, limit)


def wecom_payloads(view: IssueView) -> list[dict[str, object]]:
    """The robot API bodies, one per part."""
    return [
        {"msgtype": "markdown", "markdown": {"content": content}}
        for content in render_wecom_markdown(view)
    ]
