"""The demo's fictional outlets and articles, loaded from ``articles.yaml``.

The content lives in data (one record per article) so it can be read and edited as
prose; this module turns it into typed records, gives each article its URL path in the
style of its outlet, and answers what the tests and the demo need to know about it:
which stories are informatics, which fall in the demo week, which are republished.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Literal, cast

import yaml

from jianbao.records import SHANGHAI

Kind = Literal["informatics", "health", "other"]
KINDS: tuple[Kind, ...] = ("informatics", "health", "other")

#: the weekly issue of the demo is dated Friday 2026-11-20; the daily broadcast too
DEMO_ISSUE_DATE = date(2026, 11, 20)
#: the seven days ending on the issue date (Saturday to Friday)
DEMO_WEEK_START = date(2026, 11, 14)
DEMO_WEEK_END = DEMO_ISSUE_DATE
#: the daily broadcast of the issue date covers the previous working day to that date
DEMO_DAILY_START = date(2026, 11, 19)
#: the month of the demo's monthly report
DEMO_MONTH_START = date(2026, 11, 1)
DEMO_MONTH_END = date(2026, 11, 30)


@dataclass(frozen=True, slots=True)
class DemoOutlet:
    """A fictional outlet: its id (also its path prefix), name, page style and encoding."""

    id: str
    name: str
    style: str
    encoding: str

    @property
    def prefix(self) -> str:
        return f"/{self.id}"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One fictional article, with clean paragraphs (the page templates add the mess)."""

    id: str
    outlet: str
    kind: Kind
    story: str
    published: datetime
    source: str
    title: str
    body: tuple[str, ...]
    author: str | None = None
    #: the title at the outlet first carrying the story, shown as 原标题 by republishers
    original_title: str | None = None
    #: a photo caption the page shows inside the body
    caption: str | None = None
    #: attachment file names government pages list under the text (附件：…)
    attachments: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        """A stable five-digit number for the URL, derived from the id."""
        digest = hashlib.md5(self.id.encode("utf-8")).hexdigest()
        return 10000 + int(digest[:8], 16) % 90000

    @property
    def guid(self) -> str:
        """A 32-hex identifier, as national portals put in their URLs."""
        return hashlib.md5(("demo:" + self.id).encode("utf-8")).hexdigest()

    @property
    def day(self) -> date:
        return self.published.date()


@dataclass(frozen=True, slots=True)
class DemoContent:
    outlets: dict[str, DemoOutlet]
    articles: tuple[DemoArticle, ...]
    #: company name → (price, change), spliced into portal pages as stock tickers
    tickers: dict[str, tuple[float, float]]

    def of_outlet(self, outlet_id: str) -> list[DemoArticle]:
        """The outlet's articles, newest first (the order of listings and feeds)."""
        found = [a for a in self.articles if a.outlet == outlet_id]
        return sorted(found, key=lambda a: a.published, reverse=True)


def _parse_time(text: str) -> datetime:
    return datetime.strptime(str(text), "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


@cache
def load_content() -> DemoContent:
    """Read ``articles.yaml`` once; raise ValueError naming the record when one is wrong."""
    raw = resources.files("jianbao.demo").joinpath("articles.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    outlets = {
        o["id"]: DemoOutlet(id=o["id"], name=o["name"], style=o["style"], encoding=o["encoding"])
        for o in data["outlets"]
    }
    articles: list[DemoArticle] = []
    seen: set[str] = set()
    for rec in data["articles"]:
        ident = rec.get("id", "?")
        if ident in seen:
            raise ValueError(f"演示文章 id 重复：{ident}")
        seen.add(ident)
        if rec["outlet"] not in outlets:
            raise ValueError(f"演示文章 {ident} 的 outlet 未定义：{rec['outlet']}")
        if rec["kind"] not in KINDS:
            raise ValueError(f"演示文章 {ident} 的 kind 应为 {KINDS} 之一：{rec['kind']}")
        body = tuple(str(p) for p in rec["body"])
        if not 3 <= len(body) <= 8:
            raise ValueError(f"演示文章 {ident} 应有 3 到 8 段正文，现有 {len(body)} 段")
        articles.append(
            DemoArticle(
                id=ident,
                outlet=rec["outlet"],
                kind=cast(Kind, rec["kind"]),
                story=rec.get("story") or ident,
                published=_parse_time(rec["published"]),
                source=rec["source"],
                title=rec["title"],
                body=body,
                author=rec.get("author"),
                original_title=rec.get("original_title"),
                caption=rec.get("caption"),
                attachments=tuple(rec.get("attachments") or ()),
            )
        )
    tickers = {name: (float(v[0]), float(v[1])) for name, v in data.get("tickers", {}).items()}
    return DemoContent(outlets=outlets, articles=tuple(articles), tickers=tickers)


def demo_articles() -> list[DemoArticle]:
    return list(load_content().articles)


def _stories_between(start: date, end: date, kind: Kind = "informatics") -> set[str]:
    return {a.story for a in load_content().articles if a.kind == kind and start <= a.day <= end}


def expected_weekly_story_keys() -> set[str]:
    """Informatics stories with an article in the demo week (what the weekly should carry)."""
    return _stories_between(DEMO_WEEK_START, DEMO_WEEK_END)


def expected_daily_story_keys() -> set[str]:
    """Informatics stories with an article on Thursday 19 or Friday 20 November 2026 (what
    the daily broadcast of the issue date should carry)."""
    return _stories_between(DEMO_DAILY_START, DEMO_ISSUE_DATE)


def expected_monthly_story_keys() -> set[str]:
    """Informatics stories with an article in November 2026 (what the monthly should carry)."""
    return _stories_between(DEMO_MONTH_START, DEMO_MONTH_END)


def informatics_story_keys() -> set[str]:
    return {a.story for a in load_content().articles if a.kind == "informatics"}


def stories_of_kind(kind: Kind) -> set[str]:
    return {a.story for a in load_content().articles if a.kind == kind}


def republished_stories() -> dict[str, list[DemoArticle]]:
    """Stories carried by more than one outlet, each with its articles oldest first."""
    groups: dict[str, list[DemoArticle]] = {}
    for article in load_content().articles:
        groups.setdefault(article.story, []).append(article)
    return {
        key: sorted(group, key=lambda a: a.published)
        for key, group in groups.items()
        if len({a.outlet for a in group}) > 1
    }


def story_titles(key: str) -> set[str]:
    """Every title the story appears under (republications often retitle it)."""
    return {a.title for a in load_content().articles if a.story == key}
