"""Water in a hospital is damage in a hospital: rain leaking into an ICU, a storm or a
typhoon flooding a hospital's low ground, a burst pipe flooding a ward (issue 18's
twentieth round: the spent blind15 and blind16 each missed this class, 0.11-0.45, with no
word of the lexicon on the page). A flood-prevention drill or notice names the same words
and stays below the alert; 积水潭医院 is a hospital's name, not water."""

from __future__ import annotations

import pytest

from jianbao.alerts.learn import seeded_classifier
from jianbao.judge.risk import DECISION_THRESHOLD, RiskClassifier, judge_risk

#: reports of water damage in a hospital (written for this test), with the word each names
FLOODED = [
    (
        "暴雨致县医院一楼被淹",
        "暴雨过后，县人民医院门诊一楼被淹，水深约半米，部分药品和设备泡水。",
        "被淹",
    ),
    (
        "",
        "您反映的门诊楼漏水问题我院已知悉。因连日降雨，门诊楼三楼天花板漏雨，我院已安排"
        "后勤人员排水维修，给您带来不便深表歉意。",
        "漏水",
    ),
    (
        "醫院急症室水浸 病人轉送其他醫院",
        "黃雨期間，醫院急症室範圍嚴重水浸，院方將12名病人轉送其他醫院，並表示會檢討應對暴雨的安排。",
        "水浸",
    ),
    (
        "医院住院部水管破裂 病房变水帘洞",
        "住院部五楼一根水管破裂，水从天花板流进病房，病人被转到其他楼层。",
        "水管破裂",
    ),
    (
        "台风过境 一医院地下室被淹",
        "受台风影响，昨晚市第二医院地势较低的地下室出现严重积水，配电房进水，急诊患者一度"
        "分流到附近医院。",
        "严重积水",
    ),
]
#: flood-prevention work: a drill and a notice name the water words of a flooded hospital
PREVENTION = [
    (
        "市人民医院开展防汛应急演练",
        "为做好汛期安全工作，6月10日下午，市人民医院开展防汛应急演练，模拟暴雨导致地下车库"
        "进水、配电房被淹，各部门按照预案迅速处置。",
    ),
    (
        "关于做好医院汛期防汛工作的通知",
        "各医疗机构：入汛以来我市降雨偏多，请各单位加强防汛检查，及时疏通排水管道，防止出现"
        "积水和漏水，确保患者就医安全。特此通知。",
    ),
]


@pytest.fixture(scope="module")
def trained() -> RiskClassifier:
    return seeded_classifier()


@pytest.mark.parametrize(("title", "text", "word"), FLOODED)
def test_water_damage_in_a_hospital_is_a_medical_safety_event(
    trained: RiskClassifier, title: str, text: str, word: str
) -> None:
    judged = judge_risk(title, text)
    assert word in judged.terms
    assert "医疗安全事件" in judged.categories
    assert judged.score > 0.5
    assert trained.probability(title, text) >= DECISION_THRESHOLD


@pytest.mark.parametrize(("title", "text"), PREVENTION)
def test_a_flood_prevention_drill_or_notice_stays_below_the_alert(
    trained: RiskClassifier, title: str, text: str
) -> None:
    judged = judge_risk(title, text)
    # the water words are read, and discounted in a drill's or a prevention sentence
    assert judged.discounted
    assert judged.score == 0
    assert trained.probability(title, text) < DECISION_THRESHOLD


def test_the_hospital_named_jishuitan_is_no_water() -> None:
    judged = judge_risk(
        "积水潭医院开设夜间门诊", "北京积水潭医院今日起开设夜间门诊，方便上班族就诊。"
    )
    assert judged.terms == () and judged.discounted == ()
