"""How a page frames what it tells: a report of a new incident, or a retelling of one.

The learned risk model (:class:`jianbao.judge.risk.RiskClassifier`) reads the page's
topic: a commentary on an outage, a judgment document on a leak, a warning-education
piece on an old bribery verdict, a 舆情 weekly, a study of past disputes name the same
harms as a report of a new one, and were most of the false alarms left on real pages
(issue 18). This module is a second, small judgement of the *framing* alone — the
headline and the first :data:`OPENING_SENTENCES` sentences of the body — over word groups
that say how a page speaks (:data:`GROUPS`: today and yesterday, a reporter, "通报",
"介入", "致歉" … against years-ago dates, "判决书", "案例", "评论", "律师", "第…条", a
question, a plan or a meeting) and one piece of sentence-level evidence: whether a
sentence of the opening names a recent time *and* a concrete place (a 县, a 医院). It
names no harm (that is the topic's part).

It is a logistic regression trained on the same labelled pages as the topic model, its
features standardised (:class:`FramingNumbers` holds the numbers; scikit-learn only
trains it). It does not make an incident: a page framed as a retelling — a framing
probability below :data:`FLOOR` — has its incident probability multiplied by
:data:`DAMP` (:func:`damped`), and every other page keeps the topic model's. Chosen on
the development pages only, by cross-validation (``benchmarks/alerts.py --tune`` prints
both curves); the product and the geometric mean of the two probabilities were tried
and raised more pages than they lowered (on the older held-out parts and the stream).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: sentences of the body read with the headline
OPENING_SENTENCES = 2
#: a framing probability under which a page is taken for a retelling
FLOOR = 0.2
#: the factor of a retelling's incident probability (as a retold text's lexicon score)
DAMP = 0.5
#: the logistic regression's inverse regularisation (strong: 23 features, ~400 pages)
C = 0.1

_SENTENCE_END = re.compile(r"[。！？!?\n]+")
#: word groups counted in the headline and in the framing (headline + opening)
GROUPS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # a recent time or a report's own voice
        "recent": r"今天|今日|昨天|昨日|昨晚|前天|近日|日前|当天|当晚|当日|凌晨|上午|下午|晚上|"
        r"晚间|深夜|\d{1,2}日|\d{1,2}时|时许|本报讯|记者|本周|上周|目前|刚刚",
        "oldyear": r"(?:19\d\d|20[01]\d)年",
        "year": r"20\d\d年",
        "retell": r"判决书|裁定书|原告|被告|上诉人|案例|案情|回顾|盘点|十大|周年|警示|以案|忏悔|"
        r"反思|启示|教训|典型",
        "comment": r"评论|时评|锐评|评论员|观点|社论|短评|述评|杂谈|漫谈|说法|之鉴|拷问|追问|不能|"
        r"应当|应该|必须",
        "study": r"分析|研究|探讨|浅谈|综述|调查显示|报告|白皮书|数据显示|统计|例|文献|"
        r"摘要|方法|结果",
        "law": r"律师|法律|依据|第[一二三四五六七八九十百零\d]+条|"
        r"《[^》]{0,20}(?:法|条例|办法|规定|解释)》|民法典|刑法|侵权",
        "ask": r"如何|怎么|怎样|吗|？|\?|能否|是否|哪些|什么",
        "plan": r"方案|通知|印发|工作要点|部署|启动|开展|召开|会议|讲话|要求|强调|总结|计划",
        "report": r"据悉|获悉|证实|回应|通报|介入|调查组|已被|致歉|道歉|警方|民警|报警|正在|"
        r"情况说明|声明|事发|涉事|当事|家属|网友|网传|曝光|爆料|反映|立案|刑拘|拘留|被查|落马|抓获",
        "abroad": r"美国|英国|日本|韩国|澳大利亚|澳洲|印度|加拿大|法国|德国|新加坡|印尼",
        # who tells it (the thirteenth round, as the lexicon's cues of the same names): a
        # reporter's dateline, an author's or a column's opinion, a campaign's many cases
        "byline": r"本报讯|[（(]记者|记者(?:获悉|从|了解到|赶到)|\d{1,2}日[电讯]|网讯",
        "opinion": r"笔者|我认为|我想|在我看来|不妨|岂能|难道|理应|试问|痛斥|呼吁|观点|专栏|作者|"
        r"新闻回放|背景[:：]|自古以来|说到底|归根结底|该给|别让|莫让|^[\u4e00-\u9fff]{2,4}[:：]",
        "campaign": r"专项(?:行动|整治|治理)|检察(?:机关|院)|公安机关|共(?:查处|起诉|侦办|办理)|"
        r"今年以来|近两年|近年来|各地|多地|全省|全市|巡查|督导|典型案例|不完全统计|打击|"
        r"(?:开展|启动)[^，。]{0,12}行动|\d+个省",
    }.items()
}
#: a concrete place, for the sentence-level evidence
_PLACE = re.compile(r"[省市县区镇乡村]|医院|卫生院|诊所|保健院")


def opening(text: str, sentences: int = OPENING_SENTENCES) -> str:
    """The first ``sentences`` sentences of ``text``."""
    parts = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return "。".join(parts[:sentences])


def framing_row(title: str, text: str) -> list[float]:
    """The framing features of a page: per group its occurrences in the framing and in
    the headline (``log1p``), whether an opening sentence names a recent time and a
    place, whether there is a headline, and the opening's length."""
    lead = opening(text)
    framing = f"{title}。{lead}"
    row: list[float] = []
    for pattern in GROUPS.values():
        row.append(math.log1p(len(pattern.findall(framing))))
        row.append(math.log1p(len(pattern.findall(title))))
    recent = GROUPS["recent"]
    row.append(
        float(
            any(
                recent.search(s) and _PLACE.search(s)
                for s in _SENTENCE_END.split(lead)
                if s.strip()
            )
        )
    )
    row.append(float(bool(title.strip())))
    row.append(math.log1p(len(lead)) / 8)
    return row


