"""Ranking candidates: relevance, authority, story size, policy form, recency, preference.

The morning candidates list should put the day's important health-informatics stories on
top. Each signal adds a weighted part to the rank, and every part is kept with a short
Chinese explanation, so the list (CLI and web) can say why an item is where it is. The
weights are configuration; the defaults make one strong signal (a central policy
document, a story carried by eight outlets) worth about as much as full relevance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from jianbao.config import Settings
from jianbao.judge.authority import (
    CENTRAL_MEDIA,
    DEFAULT_RULES,
    GOVERNMENT,
    TIER_LABELS,
    AuthorityRules,
    authority_rules,
)
from jianbao.records import SHANGHAI, Bilingual


@dataclass(frozen=True)
class RankWeights:
    """How much each signal weighs (0 switches it off)."""

    relevance: float = 1.0
    government: float = 0.5
    central_media: float = 0.25
    #: per doubling of the number of outlets carrying the story
    outlets: float = 0.35
    policy: float = 0.5
    #: full weight for an item published now, halving every ``half_life_days``
    recency: float = 0.3
    half_life_days: float = 3.0
    #: the learned preference (the model's probability that the editor takes it)
    preference: float = 0.5
    #: which outlets count as government sites and central media
    authority: AuthorityRules = DEFAULT_RULES


DEFAULT_WEIGHTS = RankWeights()


def ranking_weights(settings: Settings) -> RankWeights:
    """The weights and authority tiers ``settings`` configure."""
    return weights_from(settings.rank_weights, authority_rules(settings.authority))


def weights_from(
    overrides: Mapping[str, float], authority: AuthorityRules = DEFAULT_RULES
) -> RankWeights:
    """The default weights with a publication's overrides (``Settings.rank_weights``,
    checked there) applied, and its authority tiers."""
    if not overrides and authority is DEFAULT_RULES:
        return DEFAULT_WEIGHTS
    return replace(DEFAULT_WEIGHTS, **dict(overrides), authority=authority)


#: one explained part of a rank, in Chinese and English
Reason = Bilingual


def published_when(published_at: datetime, now: datetime) -> Reason:
    """How long ago, in calendar days at Beijing time: 今天发布 rather than "0 天前发布"
    (hours ago rounded down to nothing), 昨天发布, then N 天前发布."""
    days = max(0, (now.astimezone(SHANGHAI).date() - published_at.astimezone(SHANGHAI).date()).days)
    if days == 0:
        return Reason("今天发布", "published today")
    if days == 1:
        return Reason("昨天发布", "published yesterday")
    return Reason(f"{days} 天前发布", f"published {days} days ago")


@dataclass
class Ranking:
    """A rank and its parts: (explanation, contribution), largest first."""

    score: float
    parts: list[tuple[Reason, float]] = field(default_factory=list)

    @property
    def reasons(self) -> list[Reason]:
        """Short explanations with their contribution, for the list view."""
        return [
            Reason(f"{label} +{value:.2f}", f"{label.en} +{value:.2f}")
            for label, value in self.parts
            if value > 0
        ]


def rank(
    *,
    relevance: float,
    authority_tier: int = 2,
    outlets: int = 1,
    category: str | None = None,
    published_at: datetime | None = None,
    now: datetime | None = None,
    preference: float | None = None,
    matched_terms: list[str] | None = None,
    model_features: list[str] | None = None,
    weights: RankWeights = DEFAULT_WEIGHTS,
) -> Ranking:
    """Rank one story (through its representative) and explain it."""
    parts: list[tuple[Reason, float]] = []
    label = Reason("相关度", "relevance")
    if matched_terms:
        terms = matched_terms[:3]
        label = Reason(f"相关度（{'、'.join(terms)}）", f"relevance ({', '.join(terms)})")
    parts.append((label, weights.relevance * max(0.0, min(1.0, relevance))))
    if authority_tier in (GOVERNMENT, CENTRAL_MEDIA):
        weight = weights.government if authority_tier == GOVERNMENT else weights.central_media
        parts.append((TIER_LABELS[authority_tier], weight))
    if outlets > 1:
        parts.append(
            (
                Reason(f"{outlets} 家媒体报道", f"{outlets} outlets"),
                weights.outlets * math.log2(outlets),
            )
        )
    if category == "政策文件":
        parts.append((Reason("政策文件", "policy document"), weights.policy))
    if published_at is not None and now is not None and weights.recency:
        age_days = max(0.0, (now - published_at).total_seconds() / 86400)
        parts.append(
            (
                published_when(published_at, now),
                weights.recency * 0.5 ** (age_days / weights.half_life_days),
            )
        )
    if preference is not None:
        zh, en = f"编辑偏好 {preference:.2f}", f"editor preference {preference:.2f}"
        if model_features:
            features = model_features[:3]
            zh += "（模型依据：" + "、".join(features) + "）"
            en += " (model: " + ", ".join(features) + ")"
        parts.append((Reason(zh, en), weights.preference * preference))
    parts.sort(key=lambda part: -part[1])
    return Ranking(sum(value for _, value in parts), parts)
