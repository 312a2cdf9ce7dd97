"""The risk and sentiment lexicons: incidents found, exercises, training and prevention
not taken for incidents, negation, and the classifier learned from marks."""

from __future__ import annotations

from jianbao.judge.risk import Example, RiskClassifier, judge_risk
from jianbao.judge.sentiment import SentimentClassifier, judge_sentiment


def test_an_outage_at_a_hospital_is_an_incident() -> None:
    judged = judge_risk("某市中医院信息系统故障 患者无法挂号", "系统持续瘫痪4小时，门诊排起长队。")
    assert judged.score >= 0.8
    assert "网络攻击与系统故障" in judged.categories and judged.health


def test_an_exercise_training_or_prevention_is_not_an_incident() -> None:
    for title, text in [
        ("市卫健委开展网络安全应急演练", "演练模拟勒索病毒攻击医院信息系统，检验应急处置。"),
        ("医院举办数据安全培训", "培训讲解患者信息泄露的常见原因。"),
        ("专家提醒：医院如何防范勒索病毒", "防范勒索病毒需做好备份。"),
    ]:
        judged = judge_risk(title, text)
        assert judged.score < 0.3, (title, judged)
        assert judged.discounted


def test_a_negated_term_does_not_count() -> None:
    assert judge_risk("医院今年未发生数据泄露", "").score == 0.0
    assert judge_risk("医院发生数据泄露", "").score > 0.5


def test_an_incident_outside_health_counts_half() -> None:
    bank = judge_risk("某银行系统宕机", "用户无法转账。")
    hospital = judge_risk("某医院系统宕机", "患者无法挂号。")
    assert bank.score < hospital.score / 1.5 and not bank.health


def test_the_classifier_learns_from_marks_and_is_the_lexicon_before() -> None:
    classifier = RiskClassifier()
    title = "医院公众号发布投诉渠道"
    before = classifier.probability(title, "")
    assert before == judge_risk(title, "").score
    examples = [Example(f"医院公众号发布投诉渠道{i}", "便民", 0) for i in range(4)] + [
        Example(f"医院患者数据遭泄露{i}", "数万条信息被倒卖", 1) for i in range(4)
    ]
    classifier.fit(examples)
    assert classifier.trained
    assert classifier.probability(title, "便民") < classifier.probability("患者数据遭泄露", "")


def test_sentiment_lexicon_reads_the_three_polarities() -> None:
    assert judge_sentiment("医院信息系统瘫痪 患者排长队", "").polarity == "neg"
    assert judge_sentiment("互联网医院上线 便民惠民成效显著", "").polarity == "pos"
    assert judge_sentiment("市卫健委召开工作会议", "会议部署下一阶段工作。").polarity == "neu"


def test_sentiment_classifier_needs_every_polarity() -> None:
    items = [("好消息成功", "", "pos")] * 3 + [("事故", "", "neg")] * 3
    assert not SentimentClassifier().fit(items).trained
    items += [("会议召开", "", "neu")] * 3
    trained = SentimentClassifier().fit(items)
    assert trained.trained and trained.polarities([("事故", "")]) == ["neg"]


def test_the_learned_probability_is_halved_outside_health() -> None:
    examples = [Example(f"某医院信息系统宕机{i}", "患者无法挂号", 1) for i in range(4)] + [
        Example(f"某医院上线新系统{i}", "患者少跑腿", 0) for i in range(4)
    ]
    classifier = RiskClassifier().fit(examples)
    outside = classifier.probability("某银行系统宕机", "用户无法转账")
    inside = classifier.probability("某医院系统宕机", "患者无法挂号")
    assert outside <= 0.5 < inside


def test_an_event_abroad_counts_half() -> None:
    abroad = judge_risk("英国多家医院遭勒索病毒攻击", "英国卫生机构的系统瘫痪，手术被迫取消。")
    home = judge_risk("东川省多家医院遭勒索病毒攻击", "东川省卫生机构的系统瘫痪，手术被迫取消。")
    assert abroad.abroad and not home.abroad
    assert abroad.score == home.score / 2


def test_a_context_word_discounts_only_the_terms_near_it() -> None:
    # one long sentence: the outage reported, and far behind it the plan the hospital had
    text = (
        "昨天上午9点，市人民医院门诊信息系统突然瘫痪，上百名患者在挂号窗口前排队等候了"
        "将近两个小时，医院随后按照年初修订的应急预案和培训要求组织人员手工挂号。"
    )
    judged = judge_risk("", text)
    assert "瘫痪" in judged.terms and judged.score > 0.5
    drill = judge_risk("", "医院开展信息系统瘫痪应急演练。")
    assert "瘫痪" in drill.discounted and drill.score == 0.0


def test_a_notice_of_planned_work_is_not_an_incident() -> None:
    judged = judge_risk(
        "停电公告", "因电路设备检修，我院拟于8月22日下午停电，届时挂号系统暂停服务。"
    )
    assert judged.score < 0.3 and judged.discounted
    assert judged.cues["notice"] >= 2


