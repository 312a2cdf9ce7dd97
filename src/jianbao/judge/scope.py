"""The daily broadcast's wider scope: national policy on health and the digital economy.

The weekly and the monthly report 卫生信息化 only. The daily broadcast's duty editor
shares more: "国家最新政策、卫生健康信息化、其他认为值得分享的内容" (seed 000) — the
statistics bureau's half-year figures, the premier's meeting on the economy, a blue book
on the mobile internet, the health commission's work on community hospitals. Those items
are not health informatics, so relevance rightly says no; this module gives them a
category of their own, :data:`POLICY_SCOPE`, which the daily's candidate list reaches
(``Publication.scopes``) and the weekly's does not.

An item is in the scope when the :data:`POLICY_TOPIC` expression holds on its headline
or in two or more sentences of its body: a story about policy says so in its headline or
comes back to it; a case-count story that names the health commission once is not one.
A one-sentence lead counts too when the headline names the subject in a word of the
scope (李克强主持召开经济形势座谈会 over a lead on 工业互联网, 重磅蓝皮书发布 over the
mobile internet's report): short items say what they are about in the headline and
tell it once.
"""

from __future__ import annotations

from functools import lru_cache

from jianbao.judge.topic import Topic, TopicMatch, parse_topic

#: the scope's name, stored with each article in it and named in a publication's scopes
POLICY_SCOPE = "卫生健康与数字经济政策"

#: who makes national policy, and the forms it takes
NATIONAL: tuple[str, ...] = (
    "国务院",
    "国常会",
    "常务会议",
    "中共中央",
    "党中央",
    "中央全面深化改革",
    "中央深改",
    "政治局",
    "全国人大",
    "全国政协",
    "两会",
    "政府工作报告",
    "总理",
    "国家卫生健康委",
    "国家卫健委",
    "国家卫生计生委",
    "国家医保局",
    "国家医疗保障局",
    "国家中医药局",
    "国家中医药管理局",
    "国家疾控局",
    "国家疾病预防控制局",
    "国家药监局",
    "国家药品监督管理局",
    "国家发展改革委",
    "国家发改委",
    "工业和信息化部",
    "工信部",
    "国家统计局",
    "国家数据局",
    "国家网信办",
    "中央网信办",
    "民政部",
    "人力资源社会保障部",
    "人社部",
    "财政部",
    "科技部",
    "教育部",
    "商务部",
    "部委",
    "多部门",
    "九部门",
    "部门联合",
    "联合印发",
    "联合发文",
)

#: what national health policy is about
HEALTH_POLICY: tuple[str, ...] = (
    "医改",
    "医药卫生体制",
    "公立医院",
    "社区医院",
    "基层医疗",
    "分级诊疗",
    "健康中国",
    "卫生健康",
    "医疗保障",
    "医保",
    "集采",
    "带量采购",
    "药品",
    "医疗器械",
    "医疗服务",
    "医疗机构",
    "医疗卫生",
    "公共卫生",
    "疾病预防",
    "疫情防控",
    "院前急救",
    "医疗急救",
    "养老服务",
    "医养结合",
    "老年人",
    "中医药",
    "医师",
    "护士",
    "健康产业",
    "医疗健康",
    "生物医药",
)

#: what the digital economy is about
DIGITAL_ECONOMY: tuple[str, ...] = (
    "数字经济",
    "数字中国",
    "数字政府",
    "数字化转型",
    "新基建",
    "新型基础设施",
    "工业互联网",
    "移动互联网",
    "互联网+",
    "平台经济",
    "新业态",
    "新模式",
    "数据要素",
    "数据安全",
    "个人信息保护",
    "网络安全",
    "人工智能",
    "大模型",
    "大数据",
    "云计算",
    "区块链",
    "物联网",
    "算力",
    "5G",
    "信创",
    "数字化",
    "信息化",
    "智能化",
)

#: the state of the economy a duty editor also shares (国家统计局公布上半年国民经济运行情况)
ECONOMY: tuple[str, ...] = (
    "国民经济",
    "经济运行",
    "经济形势",
    "GDP",
    "稳经济",
    "扩大内需",
    "高质量发展",
)


#: the digital economy's reports, plans and gatherings (白皮书, 发展报告, a province's
#: 大数据标准化体系建设规划, 世界人工智能大会)
REPORTS: tuple[str, ...] = (
    "白皮书",
    "蓝皮书",
    "发展报告",
    "规划",
    "大会",
    "峰会",
    "博览会",
)

#: the health industry's capital (31个医疗健康项目IPO)
CAPITAL: tuple[str, ...] = ("IPO", "上市公司", "融资", "投融资", "资本市场", "市值")
HEALTH_INDUSTRY: tuple[str, ...] = ("医疗", "医药", "健康产业", "医疗健康", "生物医药", "创新药")


def _quoted(terms: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f'"{t}"' for t in terms) + ")"


#: national policy on health or the digital economy: a national actor and its subject, a
#: subject that is national policy by nature (医改, 数字经济, the economy's figures), the
#: digital economy's reports and gatherings, the health industry's capital
POLICY_TOPIC = (
    f"({_quoted(NATIONAL)} AND ({_quoted(HEALTH_POLICY)} OR {_quoted(DIGITAL_ECONOMY)}"
    f" OR {_quoted(ECONOMY)}))"
    ' OR "医改" OR "医药卫生体制改革" OR "数字经济" OR "数字中国" OR "工业互联网"'
    ' OR "新基建" OR "数据要素" OR "国民经济"'
    f" OR ({_quoted(DIGITAL_ECONOMY)} NEAR/12 {_quoted(REPORTS)})"
    f" OR ({_quoted(CAPITAL)} NEAR/20 {_quoted(HEALTH_INDUSTRY)})"
)


#: the scope's subjects, any of which in a headline names what a short item is about:
#: not who acts (教育部 in a school-closure notice) nor the epidemic every 2020 headline
#: names (疫情防控), but the digital economy, the economy, their reports, health reform
SUBJECT_WORDS: tuple[str, ...] = (
    *DIGITAL_ECONOMY,
    *ECONOMY,
    *REPORTS,
    "数字经济",
    "数据要素",
    "医改",
    "医药卫生体制",
    "公立医院",
    "分级诊疗",
    "健康中国",
    "医疗保障",
    "医保",
    "集采",
    "带量采购",
    "健康产业",
    "生物医药",
)


@lru_cache(maxsize=1)
def policy_topic() -> Topic:
    return parse_topic(POLICY_TOPIC)


@lru_cache(maxsize=1)
def subject_topic() -> Topic:
    return parse_topic(" OR ".join(f'"{w}"' for w in dict.fromkeys(SUBJECT_WORDS)))


def in_policy_scope(match: TopicMatch, headline_subject: bool = False) -> bool:
    """A policy match that is what the item is about: in the headline, in two or more
    sentences of the body, or in one when the headline names a subject of the scope."""
    return match.matched and (
        match.headline or match.sentences >= 2 or (headline_subject and match.sentences >= 1)
    )


def scope_of(title: str, body: str) -> str | None:
    """:data:`POLICY_SCOPE` when the item (in its normalised form) is national policy on
    health or the digital economy, else None."""
    match = policy_topic().match(title, body)
    if not match.matched:
        return None
    subject = bool(title) and subject_topic().match(title, "").headline
    return POLICY_SCOPE if in_policy_scope(match, subject) else None
