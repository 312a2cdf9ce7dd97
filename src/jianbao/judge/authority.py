"""Source authority: which outlet should stand for a story carried by several.

A story republished by many outlets is shown once, through its representative: the
original or most authoritative outlet — government sites first, then central media, then
the rest — then the earliest, then the most complete text. The tiers are configuration
(domains and names), as every publication watches its own official sites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from jianbao.config import AUTHORITY_LISTS
from jianbao.records import Bilingual

GOVERNMENT = 0
CENTRAL_MEDIA = 1
OTHER = 2
TIER_LABELS = {
    GOVERNMENT: Bilingual("政府网站", "government site"),
    CENTRAL_MEDIA: Bilingual("中央媒体", "central media"),
    OTHER: Bilingual("其他媒体", "other media"),
}


@dataclass(frozen=True)
class AuthorityRules:
    """Domains (a host ending in one of them) and outlet names (containing one) per tier."""

    government_domains: tuple[str, ...] = (".gov.cn", "gov.cn")
    government_names: tuple[str, ...] = (
        "国务院",
        "人民政府",
        "卫生健康委",
        "卫健委",
        "卫生健康局",
        "医疗保障局",
        "医保局",
        "中医药管理局",
        "疾控",
        "疾病预防控制",
        "药监局",
        "发展改革委",
        "工业和信息化部",
        "政府网",
    )
    central_media_domains: tuple[str, ...] = (
        "xinhuanet.com",
        "news.cn",
        "people.com.cn",
        "cctv.com",
        "cctv.cn",
        "cntv.cn",
        "chinanews.com",
        "chinanews.com.cn",
        "gmw.cn",
        "ce.cn",
        "chinadaily.com.cn",
        "china.com.cn",
        "cnr.cn",
        "youth.cn",
        "qstheory.cn",
        "jkb.com.cn",
        "cyol.com",
        "workercn.cn",
    )
    central_media_names: tuple[str, ...] = (
        "新华社",
        "新华网",
        "人民日报",
        "人民网",
        "央视",
        "中央广播电视总台",
        "央广",
        "光明日报",
        "光明网",
        "经济日报",
        "中国日报",
        "中国新闻网",
        "中新网",
        "中新社",
        "健康报",
        "求是",
        "中国青年报",
        "中国网",
        "工人日报",
    )


DEFAULT_RULES = AuthorityRules()

#: the lists a configuration may extend (``Settings.authority``)
RULE_LISTS = AUTHORITY_LISTS


def authority_rules(extra: Mapping[str, Sequence[str]] | None) -> AuthorityRules:
    """The default tiers with a publication's own domains and outlet names added (its
    provincial commission's site counts as government, its trade paper as central media);
    unknown list names raise ValueError."""
    if not extra:
        return DEFAULT_RULES
    unknown = sorted(set(extra) - set(RULE_LISTS))
    if unknown:
        raise ValueError(
            f"unknown authority list {', '.join(unknown)}; known: {', '.join(RULE_LISTS)}"
        )
    return replace(
        DEFAULT_RULES,
        **{
            name: tuple(dict.fromkeys([*getattr(DEFAULT_RULES, name), *values]))
            for name, values in extra.items()
        },
    )


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _domain_match(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d.lstrip(".") or host.endswith("." + d.lstrip(".")) for d in domains)


def authority_tier(url: str, source_name: str | None, rules: AuthorityRules = DEFAULT_RULES) -> int:
    """GOVERNMENT (0), CENTRAL_MEDIA (1) or OTHER (2): lower is more authoritative."""
    return _tier(_host(url), source_name or "", rules)


@lru_cache(maxsize=8192)
def _tier(host: str, name: str, rules: AuthorityRules) -> int:
    """The tier of a host and outlet name (cached: a list ranks hundreds of articles from a
    few dozen outlets)."""
    if _domain_match(host, rules.government_domains) or any(
        n in name for n in rules.government_names
    ):
        return GOVERNMENT
    if _domain_match(host, rules.central_media_domains) or any(
        n in name for n in rules.central_media_names
    ):
        return CENTRAL_MEDIA
    return OTHER


class ArticleLike(Protocol):
    """What choosing a representative needs of an article (a record or a database row)."""

    @property
    def url(self) -> str: ...

    @property
    def source_name(self) -> str | None: ...

    @property
    def published_at(self) -> datetime | None: ...

    @property
    def body(self) -> str: ...


A = TypeVar("A", bound=ArticleLike)


def representative_key(
    article: ArticleLike, rules: AuthorityRules = DEFAULT_RULES
) -> tuple[int, float, int]:
    """Sort key: most authoritative tier, then the earliest, then the longest text."""
    published = article.published_at.timestamp() if article.published_at else float("inf")
    return (authority_tier(article.url, article.source_name, rules), published, -len(article.body))


def choose_representative(members: Sequence[A], rules: AuthorityRules = DEFAULT_RULES) -> A:
    """The member that should stand for the story."""
    if not members:
        raise ValueError("a story has at least one member")
    return min(members, key=lambda member: representative_key(member, rules))
