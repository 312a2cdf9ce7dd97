"""Generated back issues: realistic weekly, monthly and daily issues built from a seed.

The round-trip tests and ``benchmarks/archive.py`` need many issues whose every field is
known, written the way jianbao renders them. Texts are assembled from phrases of the
trade (hospitals, platforms, data) with Latin words, figures and long titles that wrap,
so the readers meet what real issues hold; nothing here is a real article.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueKind, IssueView

PLACES = ("东川省", "南岭市", "西陵县", "北湖区", "青山市", "临江省", "云台市", "白石县")
SUBJECTS = (
    "互联网医院",
    "全民健康信息平台",
    "电子病历系统",
    "医保信息平台",
    "5G智慧医院",
    "区域影像中心",
    "AI辅助诊断系统",
    "健康医疗大数据中心",
    "电子健康卡",
    "远程会诊网络",
)
VERBS = ("全面上线", "通过验收", "启动建设", "接入全省", "试点运行", "升级改造完成", "发布新版")
OUTLETS = (
    "健康报",
    "人民网",
    "新华网",
    "HIT专家网",
    "东川日报",
    "南岭卫健委",
    "医信观察",
    "澎湃新闻",
)
SENTENCES = (
    "据介绍，{place}{subject}自去年启动以来，已接入二级以上公立医院{n}家，覆盖人口约{m}万人。",
    "平台汇聚诊疗、检查检验和公共卫生数据，实现“一码通行”和检查结果互认。",
    "{place}卫生健康委相关负责人表示，下一步将持续推进数据治理和安全防护，保障患者隐私。",
    "项目采用云计算、大数据和人工智能（AI）技术，日均处理业务{n}万笔，响应时间不超过2秒。",
    "截至{month}月底，累计服务群众{m}万人次，线上支付{n}笔，群众满意度达到98.5%。",
    "专家认为，数字化转型已成为公立医院高质量发展的重要支撑，需要在标准、人才和机制上协同发力。",
    "活动现场还发布了《{place}医疗健康数据共享管理办法（试行）》，明确了数据分级分类要求。",
    "作为拥有 {n} 年历史的三甲医院，该院近年来推进 5G 移动医护和 AI 影像应用。",
)


def _title(rng: random.Random) -> str:
    place, subject, verb = rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(VERBS)
    draw = rng.random()
    if draw < 0.4:  # long titles wrap in Word and PDF
        return f"{place}{subject}{verb}：推动优质医疗资源扩容下沉和区域均衡布局"
    if draw < 0.6:  # spaces as newsrooms write them: between phrases, around Latin
        return f"新场景 新趋势 新动能——{place}{subject}{verb}，AI 赋能 {rng.randint(2, 9)} 大场景"
    return f"{place}{subject}{verb}"


def _paragraph(rng: random.Random) -> str:
    count = rng.randint(2, 4)
    parts = []
    for _ in range(count):
        parts.append(
            rng.choice(SENTENCES).format(
                place=rng.choice(PLACES),
                subject=rng.choice(SUBJECTS),
                n=rng.randint(12, 900),
                m=rng.randint(10, 3000),
                month=rng.randint(1, 12),
            )
        )
    return "".join(parts)


def sample_items(
    rng: random.Random, count: int, end: date, *, daily: bool = False
) -> list[IssueItemView]:
    items = []
    for n in range(count):
        title = _title(rng)
        host = f"https://news{rng.randint(1, 9)}.example.cn"
        items.append(
            IssueItemView(
                position=n + 1,
                title=title,
                url=f"{host}/{end:%Y%m}/{rng.getrandbits(40):x}.html",
                source=rng.choice(OUTLETS),
                published_at=None if daily else end - timedelta(days=rng.randint(0, 6)),
                summary=_paragraph(rng)[:80].rstrip("，") + "。" if daily else "",
                paragraphs=[] if daily else [_paragraph(rng) for _ in range(rng.randint(2, 5))],
            )
        )
    return items


def sample_view(
    kind: IssueKind, number: int, issue_date: date, *, seed: int = 0, items: int | None = None
) -> IssueView:
    """A generated issue of ``kind`` as jianbao would compose it."""
    rng = random.Random(f"{kind}-{number}-{issue_date}-{seed}")
    count = items if items is not None else rng.randint(3, 8)
    titles = {
        "weekly": "全国卫生信息化舆情监测周报",
        "monthly": "舆情监测月报",
        "daily": "每日学习播报",
    }
    return build_issue_view(
        kind,
        publication_title=titles[kind],
        issue_date=issue_date,
        number=None if kind == "daily" else number,
        items=sample_items(rng, count, issue_date, daily=kind == "daily"),
        publisher="北京市卫生健康大数据与政策研究中心",
        topic_phrase="卫生健康信息化",
        scope="全国主流媒体及政府网站等",
    )


def char_f1(expected: str, got: str) -> float:
    """Character F1 of two texts, white space ignored (a bag of characters, as the
    extraction benchmark measures bodies)."""
    from collections import Counter

    want = Counter(ch for ch in expected if not ch.isspace())
    have = Counter(ch for ch in got if not ch.isspace())
    if not want and not have:
        return 1.0
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)
