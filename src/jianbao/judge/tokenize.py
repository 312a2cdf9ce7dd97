"""Chinese word tokens for the learned relevance model and for search.

rjieba (jieba-rs) splits domain terms such as 全民健康信息平台 into 全民/健康/信息/平台, which
loses the very words that decide relevance. Its ``add_word`` puts a term in the
dictionary with a high frequency, so the segmenter keeps it whole; we do that once, on a
private ``Jieba`` instance (the module default is shared with anything else that imports
rjieba).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on first use: each dictionary is tens of MB
    import rjieba

#: health-informatics terms the general dictionary does not keep whole
DOMAIN_TERMS: tuple[str, ...] = (
    "卫生信息化",
    "健康信息化",
    "卫生健康信息化",
    "医疗信息化",
    "医院信息化",
    "医保信息化",
    "信息化建设",
    "电子病历",
    "电子健康档案",
    "电子健康卡",
    "电子医保凭证",
    "医保电子凭证",
    "电子处方",
    "互联网医院",
    "互联网医疗",
    "互联网诊疗",
    "互联网+医疗健康",
    "互联互通",
    "全民健康信息平台",
    "全民健康保障信息化工程",
    "区域卫生信息平台",
    "医院信息平台",
    "医院信息系统",
    "医保信息平台",
    "健康医疗大数据",
    "卫生健康大数据",
    "医疗大数据",
    "健康大数据",
    "远程医疗",
    "远程会诊",
    "远程诊疗",
    "智慧医院",
    "智慧医疗",
    "智慧服务",
    "智慧管理",
    "智慧健康养老",
    "数字医疗",
    "数字健康",
    "数字化转型",
    "数字疗法",
    "医疗人工智能",
    "人工智能辅助诊断",
    "医疗大模型",
    "大模型",
    "临床决策支持",
    "分级评价",
    "标准化成熟度测评",
    "健康码",
    "医学影像",
    "检查检验结果互认",
    "移动医疗",
    "分级诊疗",
    "医共体",
    "医联体",
    "公共卫生信息系统",
    "传染病网络直报",
    "数据安全",
    "网络安全",
    "等级保护",
    "信息安全",
    "数据要素",
    "国家卫生健康委",
    "国家卫健委",
    "国家医保局",
    "国家中医药局",
    "国家疾控局",
    "统计信息中心",
)

_lock = threading.Lock()
_jieba: rjieba.Jieba | None = None

#: tokens made only of punctuation, symbols or white space carry nothing
_NOISE = re.compile(r"^[\W_]+$")


def _segmenter() -> rjieba.Jieba:
    """The shared segmenter with the domain dictionary, built on first use (≈0.2 s)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import rjieba

                jieba = rjieba.Jieba()
                for term in DOMAIN_TERMS:
                    jieba.add_word(term, None, None)
                    jieba.suggest_freq(term)
                _jieba = jieba
    return _jieba


def add_terms(terms: Iterable[str]) -> None:
    """Teach the segmenter more whole words (e.g. from a publication's own lexicon)."""
    jieba = _segmenter()
    with _lock:
        for term in terms:
            term = term.strip()
            if term and not jieba.has_word(term):
                jieba.add_word(term, None, None)
                jieba.suggest_freq(term)


def tokenize(text: str) -> list[str]:
    """Word tokens of ``text``: domain terms whole, Latin lower-cased, punctuation dropped."""
    if not text:
        return []
    return [
        t.lower()
        for t in _segmenter().cut(text)
        if t.isalnum() or (not t.isspace() and not _NOISE.match(t))
    ]
