"""The event stage's pair model: how likely two articles are one event, from what they share.

A logistic regression over the features :func:`jianbao.judge.events.pair_evidence`
computes for a pair that no rule already keeps apart: how alike the headlines and the
leads read (TF-IDF cosines of character n-grams within the window), whether the headlines
share almost nothing, and the specifics both name (the same document, institution,
figures, day, minute, flight or train code, place). It was
fitted by ``benchmarks/stories.py --fit`` on the tuning sets' pairs of real pages
(``benchmarks/data/stories-*.tsv``, never the held-out ``stories-blind4.tsv``) and is
shipped as the plain numbers below: nothing is downloaded or unpickled at run time, and
each weight says how much its kind of evidence counts, so the reasons shown to the editor
(同一文件《…》, 同一机构, 标题相近 0.82) are the model's own inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: the pair's features, in the order :func:`jianbao.judge.events.pair_evidence` gives them
FEATURES = (
    "headline",  # cosine of the headlines
    "lead",  # cosine of headline plus lead
    "headline_apart",  # 1 when the headlines share almost nothing (below HEADLINE_FLOOR)
    "document",  # the same document (《…》 or 文号)
    "institution",  # the same institution
    "numbers",  # shared figures (up to 3, as a share of 3)
    "day",  # the same day named (4月12日)
    "clock",  # the same minute named (23:59)
    "code",  # the same flight, train or model code (MU5735)
    "place",  # the same province or city in both headlines
    "document_alike",  # the same document, times the larger of the two cosines
    "institution_alike",  # the same institution, times that cosine
    "numbers_alike",  # shared figures, times that cosine
    "day_alike",  # the same day, times that cosine
)

# --- fitted by benchmarks/stories.py --fit (do not edit by hand) ---
BIAS = -2.5352
WEIGHTS = (
    2.1655,
    3.7887,
    0.7018,
    0.6474,
    0.4525,
    -0.6794,
    2.5606,
    2.0296,
    0.7698,
    0.1008,
    0.4252,
    0.7184,
    -0.9774,
    0.5218,
)
THRESHOLD = 0.45
# --- end of fitted numbers ---


def probability(features: Sequence[float]) -> float:
    """The model's probability that a pair with these features is one event."""
    z = BIAS + math.fsum(w * x for w, x in zip(WEIGHTS, features, strict=True))
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))
