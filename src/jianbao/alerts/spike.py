"""Spikes: a term far above its usual volume, against the last weeks' baseline.

A story carried by many outlets within hours is counted on the story itself
(jianbao.alerts.rules); here, a term's articles of the last day against the daily mean
of the four weeks before: 勒索病毒 in three headlines today when it appears once a month
is news even before the stories are merged.
"""

from __future__ import annotations

from collections.abc import Mapping

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
