"""The genres that report no incident (jianbao.judge.risk_genre): each is named by its
headline or opening, and its counter-example — a report of the same harm — is not."""

from __future__ import annotations

import pytest

from jianbao.judge.risk import FRAMED_CAP, RiskClassifier, framed
from jianbao.judge.risk_genre import genre

BODY = "某县人民医院一名患者术后死亡，家属质疑医院延误救治，县卫健委已介入调查。"

#: (headline, opening, the genre it names) — pages that are not reports
GENRE_PAGES = [
    ("张某与某县人民医院医疗损害责任纠纷二审民事判决书", BODY, "court document"),
    ("李某与某医院医疗服务合同纠纷一审民事裁定书（2）", BODY, "court document"),
    ("", "（2019）某01民终123号 上诉人张某与某县人民医院医疗损害责任纠纷一案", "court document"),
    ("", "审理法院：某市中级人民法院 案由：医疗损害责任纠纷", "court document"),
    (
        "术后死亡家属索赔 医院被判担责",
        "【简要案情】患者王某因腹痛入住某医院，术后第三天死亡。",
        "case write-up",
    ),
    ("", "法律解答：医院泄露患者隐私，患者可以起诉。", "legal answer"),
    ("某某时评：患者隐私岂能如此泄露", BODY, "commentary"),
    ("新闻锐评|院长落马，别只看他收了多少", BODY, "commentary"),
    ("医者之鉴：某省医疗腐败案件警示录", BODY, "commentary"),
    ("2025年医疗保障基金飞行检查工作方案", BODY, "rules or plan"),
    ("医疗废物管理行政处罚办法", BODY, "rules or plan"),
    ("医疗卫生机构网络安全管理办法（试行）", BODY, "rules or plan"),
    ("关于印发医疗卫生机构网络安全管理办法的通知", BODY, "issued document"),
    ("湖北监察厅卫生厅联合发文 铁律整治医疗回扣红包", BODY, "issued document"),
    ("在全县卫生系统安全生产会议上的讲话", BODY, "speech or summary"),
    ("市纪委关于卫生健康系统反腐败工作情况总结", BODY, "speech or summary"),
    ("某医院误诊引发医疗纠纷1例分析", BODY, "study"),
    ("浅谈医院信息系统故障的应急处置", BODY, "study"),
    ("", "案例介绍 某医院医疗废物混入生活垃圾被查处。", "case write-up"),
    ("某医院开展信息系统勒索病毒应急演练", BODY, "drill"),
    ("网传某医院患者死亡？官方辟谣", BODY, "rumour put right"),
    ("网传某医院“昨天来了个疑似，今天就确诊了”，假的", BODY, "rumour put right"),
    ("医院篡改病历致死？假 不实信息引发网络关注", BODY, "rumour put right"),
    # the fifteenth round's, from the spent blind12's false alarms: the rumour-monger
    # caught, and a claim put right in the opening when no headline says so
    ("某医院因疫情被封闭？造谣者抓到了", BODY, "rumour put right"),
    ("医生外地感染致科室被封？警方：造谣者已被拘", BODY, "rumour put right"),
    ("某医院出现阳性患者系谣传", BODY, "rumour put right"),
    (
        "",
        "网传“某医院有医生感染新冠肺炎，肿瘤科全部封了……”等不实信息，造成不良影响。",
        "rumour put right",
    ),
    ("", "近日，网传某医院存在医生违法情况，经公安机关查证，网传信息为谣言。", "rumour put right"),
    # a novel's passage without its chapter heading (blind8's and blind12's false alarms)
    (
        "",
        "“家属已经向法院起诉县医院了。”刘某又继续说道。“究竟是谁给了他们勇气？”",
        "narrated fiction",
    ),
    ("", "手术间里并没有反复回荡着机器的报警声音，黄老一怔。", "narrated fiction"),
    ("", "6月28日下午，某医院在食堂举行消防应急灭火疏散演练，模拟燃气泄漏着火。", "drill"),
    ("第452章 医疗事故", "“余医生，汪医生出医疗事故了。”", "fiction"),
    ("", "第十二回 夜班急诊室停电", "fiction"),
    ("全球速递！反诈防骗 | “医保被停用”？收到这条短信请立即删除", BODY, "fraud warning"),
    ("警惕遭遇医保卡诈骗", BODY, "fraud warning"),
    ("", "近期，不少居民接到冒充医保局的诈骗电话，诱导转账。", "fraud warning"),
    ("购买医院处方用药量数据如何定性", BODY, "legal analysis"),
    # the ninth round's, from the spent parts' false alarms
    ("2022年以来全国各地核酸造假案件汇总", BODY, "roundup"),
    ("年终大盘点：某年十大医疗卫生事件", BODY, "roundup"),
    ("某肿瘤医院停电情况全解析", BODY, "explainer"),
    ("", "医保系统故障是指结算无法进行的情况。以下是对此次故障的详细分析：", "explainer"),
    ("", "安全威胁已不再是黑客单挑的戏码。下面，我将用三则典型案例打开思考的大门。", "explainer"),
    ("互联网医疗市场现状调查：患者担心个人信息泄露", BODY, "survey"),
    ("", "【案情一】患者张某因腹痛到某医院就诊，术后第三天死亡。", "case write-up"),
    ("", "A市某医院心外科主任因收受回扣被留置调查。", "invented place"),
    ("", "c市第一人民医院 中午12:00 实习护士推着病人出了检查楼。", "invented place"),
]

