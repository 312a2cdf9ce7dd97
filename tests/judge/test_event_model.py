"""The event stage's learned pair model (issue 20): plain numbers, one per feature, whose
inputs are the reasons the editor reads."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

from jianbao.judge import event_model
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    compare,
    event_facts,
    pair_evidence,
    similarity_matrices,
)

#: what each reason kind stands for among the model's features
_FEATURE_OF = {
    "document": "document",
    "institution": "institution",
    "numbers": "numbers",
    "day": "day",
    "clock": "clock",
    "code": "code",
    "place": "place",
}


def test_the_model_is_plain_numbers_one_weight_per_feature() -> None:
    source = Path(event_model.__file__).read_text(encoding="utf-8")
    block = source[source.index("# --- fitted by") : source.index("# --- end of fitted")]
    for line in block.splitlines()[1:]:
        _name, value = line.split(" = ", 1)
        ast.literal_eval(value)  # numbers only: nothing to unpickle or download
    assert len(event_model.WEIGHTS) == len(event_model.FEATURES)
    assert 0 < event_model.THRESHOLD < 1 and DEFAULT_THRESHOLD == event_model.THRESHOLD


def test_alike_texts_and_a_shared_minute_make_a_pair_likelier() -> None:
    base = [0.0] * len(event_model.FEATURES)
    alike = list(base)
    alike[event_model.FEATURES.index("lead")] = 0.6
    minute = list(alike)
    minute[event_model.FEATURES.index("clock")] = 1.0
    p = event_model.probability
    assert p(base) < p(alike) < p(minute)
    assert p(base) < DEFAULT_THRESHOLD


def test_the_score_is_the_models_probability_and_the_reasons_are_its_inputs() -> None:
    pages = [
        (
            "台湾花莲县海域发生7.3级地震",
            "中国地震台网正式测定:4月3日7时58分在台湾花莲县海域发生7.3级地震,震源深度12千米。",
        ),
        (
            "台湾花莲7.3级地震 3名登山客被落石砸中",
            "据中国地震台网正式测定,4月3日7时58分,台湾花莲县海域发生7.3级地震,震源深度12千米。",
        ),
    ]
    facts = [event_facts(t, b, datetime(2024, 4, 3)) for t, b in pages]
    headline, lead = similarity_matrices(facts)
    h, ld = float(headline[0, 1]), float(lead[0, 1])
    conflict, features, reasons = pair_evidence(facts[0], facts[1], h, ld)
    match = compare(facts[0], facts[1], h, ld)
    assert conflict is None and match.same()
    assert match.score == round(event_model.probability(features), 4)
    assert match.reasons == reasons and reasons[-1] == ("title", f"{h:.2f}")
    for kind, _detail in reasons[:-1]:
        assert features[event_model.FEATURES.index(_FEATURE_OF[kind])] > 0
    assert ("clock", "7:58") in reasons and ("place", "台湾") in reasons
