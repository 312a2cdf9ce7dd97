"""The risk classifier's headline part: character n-grams of the headline alone, a part of
its own in the numbers form, that travels in the file and is told apart from the whole
text's parts (issue 18, fifth round)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jianbao.judge.risk import Example, RiskClassifier
from jianbao.judge.risk_direct import HEADLINE, WHOLE, RiskNumbers

FEW = [
    Example("某医院系统遭黑客攻击瘫痪", "门诊无法挂号。", 1),
    Example("卫健委通报患者信息泄露事件", "涉事医院被处罚。", 1),
    Example("某地医保系统宕机半日", "群众投诉无法结算。", 1),
    Example("如何防范医院系统遭黑客攻击", "门诊无法挂号怎么办。", 0),
    Example("专家提醒:谨防患者信息泄露", "涉事医院被处罚的案例。", 0),
    Example("网传医保系统宕机?回应:不实", "群众投诉无法结算系谣言。", 0),
]


@pytest.fixture(scope="module")
def classifier() -> RiskClassifier:
    return RiskClassifier().fit(FEW)


def test_the_headline_is_a_part_of_its_own(classifier: RiskClassifier) -> None:
    numbers = classifier.numbers
    assert numbers is not None
    assert [part.reads for part in numbers.parts] == [WHOLE, WHOLE, HEADLINE]
    headline = numbers.parts[-1]
    assert "如何" in headline.vocabulary and "门诊" not in headline.vocabulary
    texts = [(e.title, e.text) for e in FEW] + [("医院系统瘫痪", ""), ("", "门诊无法挂号。")]
    assert classifier.probabilities(texts) == pytest.approx(
        classifier.reference_probabilities(texts), abs=1e-9
    )
    # the same words told in the body alone do not reach the headline part: a text without
    # a headline has no headline row
    indices, _values = headline.row("")
    assert len(indices) == 0


def test_the_file_keeps_what_each_part_reads(classifier: RiskClassifier, tmp_path: Path) -> None:
    assert classifier.numbers is not None
    path = tmp_path / "risk.npz"
    classifier.numbers.save(path)
    loaded = RiskNumbers.load(path)
    assert [p.reads for p in loaded.parts] == [WHOLE, WHOLE, HEADLINE]
    texts = [(e.title, e.text) for e in FEW]
    assert loaded.probabilities(texts) == classifier.probabilities(texts)
    # a file written before the headline part (six numbers of form a part) reads whole texts
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    for n in range(len(loaded.parts)):
        arrays[f"p{n}_form"] = arrays[f"p{n}_form"][:6]
    old = tmp_path / "old.npz"
    np.savez_compressed(old, **arrays)  # type: ignore[arg-type]
    assert [p.reads for p in RiskNumbers.load(old).parts] == [WHOLE, WHOLE, WHOLE]


def test_without_headlines_there_is_no_headline_part() -> None:
    untitled = [Example("", e.title + e.text, e.label) for e in FEW]
    numbers = RiskClassifier().fit(untitled).numbers
    assert numbers is not None
    assert [part.reads for part in numbers.parts] == [WHOLE, WHOLE]