#: reports of the same harms: no genre, whatever words they share with the pages above
REPORTS = [
    ("某县人民医院患者术后死亡 家属质疑延误救治", BODY),
    (
        "法院一审宣判：某医院赔偿患者家属30万元",
        "昨日，某区法院对一起医疗损害责任纠纷作出一审判决。",
    ),
    (
        "关于某县人民医院违规收费问题的情况通报",
        "近日，网民反映某县人民医院违规收费，经查情况属实。",
    ),
    ("某医院违反规定收取费用被罚", "某市医保局通报，某医院违反规定重复收费，被处罚款。"),
    ("卫健委对某医院作出行政处罚决定书", "某市卫健委对某医院泄露患者信息一事作出行政处罚。"),
    ("某医院信息系统瘫痪两小时 律师：医院应担责", "今天上午，某医院挂号系统瘫痪，患者排队两小时。"),
    ("专家分析某医院系统瘫痪原因：交换机故障", "今天上午，某医院挂号系统瘫痪，患者排队两小时。"),
    ("", "记者从某市卫健委获悉，案例介绍会上通报的某医院违规收费一事已立案查处。"),
    # a drill named after the opening, a fraud ring against 医保, a chapter number inside a
    # report, a scam in a doctor's name: reports all
    ("某医院住院楼起火 两名患者死亡", BODY + "该院上月刚组织过消防演练。"),
    (
        "医保诈骗团伙落网 骗取医保基金200万元",
        "某市公安局破获一起诈骗医保基金案，抓获犯罪嫌疑人12名。",
    ),
    ("某医院被曝多收费 涉事科室已停诊整改", "据报道，该院收费清单第3章节列明的项目重复收取。"),
    # a commission's notice naming a hospital's violation is its report
    ("市卫健委发文通报某医院违规收费问题", "市卫健委通报，某医院重复收费，已责令退还并处罚款。"),
    # a complaint the hospital calls untrue in the body is still the complaint's report
    (
        "患者投诉某医院乱收费 院方称部分信息不实",
        "患者家属称被多收费用，医院回应部分说法与事实不符。",
    ),
    # a report quotes its witnesses with 说 / 表示, not a narrator's 说道
    ("某医院患者术后死亡 家属讨说法", "“我们只要一个说法。”家属说，医院至今未作解释。"),
    # a hospital calling a family's account untrue, a denial of one detail: still reports
    (
        "患者术后死亡 家属质疑延误救治",
        "家属称医院延误救治，院方回应称家属说法系不实，卫健委已介入。",
    ),
    (
        "网传某医院医生群殴患者 警方已介入",
        "某医院发布声明，对网传殴打患者的消息作出回应，否认殴打。",
    ),
    ("陌生来电假冒医生要求家属汇款", "“主管医生”给病人家属打电话，称病情有变化，要家属转账。"),
    # an official notice of typical cases, an expert's reading inside a report, a
    # reporter's inquiry, a notice quoted in full, letters that are not a placeholder city
    ("某市卫健委关于2020年卫生健康行政处罚十大典型案件的通报", "全市共查处违法案件412件。"),
    ("专家解析某医院系统瘫痪原因", "今天上午，某医院挂号系统瘫痪，患者排队两小时。"),
    ("记者调查：某医院重复收费", "近日，患者反映某医院多收费，记者调查发现情况属实。"),
    (
        "市卫健委通报某医院违规收费",
        "市卫健委通报某医院违规收费，以下是通报全文：经查，该院重复收费。",
    ),
    ("某医院CT机故障 患者无法检查", "今天上午，某市人民医院CT机故障，门诊患者无法做检查。"),
]


@pytest.mark.parametrize(("title", "text", "expected"), GENRE_PAGES)
def test_a_genre_that_reports_no_incident_is_named(title: str, text: str, expected: str) -> None:
    assert genre(title, text) == expected


