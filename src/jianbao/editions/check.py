"""The checker: every error hand-made issues contain today, found before anyone else does.

Rules (each finding names the item and the fix):

- ``number-sequence``  the issue number does not continue the publication's sequence
- ``number-format``    the number is not written （第…期） in Chinese digits
- ``item-numbering``   an item number gap or repeat (目录 or 具体内容, or a daily's list)
- ``toc-mismatch``     the 目录 and the 具体内容 disagree (titles, order, count, sources)
- ``out-of-period``    an item dated outside the covered period
- ``duplicate``        the same story twice, or one already published in recent issues
- ``missing-field``    an item without link, source or date
- ``dead-link``        a link that does not answer (only with a link checker; off by default)
- ``noise``            tickers, 责任编辑, QR prompts, copied datelines left in the text
- ``source-label``     the source written under another label (媒体 vs 来源)
- ``source-name``      one outlet spelled two ways
- ``lead``             a 导语 whose count, period, kind word or topic disagree with the issue
- ``date-format``      a date typed wrong (2018 年 4 年 23 日) or not in the house form
- ``daily-heading``    a daily heading whose weekday or note of the day is wrong

Both issues jianbao composed (``check_view``) and hand-made files (``check_file``) are
checked, through the same ReportDoc.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from jianbao.editions.dates import format_date_cn, weekday_cn
from jianbao.editions.daynote import CalendarOverride, day_note
from jianbao.editions.lead import KIND_WORDS
from jianbao.editions.numerals import issue_number_text
from jianbao.editions.publication import Publication
from jianbao.editions.report_doc import ContentItem, ReportDoc, doc_from_view
from jianbao.editions.report_parse import DATE_CN, make_date, parse_report_file
from jianbao.records import IssueView

Severity = Literal["error", "warning"]

#: ticker fragments pasted with finance-site text: 智能机器人(11.170, -0.09, -0.80%)
TICKER = re.compile(
    r"[(（]\s*[+-]?\d+(?:\.\d+)?\s*[,，]\s*[+-]?\d+(?:\.\d+)?\s*[,，]\s*"
    r"[+-]?\d+(?:\.\d+)?%\s*[)）]"
)
NOISE_PHRASES = (
    "责任编辑",
    "编辑：",
    "审核：",
    "校对：",
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
_DATELINE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(来源|来自|作者)")
_LEAD_DATES = re.compile(r"从\s*(.+?)\s*(?:到|至)\s*(.+?)\s*[，,。]")
_LEAD_COUNT = re.compile(r"共收集\s*(\d+)\s*篇")
_BAD_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*[年日号]\s*\d{1,2}\s*[日号年月]|\d{4}\s*月")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how bad, where, what is wrong and how to fix it."""

    rule: str
    message: str
    fix: str
    severity: Severity = "error"
    #: the item number concerned (None for the whole issue)
    item: int | None = None
    #: where in the document (目录, 具体内容, 导语, a daily's date …)
    where: str = ""

    def __str__(self) -> str:
        place = self.where + (f" 第{self.item}条" if self.item is not None else "")
        level = "错误" if self.severity == "error" else "提示"
        return f"[{level}] {self.rule} {place}：{self.message}（修改：{self.fix}）"


@dataclass(frozen=True, slots=True)
class PastIssue:
    """A recently published issue, for 'already published' findings."""

    label: str
    titles: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @classmethod
    def from_view(cls, view: IssueView) -> PastIssue:
        """An earlier issue, labelled 第五四五期 or by its daily heading."""
        label = view.number_text.strip("（）") if view.number_text else view.heading
        return cls(
            label=label or view.issue_date.isoformat(),
            titles=tuple(i.title for i in view.items),
            urls=tuple(i.url for i in view.items if i.url),
        )


@dataclass(slots=True)
class CheckOptions:
    """What the checker knows beyond the document itself."""

    publication: Publication | None = None
    #: the number this issue should carry (the publication's next number)
    expected_number: int | None = None
    recent: Sequence[PastIssue] = ()
    #: returns an error message for a dead link, None when it answers; None = offline
    link_checker: Callable[[str], str | None] | None = None
    calendar: CalendarOverride | None = None
    similarity: float = 0.8
    extra_noise: tuple[str, ...] = field(default_factory=tuple)


# -- helpers ----------------------------------------------------------------------------------


