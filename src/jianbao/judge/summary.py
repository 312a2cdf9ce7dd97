"""Extractive summaries: the one or two sentences that state the news.

Offline and deterministic. The body is cleaned of what an editor would never quote (the
dateline 新华社北京10月16日电（记者 张三）, 来源 and 责任编辑 lines, a repeated headline),
split into sentences at 。！？；…, and the sentences are ranked TextRank-style: a
sentence is central when it shares character bigrams with many others. News puts the
news first, so the random walk restarts preferentially at early sentences and at
sentences that share words with the headline (a "lead bias"). The best sentences that
fit in ``max_chars`` are returned in their original order, near-duplicates skipped,
ending on a full sentence.
"""

from __future__ import annotations

import math
import re

import numpy as np

#: 新华社北京10月16日电 / 中新网上海3月2日电 / 本报讯 / 健康界讯, with an optional (记者 …)
_DATELINE = re.compile(
    r"^\s*(?:[【\[][^】\]]{1,20}[】\]])?\s*"
    r"(?:[【\[][^】\]]{1,16}(?:讯|电|消息)[】\]]"
    r"|(?:[\u4e00-\u9fffA-Za-z·]{1,16}?)?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:消息|电|讯)"
    r"|[\u4e00-\u9fffA-Za-z]{1,10}(?:讯|消息)(?=[（(\s　：:，,]))"
    r"\s*(?:[（(][^）)]{0,40}[）)])?\s*[：:，,]?\s*"
)
#: a leading (记者 张三) / （通讯员 李四 记者 王五）
_REPORTER = re.compile(r"^\s*[（(](?:[^）)]{0,12})?(?:记者|通讯员|特约)[^）)]{0,40}[）)]\s*")
#: lines that are credits, sources or page furniture rather than text
_FURNITURE = re.compile(
    r"^\s*[【\[(（]?\s*(?:来源|本文来源|信息来源|文章来源|稿件来源|图片来源|图源|出处|"
    r"责任编辑|责编|编辑|校对|审核|审校|作者|撰文|记者|通讯员|摄影|原标题|原文链接|"
    r"点击|扫码|扫描|关注|声明|免责声明|版权|转载|附件|相关阅读|延伸阅读|推荐阅读)"
    r"\s*[】\])）]?\s*[：:|｜/]"
    r"|^\s*[【\[]?(?:广告|推广|赞助)[】\]：:]"
    r"|^\s*(?:分享到|扫码关注|扫一扫|点击下载|点击查看|长按识别|返回搜狐|打开APP)"
)


def is_furniture(line: str) -> bool:
    """A credit, 来源 line, share bar or advertisement rather than the article's text."""
    return bool(_FURNITURE.match(line))


_URLISH = re.compile(r"https?://|www\.|\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*\d{1,2}:\d{2}")
#: sentence ends: 。！？；… and ! ? ;, with closing quotes or brackets kept on the sentence
_SENTENCE = re.compile(r"[^。！？；!?;…]*(?:[。！？；!?;]+|…+|$)[”’」』）)]*")
_CLAUSE_BREAKS = "，：,:"
_FULL_STOPS = "。！？!?…”’」』）)"
_MIN_SENTENCE = 6
_DAMPING = 0.85
#: sentences of the opening that are ranked
MAX_SENTENCES = 15
#: the lead sentence is chosen when its score is at least this share of the best one
LEAD_PREFERENCE = 0.6
#: a too-long sentence is cut at a clause break only if that keeps this share of the budget
CLAUSE_KEEP = 0.6


def clean_paragraphs(title: str, paragraphs: list[str]) -> list[str]:
    """Paragraphs without datelines, credits, 来源 lines, URLs-and-times or the headline."""
    headline = _squash(title)
    kept = []
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text or _FURNITURE.match(text):
            continue
        if len(text) <= 40 and text.endswith(("：", ":")):
            continue  # a salutation (各省、自治区、直辖市卫生健康委：) or a lead-in label
        if _URLISH.search(text) and not re.search(r"[。！？]", text):
            continue
        text = _DATELINE.sub("", text, count=1)
        text = _REPORTER.sub("", text, count=1).strip()
        if not text or (headline and _squash(text) == headline):
            continue
        kept.append(text)
    return kept


