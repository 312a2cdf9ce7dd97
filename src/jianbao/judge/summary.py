"""Extractive summaries: the one or two sentences that state the news.

Offline and deterministic. The body is cleaned of what an editor would never quote (the
dateline 新华社北京10月16日电（记者 张三）, 来源 and 责任编辑 lines, a repeated headline),
split into sentences at 。！？；…, and the sentences are ranked TextRank-style: a
sentence is central when it shares character bigrams with many others. News puts the
news first, so the random walk restarts preferentially at early sentences and at
sentences that share words with the headline (a "lead bias"). The best sentences that
fit in ``max_chars`` are returned in their original order, near-duplicates skipped,
ending on a full sentence.

The bigrams two sentences share are counted with arrays (each bigram's bit mask of the
sentences it occurs in), for many articles at once in :func:`summarize_many` — what
judging in batches uses: a few array operations per batch instead of Python sets per
pair of sentences. The figures are those of the sets, to the last bit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

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
_NON_WORD = re.compile(r"[\W_]+")
_FULL_STOP_IN = re.compile(r"[。！？]")
_CLAUSE_BREAKS = "，：,:"
_FULL_STOPS = "。！？!?…”’」』）)"
_MIN_SENTENCE = 6
_DAMPING = 0.85
#: sentences of the opening that are ranked
MAX_SENTENCES = 15
#: the lead sentence is chosen when its score is at least this share of the best one
LEAD_PREFERENCE = 0.6
#: a summary is one or two sentences (the daily broadcast's house style)
MAX_SUMMARY_SENTENCES = 2
#: a too-long sentence is cut at a clause break only if that keeps this share of the budget
CLAUSE_KEEP = 0.6


def clean_paragraphs(title: str, paragraphs: list[str]) -> list[str]:
    """Paragraphs without datelines, credits, 来源 lines, URLs-and-times or the headline."""
    headline = _squash(title)
    return [text for text in (_clean(p, headline) for p in paragraphs) if text]


def _clean(paragraph: str, headline: str) -> str:
    """One paragraph as :func:`clean_paragraphs` keeps it, or "" when it is dropped."""
    text = paragraph.strip()
    if not text or _FURNITURE.match(text):
        return ""
    if len(text) <= 40 and text.endswith(("：", ":")):
        return ""  # a salutation (各省、自治区、直辖市卫生健康委：) or a lead-in label
    if _URLISH.search(text) and not _FULL_STOP_IN.search(text):
        return ""
    text = _DATELINE.sub("", text, count=1)
    text = _REPORTER.sub("", text, count=1).strip()
    # squashing only removes characters: a shorter text cannot be the headline
    if headline and len(text) >= len(headline) and _squash(text) == headline:
        return ""
    return text


def split_sentences(text: str) -> list[str]:
    """Chinese sentences of a paragraph, each keeping its final punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _squash(text: str) -> str:
    return _NON_WORD.sub("", text)


def _bigrams(text: str) -> set[str]:
    squashed = _squash(text)
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)} or {squashed}


