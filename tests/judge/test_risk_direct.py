"""The direct form of the trained risk classifier (jianbao.judge.risk_direct) gives the
classifier's own probabilities, and refuses rather than differs."""

from __future__ import annotations

import copy

import pytest

from jianbao.alerts.learn import seeded_classifier
from jianbao.judge.risk import Example, RiskClassifier, seed_examples
from jianbao.judge.risk_direct import DirectRisk
from jianbao.judge.tone import judge_tones, tone_text


@pytest.fixture(scope="module")
def trained() -> RiskClassifier:
    return seeded_classifier()


def test_it_gives_the_classifiers_probabilities_on_real_pages(trained: RiskClassifier) -> None:
    direct = DirectRisk.of(trained)
    assert direct is not None
    pages = [tone_text(e.title, e.text) for e in seed_examples()]
    expected = trained.probabilities(pages)
    got = direct.probabilities(pages)
    assert max(abs(e - g) for e, g in zip(expected, got, strict=True)) < 1e-9
    assert {round(p, 1) for p in got} != {0.0}  # the pages are not all judged alike


def test_an_uncalibrated_classifier_too() -> None:
    few = [
        Example("某医院系统遭黑客攻击瘫痪", "门诊无法挂号。", 1),
        Example("卫健委通报患者信息泄露事件", "涉事医院被处罚。", 1),
        Example("某地医保系统宕机半日", "群众投诉无法结算。", 1),
        Example("某医院开展网络安全应急演练", "模拟勒索病毒攻击。", 0),
        Example("互联网医院平台上线", "患者可在线复诊。", 0),
        Example("卫健委召开信息化工作会议", "部署年度重点任务。", 0),
    ]
    classifier = RiskClassifier().fit(few)
    assert classifier.trained and not hasattr(classifier._model, "calibrated_classifiers_")
    assert DirectRisk.of(classifier) is not None


def test_it_refuses_what_it_does_not_know(trained: RiskClassifier) -> None:
    assert DirectRisk.of(RiskClassifier()) is None  # untrained: the lexicon's score
    changed = copy.copy(trained)
    changed._vectorizer = copy.deepcopy(trained._vectorizer)
    changed._vectorizer.sublinear_tf = not trained._vectorizer.sublinear_tf
    assert DirectRisk.of(changed) is None  # another TF-IDF: refused, not wrong


def test_tone_one_at_a_time_equals_the_batch(trained: RiskClassifier) -> None:
    pages = [(e.title, e.text) for e in seed_examples()[:40]]
    batch = judge_tones(pages, trained)  # 40 ≥ BATCH_FROM: the classifier's own batch
    one_by_one = [judge_tones([page], trained)[0] for page in pages]  # the direct form
    assert [t.sentiment for t in batch] == [t.sentiment for t in one_by_one]
    assert max(abs(a.risk - b.risk) for a, b in zip(batch, one_by_one, strict=True)) <= 1e-4
