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


@dataclass
class Ranking:
    """A rank and its parts: (explanation, contribution), largest first."""

    score: float
    parts: list[tuple[str, float]] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Short Chinese explanations with their contribution, for the list view."""
        return [f"{label} +{value:.2f}" for label, value in self.parts if value > 0]


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
    parts: list[tuple[str, float]] = []
    label = "相关度"
    if matched_terms:
        label += "（" + "、".join(matched_terms[:3]) + "）"
    parts.append((label, weights.relevance * max(0.0, min(1.0, relevance))))
    if authority_tier == GOVERNMENT:
        parts.append((TIER_LABELS[GOVERNMENT], weights.government))
    elif authority_tier == CENTRAL_MEDIA:
        parts.append((TIER_LABELS[CENTRAL_MEDIA], weights.central_media))
    if outlets > 1:
        parts.append((f"{outlets} 家媒体报道", weights.outlets * math.log2(outlets)))
    if category == "政策文件":
        parts.append(("政策文件", weights.policy))
    if published_at is not None and now is not None and weights.recency:
        age_days = max(0.0, (now - published_at).total_seconds() / 86400)
        parts.append(
            (
                f"{age_days:.0f} 天前发布",
                weights.recency * 0.5 ** (age_days / weights.half_life_days),
            )
        )
    if preference is not None:
        label = f"编辑偏好 {preference:.2f}"
        if model_features:
            label += "（模型依据：" + "、".join(model_features[:3]) + "）"
        parts.append((label, weights.preference * preference))
    parts.sort(key=lambda part: -part[1])
    return Ranking(sum(value for _, value in parts), parts)
