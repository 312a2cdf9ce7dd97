"""One relevance decision from the keyword match and the learned model.

The keyword topic is what the editor wrote and can read; the model is what the editor's
decisions taught. Neither is enough alone: keywords miss items that speak of the topic in
other words, the model has seen few examples of a rare topic.

The decision follows how strongly the keywords matched:

- in the headline, or in two or more sentences of the body: relevant (the editor's
  expression is the contract; the model, trained on few positives, cannot overrule it);
- in one sentence of the body only — a passing mention (a case-count story that names
  the remote consultation its experts held, a hospital opening that promises to be
  智慧化): relevant unless the model finds the item clearly off the topic
  (``MODEL_VETO``);
- not at all: relevant only if the model is confident (``model_alone``, 0.75 by default).

Without a model every keyword match is relevant. The score used for ranking is a noisy-OR
of both, the keyword's voice scaled by how well it matched (a term in the headline counts
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
#: below this probability the model overrules a passing mention in the body
MODEL_VETO = 0.1
#: body sentences with a match that make a match more than a passing mention
SENTENCES_TO_TRUST = 2


@dataclass(frozen=True, slots=True)
class Relevance:
    """The combined decision, its score in [0, 1] and the reasons, for the editor."""

    relevant: bool
    score: float
    reasons: list[str] = field(default_factory=list)


#: how many of the model's features a relevant item keeps as its reasons (the features
#: that pushed it most towards relevant, for the editor to see why the model scored it)
MODEL_FEATURES = 3


def keyword_evidence(match: TopicMatch) -> float:
    """How much a keyword match alone says, in [0, 1)."""
    if not match.matched:
        return 0.0
    return KEYWORD_BASE + KEYWORD_GAIN * match.score


def passing_mention(match: TopicMatch) -> bool:
    """A match in one sentence of the body only, not in the headline."""
    return match.matched and not match.headline and match.sentences < SENTENCES_TO_TRUST


def passing_reason(match: TopicMatch) -> str:
    """What an editor should know of a passing mention the judge kept: it rests on one
    sentence, and where that sentence stands. On real pages such items are mostly
    relevant (a one-sentence excerpt, a lead that names the system), yet they are also
    where the hard negatives sit (a building promising 智慧医院 in its third sentence, an
    epidemic item naming its experts' remote consultation), and neither the sentence's
    place nor the model's probability tells them apart on the labelled pages
    (benchmarks/data/README.md). The judgement does not store these reasons yet (it keeps
    the matched terms and the model's features); a view that shows them can say why."""
    where = "首句" if match.lead else "非首句"
    if match.body_sentences:
        return f"关键词仅在正文一句中出现（{where}，共{match.body_sentences}句）"
    return "关键词仅在正文一句中出现"


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
    if passing_mention(match):
        relevant = probability >= MODEL_VETO
        if not relevant:
            reasons.append("关键词仅在正文一句中出现，模型判断不相关")
        else:
            reasons.append(passing_reason(match))
    else:
        relevant = match.matched or probability >= model_alone
    return Relevance(relevant, score, reasons)
