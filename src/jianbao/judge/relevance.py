"""One relevance decision from the keyword match and the learned model.

The keyword topic is what the editor wrote and can read; the model is what the editor's
decisions taught. Neither is enough alone: keywords miss items that speak of the topic in
other words, the model has seen few examples of a rare topic.

The decision: a keyword match is relevant (the editor's expression is the contract; the
model, trained on few positives, cannot overrule it), and without one the model must be
confident (``model_alone``, 0.75 by default). The score used for ranking is a noisy-OR of
both, the keyword's voice scaled by how well it matched (a term in the headline counts
more than one in the last paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jianbao.judge.topic import TopicMatch

#: a keyword match alone is worth this much, plus KEYWORD_GAIN × its strength (0..1)
KEYWORD_BASE = 0.4
KEYWORD_GAIN = 0.4
#: the model's probability that makes an item relevant without a keyword match
MODEL_ALONE = 0.75


@dataclass(frozen=True, slots=True)
class Relevance:
    """The combined decision, its score in [0, 1] and the reasons, for the editor."""

    relevant: bool
    score: float
    reasons: list[str] = field(default_factory=list)


def keyword_evidence(match: TopicMatch) -> float:
    """How much a keyword match alone says, in [0, 1)."""
    if not match.matched:
        return 0.0
    return KEYWORD_BASE + KEYWORD_GAIN * match.score


def combine(
    match: TopicMatch, probability: float | None, *, model_alone: float = MODEL_ALONE
) -> Relevance:
    """Combine a topic match with the model's probability (None: no model trained yet)."""
    keyword = keyword_evidence(match)
    reasons = []
    if match.matched:
        reasons.append("关键词：" + "、".join(match.terms[:5]))
    if probability is None:
        return Relevance(match.matched, match.score, reasons)
    score = 1.0 - (1.0 - keyword) * (1.0 - probability)
    reasons.append(f"模型概率 {probability:.2f}")
    return Relevance(match.matched or probability >= model_alone, score, reasons)
