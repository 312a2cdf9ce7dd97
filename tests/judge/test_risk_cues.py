"""Retellings of past incidents against reports of new ones (issue 18's fourth round)."""

from __future__ import annotations

import pytest

from jianbao.judge.risk import count_cues, evidence_row, judge_risk
from jianbao.judge.risk_cues import DENSE_WEIGHT, RETOLD, retold

# real page excerpts of the fourth round's development part (benchmarks/data/alerts-dev.tsv)
LEGAL_QA = (
    "医生泄露病人隐私该怎样处罚",
    "在医疗行业中,保护患者隐私是一项基本的职业道德和法律义务。然而,现实中仍存在部分医生因疏忽"
    "泄露患者隐私的情况。根据情节轻重,可能面临警告、罚款、暂停执业、吊销执业证书甚至刑事责任等处罚。",
)
JUDGMENT = (
    "",
    "审理法院:广州市中级人民法院 案由:医疗损害责任纠纷 上诉人邱洪杰、李梅华、广州市第一人民医院"
    "因医疗损害责任纠纷一案,不服广东省广州市越秀区人民法院民事判决,向本院提起上诉。",
)
NEW_REPORT = (
    "医生将头孢开成抗癫痫药致女童复视,吉林市儿童医院:已停职",
    "吉林市儿童医院通报“给6岁女童错开癫痫药”,患儿痊愈,已将涉事医生停职。1月5日,吉林市一名6岁女童"
    "因感冒发烧到吉林市儿童医院治疗,接诊大夫误开抗癫痫药。吉林市医调委对该起医患纠纷正在依法依规处理。",
)
# a report of a new case that recalls an older one keeps the new report's cues
REPORT_RECALLING = (
    "",
    "近日,记者接到市民反映,10年前在医院做过手术的宋先生接到冒充医生的回访电话,被骗3000元。"
    "警方已介入调查。",
)


def test_a_legal_qa_and_a_judgment_document_are_retold() -> None:
    for title, text in (LEGAL_QA, JUDGMENT):
        cues = count_cues(title, text)
        assert retold(cues), cues
        assert judge_risk(title, text).retold


def test_a_new_report_is_not_retold_even_when_it_recalls_an_old_case() -> None:
    for title, text in (NEW_REPORT, REPORT_RECALLING):
        assert not judge_risk(title, text).retold, count_cues(title, text)


def test_a_retold_texts_score_is_damped() -> None:
    title, text = JUDGMENT
    judged = judge_risk(title, text)
    # the same words told as a report (a date, a reporter) are not damped
    fresh = judge_risk(title, "3月2日,记者获悉," + text.replace("上诉人", "家属"))
    assert judged.retold and not fresh.retold
    assert judged.score == pytest.approx(fresh.score * RETOLD)


def test_the_evidence_row_carries_the_flag_and_the_weight() -> None:
    judged = judge_risk(*LEGAL_QA)
    row = evidence_row(judged)
    # the retold flag, then the years named beyond the first
    assert row[-2] == DENSE_WEIGHT * 1.0
    assert row[0] == DENSE_WEIGHT * judged.score
    assert evidence_row(judge_risk(*NEW_REPORT))[-2] == 0.0


# who tells the page (issue 18's thirteenth round): written for the test after the kinds
# the spent parts' false alarms showed — a column, a campaign, an accident at home — and
# the report of one new incident each is told against
REPORTER = (
    "某县人民医院输错血致患者死亡 院长已停职",
    "新华社南京3月2日电（记者 王某）记者从某县卫健委获悉，1日下午，某县人民医院一名患者"
    "因输错血型抢救无效死亡，涉事医生已停职，调查组已进驻。",
)
COLUMN = (
    "李某某:输错血的悲剧，不能让它再发生",
    "笔者认为，输错血的悲剧一再发生，说到底是核对制度没有落实。试问，如果每一袋血都核对两遍，"
    "悲剧何以发生？我们应该从中吸取教训。",
)
CAMPAIGN = (
    "我市开展打击非法行医专项行动",
    "今年以来，全市卫生监督机构共查处非法行医案件36起，检察机关共起诉12件12人。近日，"
    "市卫健委部署开展为期三个月的打击非法行医专项行动。",
)
AT_HOME = (
    "男童误食奶奶的降压药 送医抢救",
    "4岁男童在家中把奶奶的降压药当成糖果吞下，家长发现后将其送到市人民医院抢救，目前已脱离危险。",
)
WRONG_DRUG_AT_HOSPITAL = (
    "护士打错针 4岁男童被注射成人剂量",
    "3月1日上午，市人民医院儿科一名护士将成人剂量的药物注射给4岁男童，医院已致歉，涉事护士已停职。",
)


