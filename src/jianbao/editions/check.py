"""The checker: every error hand-made issues contain today, found before anyone else does.

Rules (each finding names the item and the fix):

- ``number-sequence``  the issue number does not continue the publication's sequence
- ``number-format``    the number is not written （第…期） in Chinese digits
- ``item-numbering``   an item number gap or repeat (目录 or 具体内容, or a daily's list)
- ``toc-mismatch``     the 目录 and the 具体内容 disagree (titles, order, count, sources)
- ``out-of-period``    an item dated outside the covered period
- ``duplicate``        the same story twice, or one already published in recent issues;
                       near-identical titles (a warning)
- ``missing-field``    an item without link, source or date
- ``item-count``       fewer items than the publication usually has (a warning)
- ``title-length``     a title longer than the publication allows (a warning)
- ``dead-link``        a link that does not answer (only with a link checker; off by default)
- ``noise``            tickers, 责任编辑, QR prompts, copied datelines left in the text
- ``source-label``     the source written under another label (媒体 vs 来源)
- ``source-name``      one outlet spelled two ways, or a name with 作者/时间 left in it
- ``lead``             a 导语 whose count, period, kind word or topic disagree with the issue
- ``date-format``      a date typed wrong (2018 年 4 年 23 日) or not in the house form
- ``daily-heading``    a daily heading whose weekday or note of the day is wrong
- ``daily-day-off``    a daily dated on a weekend or a holiday (a warning)
- ``calendar-missing`` a daily dated in a year beyond the holiday data: its working day
                       and holiday note cannot be checked (never called wrong)

Both issues jianbao composed (``check_view``) and hand-made files (``check_file``) are
checked, through the same ReportDoc.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from jianbao.editions.findings import (
    CheckOptions,
    Finding,
    PastIssue,
    Severity,
    normalize_source,
    normalize_title,
    title_similarity,
)
from jianbao.editions.publication import Publication
from jianbao.editions.report_doc import ReportDoc, doc_from_view
from jianbao.editions.report_parse import parse_report_file
from jianbao.editions.rules_items import (
    rule_duplicates,
    rule_fields,
    rule_links,
    rule_noise,
    rule_period,
    rule_repeats,
    rule_sizes,
    rule_sources,
)
from jianbao.editions.rules_layout import (
    rule_daily_headings,
    rule_dates,
    rule_item_numbers,
    rule_lead,
    rule_number,
    rule_toc,
)
from jianbao.records import IssueView

RULES: tuple[Callable[[ReportDoc, CheckOptions], Iterable[Finding]], ...] = (
    rule_number,
    rule_item_numbers,
    rule_toc,
    rule_period,
    rule_duplicates,
    rule_fields,
    rule_links,
    rule_noise,
    rule_repeats,
    rule_sizes,
    rule_sources,
    rule_lead,
    rule_dates,
    rule_daily_headings,
)


def check_doc(doc: ReportDoc, options: CheckOptions | None = None) -> list[Finding]:
    """Every finding of every rule, errors first, then by item."""
    opts = options or CheckOptions()
    findings = [f for rule in RULES for f in rule(doc, opts)]
    return sorted(findings, key=lambda f: (f.severity != "error", f.item or 0))


def check_view(
    view: IssueView, options: CheckOptions | None = None, *, online: bool = False
) -> list[Finding]:
    """Check an issue jianbao composed (before publishing); ``online`` also tries links."""
    doc = doc_from_view(view)
    return check_doc(doc, _with_links(doc, options, online))


def check_file(
    path: Path,
    options: CheckOptions | None = None,
    *,
    online: bool = False,
    publications: Iterable[Publication] = (),
) -> list[Finding]:
    """Check a hand-made report (.docx, .md, .txt); ``online`` also tries every link.

    Given the configured ``publications``, the report's own is recognised from its title
    and its rules apply (topic phrase, period rule, source label), as for composed issues.
    """
    doc = parse_report_file(path)
    opts = _with_links(doc, options, online)
    if opts.publication is None:
        found = recognise_publication(doc, publications)
        if found is not None:
            opts = replace(opts, publication=found)
    return check_doc(doc, opts)


def recognise_publication(
    doc: ReportDoc, publications: Iterable[Publication]
) -> Publication | None:
    """The publication a hand-made report is an issue of: the one of its kind whose
    title it carries (spacing and punctuation aside), else None."""
    title = normalize_title(doc.title)
    if not title:
        return None
    for publication in publications:
        if normalize_title(publication.title) == title and (
            doc.kind is None or publication.kind == doc.kind
        ):
            return publication
    return None


def _with_links(doc: ReportDoc, options: CheckOptions | None, online: bool) -> CheckOptions:
    opts = options or CheckOptions()
    if online and opts.link_checker is None:
        from jianbao.editions.linkcheck import link_checker

        urls = [i.url for i in doc.items] + [i.url for d in doc.days for i in d.items]
        opts = replace(opts, link_checker=link_checker(urls, allowlist=opts.link_allowlist))
    return opts


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def format_findings(findings: Sequence[Finding]) -> str:
    """Findings as lines for the terminal; a reassuring line when there are none."""
    if not findings:
        return "未发现问题。"
    errors = sum(1 for f in findings if f.severity == "error")
    lines = [str(f) for f in findings]
    lines.append(f"共 {len(findings)} 项：错误 {errors} 项，提示 {len(findings) - errors} 项。")
    return "\n".join(lines)


__all__ = [
    "RULES",
    "CheckOptions",
    "Finding",
    "PastIssue",
    "Severity",
    "check_doc",
    "check_file",
    "check_view",
    "format_findings",
    "has_errors",
    "normalize_source",
    "normalize_title",
    "recognise_publication",
    "title_similarity",
]
