"""The plain records passed between pipeline stages.

Stages exchange these dataclasses and nothing else, so each stage can be tested alone and
run in one process or on workers. This module imports nothing internal.

Times are timezone-aware; publish times are expressed in Asia/Shanghai (``SHANGHAI``),
the zone every publication's dates are counted in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

SourceKind = Literal["feed", "listing", "sitemap", "url"]
IssueKind = Literal["daily", "weekly", "monthly"]
ISSUE_KINDS: tuple[IssueKind, ...] = ("daily", "weekly", "monthly")

_SPACE = re.compile(r"\s+")


def content_hash(paragraphs: list[str] | tuple[str, ...]) -> str:
    """A hash of the body text that ignores white space, so a republished copy that only
    differs in spacing or line breaks is recognised as the same content."""
    text = _SPACE.sub("", "".join(paragraphs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """What to collect from: a feed, a listing page, a sitemap or a single URL."""

    name: str
    url: str
    kind: SourceKind = "feed"
    #: optional CSS selector for article links on a listing page
    link_selector: str | None = None
    #: how many listing pages to follow (1 = only the first)
    max_pages: int = 1
    #: the 来源 to use when a page names none
    default_source_name: str | None = None
    #: "http" or "browser" (JavaScript-guarded sites)
    render: str = "http"
    #: whether robots.txt is honoured for this source (when the setting allows it)
    respect_robots: bool = True
    id: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One HTTP response, body already read (and capped), not yet decoded."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    #: True when the server answered 304 Not Modified to a conditional GET
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return _header(self.headers, "etag")

    @property
    def last_modified(self) -> str | None:
        return _header(self.headers, "last-modified")

    @property
    def content_type(self) -> str | None:
        return _header(self.headers, "content-type")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


class Bilingual(str):
    """A message for a person: the string itself in Chinese, ``en`` in English.

    A plain string everywhere a string is expected (joined, compared, stored); a page or
    command in English shows :meth:`text`. Stages that explain themselves (a rank's
    reasons, a source's health) return these, so the edges need no table of them."""

    en: str

    def __new__(cls, zh: str, en: str) -> Bilingual:
        text = super().__new__(cls, zh)
        text.en = en
        return text

    def __reduce__(self) -> tuple[type[Bilingual], tuple[str, str]]:
        return (Bilingual, (str(self), self.en))

    def text(self, language: str) -> str:
        return self.en if language == "en" else str(self)


@dataclass(slots=True)
class Link:
    """An article link discovered in a feed, listing page or sitemap.

    Feed entries may carry a title, a date and even the full text; these are hints the
    extractor may use when the page itself is poor (or cannot be fetched).
    """

    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None
    author: str | None = None
    #: the outlet's name as the feed or source configuration gives it
    source_name: str | None = None
    #: full HTML content carried by the feed (content:encoded), when any
    content_html: str | None = None


@dataclass(slots=True)
class Article:
    """An extracted article: what the page says, cleaned.

    ``paragraphs`` is the body, one string per paragraph, with navigation, tickers and
    editor credits removed. ``confidence`` maps a field name to 0..1.
    """

    url: str
    canonical_url: str
    title: str
    paragraphs: list[str]
    published_at: datetime | None = None
    source_name: str | None = None
    author: str | None = None
    language: str = "zh"
    #: sanitized HTML of the body, for the web view
    html: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        return content_hash(self.paragraphs)


@dataclass(slots=True)
class Judgement:
    """What the judge stage says about one article."""

    relevant: bool
    score: float
    matched_terms: list[str] = field(default_factory=list)
    category: str | None = None
    summary: str = ""
    #: the learned model's probability (None without a trained model) and, for a relevant
    #: item, the features that pushed it most towards relevant: the why beside the terms
    model_probability: float | None = None
    model_features: list[str] = field(default_factory=list)
    #: a wider scope the item is in besides relevance (the daily's national policy on
    #: health and the digital economy, jianbao.judge.scope), None when none
    scope: str | None = None
    #: how it is told (neg, neu, pos) and its incident probability (jianbao.judge.tone),
    #: judged at collection; None where the judging path did not judge them
    sentiment: str | None = None
    risk: float | None = None


@dataclass(slots=True)
class IssueItemView:
    """One item of an issue, as the renderers see it (numbering is by position)."""

    position: int
    title: str
    url: str
    source: str
    published_at: date | None
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    category: str | None = None


@dataclass(slots=True)
class IssueView:
    """Everything a renderer needs to draw one issue, computed once by ``editions``.

    Renderers only lay this out; they never compute numbers, dates or counts, so the
    目录, the 具体内容 and the 导语 cannot disagree.
    """

    kind: IssueKind
    publication_title: str
    issue_date: date
    period_start: date
    period_end: date
    items: list[IssueItemView]
    number: int | None = None
    #: the number as printed: （第五四六期）
    number_text: str = ""
    publisher: str = ""
    #: 本期导语 text (weekly, monthly)
    lead: str = ""
    #: the daily heading: 2020年7月16日（周四）今日入伏
    heading: str = ""
    source_label: str = "来源"
    #: category names in display order when the publication groups items
    categories: list[str] = field(default_factory=list)