def split_sentences(text: str) -> list[str]:
    """Chinese sentences of a paragraph, each keeping its final punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _bigrams(text: str) -> set[str]:
    squashed = _squash(text)
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)} or {squashed}


def rank_sentences(title: str, sentences: list[str]) -> list[float]:
    """TextRank scores with a lead and headline bias (higher is more central)."""
    n = len(sentences)
    if n == 0:
        return []
    grams = [_bigrams(s) for s in sentences]
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(grams[i] & grams[j])
            if shared:
                norm = math.log(len(grams[i]) + 1) + math.log(len(grams[j]) + 1)
                weights[i, j] = weights[j, i] = shared / norm
    title_grams = _bigrams(title) if title.strip() else set()
    restart = np.array(
        [
            1.0 / (1.0 + i) ** 0.8
            + (2.0 * len(grams[i] & title_grams) / len(title_grams) if title_grams else 0.0)
            for i in range(n)
        ]
    )
    restart /= restart.sum()
    sums = weights.sum(axis=1)
    transition = np.divide(
        weights, sums[:, None], out=np.zeros_like(weights), where=sums[:, None] > 0
    )
    # rows without neighbours jump by the restart distribution
    transition[sums == 0] = restart
    # the walk's stationary scores s = (1-d)·r + d·s·T, solved directly (n is small)
    # rather than iterated: one call instead of dozens
    scores = np.linalg.solve((np.eye(n) - _DAMPING * transition).T, (1 - _DAMPING) * restart)
    return [float(s) for s in scores]


def summarize(
    title: str, paragraphs: list[str], max_chars: int = 120, *, policy: bool = False
) -> str:
    """An extractive summary of at most ``max_chars`` characters ending on a full sentence
    (or, when even the best sentence is longer, cut at a clause and ended with …).

    ``policy``: the item is a policy document, summarised by what it requires and of
    whom — sentences stating requirements, targets and addressees are preferred to the
    boilerplate opening (为贯彻落实…，现将有关事项通知如下)."""
    cleaned = clean_paragraphs(title, paragraphs)
    sentences = [s for p in cleaned for s in split_sentences(p)]
    # news states itself early: ranking the opening keeps the graph small (and fast)
    sentences = [s for s in sentences if len(_squash(s)) >= _MIN_SENTENCE][:MAX_SENTENCES]
    if not sentences:
        return _trim(title.strip(), max_chars) if title.strip() else ""
    scores = rank_sentences(title, sentences)
    if policy:
        scores = [
            score * _policy_weight(sentence)
            for score, sentence in zip(scores, sentences, strict=True)
        ]
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])
    best = order[0]
    # the lead states the news: prefer it when it ranks nearly as high as the best
    if best != 0 and scores[0] >= LEAD_PREFERENCE * scores[best]:
        best = 0
        order.remove(0)
        order.insert(0, 0)
    if len(sentences[best]) > max_chars:
        # the sentence that states the news does not fit: cut it rather than
        # replace it by a lesser one that fits
        return _trim(sentences[best], max_chars)
    chosen: list[int] = []
    used = 0
    for i in order[:8]:
        sentence = sentences[i]
        if any(_overlap(sentence, sentences[j]) > 0.6 for j in chosen):
            continue
        if used + len(sentence) <= max_chars:
            chosen.append(i)
            used += len(sentence)
        if len(chosen) >= 3 or used >= max_chars * 0.8:
            break
    return _finish("".join(_close(sentences[i]) for i in sorted(chosen)))


#: what a policy document requires, of whom, by when
_REQUIREMENT = re.compile(
    r"要求|提出|明确|应当|必须|务必|须|鼓励|支持|推动|加快|建立|完善|到20\d{2}年|目标|"
    r"各级|各地|各省|医疗机构|二级以上|三级|医院要|部门要"
)
#: the ritual opening and closing of a document
_BOILERPLATE = re.compile(
    r"为(?:深入)?贯彻(?:落实)?|现(?:将|就)[^。]{0,20}(?:通知|印发|公告)如下|请认真(?:贯彻|遵照)|"
    r"特此通知|结合实际|认真贯彻执行|各省、自治区、直辖市"
)


def _policy_weight(sentence: str) -> float:
    weight = 1.0 + 0.5 * min(3, len(_REQUIREMENT.findall(sentence)))
    if _BOILERPLATE.search(sentence):
        weight *= 0.3
    return weight


def _overlap(a: str, b: str) -> float:
    ga, gb = _bigrams(a), _bigrams(b)
    return len(ga & gb) / max(1, min(len(ga), len(gb)))


def _finish(text: str) -> str:
    """End on a full stop: a trailing ；or ， becomes 。."""
    text = text.rstrip()
    if text and text[-1] in "；;，,：:、":
        text = text[:-1] + "。"
    elif text and text[-1] not in _FULL_STOPS:
        text += "。"
    return text


def _trim(text: str, max_chars: int) -> str:
    """Cut a too-long sentence at the last clause break that keeps most of it, with …"""
    if len(text) <= max_chars:
        return text
    limit = max(1, max_chars - 1)
    head = text[:limit]
    cut = max(head.rfind(c) for c in _CLAUSE_BREAKS)
    if cut >= limit * CLAUSE_KEEP:
        head = head[:cut]
    return head.rstrip(_CLAUSE_BREAKS + " ") + "…"


def _close(sentence: str) -> str:
    """A chosen sentence ending in ；reads as a full sentence once its neighbour is gone."""
    return sentence[:-1] + "。" if sentence.endswith(("；", ";")) else sentence
