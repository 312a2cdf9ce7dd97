"""What the checker reports and what it is told: findings, options, past issues, and the
title comparisons several rules share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from jianbao.editions.daynote import CalendarOverride
from jianbao.editions.publication import MIN_ITEMS, Publication
from jianbao.records import IssueView

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how bad, where, what is wrong and how to fix it."""

    rule: str
    message: str
    fix: str
    severity: Severity = "error"
    #: the item number concerned (None for the whole issue)
    item: int | None = None
    #: where in the document (目录, 具体内容, 导语, a daily's date …)
    where: str = ""

    def __str__(self) -> str:
        place = self.where + (f" 第{self.item}条" if self.item is not None else "")
        level = "错误" if self.severity == "error" else "提示"
        return f"[{level}] {self.rule} {place}：{self.message}（修改：{self.fix}）"


@dataclass(frozen=True, slots=True)
class PastIssue:
    """A recently published issue, for 'already published' findings."""

    label: str
    titles: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @classmethod
    def from_view(cls, view: IssueView) -> PastIssue:
        """An earlier issue, labelled 第五四五期 or by its daily heading."""
        label = view.number_text.strip("（）") if view.number_text else view.heading
        return cls(
            label=label or view.issue_date.isoformat(),
            titles=tuple(i.title for i in view.items),
            urls=tuple(i.url for i in view.items if i.url),
        )


@dataclass(slots=True)
class CheckOptions:
    """What the checker knows beyond the document itself."""

    publication: Publication | None = None
    #: the number this issue should carry (the publication's next number)
    expected_number: int | None = None
    recent: Sequence[PastIssue] = ()
    #: returns an error message for a dead link, None when it answers; None = offline
    link_checker: Callable[[str], str | None] | None = None
    #: addresses the online link check may visit although private (``ssrf_allowlist``)
    link_allowlist: tuple[str, ...] = ()
    calendar: CalendarOverride | None = None
    similarity: float = 0.8
    extra_noise: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Limits:
    """The checker's warning thresholds: the publication's, else the defaults by kind."""

    min_items: int
    max_title_chars: int
    similar_titles: float

    @classmethod
    def of(cls, kind: str | None, opts: CheckOptions) -> Limits:
        pub = opts.publication
        if pub is not None:
            return cls(pub.item_minimum, pub.max_title_chars, pub.similar_titles)
        defaults = Publication("default", "default", "weekly")
        return cls(MIN_ITEMS.get(kind or "", 0), defaults.max_title_chars, defaults.similar_titles)


def normalize_title(text: str) -> str:
    """A title reduced for comparison: width folded, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum()).lower()


def normalize_source(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def title_similarity(a: str, b: str) -> float:
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ba, bb = _bigrams(na), _bigrams(nb)
    return len(ba & bb) / len(ba | bb)


def short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
