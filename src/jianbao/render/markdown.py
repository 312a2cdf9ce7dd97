"""Markdown: the issue as a readable text document (also what `issue show` prints)."""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    safe_url,
    summary_join,
    toc_text,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_LIST_START = re.compile(r"^(\d+)([.)])")


def escape_md(text: str) -> str:
    """Backslash-escape what Markdown would read as markup, so a title stays text."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LIST_START.sub(r"\1\\\2", text)


def _link(text: str, url: str) -> str:
    href = safe_url(url)
    label = escape_md(text)
    if href is None:
        return label
    return f"[{label}](<{href}>)"


def _daily_item(item: IssueItemView) -> str:
    line = f"{item.position}. {_link(item.title, item.url)}"
    if item.summary:
        line += summary_join(item.title, item.summary) + escape_md(item.summary)
    return line


def render_daily_markdown(view: IssueView) -> str:
    lines = [f"# {escape_md(view.heading)}", ""]
    for category, items in grouped_items(view):
        if category:
            lines += [f"**{escape_md(category)}**", ""]
        lines += [_daily_item(item) for item in items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_daily_week_markdown(views: Sequence[IssueView], title: str = "每日学习播报") -> str:
    """A duty week's broadcasts kept together, newest first, for later reference."""
    days = sorted((v for v in views if v.kind == "daily"), key=lambda v: v.issue_date, reverse=True)
    lines = [f"# {escape_md(title)}", ""]
    for view in days:
        lines += [f"## {escape_md(view.heading)}", ""]
        lines += render_daily_markdown(view).splitlines()[2:]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_report_markdown(view: IssueView) -> str:
    lines = [f"# {escape_md(view.publication_title)}", ""]
    if view.number_text:
        lines += [view.number_text, ""]
    if view.publisher:
        lines += [escape_md(view.publisher), ""]
    lines += [issue_date_text(view), "", f"## {LEAD_HEADING}", "", escape_md(view.lead), ""]
    lines += [f"## {TOC_HEADING}", ""]
    for item in view.items:
        lines.append(f"{item.position}. [{escape_md(toc_text(item))}](#item-{item.position})")
    lines += ["", f"## {CONTENT_HEADING}", ""]
    for item in view.items:
        lines += [
            f'### {item.position}. 标题：{escape_md(item.title)} <a id="item-{item.position}"></a>',
            "",
        ]
        for label, value in item_fields(view, item):
            if label == "链接" and safe_url(value):
                value = f"<{value.strip()}>"
            else:
                value = escape_md(value)
            lines += [field_line(label, value), ""]
        lines += [CONTENT_LABEL, ""]
        for paragraph in item.paragraphs:
            lines += [escape_md(paragraph), ""]
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(view: IssueView) -> str:
    """The issue in Markdown: the daily layout (§1) or the weekly/monthly layout (§2, §3)."""
    if view.kind == "daily":
        return render_daily_markdown(view)
    return render_report_markdown(view)
