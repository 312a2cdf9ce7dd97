"""Categories by rules: what kind of item this is, for grouping an issue.

The default list is 政策文件, 行业动态, 地方实践, 技术应用, 观点研究, 其他. A policy document
is recognised by its form rather than its subject: a 发文字号 such as
国卫规划发〔2023〕12号, or a headline naming a document kind (通知, 意见, 办法, 规划, 方案…)
together with 印发/发布/关于 or 《…》. The other categories are decided by weighted cue
words in the headline (counted three times) and the opening of the body; the learned
model (jianbao.judge.model) may refine this where editors have taught it.
"""

from __future__ import annotations

import re

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "政策文件",
    "行业动态",
    "地方实践",
    "技术应用",
    "观点研究",
    "其他",
)

#: 国卫规划发〔2023〕12号, 国办发〔2018〕26号, 医保办发[2022]8号, 国卫办医函（2023）45号
DOCUMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[发函字令通]\s*[〔\[（(【［]\s*(?:19|20)\d{2}\s*[〕\]）)】］]\s*\d{1,4}\s*号"
)
#: whether a text cites one: the same pattern with a one-character issuer prefix (any
#: longer prefix ends in such a one), which a regular expression scans much faster
_CITES_NUMBER = re.compile(
    r"[\u4e00-\u9fff][发函字令通]\s*[〔\[（(【［]\s*(?:19|20)\d{2}\s*[〕\]）)】］]\s*\d{1,4}\s*号"
)
_DOC_KINDS = (
    "通知|意见|指导意见|实施意见|办法|管理办法|规划|方案|实施方案|行动计划|工作要点|规定|"
    "细则|指南|条例|决定|纲要|标准|规范|指引|公告|通告|批复|要点"
)
#: 《关于…的通知》 / 印发…方案 / 关于加快…的指导意见
_DOC_TITLE = re.compile(
    rf"《[^》]{{2,60}}(?:{_DOC_KINDS})(?:（[^）]*）)?》"
    rf"|(?:印发|发布|出台|公布|颁布|下发|制定)[^，。]{{0,40}}(?:{_DOC_KINDS})"
    rf"|^关于[^，。]{{2,60}}的(?:{_DOC_KINDS})$"
)
#: readings of a document are not the document (they are 观点研究 or 行业动态)
_INTERPRETATION = re.compile(r"解读|答记者问|一图读懂|图解|专家谈|怎么看|如何理解")

#: a place name (only searched for: one character before 省/市… finds what six would)
_LOCAL_PLACE = re.compile(
    r"(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|"
    r"河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|"
    r"新疆|香港|澳门)|[\u4e00-\u9fff](?:省|市|区|县|州|旗|镇|乡)(?![场民长委级])"
)

#: cue words and their weights, per category
# fmt: off
_CUES: dict[str, dict[str, float]] = {
    "技术应用": {
        "人工智能": 2, "AI": 1.5, "大模型": 2, "算法": 1, "系统上线": 2, "上线": 1.5,
        "平台": 1, "5G": 1.5, "区块链": 2, "云计算": 2, "物联网": 2, "机器人": 1.5,
        "辅助诊断": 2, "影像": 1, "电子病历": 1, "数字化": 1, "智能": 1, "小程序": 1.5,
        "APP": 1, "应用": 0.5, "系统": 0.5, "技术": 1, "研发": 1, "数据中台": 2,
    },
    "地方实践": {
        "试点": 1.5, "示范": 1, "我市": 2, "我省": 2, "全市": 1.5, "全省": 1.5, "市民": 1,
        "建成": 1, "推进": 0.5, "打造": 1, "落地": 1, "率先": 1.5, "首家": 1.5, "经验": 1,
        "卫健委": 0.5, "县域": 1.5, "医共体": 1.5, "医联体": 1,
    },
    "行业动态": {
        "发布会": 1.5, "会议": 1, "召开": 1, "大会": 1.5, "论坛": 1, "峰会": 1.5,
        "举行": 1, "启动": 1, "签约": 1.5, "融资": 2, "市场": 1, "企业": 1, "行业": 1.5,
        "展会": 1.5, "博览会": 1.5, "发布": 0.5, "统计": 1, "报告显示": 1.5, "排名": 1.5,
        "名单": 1.5, "评选": 1.5, "公示": 1.5,
    },
    "观点研究": {
        "专家": 1.5, "观点": 2, "认为": 1, "研究": 1.5, "论文": 2, "报告": 1, "分析": 1,
        "思考": 2, "探讨": 2, "建议": 1, "解读": 2, "访谈": 2, "专访": 2, "对话": 1.5,
        "院士": 1.5, "学者": 1.5, "如何": 1, "为何": 1, "？": 1, "展望": 1.5, "趋势": 1.5,
        "白皮书": 2, "评论": 2,
    },
}
# fmt: on
#: the cues flattened: (cue, category, weight)
_CUE_LIST = [(cue, name, weight) for name, cues in _CUES.items() for cue, weight in cues.items()]


#: words that run into an issuer's abbreviation from the left: 根据国卫规划发〔2023〕12号
_LEADING_WORDS = re.compile(
    r"^(?:根据|依据|按照|参照|对照|执行|落实|贯彻|印发|转发|文件|和|及|以及|与|或|的|即)+"
)
_NUMBER_PARTS = re.compile(r"[〔\[（(【［]\s*(\d{4})\s*[〕\]）)】］]\s*(\d{1,4})")


def document_numbers(text: str) -> list[str]:
    """The 发文字号 cited in a text, white space removed, in order of appearance."""
    found = []
    for match in DOCUMENT_NUMBER.findall(text):
        number = _LEADING_WORDS.sub("", re.sub(r"\s+", "", match))
        found.append(number)
    return list(dict.fromkeys(found))


def document_key(number: str) -> str:
    """A comparable form of a 发文字号: the last characters of the issuer code, the year
    and the serial (国卫规划发〔2023〕12号 and 规划发[2023]12号 give the same key)."""
    parts = _NUMBER_PARTS.search(number)
    if parts is None:
        return number
    prefix = number[: parts.start()]
    return f"{prefix[-3:]}{parts.group(1)}-{int(parts.group(2))}"


def is_policy_document(title: str, body: str) -> bool:
    """True when the item *is* a policy document (or its announcement), by its form."""
    if _INTERPRETATION.search(title):
        return False
    head = body[:400]
    if _CITES_NUMBER.search(title) or _CITES_NUMBER.search(head):
        return True
    return bool(_DOC_TITLE.search(title.strip()))


def categorize(
    title: str, body: str, categories: tuple[str, ...] | list[str] = DEFAULT_CATEGORIES
) -> str:
    """One category for an item, from the publication's list (其他 when nothing fits)."""
    fallback = "其他" if "其他" in categories else categories[-1]
    if "政策文件" in categories and is_policy_document(title, body):
        return "政策文件"
    head = body[:300]
    scores: dict[str, float] = {name: 0.0 for name in _CUES if name in categories}
    for cue, name, weight in _CUE_LIST:
        if name in scores:
            if cue in title:
                scores[name] += 3 * weight
            if cue in head:
                scores[name] += weight
    if "地方实践" in scores:
        if _LOCAL_PLACE.search(title):
            scores["地方实践"] += 3
        elif _LOCAL_PLACE.search(head[:120]):
            scores["地方实践"] += 1.5
    if "观点研究" in scores and _INTERPRETATION.search(title):
        scores["观点研究"] += 6
    if not scores:
        return fallback
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 3 else fallback