def test_the_shipped_pages_hold_both_kinds_and_train_the_deployed_classifier() -> None:
    from jianbao.alerts.learn import seeded_classifier
    from jianbao.judge.risk import DECISION_THRESHOLD, seed_examples

    seed = seed_examples()
    assert len(seed) >= 200 and {e.label for e in seed} == {0, 1}
    classifier = seeded_classifier()
    assert classifier.trained and classifier.trained_on == len(seed)
    outage = classifier.probability(
        "东川省人民医院信息系统瘫痪 患者无法挂号", "昨天上午系统宕机4小时。"
    )
    drill = classifier.probability("东川省卫健委开展网络安全应急演练", "演练模拟勒索病毒攻击。")
    assert drill < DECISION_THRESHOLD <= outage


def test_the_third_rounds_incidents_count_and_their_look_alikes_do_not() -> None:
    """120 that did not answer, a 医托 gang and unpaid staff are incidents the word list
    used to miss; a hospital's anti-fraud campaign names 医托 and 诈骗 without one."""
    ambulance = judge_risk(
        "苦等救护车不到 一妇女家中死亡",
        "6月28日晚,家人几次拨打县急救中心120都没有打通,直到她离开人世也没有见到救护车。",
    )
    touts = judge_risk(
        "医托团伙冒充医生 将老人骗进小门诊", "4月12日,他在门诊2楼碰到医托团伙,被骗1350元。"
    )
    wages = judge_risk(
        "医护被拖欠8个月工资聚门口讨薪", "数十名医护人员在医院门口聚集,希望院方解决拖欠工资问题。"
    )
    campaign = judge_risk(
        "卫生院开展反诈骗宣传活动",
        "卫生院在候诊大厅开展宣传活动,讲解医托、冒充医保局诈骗等常见手法。",
    )
    assert "没有打通" in ambulance.terms and ambulance.score > 0.4
    assert min(touts.score, wages.score) > 0.5
    assert campaign.score < 0.3 and "医托" in campaign.discounted


def test_a_smoking_server_and_infected_dialysis_count_and_a_mix_up_commentary_does_not() -> None:
    """The eighth round's words (the spent blind6's misses): a clinic's server that smoked,
    dialysis patients found infected. Its words for babies mixed up at birth (抱错 …)
    were taken out in the ninth round: on the spent parts they raised two commentaries on
    mix-ups above the alert and no report, so a commentary on mix-ups scores low."""
    server = judge_risk(
        "诊所电脑伺服器冒烟 服务暂停", "诊所登记处的电脑伺服器今早冒烟,门诊服务暂停。"
    )
    dialysis = judge_risk("", "血样复查确认28名血透病人为丙肝病毒感染者,血透中心停业整顿。")
    commentary = judge_risk(
        "", "医院抱错孩子历来就有,给双方家庭带来难以挽回的伤害,医院有不可推卸的责任。"
    )
    assert "冒烟" in server.terms and "丙肝病毒感染" in dialysis.terms
    assert "抱错" not in commentary.terms and commentary.score < 0.3


def test_ward_infections_drip_deaths_misread_scripts_sold_records_and_impostors_count() -> None:
    """The tenth round's words, each a class of the spent blind8's misses that none of the
    947 labelled pages uses otherwise: an infection event in a ward, a death found after a
    drip, a script misread at a pharmacy, records sold as a 泄密 disc, an impostor hospital
    or its fake site. A training on infection events and a phone shop's 山寨 goods are no
    incident."""
    ward = judge_risk("", "该院近日发生一起医院感染事件,致7例接受手术的患者发生感染。")
    drip = judge_risk("", "丈夫头天晚上到诊所挂吊瓶,清晨被发现突然死亡,家属报警。")
    script = judge_risk("", "因药方书写潦草,药房店员看错处方,将壮阳药抓成了健胃药。")
    disc = judge_risk("", "不法分子将医院4万多条孕产妇信息制成泄密光盘销售。")
    impostor = judge_risk("", "该院发现网上出现多家冒用其名的山寨医院和假网站,已报警。")
    training = judge_risk(
        "医院开展感染防控培训", "培训讲解了医院感染事件的报告流程和应急处置演练。"
    )
    phones = judge_risk("山寨手机大行其道", "商场里的山寨手机价格低廉,消费者要注意辨别。")
    assert {"医院感染事件", "突然死亡", "看错处方", "泄密", "山寨医院"} <= (
        set(ward.terms)
        | set(drip.terms)
        | set(script.terms)
        | set(disc.terms)
        | set(impostor.terms)
    )
    for judged in (ward, drip, script, disc, impostor):
        assert judged.score > training.score and judged.score > phones.score
    assert training.score < 0.3 and phones.score < 0.3
