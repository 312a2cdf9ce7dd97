"""The words and lines every renderer shares, so all formats say the same thing.

The house layout (publications.md §1–§3) is written once here: the section headings, the
目录 line ``1. 标题（来源）``, the 具体内容 field lines, the daily item's title-summary
join, and the rule for which links may be made clickable. Renderers decide only how a
line looks in their format.
"""

from __future__ import annotations

import re
from datetime import date

from jianbao.control_chars import drop_xml_refused
from jianbao.issue_layout import format_date_cn, format_date_iso
from jianbao.records import IssueItemView, IssueView

LEAD_HEADING = "本期导语："
TOC_HEADING = "一、信息目录"
CONTENT_HEADING = "二、具体内容"
CONTENT_LABEL = "主要内容："

_SAFE_SCHEMES = ("http://", "https://")
_END_PUNCT = "。！？!?…；;"
#: white space or a control character: a URL holding one is printed, never linked
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 refuses.

    They are invisible, so an editor who pasted one into a title cannot find it; the XML
    formats (Word, the Atom feed) drop them rather than fail on the whole issue (the set
    is :data:`jianbao.control_chars.XML_REFUSED`, which extraction drops too)."""
    return drop_xml_refused(text)


def safe_url(url: str) -> str | None:
    """The URL when it may be made a link (http/https only), else None.

    A javascript: or data: URL pasted by mistake (or by malice) is printed, never linked;
    so is one holding white space or a control character (no browser link, and no
    attribute XML can hold).
    """
    url = (url or "").strip()
    if url.lower().startswith(_SAFE_SCHEMES) and not _URL_BAD.search(url):
        return url
    return None


def issue_date_text(view: IssueView) -> str:
    return format_date_cn(view.issue_date)


def toc_line(item: IssueItemView) -> str:
    """``1. 标题（来源）`` — the 目录 entry."""
    return f"{item.position}. {toc_text(item)}"


def toc_text(item: IssueItemView) -> str:
    """``标题（来源）`` without the number."""
    return f"{item.title}（{item.source}）" if item.source else item.title


def item_heading(item: IssueItemView) -> str:
    """``1. 标题：…`` — the first line of an item in 具体内容."""
    return f"{item.position}. 标题：{item.title}"


def item_fields(view: IssueView, item: IssueItemView) -> list[tuple[str, str]]:
    """(label, value) for the lines under an item's heading: 来源, 日期, 链接."""
    return [
        (view.source_label, item.source),
        ("日期", format_date_iso(item.published_at)),
        ("链接", item.url),
    ]


def field_line(label: str, value: str) -> str:
    return f"{label}：{value}"


def summary_join(title: str, summary: str) -> str:
    """What goes between a daily item's title and its summary: 。 unless the title ends
    a sentence already (the seeds write both ``[标题]。摘要`` and ``[标题。]摘要``)."""
    if not summary:
        return ""
    return "" if title.rstrip().endswith(tuple(_END_PUNCT)) else "。"


def file_stem(view: IssueView) -> str:
    """A file name for the issue: weekly-2023-10-20-546, daily-2020-07-16."""
    stem = f"{view.kind}-{view.issue_date.isoformat()}"
    if view.number is not None:
        stem += f"-{view.number}"
    return stem


def period_text(start: date, end: date) -> str:
    return f"{format_date_cn(start)}至{format_date_cn(end)}"


def view_title(view: IssueView) -> str:
    """One line naming the issue: the daily heading, or title and number."""
    if view.kind == "daily":
        return view.heading
    return f"{view.publication_title}{view.number_text}"
