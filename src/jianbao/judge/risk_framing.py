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
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # the lexicon's cue groups (risk imports this module lazily)
    from jianbao.judge.risk import RiskLexicon

#: sentences of the body read with the headline
OPENING_SENTENCES = 2
#: a framing probability under which a page is taken for a retelling
FLOOR = 0.2
#: the factor of a retelling's incident probability (as a retold text's lexicon score)
DAMP = 0.5
#: the logistic regression's inverse regularisation (strong: 23 features, ~400 pages)
C = 0.1

_SENTENCE_END = re.compile(r"[。！？!?\n]+")
#: word groups of the framing's own, counted in the headline and in the framing (headline +
#: opening); :func:`group_patterns` adds :data:`LEXICON_GROUPS` after them
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
    }.items()
}
#: who tells the page (issue 18's thirteenth round): a reporter's dateline, an author's or a
#: column's opinion, a campaign's many cases — read from the risk lexicon's ``[cues.*]`` tables
#: of the same names (``risk_lexicon.toml``), one list of words for both judgements: they
#: were written here a second time as regular expressions, and a word an editor added to
#: the lexicon did not reach the framing
LEXICON_GROUPS = ("byline", "opinion", "campaign")
#: a concrete place, for the sentence-level evidence
_PLACE = re.compile(r"[省市县区镇乡村]|医院|卫生院|诊所|保健院")


def opening(text: str, sentences: int = OPENING_SENTENCES) -> str:
    """The first ``sentences`` sentences of ``text``."""
    parts = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return "。".join(parts[:sentences])


def group_patterns(lexicon: RiskLexicon | None = None) -> dict[str, re.Pattern[str]]:
    """The groups counted, in the features' order: :data:`GROUPS`, then the lexicon's cue
    groups :data:`LEXICON_GROUPS` (the shipped lexicon's unless ``lexicon`` is given)."""
    from jianbao.judge.risk import default_lexicon

    cues = (lexicon or default_lexicon()).cues
    missing = [name for name in LEXICON_GROUPS if name not in cues]
    if missing:
        raise ValueError(f"the risk lexicon has no [cues.{missing[0]}] table")
    return {**GROUPS, **{name: cues[name] for name in LEXICON_GROUPS}}


def framing_row(title: str, text: str, lexicon: RiskLexicon | None = None) -> list[float]:
    """The framing features of a page: per group (:func:`group_patterns`) its occurrences
    in the framing and in the headline (``log1p``), whether an opening sentence names a
    recent time and a place, whether there is a headline, and the opening's length."""
    lead = opening(text)
    framing = f"{title}。{lead}"
    row: list[float] = []
    for pattern in group_patterns(lexicon).values():
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

    def probability(self, title: str, text: str, lexicon: RiskLexicon | None = None) -> float:
        """The probability that the page reports a new incident, by its framing."""
        row = (np.asarray(framing_row(title, text, lexicon), dtype=float) - self.mean) / self.scale
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


def fit_framing(
    items: Sequence[tuple[str, str]], labels: Sequence[int], lexicon: RiskLexicon | None = None
) -> Any:
    """The framing regression (a scikit-learn pipeline: standardised features, a
    balanced logistic regression) trained on labelled pages."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = np.array([framing_row(title, text, lexicon) for title, text in items], dtype=float)
    pipeline = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000),
    )
    return pipeline.fit(rows, list(labels))


def reference_framing(
    pipeline: Any, items: Sequence[tuple[str, str]], lexicon: RiskLexicon | None = None
) -> list[float]:
    """:meth:`FramingNumbers.probability` as scikit-learn computes it."""
    rows = np.array([framing_row(title, text, lexicon) for title, text in items], dtype=float)
    return [float(p) for p in pipeline.predict_proba(rows)[:, 1]]
