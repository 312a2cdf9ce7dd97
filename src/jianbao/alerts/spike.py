"""Spikes: a term far above its usual volume, against the last weeks' baseline.

A story carried by many outlets within hours is counted on the story itself
(jianbao.alerts.rules); here, a term's articles of the last day against the daily mean
of the four weeks before: 勒索病毒 in three headlines today when it appears once a month
is news even before the stories are merged.

Either way only a story of the health sector spikes (``alert_spike_sector``, on by
default; :func:`in_sector`): an information center must hear of a hospital's outage
picked up by five outlets in an afternoon, not of a drunk driver going viral. On the
realistic stream three of the twelve alerts left after issue 18's eighteenth round were
such spikes (醉酒, 抛弃, 曝光/不合格 in headline-only items of pooled feeds).
"""

from __future__ import annotations

from collections.abc import Mapping

from jianbao.judge.risk import default_lexicon, in_health
from jianbao.judge.tone import tone_text

#: a term is spiking at this many times its daily mean (the mean floored at 0.5 a day)
SPIKE_RATIO = 4.0
#: and with at least this many articles in the last day
SPIKE_MIN_TODAY = 3
#: days of the baseline
BASELINE_DAYS = 28


def is_spike(today: int, daily_mean: float) -> bool:
    return today >= SPIKE_MIN_TODAY and today >= SPIKE_RATIO * max(daily_mean, 0.5)


def term_spikes(volume: Mapping[str, tuple[int, float]]) -> list[tuple[str, tuple[int, float]]]:
    """The spiking terms, the strongest first."""
    hot = [(term, counts) for term, counts in volume.items() if is_spike(*counts)]
    return sorted(hot, key=lambda item: -item[1][0] / max(item[1][1], 0.5))


def in_sector(title: str, body: str) -> bool:
    """Whether a page names the health sector (the risk lexicon's ``[health]`` terms: 医院,
    卫健, 医保, 患者 …), read as the risk judgement reads it — the Simplified headline and
    opening (:func:`jianbao.judge.tone.tone_text`), so a 繁體 醫院 counts — and so the same
    pages whose incident probability is not cut as outside the sector
    (:data:`jianbao.judge.risk.LEARNED_OUTSIDE_HEALTH`): the same check
    (:func:`jianbao.judge.risk.in_health`)."""
    return in_health(*tone_text(title, body), default_lexicon())
