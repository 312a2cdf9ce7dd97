"""The built-in 卫生健康信息化 lexicon, as a topic expression.

Two kinds of terms: those that are about health informatics on their own (电子病历,
互联网医院, 远程会诊 …), and general technology words that count only next to a health
context (人工智能, 大数据, 5G, 机器人 …) — general tech news and general health news are
the hard cases, and each shares words with the topic. ``HEALTH_IT_TOPIC`` is written to
be read and edited by an editor; it parses with :func:`jianbao.judge.topic.parse_topic`.
"""

from __future__ import annotations

#: terms that are about health informatics on their own
CORE_TERMS: tuple[str, ...] = (
    "卫生信息化",
    "健康信息化",
    "卫生健康信息化",
    "医疗信息化",
    "医院信息化",
    "医保信息化",
    "医疗卫生信息化",
    "基层卫生信息化",
    "卫生信息",
    "健康信息平台",
    "卫生信息平台",
    "医保信息平台",
    "医院信息平台",
    "医院信息系统",
    "全民健康信息",
    "智慧医院",
    "智慧医疗",
    "智慧卫生",
    "智慧健康",
    "智慧医保",
    "智慧养老",
    "互联网医院",
    "互联网医疗",
    "互联网诊疗",
    "互联网+医疗",
    "互联网+医保",
    "互联网+护理",
    "电子病历",
    "电子健康档案",
    "电子健康卡",
    "电子处方",
    "处方流转",
    "电子医保",
    "医保电子凭证",
    "远程医疗",
    "远程会诊",
    "远程诊疗",
    "远程问诊",
    "远程影像",
    "远程心电",
    "在线问诊",
    "网上问诊",
    "线上问诊",
    "在线诊疗",
    "互联网复诊",
    "网上挂号",
    "在线挂号",
    "智能导诊",
    "预约诊疗",
    "医疗大数据",
    "健康大数据",
    "健康医疗大数据",
    "卫生健康大数据",
    "医保大数据",
    "医疗数据",
    "健康数据",
    "医学数据",
    "病历数据",
    "数字医疗",
    "数字健康",
    "数字疗法",
    "数字医院",
    "移动医疗",
    "移动健康",
    "医疗AI",
    "AI医疗",
    "医疗人工智能",
    "医学人工智能",
    "医疗大模型",
    "医学影像AI",
    "人工智能辅助诊断",
    "临床决策支持",
    "医疗云",
    "健康云",
    "云医院",
    "医药电商",
    "医药O2O",
    "医疗O2O",
    "医疗IT",
    "医疗信息系统",
    "传染病网络直报",
    "疫情网络报告",
    "网络报告系统",
    "健康码",
    "检查检验结果互认",
    "分级评价",
    "成熟度测评",
    "统计信息中心",
    "规划发展与信息化司",
    "信息中心主任",
    "可穿戴",
    "eHealth",
    "mHealth",
    "telemedicine",
    "digital health",
    "health IT",
)

#: technology words that need a health context nearby
TECH_TERMS: tuple[str, ...] = (
    "信息化",
    "数字化",
    "数据化",
    "互联网+",
    "人工智能",
    "AI",
    "大模型",
    "大数据",
    "数据共享",
    "数据治理",
    "数据要素",
    "数据开放",
    "数据标准",
    "信息共享",
    "智能化",
    "线上服务",
    "互联互通",
    "信息平台",
    "信息系统",
    "5G",
    "区块链",
    "云计算",
    "物联网",
    "机器人",
    "算法",
    "APP",
    "小程序",
    "二维码",
    "扫码",
    "网络安全",
    "数据安全",
    "隐私",
    "个人信息",
    "信息技术",
    "软件",
    "website",
)

#: the health context those words need
HEALTH_CONTEXT: tuple[str, ...] = (
    "医疗",
    "医院",
    "医生",
    "医师",
    "医学",
    "诊疗",
    "诊断",
    "就医",
    "看病",
    "挂号",
    "患者",
    "病历",
    "病人",
    "卫生健康",
    "卫健委",
    "卫生部",
    "医保",
    "医药",
    "药品",
    "处方",
    "疾控",
    "公共卫生",
    "健康管理",
    "健康服务",
    "慢病",
    "护理",
    "临床",
    "影像",
    "基层医疗",
    "急救",
    "卫生院",
    "门诊",
    "中医",
    "中药",
    "医共体",
    "医联体",
    "疾病",
    "养老",
    "社区卫生",
    "healthcare",
    "medical",
    "hospital",
)


def _quoted(terms: tuple[str, ...]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


#: what the window of a technology word and its health context may be, in characters
CONTEXT_DISTANCE = 30


#: a technology word inside these names is not about technology (工业和信息化部)
FALSE_FRIENDS: dict[str, str] = {"信息化": "工业和信息化"}


def _near_pairs(tech: tuple[str, ...], context: tuple[str, ...]) -> str:
    """Each technology word within CONTEXT_DISTANCE characters of each context word:
    "人工智能 … 医疗" in one sentence, not "人工智能" in one story and "医疗" at its end."""
    groups = []
    for t in tech:
        pairs = " OR ".join(f'"{t}" NEAR/{CONTEXT_DISTANCE} "{c}"' for c in context)
        friend = FALSE_FRIENDS.get(t)
        groups.append(f'(({pairs}) NOT "{friend}")' if friend else pairs)
    return " OR ".join(groups)


HEALTH_IT_TOPIC = f"({_quoted(CORE_TERMS)}) OR {_near_pairs(TECH_TERMS, HEALTH_CONTEXT)}"

#: built-in lexicons by name, usable in any topic expression as ``@name``
LEXICONS: dict[str, str] = {"卫生健康信息化": HEALTH_IT_TOPIC, "health_it": HEALTH_IT_TOPIC}