@pytest.mark.parametrize(("title", "text"), REPORTS)
def test_a_report_of_the_same_harm_names_no_genre(title: str, text: str) -> None:
    assert genre(title, text) is None


def test_the_genre_caps_the_probability_and_a_report_keeps_it() -> None:
    assert framed(GENRE_PAGES[0][0], 0.9, BODY) == FRAMED_CAP
    assert framed("", 0.9, GENRE_PAGES[2][1]) == FRAMED_CAP
    assert framed(REPORTS[0][0], 0.9, BODY) == 0.9
    # the genre is read on the opening only: a report that quotes a case number later is
    # a report
    late = BODY * 3 + "（2019）某01民终123号"
    assert framed(REPORTS[0][0], 0.9, late) == 0.9


def test_the_lexicon_alone_stays_below_the_alert_for_a_judgment_and_not_for_its_report() -> None:
    """Untrained (the lexicon's score), a judgment document whose body tells a death does
    not alert; the same body under a report's headline does."""
    lexicon_only = RiskClassifier()
    body = "某县人民医院患者术后死亡，家属质疑医院延误救治，医疗事故，院方被通报批评。"
    judgment, report = lexicon_only.probabilities(
        [
            ("张某与某县人民医院医疗损害责任纠纷二审民事判决书", body),
            ("某县人民医院患者术后死亡 家属质疑延误救治", body),
        ]
    )
    assert judgment <= FRAMED_CAP < 0.45 <= report


@pytest.mark.parametrize(
    "title",
    [
        "云南无新增确诊，累计确诊174例",
        "北京新增7例，累计确诊121例",
        "黎巴嫩新冠肺炎确诊人数上升至368人",
        "云南驻武汉医疗队再传捷报：多名患者被治愈出院",
        "云南省新冠肺炎疫情情况",
    ],
)
def test_an_epidemics_daily_case_counts_are_a_bulletin(title: str) -> None:
    """The realistic stream's epidemic bulletins rose above the alert once the classifier
    learned from the spent parts' infection notices; the labelled sets count them 0."""
    assert genre(title, "") == "case-count bulletin"


@pytest.mark.parametrize(
    "title",
    [
        "东华三院黄大仙医院院内感染新增2例",
        "武汉协和医院新增医护感染5例",
        "天津蓟县5新生儿因院内感染死亡",
        "医院信息系统瘫痪 患者无法挂号",
    ],
)
def test_infections_in_a_ward_or_among_its_staff_are_no_bulletin(title: str) -> None:
    assert genre(title, "") != "case-count bulletin"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("上海又有5例新型冠状病毒感染的肺炎确诊病例治愈出院", ""),
        ("武汉协和医院西院累计17名重症患者治癒出院", ""),
        ("湖北首批5名儿童患者出院！", ""),
        ("急寻1月18、19、20日同乘乘客!正定机场到保定东、保定到石家庄", ""),
        (
            "",
            "近日,多地发布寻人通告,急寻与确诊的新型冠状病毒感染的肺炎患者同乘公共交通工具的乘客。",
        ),
        ("", "新疆卫生防疫部门正在紧急寻找10名19日乘坐T52/3次列车抵达乌鲁木齐市的乘客。"),
    ],
)
def test_patients_sent_home_and_a_call_for_fellow_passengers_report_no_incident(
    title: str, text: str
) -> None:
    """The realistic stream's epidemic news (discharges, 急寻…乘客) rose to the alert once
    the classifier learned from the spent parts; the development pages now hold real pages
    of both kinds, labelled 0, and their headline or opening names the genre."""
    assert genre(title, text) in {"discharge", "contact tracing", "case-count bulletin"}


@pytest.mark.parametrize(
    "title",
    [
        "患者出院后第三天死亡 家属质疑医院",
        "产妇出院时才发现孩子被抱错",
        "天津5名院内感染新生儿出院",
        "医院拒绝让欠费患者出院",
        "养老院走失老人 家属急寻",
        "急寻Rh阴性血 医院紧急求助",
    ],
)
def test_a_discharge_with_harm_or_a_search_for_no_passenger_stays_a_report(title: str) -> None:
    assert genre(title, "") not in {"discharge", "contact tracing"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("8间公立医院超负荷 联合医院占用率最高达109%", "occupancy figures"),
        ("流感高峰 内科病床占用率达110%", "occupancy figures"),
        ("连云港一幼儿园3孩子中毒", "poisoning outside care"),
        ("上海一企业发生食物中毒事件 50余人送医院救治", "poisoning outside care"),
        ("某中学学生误食毒蘑菇", "poisoning outside care"),
    ],
)
def test_bed_figures_and_a_poisoning_treated_in_hospital_report_no_incident(
    title: str, expected: str
) -> None:
    """blind9's (spent) false alarms: a hospital authority's occupancy figures and a
    poisoning whose place is a kindergarten, a school or a firm — the hospital treats it."""
    assert genre(title, "") == expected


