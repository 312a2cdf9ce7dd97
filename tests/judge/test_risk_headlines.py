"""Issue 18's fourteenth round: a headline of an attack or an outage read alone, and the
medical-safety events an authority's notice tells (the spent blind11's misses)."""

from __future__ import annotations

from jianbao.judge.risk import DECISION_THRESHOLD, Example, headline_views, judge_risk


def test_headline_views_are_the_titled_pages_whose_headline_names_an_attack_or_outage() -> None:
    pages = [
        Example("某医院信息系统遭勒索病毒攻击", "今天上午，门诊挂号系统瘫痪。", 1),
        Example("英国公共卫生体系遭勒索软件袭击", "英国部分医院的电脑文件被加密。", 0),
        Example("某医院发生医疗纠纷", "家属在门诊大厅拉横幅。", 1),  # no attack or outage
        Example("", "某医院系统瘫痪，患者无法挂号。", 1),  # no headline
        Example("某医院网络故障", "", 1),  # a headline already alone
    ]
    views = headline_views(pages)
    assert [(v.title, v.text, v.label) for v in views] == [
        ("某医院信息系统遭勒索病毒攻击", "", 1),
        ("英国公共卫生体系遭勒索软件袭击", "", 0),
    ]


def test_a_bare_headline_of_an_attack_on_a_health_commission_alerts_and_its_look_alikes_do_not() -> (
    None
):
    """The issue's own example, told by its headline alone (feeds of headlines), alerts;
    a drill, an attack abroad, advice on prevention and a bank's outage told the same way
    stay below the alert."""
    from jianbao.alerts.learn import seeded_classifier

    classifier = seeded_classifier()
    attack, outage, drill, abroad, advice, bank = classifier.probabilities(
        [
            ("某市卫健委遭勒索病毒攻击 系统瘫痪", ""),
            ("市人民医院信息系统故障 门诊暂停挂号", ""),
            ("某医院开展勒索病毒应急演练", ""),
            ("英国多家医院遭勒索软件攻击", ""),
            ("医院如何防范勒索病毒攻击", ""),
            ("某银行系统瘫痪 储户无法取款", ""),
        ]
    )
    assert min(attack, outage) >= DECISION_THRESHOLD
    assert max(drill, abroad, advice, bank) < DECISION_THRESHOLD


def test_an_authoritys_words_for_a_medical_safety_event_count_and_a_training_does_not() -> None:
    """Wrong prescriptions, doses and operations, vaccines stored out of range (Hong Kong's
    Department of Health notices, read in Simplified); the same words in a training's
    sentence do not count."""
    for headline, word in [
        ("博爱医院处方5倍剂量抗排斥药 病人现稳定", "倍剂量"),
        ("私院呈报三宗错误处方药物", "错误处方"),
        ("东区医院有病人接受一个不需要的手术", "不需要的手术"),
        ("卫生署调查诊所贮存疫苗于建议温度范围外", "温度范围外"),
        ("养和医院第二季两宗配药出错", "配药出错"),
        # the fifteenth round's (the spent blind12's misses): a ward's cluster told in
        # Taiwan's words, a laboratory system set up wrong
        ("某医院爆发群聚感染 三名护理师确诊", "群聚感染"),
        ("医院管理局公布化验系统设定错误 部分报告未列出", "设定错误"),
    ]:
        judged = judge_risk(headline, "")
        assert word in judged.terms and judged.score > DECISION_THRESHOLD, headline
    training = judge_risk("", "医院组织药师培训，讲解如何防范配药出错和错误剂量。")
    assert not training.terms and {"配药出错", "错误剂量"} <= set(training.discounted)
    drill = judge_risk("", "医院举行群聚感染应急演练，模拟系统设定错误。")
    assert not drill.terms and {"群聚感染", "设定错误"} <= set(drill.discounted)
