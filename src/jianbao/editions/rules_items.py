"""Checker rules about the items themselves: period, duplicates, missing fields, dead
links, leftover noise, source labels and names."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from jianbao.editions.dates import format_date_cn
from jianbao.editions.findings import (
    CheckOptions,
    Finding,
    Limits,
    normalize_source,
    normalize_title,
    short,
    title_similarity,
)
from jianbao.editions.report_doc import ContentItem, ReportDoc
from jianbao.editions.report_parse import DATE_CN, make_date

TICKER = re.compile(
    r"[(（]\s*[+-]?\d+(?:\.\d+)?\s*[,，]\s*[+-]?\d+(?:\.\d+)?\s*[,，]\s*"
    r"[+-]?\d+(?:\.\d+)?%\s*[)）]"
)
NOISE_PHRASES = (
    "扫一扫",
    "扫描二维码",
    "长按识别",
    "长按二维码",
    "点击关注",
    "关注公众号",
    "分享到：",
    "阅读原文",
    "返回搜狐",
    "点击上方",
    "戳这里",
)
# Editor and author credits: a short paragraph made only of 编辑：… / 文/本报记者 … /
# 编辑|… segments, or one in brackets closing a paragraph. A question in an interview
# (编辑：您认为……？) is no credit: a name holds no sentence punctuation.
_CREDIT_LABEL = (
    r"(?:责任编辑|编辑|审核|审校|校对|终审|初审|复审|监制|撰文|文字|文|记者|通讯员|作者|"
    r"摄影|图片|图|制图|来源)"
)
_CREDIT_NAME = r"[^，。？！?!；;：:（）()【】\[\]/／|｜丨,]{1,20}"
_CREDIT_LINE = re.compile(
    rf"^[（(【\[]?\s*(?:{_CREDIT_LABEL}\s*[：:/／|｜丨]\s*{_CREDIT_NAME}\s*){{1,6}}[）)】\]]?$"
)
_CREDIT_TAIL = re.compile(
    r"[（(]\s*(?:责任编辑|编辑|审核|校对|记者|作者)\s*[：:/／|｜丨]\s*[^（）()，。？！?!]{1,15}[）)]\s*$"
)
#: a paragraph this long is text, not a credit line
_CREDIT_MAX = 60
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
#: sentences shorter than this (letters and digits) may well repeat on purpose
_REPEAT_MIN = 12
_DATELINE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(来源|来自|作者)")
_SOURCE_JUNK = re.compile(r"作者|记者|编辑|发布时间|时间[:：]|来源[:：]|\d{4}-\d{1,2}-\d{1,2}")
LEAD_DATES = re.compile(r"从\s*(.+?)\s*(?:到|至)\s*(.+?)\s*[，,。]")


def _period(doc: ReportDoc, opts: CheckOptions) -> tuple[date, date] | None:
    if doc.period:
        return doc.period
    m = LEAD_DATES.search(doc.lead)
    if m:
        start, end = cn_date(m.group(1)), cn_date(m.group(2))
        if start and end:
            return start, end
    if opts.publication and doc.issue_date and doc.kind in ("weekly", "monthly"):
        return opts.publication.period(doc.issue_date)
    return None


def cn_date(text: str) -> date | None:
    m = DATE_CN.fullmatch(text.strip())
    return make_date(*m.groups()) if m else None


def _item_date(item: ContentItem) -> date | None:
    return item.published or item.body_date


def rule_period(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    period = _period(doc, opts)
    if period is None or doc.kind == "daily":
        return
    start, end = period
    for index, item in enumerate(doc.items, start=1):
        day = _item_date(item)
        if day is not None and not start <= day <= end:
            yield Finding(
                "out-of-period",
                f"日期 {day.isoformat()} 不在本期时间范围"
                f"（{format_date_cn(start)}至{format_date_cn(end)}）内",
                "换成本期范围内的文章，或核对文章日期",
                item=index,
                where="具体内容",
            )


def all_items(doc: ReportDoc) -> list[tuple[str, int, ContentItem]]:
    if doc.days:
        return [(d.heading, n, i) for d in doc.days for n, i in enumerate(d.items, 1)]
    return [("具体内容", n, i) for n, i in enumerate(doc.items, 1)]


def rule_duplicates(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    limits = Limits.of(doc.kind, opts)
    seen: list[tuple[str, int, ContentItem]] = []
    for where, index, item in all_items(doc):
        for other_where, other_index, other in seen:
            same_url = bool(item.url) and item.url.rstrip("/") == other.url.rstrip("/")
            similarity = title_similarity(item.title, other.title)
            place = "" if other_where == where else f"{other_where} "
            if same_url or similarity >= opts.similarity:
                yield Finding(
                    "duplicate",
                    f"与{place}第{other_index}条是同一篇（《{short(other.title)}》）",
                    "删去重复的一条，保留最权威或最早的来源",
                    item=index,
                    where=where,
                )
                break
            if similarity >= limits.similar_titles:
                yield Finding(
                    "duplicate",
                    f"标题与{place}第{other_index}条《{short(other.title)}》相近"
                    f"（相似度 {similarity:.2f}），可能是同一件事",
                    "核对两篇：同一件事只留一条；确是两件事可忽略此提示",
                    severity="warning",
                    item=index,
                    where=where,
                )
                break
        seen.append((where, index, item))
        for past in opts.recent:
            urls = {u.rstrip("/") for u in past.urls}
            if (item.url and item.url.rstrip("/") in urls) or any(
                title_similarity(item.title, t) >= opts.similarity for t in past.titles
            ):
                yield Finding(
                    "duplicate",
                    f"《{short(item.title)}》已在{past.label}刊出",
                    "删去这一条，或确认确有新进展再保留",
                    severity="warning",
                    item=index,
                    where=where,
                )


def rule_sizes(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    """An issue thinner than the publication usually is, and a title so long it has
    likely swallowed text (thresholds: the publication's min_items, max_title_chars)."""
    limits = Limits.of(doc.kind, opts)
    groups = [(d.heading, d.items) for d in doc.days] if doc.days else [("", doc.items)]
    for where, items in groups:
        if items and len(items) < limits.min_items:
            yield Finding(
                "item-count",
                f"本期只有 {len(items)} 条，少于本刊通常的 {limits.min_items} 条",
                f"补充到至少 {limits.min_items} 条；确实只有这些时可忽略（刊物配置 min_items）",
                severity="warning",
                where=where or "具体内容",
            )
    for where, index, item in all_items(doc):
        if len(item.title) > limits.max_title_chars:
            yield Finding(
                "title-length",
                f"标题有 {len(item.title)} 个字（《{short(item.title, 20)}》），"
                f"超过 {limits.max_title_chars} 字",
                "核对标题是否混入了正文或摘要，只留原文标题（上限见刊物配置 max_title_chars）",
                severity="warning",
                item=index,
                where=where,
            )


def rule_fields(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    for where, index, item in all_items(doc):
        if not item.url:
            yield Finding("missing-field", "缺少链接", "补上原文链接", item=index, where=where)
        if doc.kind == "daily":
            continue
        if not item.source:
            yield Finding(
                "missing-field", "缺少来源", "补上来源（媒体或网站名称）", item=index, where=where
            )
        if item.published is None:
            dateline = _dateline(item)
            if item.body_date and dateline:  # one cause: the date left in the copied text
                hint = (
                    f"把正文开头的“{short(dateline, 30)}”一行删去，"
                    f"在来源之后写“日期：{item.body_date.isoformat()}”"
                )
            elif item.body_date:
                hint = f"补上“日期：{item.body_date.isoformat()}”（正文开头写的日期）"
            else:
                hint = "补上“日期：YYYY-MM-DD”"
            yield Finding("missing-field", "缺少日期", hint, item=index, where=where)
        if item.unlabelled_title:
            yield Finding(
                "missing-field",
                "条目标题前缺少“标题：”",
                "写作“N. 标题：…”",
                severity="warning",
                item=index,
                where=where,
            )


def _dateline(item: ContentItem) -> str:
    """The copied page's ``2023-10-15 来源：腾讯`` line near the body's start, if any."""
    return next((p for p in item.paragraphs[:3] if _DATELINE.match(p)), "")


def rule_links(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    if opts.link_checker is None:
        return
    for where, index, item in all_items(doc):
        if item.url:
            problem = opts.link_checker(item.url)
            if problem:
                yield Finding(
                    "dead-link",
                    f"链接打不开：{problem}",
                    "换成可访问的原文链接",
                    item=index,
                    where=where,
                )


def rule_noise(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    phrases = NOISE_PHRASES + opts.extra_noise
    for where, index, item in all_items(doc):
        texts = [item.title, item.summary, *item.paragraphs]
        for n, text in enumerate(texts):
            ticker = TICKER.search(text)
            if ticker:
                yield Finding(
                    "noise",
                    f"残留股票行情“{ticker.group(0)}”",
                    f"删去“{ticker.group(0)}”",
                    item=index,
                    where=where,
                )
            credit = _credit(text)
            if credit:
                yield Finding(
                    "noise",
                    f"残留编辑、作者署名“{short(credit, 30)}”",
                    "删去这一行" if credit == text else f"删去“{credit}”",
                    severity="warning",
                    item=index,
                    where=where,
                )
                continue
            for phrase in phrases:
                if phrase in text and len(text) < 80:
                    yield Finding(
                        "noise",
                        f"残留“{short(text, 30)}”",
                        "删去这一行",
                        severity="warning",
                        item=index,
                        where=where,
                    )
                    break
            reported = item.published is None and item.body_date is not None  # rule_fields
            if 2 <= n <= 4 and _DATELINE.match(text) and not reported:
                yield Finding(
                    "noise",
                    f"正文里残留原页面的日期来源行“{short(text, 30)}”",
                    "删去这一行",
                    severity="warning",
                    item=index,
                    where=where,
                )
        if item.paragraphs and normalize_title(item.paragraphs[0]) == normalize_title(item.title):
            yield Finding(
                "noise",
                "正文第一段重复了标题",
                "删去正文开头的标题行",
                severity="warning",
                item=index,
                where=where,
            )


def _credit(text: str) -> str:
    """The editor or author credit in a paragraph (the whole line, or its bracketed
    tail), or ""."""
    line = text.strip()
    if len(line) <= _CREDIT_MAX and _CREDIT_LINE.match(line):
        return line
    tail = _CREDIT_TAIL.search(line)
    return tail.group(0).strip() if tail else ""


def rule_repeats(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    """A sentence pasted twice within a paragraph (an error), or a paragraph or sentence
    repeated further on in the same item (a warning: a pull quote may repeat)."""
    for where, index, item in all_items(doc):
        # the body's paragraphs as numbered on the page; a daily's item has its summary
        texts = [t for t in item.paragraphs if t] or ([item.summary] if item.summary else [])
        seen_paragraphs: dict[str, int] = {}
        seen_sentences: dict[str, int] = {}
        for n, text in enumerate(texts, start=1):
            key = normalize_title(text)
            if len(key) >= _REPEAT_MIN and key in seen_paragraphs:
                yield Finding(
                    "noise",
                    f"第{n}段与第{seen_paragraphs[key]}段相同（“{short(text, 20)}”）",
                    f"删去第{n}段",
                    severity="warning",
                    item=index,
                    where=where,
                )
                continue
            seen_paragraphs.setdefault(key, n)
            here: set[str] = set()
            for sentence in _SENTENCE.findall(text):
                norm = normalize_title(sentence)
                if len(norm) < _REPEAT_MIN:
                    continue
                if norm in here:
                    yield Finding(
                        "noise",
                        f"第{n}段中这句话出现了两次：“{short(sentence.strip(), 30)}”",
                        "删去重复的一句",
                        item=index,
                        where=where,
                    )
                elif norm in seen_sentences:
                    yield Finding(
                        "noise",
                        f"第{n}段重复了第{seen_sentences[norm]}段的一句："
                        f"“{short(sentence.strip(), 30)}”",
                        "删去重复的一句（确为有意引用时可忽略）",
                        severity="warning",
                        item=index,
                        where=where,
                    )
                here.add(norm)
            for norm in here:
                seen_sentences.setdefault(norm, n)


def rule_sources(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    expected = opts.publication.source_label if opts.publication else "来源"
    labels = Counter(i.source_label for i in doc.items if i.source_label)
    for label in sorted(labels):
        if label != expected:
            yield Finding(
                "source-label",
                f"来源写在“{label}：”之下（{labels[label]}处），本刊统一用“{expected}：”",
                f"把“{label}：”改为“{expected}：”",
                where="具体内容",
            )
    spellings: dict[str, set[str]] = defaultdict(set)
    names = [i.source for i in doc.items] + [t.source for t in doc.toc]
    for name in names:
        if name:
            spellings[normalize_source(name)].add(name)
    for index, item in enumerate(doc.items, start=1):
        if item.source and (_SOURCE_JUNK.search(item.source) or len(item.source) > 20):
            yield Finding(
                "source-name",
                f"来源“{short(item.source, 30)}”混入了作者、时间等文字",
                "只保留媒体或网站名称",
                severity="warning",
                item=index,
                where="具体内容",
            )
    for variants in spellings.values():
        if len(variants) > 1:
            listed = "”“".join(sorted(variants))
            yield Finding(
                "source-name",
                f"同一来源有多种写法：“{listed}”",
                "统一成一种写法（如去掉多余空格）",
                severity="warning",
            )
