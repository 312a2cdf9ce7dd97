"""A report as the checker sees it: what the page says, numbers and dates as written.

Both a hand-made report (parsed from .docx/.md/.txt) and an issue jianbao composed are
turned into a ``ReportDoc``, so one set of rules checks both. Values are kept as written
(``raw``) beside their parsed form, so a finding can quote the typo it found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jianbao.editions.dates import format_date_cn
from jianbao.records import IssueView


@dataclass(slots=True)
class TocEntry:
    """One 目录 line: ``2. 标题（来源）``."""

    number: int | None
    title: str
    source: str = ""
    line: int = 0


@dataclass(slots=True)
class ContentItem:
    """One item of 具体内容 (or one item of a daily broadcast)."""

    number: int | None
    title: str
    source: str = ""
    #: the label the source was written under (来源, 媒体 …), "" when absent
    source_label: str = ""
    published: date | None = None
    #: the date as written, for quoting a malformed one
    date_text: str = ""
    #: the date was written on the source line (媒体：社会保障卡 2018-4-23)
    date_in_source: bool = False
    url: str = ""
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    #: a date found in the body's dateline when no 日期 field was given
    body_date: date | None = None
    #: the item's heading had no 标题： label
    unlabelled_title: bool = False
    #: the category heading the item stands under (daily broadcasts)
    category: str | None = None
    line: int = 0


@dataclass(slots=True)
class DailyDoc:
    """One day of a daily broadcast: ``2020年7月16日（周四）今日入伏`` and its items."""

    heading: str
    day: date | None
    weekday_text: str
    note: str
    items: list[ContentItem] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class ReportDoc:
    """A weekly/monthly report (or a set of daily broadcasts) as written."""

    kind: str | None = None
    title: str = ""
    number: int | None = None
    number_text: str = ""
    publisher: str = ""
    issue_date: date | None = None
    issue_date_text: str = ""
    lead: str = ""
    toc: list[TocEntry] = field(default_factory=list)
    items: list[ContentItem] = field(default_factory=list)
    days: list[DailyDoc] = field(default_factory=list)
    #: the period when it is known exactly (composed issues); else read from the 导语
    period: tuple[date, date] | None = None
    #: the document's source: a path or "issue"
    origin: str = ""


def doc_from_view(view: IssueView) -> ReportDoc:
    """The checker's picture of an issue jianbao composed."""
    items = [
        ContentItem(
            number=i.position,
            title=i.title,
            source=i.source,
            source_label=view.source_label,
            published=i.published_at,
            date_text=i.published_at.isoformat() if i.published_at else "",
            url=i.url,
            summary=i.summary,
            paragraphs=list(i.paragraphs),
            category=i.category,
        )
        for i in view.items
    ]
    doc = ReportDoc(
        kind=view.kind,
        title=view.publication_title,
        number=view.number,
        number_text=view.number_text,
        publisher=view.publisher,
        issue_date=view.issue_date,
        issue_date_text=format_date_cn(view.issue_date),
        lead=view.lead,
        period=(view.period_start, view.period_end),
        origin="issue",
    )
    if view.kind == "daily":
        heading_rest = view.heading.split("）", 1)[1] if "）" in view.heading else ""
        weekday = view.heading.split("（", 1)[1].split("）", 1)[0] if "（" in view.heading else ""
        doc.days = [
            DailyDoc(
                heading=view.heading,
                day=view.issue_date,
                weekday_text=weekday,
                note=heading_rest,
                items=items,
            )
        ]
    else:
        doc.items = items
        doc.toc = [TocEntry(number=i.position, title=i.title, source=i.source) for i in view.items]
    return doc
