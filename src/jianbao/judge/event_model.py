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
    "document",  # the same document (《…》 or 文号), times the larger of the two cosines
    "institution",  # the same institution, times that cosine
    "numbers",  # shared figures (up to 3, as a share of 3), times that cosine
    "day",  # the same day named (4月12日), times that cosine
    "clock",  # the same minute named (23:59)
    "code",  # the same flight, train or model code (MU5735)
    "place",  # the same province or city in both headlines
)

# --- fitted by benchmarks/stories.py --fit (do not edit by hand) ---
BIAS = -2.2755
WEIGHTS = (1.9978, 3.9388, 0.8765, 0.581, 1.0333, -1.5987, 3.5036, 2.3197, 0.9684, 0.0511)
THRESHOLD = 0.35
# --- end of fitted numbers ---


def probability(features: Sequence[float]) -> float:
    """The model's probability that a pair with these features is one event."""
    z = BIAS + math.fsum(w * x for w, x in zip(WEIGHTS, features, strict=True))
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))