@pytest.mark.parametrize(
    "title",
    [
        "东区医院近30名职员食物中毒",
        "医院食堂饭菜致员工食物中毒",
        "某医院护士给学生打错针",
        "医院床位紧张 患者走廊加床后死亡",
        "医保系统使用率低遭质疑",
    ],
)
def test_a_hospitals_own_poisoning_or_a_bed_shortage_harm_stays_a_report(title: str) -> None:
    assert genre(title, "") not in {"occupancy figures", "poisoning outside care"}


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("环湖医院启动搬迁工作 3月10日新址全面启用", "", "opening or move"),
        ("市人民医院东院今日开诊试运行", "", "opening or move"),
        (
            "",
            "卫生防护中心表示，有四宗涉及旺角一间食肆，共影响十三人的怀疑食物中毒个案。",
            "poisoning outside care",
        ),
    ],
)
def test_a_hospitals_opening_and_an_eaterys_poisoning_report_no_incident(
    title: str, text: str, expected: str
) -> None:
    """blind11's and blind12's (spent) false alarms: a hospital's move or opening, and a
    poisoning told by its eatery in the opening alone — the hospitals only treat it."""
    assert genre(title, text) == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("医院搬迁新址首日系统瘫痪 患者排长队", ""),
        ("新院区正式启用当天停电 手术暂停", ""),
        ("", "昨日，某医院食堂发生食物中毒，二十余名职员送院治疗。"),
        ("", "市医院二十名医护人员食物中毒，卫健委已介入调查。"),
    ],
)
def test_a_move_gone_wrong_or_a_hospitals_own_poisoning_stays_a_report(
    title: str, text: str
) -> None:
    assert genre(title, text) not in {"opening or move", "poisoning outside care"}


@pytest.mark.parametrize(
    "title",
    ["我省启动打击非法行医专项行动", "王石卫生院召开安全生产工作会议", "某市开展医保基金专项治理"],
)
def test_a_campaign_launched_or_a_work_meeting_reports_no_incident(title: str) -> None:
    """blind10's (spent) false alarm: a campaign announced, not its results."""
    assert genre(title, "") == "campaign launched"


@pytest.mark.parametrize(
    "title",
    [
        "开展专项整治 查处违规药店12家",
        "打击非法行医专项行动拔掉50家黑诊所",
        "卫健委召开会议通报某医院手术死亡事故",
    ],
)
def test_a_campaigns_results_or_an_incidents_meeting_stay_a_report(title: str) -> None:
    assert genre(title, "") != "campaign launched"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("某省1例新型肺炎病例死亡", "", "case-count bulletin"),
        ("某省首例新冠肺炎死亡病例", "", "case-count bulletin"),
        ("某市方舱医院全部完工交付", "", "opening or move"),
        ("县人民医院新住院楼竣工", "", "opening or move"),
        (
            "",
            "新华网4月13电（记者）某大学城校区有50名学生出现食物中毒现象，已送医院救治。",
            "poisoning outside care",
        ),
        ("", "新闻回放：4月7日晚，一名市民在美发厅染发后晕厥，被送往医院急救。", "commentary"),
        ("", "中新网4月12日电 某医院今日成功进行一场夫妻交叉换肾手术。", "medical success"),
        ("某医院首例人工心脏移植手术成功", "", "medical success"),
    ],
)
def test_the_streams_epidemic_deaths_buildings_school_poisonings_columns_and_successes(
    title: str, text: str, expected: str
) -> None:
    """The realistic stream's false alarms (issue 18's eighteenth round): an epidemic's
    deaths counted, a hospital built, a university's canteen poisoning told in the opening,
    a column's 新闻回放 and a treatment that succeeded report no adverse event in care."""
    assert genre(title, text) == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("某医院院内感染致2名患者死亡", ""),
        ("医院新楼竣工三月即漏水停电 手术暂停", ""),
        ("", "昨日，某医院食堂发生食物中毒，二十余名职员送院治疗。"),
        ("", "某医院今日成功进行一台手术，术后患者死亡，家属质疑延误救治。"),
        ("手术成功后纱布遗留体内 患者起诉医院", ""),
        ("", "记者4月7日获悉，某医院一名护士给患者输错血，卫健委已介入调查。"),
    ],
)
def test_a_wards_deaths_a_new_buildings_fault_and_a_failed_operation_stay_reports(
    title: str, text: str
) -> None:
    assert genre(title, text) is None
