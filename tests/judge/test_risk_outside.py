"""A page outside the health sector does not alert at the default threshold, however much
it reads like a report; the emergency service (120) is inside the sector (issue 18's
eighteenth round: the realistic stream's supermarket complaint and hit-and-run roundup
alerted at half their learned probability)."""

from __future__ import annotations

import dataclasses

import pytest

from jianbao.alerts.learn import seeded_classifier
from jianbao.judge.risk import (
    DECISION_THRESHOLD,
    LEARNED_OUTSIDE_HEALTH,
    RiskClassifier,
    judge_risk,
)

#: news reports of harm that name nothing of the health sector
OUTSIDE = [
    (
        "",
        "本报4月13日讯（记者 王明）家住城南区的李女士昨日向记者投诉：她在小区超市买的一桶"
        "花生油离保质期只剩二十天，超市却把它捆绑促销。记者随后来到超市，店长表示将下架整改。",
    ),
    (
        "",
        "记者5月8日从警方获悉，一名司机驾车撞死行人后逃逸，近日在外地被警方抓获，已被刑事"
        "拘留。此前，另一名肇事司机伪造现场，被法院判处有期徒刑。",
    ),
]
#: a 120 that does not answer: the sector's own failure, told without 医院 or 患者
EMERGENCY = (
    "男子拨打120二十分钟无人接听 急救中心致歉",
    "7月6日晚，市民王先生的父亲在家中突发急病，家人拨打120急救电话长达二十分钟无人接听。"
    "市急救中心昨日致歉，称当晚调度员脱岗，已停职调查。",
)


@pytest.fixture(scope="module")
def trained() -> RiskClassifier:
    return seeded_classifier()


@pytest.mark.parametrize(("title", "text"), OUTSIDE)
def test_a_report_outside_the_health_sector_stays_below_the_alert(
    trained: RiskClassifier, title: str, text: str
) -> None:
    assert not judge_risk(title, text).health
    numbers = trained.numbers
    assert numbers is not None
    # its words read as a report: without the framing's damp and the sector's factor the
    # learned probability is far above the threshold
    learned = dataclasses.replace(numbers, framing=None)
    assert learned.probability(title, text) / LEARNED_OUTSIDE_HEALTH > 2 * DECISION_THRESHOLD
    assert trained.probability(title, text) < DECISION_THRESHOLD
    assert trained.reference_probabilities([(title, text)])[0] < DECISION_THRESHOLD


def test_a_120_that_does_not_answer_is_inside_the_sector_and_alerts(
    trained: RiskClassifier,
) -> None:
    title, text = EMERGENCY
    assert judge_risk(title, text).health
    assert trained.probability(title, text) >= DECISION_THRESHOLD
