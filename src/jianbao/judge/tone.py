"""How an article is told and whether it reports an incident: its sentiment (负面, 中性,
正面) and its incident risk, as stored on the article (issues 17 and 18).

Three paths judge them, and they must agree, so they all call :func:`judge_tones`:

- collection, for each new article (:mod:`jianbao.prepare`): the candidates list can show
  and filter 负面 the moment an article is stored, and the alert pass reads what is
  stored instead of judging it again;
- the alert pass (:mod:`jianbao.alerts.job`), only for rows stored without them (before
  collection judged them);
- re-judging (:mod:`jianbao.rejudge`), for old articles under today's judge.

Both judges read the headline and the opening :data:`TONE_CHARS` characters of the body
(an incident is reported up front; a long policy text's later pages would only add noise
and cost) in the normalised Simplified form (:func:`jianbao.judge.normalize.simplified`):
the risk and sentiment lexicons are Simplified, and a 繁體 reprint of an incident is the
same incident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jianbao.judge.normalize import simplified
from jianbao.judge.risk import RiskClassifier
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.judge.sentiment import judge_sentiment

#: characters of the body the tone is judged on
TONE_CHARS = 2000
#: decimals the risk is stored with (enough for a threshold, and the same on every path)
RISK_DECIMALS = 4
#: the store's risk classifier: trained (the alert pass, re-judging) or its numbers alone
#: (collection's workers, :mod:`jianbao.risk_file`); both judge with the same arithmetic
RiskJudge = RiskClassifier | RiskNumbers


@dataclass(frozen=True, slots=True)
class Tone:
    """``sentiment``: neg, neu or pos; ``risk``: the incident probability."""

    sentiment: str
    risk: float


def tone_text(title: str, body: str) -> tuple[str, str]:
    """What the tone is judged on: the normalised headline and opening of the body."""
    return simplified(title), simplified(body[:TONE_CHARS])


def judge_tones(
    items: Sequence[tuple[str, str]], classifier: RiskJudge | None = None
) -> list[Tone]:
    """The tone of each (title, body). ``classifier``: the store's risk classifier,
    learned from the editors' marks (:func:`jianbao.alerts.learn.risk_classifier`);
    without one, the risk lexicon's score."""
    texts = [tone_text(title, body) for title, body in items]
    risks = (classifier or _lexicon_only()).probabilities(texts)
    return [
        Tone(judge_sentiment(title, text).polarity, round(float(risk), RISK_DECIMALS))
        for (title, text), risk in zip(texts, risks, strict=True)
    ]


def judge_tone(title: str, body: str, classifier: RiskJudge | None = None) -> Tone:
    """:func:`judge_tones` of one article."""
    return judge_tones([(title, body)], classifier)[0]


_untrained: RiskClassifier | None = None


def _lexicon_only() -> RiskClassifier:
    global _untrained
    if _untrained is None:
        _untrained = RiskClassifier()
    return _untrained
