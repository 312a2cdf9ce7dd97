"""The article's publish date: every witness offered, the most trusted one kept.

Witnesses, most trusted first: a site rule, a labelled line (发布时间：…) in the header,
the markup (<meta>, JSON-LD, WeChat's ``var ct``), an unlabelled date in the header, the
body's first and last lines, a month line, the URL, the feed's hint, and last a dateline
block near the body. Link lists (sidebars) never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from lxml import etree

from jianbao.extract import dates
from jianbao.extract.blocks import Block
from jianbao.extract.byline import Byline
from jianbao.records import SHANGHAI, Link


@dataclass(slots=True)
class DateChoice:
    """The most trusted date offered; a date-only winner borrows the time of day from any
    other witness of the same day (a label prints the day, the <meta> the minute)."""

    value: datetime | None = None
    confidence: float = 0.0
    how: str = ""
    timed: list[datetime] = field(default_factory=list)

    def offer(self, value: datetime | None, confidence: float, how: str) -> None:
        if value is None:
            return
        if value.astimezone(SHANGHAI).time() != time(0, 0):
            self.timed.append(value.astimezone(SHANGHAI))
        if confidence > self.confidence:
            self.value, self.confidence, self.how = value, confidence, how

    def settle(self) -> None:
        if self.value is None:
            return
        self.value = self.value.astimezone(SHANGHAI)
        if self.value.time() == time(0, 0):
            for timed in self.timed:
                if timed.date() == self.value.date():
                    self.value = timed
                    break


def find_published(
    tree: etree._Element,
    text: str,
    url: str,
    rule_fields: dict[str, object],
    header_blocks: list[Block],
    byline: Byline,
    raw: list[str],
    hint: Link | None,
    blocks: list[Block],
    start_index: int | None,
) -> DateChoice:
    choice = DateChoice()
    rule_date = rule_fields.get("date")
    if isinstance(rule_date, datetime):
        choice.offer(rule_date, 0.97, "rule")
    if rule_fields.get("date_from_script"):
        choice.offer(dates.date_from_scripts(text), 0.96, "script")
    if byline.published_text:
        ambiguous = dates.is_ambiguous(byline.published_text)
        choice.offer(dates.parse_date(byline.published_text), 0.6 if ambiguous else 0.93, "label")
    for block in header_blocks:
        ambiguous = dates.is_ambiguous(block.text)
        choice.offer(dates.labelled_date(block.text), 0.6 if ambiguous else 0.92, "label")
    choice.offer(dates.date_from_meta(tree), 0.9, "meta")
    choice.offer(dates.date_from_json_ld(tree), 0.9, "json-ld")
    choice.offer(dates.date_from_scripts(text), 0.85, "script")
    for block in header_blocks:
        if block.link_density < 0.5:
            found = dates.parse_date(block.text)
            if found is not None:
                choice.offer(found, 0.55 if dates.is_ambiguous(block.text) else 0.8, "header")
                break
    for paragraph in raw[:3] + raw[-4:]:
        if len(paragraph) <= 80:
            choice.offer(
                dates.labelled_date(paragraph) or dates.parse_date(paragraph), 0.7, "body-edge"
            )
    for line in [b.text for b in header_blocks[:6]] + raw[:3]:
        choice.offer(dates.year_month_line(line), 0.62, "month-line")
    choice.offer(dates.date_from_url(url), 0.6, "url")
    for paragraph in raw[-3:]:
        choice.offer(dates.year_month_line(paragraph), 0.45, "month-line")
    if choice.value is None:
        date_near_body(choice, blocks, start_index, len(raw))
    if hint is not None:
        choice.offer(hint.published_at, 0.65, "hint")
    choice.settle()
    return choice


def date_near_body(
    choice: DateChoice, blocks: list[Block], start_index: int | None, body_length: int
) -> None:
    """Last resort: a labelled date or a dateline block nearest the body, never from a link
    list; a post's own footer (本贴由…于…发表) counts as labelled."""
    if start_index is None:
        return
    end_index = start_index + body_length
    window = range(max(0, start_index - 25), min(len(blocks), end_index + 12))
    best: tuple[int, datetime] | None = None
    for index in window:
        block = blocks[index]
        if block.link_density >= 0.5:
            continue
        found = dates.labelled_date(block.text)
        if found is None and dates.is_date_line(block.text):
            found = dates.parse_date(block.text)
        if found is None:
            continue
        distance = start_index - index if index < start_index else max(0, index - end_index)
        if best is None or distance < best[0]:
            best = (distance, found)
    if best is not None:
        choice.offer(best[1], 0.5, "near-body")