@pytest.mark.parametrize(
    ("page", "voice"),
    [(REPORTER, "byline"), (COLUMN, "opinion"), (CAMPAIGN, "campaign"), (AT_HOME, "household")],
)
def test_who_tells_the_page_is_counted(page: tuple[str, str], voice: str) -> None:
    cues = count_cues(*page)
    assert cues[voice] > 0, cues
    # each voice is its own: the reporter's news names no column, campaign or home
    others = {"byline", "opinion", "campaign", "household"} - {voice}
    if voice == "byline":
        assert all(cues[other] == 0 for other in others), cues


def test_a_report_of_one_incident_is_no_column_campaign_or_home_accident() -> None:
    for page in (REPORTER, WRONG_DRUG_AT_HOSPITAL):
        cues = count_cues(*page)
        assert cues["opinion"] == cues["campaign"] == cues["household"] == 0, cues
    # a column's page has no dateline, and a campaign's none either
    assert count_cues(*COLUMN)["byline"] == count_cues(*CAMPAIGN)["byline"] == 0


def test_the_years_a_page_names_beyond_the_first_are_its_evidence() -> None:
    roundup = (
        "",
        "2011年7月，湘西某医院原院长受贿案一审宣判。2012年6月，深圳检察机关对某医院院长立案。"
        "2014年，又有三名院长落马。",
    )
    one_case = (
        "",
        "2018年2月21日，黄某的父亲在某市中心医院就诊后离世，家属发现病历被篡改，已向卫健委投诉。",
    )
    assert judge_risk(*roundup).years == 3
    assert evidence_row(judge_risk(*roundup))[-1] == pytest.approx(DENSE_WEIGHT * 2 / 3)
    assert judge_risk(*one_case).years == 1
    assert evidence_row(judge_risk(*one_case))[-1] == 0.0
    assert evidence_row(judge_risk(*NEW_REPORT))[-1] == 0.0


def test_a_headline_calling_the_page_a_drill_or_a_denial_stays_below_the_alert() -> None:
    """演练 and 辟谣 in the headline: the body tells the incident, the page reports none
    (issue 18); the same body under a report's headline still alerts."""
    from jianbao.judge.risk import FRAMED_CAP, RiskClassifier

    body = "医院信息系统遭勒索病毒攻击，门诊挂号系统瘫痪，患者信息疑似泄露，院方已报警。"
    lexicon_only = RiskClassifier()
    reported, drill, denial = lexicon_only.probabilities(
        [
            ("某医院信息系统遭勒索病毒攻击瘫痪", body),
            ("某医院开展信息系统勒索病毒应急演练", body),
            ("网传某医院系统遭攻击瘫痪？官方辟谣", body),
        ]
    )
    assert reported > 0.45
    assert drill <= FRAMED_CAP and denial <= FRAMED_CAP


# issue 18's sixteenth round, from the tune side's misses (written for the test after
# their kinds): an authority's notice of the typical cases it found, and a hospital's own
# patients found infected, as Hong Kong's hospitals notify them
NOTICE_OF_CASES = (
    "关于6起欺诈骗保典型案例的通报",
    "近日，某省医保局通报了6起欺诈骗取医保基金典型案例。经查，某县中医院存在虚构诊疗项目等问题，"
    "已被追回医保基金并处罚款。",
)
CASES_SHARED = (
    "医患纠纷调解典型案例范文推荐",
    "以下是一些医患纠纷调解的典型案例，供您参考学习，帮助您了解调解的流程和要点。",
)
WARD_INFECTED = (
    "某医院多2名男病人带有耳念珠菌",
    "医院管理局今日公布，某医院内科病房再有两名男病人证实带有耳念珠菌，两人情况稳定，已接受隔离。",
)
CITY_COUNTS = (
    "我市新增确诊病例3例",
    "昨日0时至24时，我市新增确诊病例3例，均为集中隔离人员，已转运至定点医院隔离治疗。",
)


def test_an_authoritys_notice_of_typical_cases_is_a_report_and_cases_shared_are_not() -> None:
    assert count_cues(*NOTICE_OF_CASES)["findings"] > 0
    assert count_cues(*CASES_SHARED)["findings"] == 0


def test_a_hospitals_patients_found_infected_are_counted_and_a_citys_cases_are_not() -> None:
    assert count_cues(*WARD_INFECTED)["ward"] > 0
    assert count_cues(*CITY_COUNTS)["ward"] == 0


def test_staff_working_beyond_their_load_is_no_system_fault_and_a_systems_overload_is() -> None:
    """超负荷 alone named a flu season's crowded wards as a system fault (the sixteenth
    round's tune side: two such pages, no incident); a system's overload still counts."""
    busy = judge_risk(
        "流感高发 儿科医生超负荷工作", "昨日，市妇儿医院急诊大厅人满为患，医生都已超负荷工作。"
    )
    down = judge_risk(
        "挂号系统超负荷 患者无法挂号", "昨日上午，市人民医院挂号系统超负荷，一度无法挂号。"
    )
    assert busy.evidence["网络攻击与系统故障"] == 0
    assert down.evidence["网络攻击与系统故障"] > 0