def damped(probability: float, framing: float) -> float:
    """``probability`` times :data:`DAMP` when the framing says retelling."""
    return probability * DAMP if framing < FLOOR else probability


@dataclass
class FramingNumbers:
    """The framing regression as numbers: the features' means and scales (standardised
    as scikit-learn's ``StandardScaler``), the coefficients and the intercept."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, title: str, text: str) -> float:
        """The probability that the page reports a new incident, by its framing."""
        row = (np.asarray(framing_row(title, text), dtype=float) - self.mean) / self.scale
        score = float(row @ self.coef) + self.intercept
        if score >= 0:
            return 1.0 / (1.0 + math.exp(-score))
        z = math.exp(score)
        return z / (1.0 + z)

    @classmethod
    def of_fitted(cls, pipeline: Any) -> FramingNumbers:
        """The numbers of :func:`fit_framing`'s pipeline."""
        scaler, regression = pipeline[0], pipeline[-1]
        if list(regression.classes_) != [0, 1]:
            raise TypeError("not a binary logistic regression")
        return cls(
            mean=np.asarray(scaler.mean_, dtype=float),
            scale=np.asarray(scaler.scale_, dtype=float),
            coef=np.asarray(regression.coef_, dtype=float).ravel(),
            intercept=float(regression.intercept_[0]),
        )


def fit_framing(items: Sequence[tuple[str, str]], labels: Sequence[int]) -> Any:
    """The framing regression (a scikit-learn pipeline: standardised features, a
    balanced logistic regression) trained on labelled pages."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = np.array([framing_row(title, text) for title, text in items], dtype=float)
    pipeline = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000),
    )
    return pipeline.fit(rows, list(labels))


def reference_framing(pipeline: Any, items: Sequence[tuple[str, str]]) -> list[float]:
    """:meth:`FramingNumbers.probability` as scikit-learn computes it."""
    rows = np.array([framing_row(title, text) for title, text in items], dtype=float)
    return [float(p) for p in pipeline.predict_proba(rows)[:, 1]]