def _opening(title: str, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The first MAX_SENTENCES sentences worth ranking (at least _MIN_SENTENCE word
    characters) with their squashed forms. Paragraphs are cleaned only as far as needed:
    a long article's tail costs nothing."""
    headline = _squash(title)
    sentences: list[str] = []
    squashed: list[str] = []
    for paragraph in paragraphs:
        text = _clean(paragraph, headline)
        if not text:
            continue
        for sentence in split_sentences(text):
            plain = _squash(sentence)
            if len(plain) >= _MIN_SENTENCE:
                sentences.append(sentence)
                squashed.append(plain)
                if len(sentences) == MAX_SENTENCES:
                    return sentences, squashed
    return sentences, squashed


def rank_sentences(title: str, sentences: list[str]) -> list[float]:
    """TextRank scores with a lead and headline bias (higher is more central)."""
    squashed = [_squash(s) for s in sentences]
    if not squashed:
        return []
    if len(squashed) > _MAX_ROWS - 1 or any(len(s) < 2 for s in squashed):
        return _rank_sets(title, squashed)[0]  # beyond the bit masks, or bigram-less
    scores, _shared = _rank_many([(title, squashed)])[0]
    return scores


#: texts (sentences and the title) of one document that bit masks in int64 can hold
_MAX_ROWS = 63
#: documents ranked in one set of array operations (their number takes the key's top bits)
_MAX_DOCS = 4096
#: the lead bias of the i-th sentence: 1 / (1 + i)^0.8
_LEAD = [1.0 / (1.0 + i) ** 0.8 for i in range(_MAX_ROWS)]


def _rank_many(docs: Sequence[tuple[str, list[str]]]) -> list[tuple[list[float], np.ndarray]]:
    """TextRank scores of the sentences of many documents, given as (title, sentences
    squashed), each sentence of two characters or more and fewer than _MAX_ROWS of
    them; with each document's shared-bigram matrix (see :func:`_shared_bigrams`,
    which the redundancy check reuses). The same figures as ranking one by one, with a
    few array operations per batch rather than per document."""
    if len(docs) > _MAX_DOCS:
        return [
            ranked
            for at in range(0, len(docs), _MAX_DOCS)
            for ranked in _rank_many(docs[at : at + _MAX_DOCS])
        ]
    if not docs:
        return []
    plain_titles = [_squash(title) for title, _ in docs]
    # the title rides along as one more row: its shared bigrams are the headline bias
    rows = [
        [*squashed, plain] if len(plain) >= 2 else squashed
        for (_, squashed), plain in zip(docs, plain_titles, strict=True)
    ]
    shared = _shared_bigrams(rows)
    results: list[tuple[list[float], np.ndarray]] = [([], matrix) for matrix in shared]
    by_size: dict[int, list[int]] = {}
    for number, (_, squashed) in enumerate(docs):
        by_size.setdefault(len(squashed), []).append(number)
    for n, numbers in by_size.items():
        # documents with n sentences are solved together: the same arithmetic, stacked
        weights = np.stack([shared[k][:n, :n] for k in numbers])
        logs = np.array(
            [[math.log(size + 1) for size in shared[k].diagonal()[:n].tolist()] for k in numbers]
        )
        # the same weights as shared / (log(|a| + 1) + log(|b| + 1)) pair by pair
        weights = weights / (logs[:, :, None] + logs[:, None, :])
        diagonal = np.arange(n)
        weights[:, diagonal, diagonal] = 0.0
        overlaps = np.stack(
            [shared[k][n, :n] if len(rows[k]) > n else np.zeros(n) for k in numbers]
        )
        title_sizes = np.array(
            [_title_size(docs[k][0], plain_titles[k]) for k in numbers], dtype=np.float64
        )
        # 2·|shared with the title| / |title| (0 without a title: its overlaps are 0)
        bias = 2.0 * overlaps / np.maximum(title_sizes, 1.0)[:, None]
        restart = np.array(_LEAD[:n])[None, :] + bias
        for k, scores in zip(numbers, _walk(weights, restart), strict=True):
            results[k] = (scores, shared[k])
    return results


def _shared_bigrams(docs: list[list[str]]) -> list[np.ndarray]:
    """For each document, given as its texts squashed (fewer than _MAX_ROWS): how many
    distinct character bigrams each pair of its texts has in common, the diagonal
    holding each one's number of distinct bigrams.

    All documents are handled in a few array operations instead of Python sets per
    pair: each bigram (two code points of 21 bits) of a document gets the bit mask of
    the document's texts it occurs in, and per document the mask matrix times its
    transpose counts the shared ones."""
    texts = [text for doc in docs for text in doc]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    counts = [len(doc) for doc in docs]
    row_doc = np.repeat(np.arange(len(docs), dtype=np.int64), counts)
    row_local = np.arange(len(texts), dtype=np.int64) - np.repeat(
        np.cumsum([0, *counts[:-1]], dtype=np.int64), counts
    )
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    inside = owner[:-1] == owner[1:]
    first = owner[:-1][inside]
    # document (15 bits) | bigram (42 bits) | text within the document (6 bits)
    keys = (row_doc[first] << 48) | (codes[:-1][inside] << 27) | (codes[1:][inside] << 6)
    keys |= row_local[first]
    keys.sort()
    # each text's distinct bigrams: the diagonal
    distinct = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    sizes = np.bincount(
        ((distinct >> 48) << 6) | (distinct & 63), minlength=len(docs) << 6
    ).reshape(len(docs), 64)
    # the bigrams of several texts (a few: most occur in one sentence) give the rest
    grams = keys >> 6
    starts = np.flatnonzero(np.concatenate(([True], grams[1:] != grams[:-1])))
    masks = np.bitwise_or.reduceat(np.left_shift(1, keys & 63), starts)
    several = (masks & (masks - 1)) != 0
    masks = masks[several]
    owners = grams[starts][several] >> 42
    bounds = np.searchsorted(owners, np.arange(len(docs) + 1)).tolist()
    width = max(counts)
    # float32 counts exactly (a document has far fewer than 2**24 bigrams) and each
    # document's block is contiguous, as BLAS wants it
    member = ((masks[:, None] >> np.arange(width, dtype=np.int64)) & 1).astype(np.float32)
    result = []
    for number, count in enumerate(counts):
        mine = member[bounds[number] : bounds[number + 1]]
        matrix = (mine.T @ mine)[:count, :count].astype(np.float64)
        matrix.flat[:: count + 1] = sizes[number, :count]
        result.append(matrix)
    return result


def _title_size(title: str, plain: str) -> int:
    """How many distinct bigrams the title has (as ``len(_bigrams(title))``), 0 for none."""
    if not title.strip():
        return 0
    return len({plain[i : i + 2] for i in range(len(plain) - 1)}) or 1


def _rank_sets(title: str, squashed: list[str]) -> tuple[list[float], np.ndarray]:
    """:func:`_rank_many` for one document with Python sets (any sentences, bigram-less
    ones included): fewer steps than the arrays for a few sentences, the same figures."""
    n = len(squashed)
    grams = [{s[i : i + 2] for i in range(len(s) - 1)} or {s} for s in squashed]
    shared = np.zeros((n, n))
    weights = np.zeros((n, n))
    for i in range(n):
        shared[i, i] = len(grams[i])
        for j in range(i + 1, n):
            common = len(grams[i] & grams[j])
            if common:
                norm = math.log(len(grams[i]) + 1) + math.log(len(grams[j]) + 1)
                shared[i, j] = shared[j, i] = common
                weights[i, j] = weights[j, i] = common / norm
    title_grams = _bigrams(title) if title.strip() else set()
    restart = np.array(
        [
            1.0 / (1.0 + i) ** 0.8
            + (2.0 * len(grams[i] & title_grams) / len(title_grams) if title_grams else 0.0)
            for i in range(n)
        ]
    )
    return _walk(weights[None], restart[None])[0], shared


def _walk(weights: np.ndarray, restart: np.ndarray) -> list[list[float]]:
    """Stationary scores of random walks over a stack of ``weights`` matrices, each
    restarting by its row of ``restart``."""
    n = restart.shape[1]
    restart = restart / restart.sum(axis=1, keepdims=True)
    sums = weights.sum(axis=2)
    transition = np.divide(
        weights, sums[:, :, None], out=np.zeros_like(weights), where=sums[:, :, None] > 0
    )
    # rows without neighbours jump by the restart distribution
    stack, lonely = np.nonzero(sums == 0)
    transition[stack, lonely] = restart[stack]
    # the walk's stationary scores s = (1-d)·r + d·s·T, solved directly (n is small)
    # rather than iterated: one call instead of dozens
    system = (np.eye(n) - _DAMPING * transition).transpose(0, 2, 1)
    scores = np.linalg.solve(system, ((1 - _DAMPING) * restart)[:, :, None])[:, :, 0]
    return scores.tolist()


def summarize(
    title: str, paragraphs: list[str], max_chars: int = 120, *, policy: bool = False
) -> str:
    """An extractive summary of at most ``max_chars`` characters ending on a full sentence
    (or, when even the best sentence is longer, cut at a clause and ended with …).

    ``policy``: the item is a policy document, summarised by what it requires and of
    whom — sentences stating requirements, targets and addressees are preferred to the
    boilerplate opening (为贯彻落实…，现将有关事项通知如下)."""
    # news states itself early: ranking the opening keeps the graph small (and fast)
    sentences, squashed = _opening(title, paragraphs)
    if not sentences:
        return _trim(title.strip(), max_chars) if title.strip() else ""
    # a few sentences rank faster with sets, more with arrays: the same figures either way
    if len(squashed) <= _FEW:
        scores, shared = _rank_sets(title, squashed)
    else:
        scores, shared = _rank_many([(title, squashed)])[0]
    return _choose(sentences, scores, shared, max_chars, policy)


#: up to this many sentences, one document is ranked with sets rather than arrays
_FEW = 6


def summarize_many(
    articles: Sequence[tuple[str, list[str]]],
    max_chars: int = 120,
    *,
    policies: Sequence[bool] | None = None,
) -> list[str]:
    """:func:`summarize` for many (title, paragraphs) at once — the same summaries, the
    sentence ranking done for all of them together (faster in bulk). ``policies``: which
    of them are policy documents (default none)."""
    if policies is None:
        policies = [False] * len(articles)
    # news states itself early: ranking the opening keeps the graph small (and fast)
    openings = [_opening(title, paragraphs) for title, paragraphs in articles]
    ranked = iter(
        _rank_many(
            [
                (title, squashed)
                for (title, _), (_, squashed) in zip(articles, openings, strict=True)
                if squashed
            ]
        )
    )
    summaries = []
    for (title, _), (sentences, _squashed), policy in zip(
        articles, openings, policies, strict=True
    ):
        if not sentences:
            summaries.append(_trim(title.strip(), max_chars) if title.strip() else "")
            continue
        scores, shared = next(ranked)
        summaries.append(_choose(sentences, scores, shared, max_chars, policy))
    return summaries


def _choose(
    sentences: list[str], scores: list[float], shared: np.ndarray, max_chars: int, policy: bool
) -> str:
    """The summary from ranked sentences: the best (or the lead, when nearly as good),
    then the next best that fits and repeats nothing, in their original order."""
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
        # replace it by a lesser one that fits, its setting (据…报道，近日，) first
        return _trim(drop_setting(sentences[best]), max_chars)
    chosen: list[int] = []
    used = 0
    for i in order[:8]:
        sentence = sentences[i]
        # the share of the smaller sentence's bigrams the two have in common
        if any(shared[i, j] / max(1, min(shared[i, i], shared[j, j])) > 0.6 for j in chosen):
            continue
        if used + len(sentence) <= max_chars:
            chosen.append(i)
            used += len(sentence)
        if len(chosen) >= MAX_SUMMARY_SENTENCES or used >= max_chars * 0.8:
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


#: an opening clause that sets the scene rather than states the news: who reported it
#: (据新华社报道，记者从省卫健委获悉，), when (近日，11月16日，今年以来，), as whom (日前，)
_SETTING = re.compile(
    r"^(?:"
    r"据[^，,。]{1,20}(?:报道|消息|介绍|了解|统计|悉)"
    r"|(?:本报)?记者[^，,。]{0,20}(?:获悉|了解到|得知|注意到)"
    r"|(?:近日|日前|近期|目前|当前|昨天|昨日|昨晚|今天|今日|今晨|前天|当天|当晚|近年来|近年)"
    r"|(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:[上下]午|晚间?|凌晨|早上|晚上)?"
    r"|(?:\d{4}年)?\d{1,2}月(?:上旬|中旬|下旬|初|底)?"
    r"|\d{4}年(?:[上下]半年|初|底)?"
    r"|[^，,。]{1,12}以来"
    r")[，,]\s*"
)


def drop_setting(sentence: str) -> str:
    """A sentence without its opening clauses of time and attribution (at most two:
    据报道，近日，…), when what remains still says something."""
    text = sentence
    for _ in range(2):
        shorter = _SETTING.sub("", text, count=1)
        if shorter == text or len(shorter) < _MIN_SENTENCE:
            break
        text = shorter
    return text


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