def normalize_title(text: str) -> str:
    """A title reduced for comparison: width folded, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum()).lower()


def normalize_source(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def title_similarity(a: str, b: str) -> float:
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ba, bb = _bigrams(na), _bigrams(nb)
    return len(ba & bb) / len(ba | bb)


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# -- the rules ---------------------------------------------------------------------------------


def _rule_number(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    if doc.kind == "daily":
        return
    if doc.number is None:
        yield Finding(
            "number-format",
            "找不到期号",
            "在标题下写（第…期），数字逐位用汉字，如（第五四六期）",
            where="期号",
        )
        return
    if doc.number_text and doc.number_text != issue_number_text(doc.number):
        yield Finding(
            "number-format",
            f"期号写作“{doc.number_text}”",
            f"写作“{issue_number_text(doc.number)}”（全角括号，数字逐位用汉字）",
            severity="warning",
            where="期号",
        )
    if opts.expected_number is not None and doc.number != opts.expected_number:
        yield Finding(
            "number-sequence",
            f"期号是第{doc.number}期，但上一期之后应是第{opts.expected_number}期",
            f"改为{issue_number_text(opts.expected_number)}，或确认中间的期次确已发布",
            where="期号",
        )


def _numbering(numbers: list[int | None], where: str) -> Iterable[Finding]:
    expected = 1
    seen: set[int] = set()
    for index, number in enumerate(numbers, start=1):
        if number is None:
            continue
        if number in seen:
            yield Finding(
                "item-numbering",
                f"序号 {number} 重复出现",
                f"第{index}条应编号为 {index}",
                item=index,
                where=where,
            )
        elif number != expected:
            yield Finding(
                "item-numbering",
                f"序号从 {expected - 1} 跳到 {number}"
                if number > expected
                else f"序号 {number} 出现在第{index}条的位置",
                f"把这一条编号改为 {index}，其后依次顺延",
                item=index,
                where=where,
            )
        seen.add(number)
        expected = index + 1


def _rule_item_numbers(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    yield from _numbering([t.number for t in doc.toc], "目录")
    yield from _numbering([i.number for i in doc.items], "具体内容")
    for day in doc.days:
        yield from _numbering([i.number for i in day.items], day.heading)


def _rule_toc(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    if doc.kind == "daily":
        return
    toc, items = doc.toc, doc.items
    if not toc or not items:
        missing = "信息目录" if not toc else "具体内容"
        yield Finding("toc-mismatch", f"缺少“{missing}”部分", "目录与具体内容都要列出全部条目")
        return
    if len(toc) != len(items):
        yield Finding(
            "toc-mismatch",
            f"目录有 {len(toc)} 条，具体内容有 {len(items)} 条",
            "两部分应列出同样的条目",
        )
    content_titles = [normalize_title(i.title) for i in items]
    for index, (entry, item) in enumerate(zip(toc, items, strict=False), start=1):
        if title_similarity(entry.title, item.title) >= 0.9:
            if (
                entry.source
                and item.source
                and (normalize_source(entry.source) != normalize_source(item.source))
            ):
                yield Finding(
                    "toc-mismatch",
                    f"目录写来源“{entry.source}”，具体内容写“{item.source}”",
                    "两处来源写成一样",
                    item=index,
                    where="目录",
                )
            continue
        target = normalize_title(entry.title)
        moved = next(
            (
                n
                for n, t in enumerate(content_titles, 1)
                if t == target or (title_similarity(entry.title, items[n - 1].title) >= 0.9)
            ),
            None,
        )
        if moved is not None:
            message = (
                f"目录第{index}条《{_short(entry.title)}》在具体内容中是第{moved}条，"
                "两部分顺序不一致"
            )
            fix = "按具体内容的顺序重排目录（或反之），两部分须同序"
        else:
            message = (
                f"目录第{index}条《{_short(entry.title)}》与具体内容第{index}条"
                f"《{_short(item.title)}》标题不同"
            )
            fix = "统一两处标题"
        yield Finding("toc-mismatch", message, fix, item=index, where="目录")


def _period(doc: ReportDoc, opts: CheckOptions) -> tuple[date, date] | None:
    if doc.period:
        return doc.period
    m = _LEAD_DATES.search(doc.lead)
    if m:
        start, end = _cn_date(m.group(1)), _cn_date(m.group(2))
        if start and end:
            return start, end
    if opts.publication and doc.issue_date and doc.kind in ("weekly", "monthly"):
        return opts.publication.period(doc.issue_date)
    return None


def _cn_date(text: str) -> date | None:
    m = DATE_CN.fullmatch(text.strip())
    return make_date(*m.groups()) if m else None


def _item_date(item: ContentItem) -> date | None:
    return item.published or item.body_date


def _rule_period(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
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


def _all_items(doc: ReportDoc) -> list[tuple[str, int, ContentItem]]:
    if doc.days:
        return [(d.heading, n, i) for d in doc.days for n, i in enumerate(d.items, 1)]
    return [("具体内容", n, i) for n, i in enumerate(doc.items, 1)]


def _rule_duplicates(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    seen: list[tuple[str, int, ContentItem]] = []
    for where, index, item in _all_items(doc):
        for other_where, other_index, other in seen:
            same_url = bool(item.url) and item.url.rstrip("/") == other.url.rstrip("/")
            if same_url or title_similarity(item.title, other.title) >= opts.similarity:
                place = "" if other_where == where else f"{other_where} "
                yield Finding(
                    "duplicate",
                    f"与{place}第{other_index}条是同一篇（《{_short(other.title)}》）",
                    "删去重复的一条，保留最权威或最早的来源",
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
                    f"《{_short(item.title)}》已在{past.label}刊出",
                    "删去这一条，或确认确有新进展再保留",
                    severity="warning",
                    item=index,
                    where=where,
                )


def _rule_fields(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    for where, index, item in _all_items(doc):
        if not item.url:
            yield Finding("missing-field", "缺少链接", "补上原文链接", item=index, where=where)
        if doc.kind == "daily":
            continue
        if not item.source:
            yield Finding(
                "missing-field", "缺少来源", "补上来源（媒体或网站名称）", item=index, where=where
            )
        if item.published is None:
            hint = (
                f"补上“日期：{item.body_date.isoformat()}”（正文开头写的日期）"
                if item.body_date
                else "补上“日期：YYYY-MM-DD”"
            )
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


def _rule_links(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    if opts.link_checker is None:
        return
    for where, index, item in _all_items(doc):
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


def _rule_noise(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    phrases = NOISE_PHRASES + opts.extra_noise
    for where, index, item in _all_items(doc):
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
            for phrase in phrases:
                if phrase in text and len(text) < 80:
                    yield Finding(
                        "noise",
                        f"残留“{_short(text, 30)}”",
                        "删去这一行",
                        severity="warning",
                        item=index,
                        where=where,
                    )
                    break
            if n >= 2 and n <= 4 and _DATELINE.match(text):
                yield Finding(
                    "noise",
                    f"正文里残留原页面的日期来源行“{_short(text, 30)}”",
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


def _rule_sources(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
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
    for variants in spellings.values():
        if len(variants) > 1:
            listed = "”“".join(sorted(variants))
            yield Finding(
                "source-name",
                f"同一来源有多种写法：“{listed}”",
                "统一成一种写法（如去掉多余空格）",
                severity="warning",
            )


def _rule_lead(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    if doc.kind == "daily":
        return
    if not doc.lead:
        yield Finding("lead", "缺少本期导语", "由 jianbao 生成导语", where="导语")
        return
    count = _LEAD_COUNT.search(doc.lead.replace(" ", ""))
    if count and int(count.group(1)) != len(doc.items):
        yield Finding(
            "lead",
            f"导语说共收集 {count.group(1)} 篇，实际有 {len(doc.items)} 篇",
            f"改为“共收集{len(doc.items)}篇”",
            where="导语",
        )
    word = KIND_WORDS.get(doc.kind or "", "")
    for kind, other in KIND_WORDS.items():
        if kind != doc.kind and word and f"本期{other}" in doc.lead:
            yield Finding(
                "lead",
                f"{'月报' if doc.kind == 'monthly' else '周报'}的导语写成了“本期{other}”",
                f"改为“本期{word}”",
                where="导语",
            )
    if opts.publication and opts.publication.topic_phrase not in doc.lead:
        yield Finding(
            "lead",
            f"导语未用本刊的主题词“{opts.publication.topic_phrase}”",
            f"写作“{opts.publication.topic_phrase}相关信息”",
            severity="warning",
            where="导语",
        )
    m = _LEAD_DATES.search(doc.lead)
    if m:
        start, end = _cn_date(m.group(1)), _cn_date(m.group(2))
        if start and end and doc.period and (start, end) != doc.period:
            yield Finding(
                "lead",
                "导语的时间范围与本期不符",
                f"写作“时间从{format_date_cn(doc.period[0])}到{format_date_cn(doc.period[1])}”",
                where="导语",
            )
        elif start and end and opts.publication and doc.issue_date and doc.kind != "daily":
            rule_period = opts.publication.period(doc.issue_date, opts.calendar)
            if (start, end) != rule_period:
                yield Finding(
                    "lead",
                    "导语的时间范围与本刊的统计周期不符",
                    f"按本刊规则应为{format_date_cn(rule_period[0])}到"
                    f"{format_date_cn(rule_period[1])}",
                    severity="warning",
                    where="导语",
                )


def _rule_dates(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    for where, text in (("导语", doc.lead), ("出刊日期", doc.issue_date_text)):
        for bad in _BAD_DATE.finditer(text):
            yield Finding(
                "date-format",
                f"日期写错：“{bad.group(0)}”",
                "按“YYYY年M月D日”重写（由 jianbao 生成则不会出错）",
                where=where,
            )
        for written in DATE_CN.finditer(text):
            if make_date(*written.groups()) is None:
                yield Finding(
                    "date-format", f"不存在的日期：“{written.group(0)}”", "核对年月日", where=where
                )
            elif " " in written.group(0):
                day = make_date(*written.groups())
                assert day is not None
                yield Finding(
                    "date-format",
                    f"日期中有多余空格：“{written.group(0)}”",
                    f"写作“{format_date_cn(day)}”",
                    severity="warning",
                    where=where,
                )
    for where, index, item in _all_items(doc):
        if item.date_text and item.published and item.date_text != item.published.isoformat():
            yield Finding(
                "date-format",
                f"日期写作“{item.date_text}”",
                f"写作“日期：{item.published.isoformat()}”",
                severity="warning",
                item=index,
                where=where,
            )


def _rule_daily_headings(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    for day in doc.days:
        if day.day is None:
            yield Finding("daily-heading", "标题里的日期不存在", "核对年月日", where=day.heading)
            continue
        if day.weekday_text and day.weekday_text != weekday_cn(day.day):
            yield Finding(
                "daily-heading",
                f"{format_date_cn(day.day)}是{weekday_cn(day.day)}，不是{day.weekday_text}",
                f"改为（{weekday_cn(day.day)}）",
                where=day.heading,
            )
        note = day_note(day.day, opts.calendar)
        if note != day.note.strip():
            fix = f"写作“{note}”" if note else "删去这段说明"
            written = f"“{day.note}”" if day.note else "没有写"
            yield Finding(
                "daily-heading",
                f"当日说明{written}，日历上应为“{note or '（无）'}”",
                fix,
                severity="warning",
                where=day.heading,
            )


RULES: tuple[Callable[[ReportDoc, CheckOptions], Iterable[Finding]], ...] = (
    _rule_number,
    _rule_item_numbers,
    _rule_toc,
    _rule_period,
    _rule_duplicates,
    _rule_fields,
    _rule_links,
    _rule_noise,
    _rule_sources,
    _rule_lead,
    _rule_dates,
    _rule_daily_headings,
)


def check_doc(doc: ReportDoc, options: CheckOptions | None = None) -> list[Finding]:
    """Every finding of every rule, errors first, then by item."""
    opts = options or CheckOptions()
    findings = [f for rule in RULES for f in rule(doc, opts)]
    return sorted(findings, key=lambda f: (f.severity != "error", f.item or 0))


def check_view(view: IssueView, options: CheckOptions | None = None) -> list[Finding]:
    """Check an issue jianbao composed (before publishing)."""
    return check_doc(doc_from_view(view), options)


def check_file(path: Path, options: CheckOptions | None = None) -> list[Finding]:
    """Check a hand-made report (.docx, .md, .txt)."""
    return check_doc(parse_report_file(path), options)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def format_findings(findings: Sequence[Finding]) -> str:
    """Findings as lines for the terminal; a reassuring line when there are none."""
    if not findings:
        return "未发现问题。"
    errors = sum(1 for f in findings if f.severity == "error")
    lines = [str(f) for f in findings]
    lines.append(f"共 {len(findings)} 项：错误 {errors} 项，提示 {len(findings) - errors} 项。")
    return "\n".join(lines)
