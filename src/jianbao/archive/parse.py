"""Lines of a back issue → the issues it holds, as a person reads them.

The checker's parser (``editions.report_parse``) already reads the house layout — title,
期号 in Chinese or Arabic digits, publisher, date, 导语, 目录 and 具体内容 with their
fields, or days of 每日学习播报 — forgiving what converters do to a report. This module
turns its ``ReportDoc`` into the plain records the importer stores: one issue per weekly
or monthly file, one per day of a daily broadcast file (a blog keeps a week of them), and
fills what the 具体内容 lacks from the 目录 (a source written only there, a title whose
space a PDF line break swallowed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from jianbao.archive.readers import LINK_END, LINK_START, strip_link_marks
from jianbao.editions.report_doc import ContentItem, ReportDoc, TocEntry
from jianbao.editions.report_parse import parse_report
from jianbao.errors import InputError

_LINKED_ITEM = re.compile(rf"^\s*\d{{1,3}}\s*[.、．]\s*{LINK_START}")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class ImportedItem:
    """One item of a back issue: what its page says."""

    title: str
    source: str = ""
    url: str = ""
    published: date | None = None
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    category: str | None = None


@dataclass(slots=True)
class ImportedIssue:
    """One back issue read from a file."""

    kind: str
    title: str
    issue_date: date
    number: int | None = None
    publisher: str = ""
    lead: str = ""
    heading: str = ""
    items: list[ImportedItem] = field(default_factory=list)

    def label(self, title: str | None = None) -> str:
        """How the issue is named to the user: 《…周报》第546期（2023-10-20）."""
        number = f"第{self.number}期" if self.number is not None else ""
        return f"《{title or self.title}》{number}（{self.issue_date.isoformat()}）"


def parse_issues(lines: list[str], origin: str = "") -> tuple[list[ImportedIssue], ReportDoc]:
    """The issues in a file's lines, and the parsed document (for the checker).

    Raises InputError when the lines hold no issue jianbao can store: no items, or a
    weekly/monthly without its number or date.
    """
    kept = [line if _LINKED_ITEM.match(line) else strip_link_marks(line) for line in lines]
    doc = parse_report(kept, origin=origin)
    issues = _daily_issues(doc) if doc.kind == "daily" else [_report_issue(doc, origin)]
    _strip_marks(doc)
    if not any(issue.items for issue in issues):
        raise InputError(
            "没有读到任何条目",
            item=origin or None,
            hint="确认文件是简报（有“二、具体内容”的编号条目，或每日播报的日期标题与编号条目）",
        )
    return [issue for issue in issues if issue.items], doc


def _strip_marks(doc: ReportDoc) -> None:
    for day in doc.days:
        for item in day.items:
            item.title = strip_link_marks(item.title)
            item.summary = strip_link_marks(item.summary)


def _daily_issues(doc: ReportDoc) -> list[ImportedIssue]:
    issues = []
    for day in doc.days:
        if day.day is None:
            continue
        items = [_daily_item(item) for item in day.items]
        issues.append(
            ImportedIssue(
                kind="daily",
                title=doc.title,
                issue_date=day.day,
                heading=day.heading,
                items=[item for item in items if item.title],
            )
        )
    return issues


def _daily_item(item: ContentItem) -> ImportedItem:
    title, summary = item.title, item.summary
    if LINK_START in title and not item.url:
        # a PDF keeps no link, only its colour: the coloured run is the title
        before, _, rest = title.partition(LINK_START)
        linked, _, after = rest.partition(LINK_END)
        title = before + linked
        summary = strip_link_marks(after).lstrip("。 ") + summary
    return ImportedItem(
        title=_flat(strip_link_marks(title)),
        url=item.url,
        summary=strip_link_marks(summary).strip(),
        category=item.category,
    )


def _report_issue(doc: ReportDoc, origin: str) -> ImportedIssue:
    kind = doc.kind or "weekly"
    if doc.number is None:
        raise InputError(
            "没有读到期号（第…期）",
            item=origin or None,
            hint="周报、月报的标题下应有“（第五四六期）”一行",
        )
    if doc.issue_date is None:
        raise InputError(
            "没有读到出刊日期",
            item=origin or None,
            hint="标题下应有出刊日期，如“2023年10月20日”",
        )
    toc = {_key(entry.title): entry for entry in doc.toc}
    if doc.items:
        items = [_report_item(item, toc.get(_key(item.title))) for item in doc.items]
    else:  # a report that lists its items in the 目录 only
        items = [ImportedItem(title=_flat(e.title), source=e.source) for e in doc.toc]
    return ImportedIssue(
        kind=kind,
        title=_flat(doc.title),
        issue_date=doc.issue_date,
        number=doc.number,
        publisher=doc.publisher.strip(),
        lead=doc.lead.strip(),
        items=[item for item in items if item.title],
    )


def _report_item(item: ContentItem, entry: TocEntry | None) -> ImportedItem:
    title = _flat(item.title)
    source = item.source.strip()
    if entry is not None:
        # the same title in both places: keep the one that kept more spaces
        if entry.title.count(" ") > title.count(" "):
            title = _flat(entry.title)
        source = source or entry.source.strip()
    return ImportedItem(
        title=title,
        source=source,
        url=item.url.strip(),
        published=item.published or item.body_date,
        paragraphs=[p.strip() for p in item.paragraphs if p.strip()],
    )


def _key(title: str) -> str:
    return _SPACE.sub("", title)


def _flat(text: str) -> str:
    return " ".join(text.split())
