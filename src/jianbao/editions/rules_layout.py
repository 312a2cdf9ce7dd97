"""Checker rules about the report's frame: the issue number, item numbering, 目录 against
具体内容, the 导语's figures, how dates are written, and daily headings."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date

from jianbao.editions.dates import format_date_cn, weekday_cn
from jianbao.editions.daynote import day_note, holiday_name, is_working_day
from jianbao.editions.findings import (
    CheckOptions,
    Finding,
    normalize_source,
    short,
    title_similarity,
)
from jianbao.editions.lead import KIND_WORDS
from jianbao.editions.numerals import issue_number_text
from jianbao.editions.report_doc import ContentItem, ReportDoc, TocEntry
from jianbao.editions.report_parse import DATE_CN, make_date
from jianbao.editions.rules_items import LEAD_DATES, all_items, cn_date
from jianbao.errors import InputError

_LEAD_COUNT = re.compile(r"共收集\s*(\d+)\s*篇")
_LEAD_TOPIC = re.compile(r"共收集\d+篇([^，,。篇]{2,30}?)相关信息")
_BAD_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*[年日号]\s*\d{1,2}\s*[日号年月]|\d{4}\s*月")


def rule_number(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
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
    """One finding per cause: a number typed wrong is one finding, and a skipped or
    repeated number that shifts every later one is one finding, not one per item."""
    written = [(index, n) for index, n in enumerate(numbers, start=1) if n is not None]
    seen: set[int] = set()
    for at, (index, number) in enumerate(written):
        if number == index:
            seen.add(number)
            continue
        rest = written[at:]
        shift = number - index
        if all(n - i == shift for i, n in rest):
            yield _shift_finding(index, number, shift, len(numbers), seen, where)
            return
        what = f"序号 {number} 重复出现" if number in seen else f"第{index}条编号为 {number}"
        yield Finding(
            "item-numbering",
            what,
            f"把这一条的编号 {number} 改为 {index}",
            item=index,
            where=where,
        )
        seen.add(number)


def _shift_finding(
    index: int, number: int, shift: int, last: int, seen: set[int], where: str
) -> Finding:
    """From item ``index`` on every number is off by ``shift``: one skipped or repeated
    number, fixed by renumbering that item and the ones after it."""
    if shift > 0:
        message = f"序号从 {index - 1} 跳到 {number}" if index > 1 else f"序号从 {number} 开始"
    elif number in seen:
        message = f"序号 {number} 重复出现"
    else:
        message = f"第{index}条编号为 {number}"
    fix = (
        f"把这一条编号改为 {index}"
        if index == last
        else f"把这一条编号改为 {index}，其后依次顺延（到 {last}）"
    )
    return Finding("item-numbering", message, fix, item=index, where=where)


def rule_item_numbers(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    yield from _numbering([t.number for t in doc.toc], "目录")
    yield from _numbering([i.number for i in doc.items], "具体内容")
    for day in doc.days:
        yield from _numbering([i.number for i in day.items], day.heading)


def rule_toc(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    """目录 against 具体内容, one finding per cause: an entry out of place (the fewest
    moves that restore the order), a title written two ways, an entry on one side only."""
    if doc.kind == "daily":
        return
    toc, items = doc.toc, doc.items
    if not toc or not items:
        missing = "信息目录" if not toc else "具体内容"
        yield Finding("toc-mismatch", f"缺少“{missing}”部分", "目录与具体内容都要列出全部条目")
        return
    match = _match_toc(toc, items)
    for k, m in enumerate(match, start=1):
        entry = toc[k - 1]
        if m is None:
            continue
        item = items[m - 1]
        if (
            entry.source
            and item.source
            and normalize_source(entry.source) != normalize_source(item.source)
        ):
            yield Finding(
                "toc-mismatch",
                f"目录写来源“{entry.source}”，具体内容写“{item.source}”",
                "两处来源写成一样",
                item=k,
                where="目录",
            )
    in_order = _longest_increasing([m for m in match if m is not None])
    for k, m in enumerate(match, start=1):
        if m is not None and m not in in_order:
            yield Finding(
                "toc-mismatch",
                f"目录第{k}条《{short(toc[k - 1].title)}》在具体内容中是第{m}条，两部分顺序不一致",
                f"把这一条移到目录第{m}条的位置（或把具体内容第{m}条移到第{k}条），两部分须同序",
                item=k,
                where="目录",
            )
    yield from _unmatched(toc, items, match)


def _match_toc(toc: list[TocEntry], items: list[ContentItem]) -> list[int | None]:
    """For each 目录 entry, the 具体内容 item (1-based) with the same title, each item
    taken once: the item at the same place first, else the first unclaimed one."""
    taken: set[int] = set()
    result: list[int | None] = []
    for k, entry in enumerate(toc, start=1):
        same = [
            n
            for n, item in enumerate(items, start=1)
            if n not in taken and title_similarity(entry.title, item.title) >= 0.9
        ]
        chosen = k if k in same else (same[0] if same else None)
        if chosen is not None:
            taken.add(chosen)
        result.append(chosen)
    return result


def _longest_increasing(values: list[int]) -> set[int]:
    """The values of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # index into values of the smallest tail of each length
    before: list[int | None] = [None] * len(values)
    for i, value in enumerate(values):
        lo = bisect_left([values[t] for t in tails], value)
        before[i] = tails[lo - 1] if lo > 0 else None
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    kept: set[int] = set()
    at = tails[-1] if tails else None
    while at is not None:
        kept.add(values[at])
        at = before[at]
    return kept


def _unmatched(
    toc: list[TocEntry], items: list[ContentItem], match: list[int | None]
) -> Iterable[Finding]:
    """Entries on one side only: paired by place as one title written two ways, else
    an entry missing from the other side (with the two counts)."""
    matched = {m for m in match if m is not None}
    lone_items = [n for n in range(1, len(items) + 1) if n not in matched]
    counts = f"目录有 {len(toc)} 条，具体内容有 {len(items)} 条：" if len(toc) != len(items) else ""
    for k, m in enumerate(match, start=1):
        if m is not None:
            continue
        entry = toc[k - 1]
        if k in lone_items:
            lone_items.remove(k)
            yield Finding(
                "toc-mismatch",
                f"目录第{k}条《{short(entry.title)}》与具体内容第{k}条"
                f"《{short(items[k - 1].title)}》标题不同",
                "统一两处标题",
                item=k,
                where="目录",
            )
        else:
            yield Finding(
                "toc-mismatch",
                f"{counts}目录第{k}条《{short(entry.title)}》不在具体内容中",
                "在具体内容中补上这一条，或从目录删去",
                item=k,
                where="目录",
            )
    for n in lone_items:
        yield Finding(
            "toc-mismatch",
            f"{counts}具体内容第{n}条《{short(items[n - 1].title)}》不在目录中",
            "在目录中补上这一条（与具体内容同序），或删去这一条",
            item=n,
            where="具体内容",
        )


def rule_lead(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
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
    if opts.publication:
        yield from _topic(doc.lead, opts.publication.topic_phrase)
    m = LEAD_DATES.search(doc.lead)
    if m:
        start, end = cn_date(m.group(1)), cn_date(m.group(2))
        if start and end and not doc.period and not opts.publication:
            yield from _period_shape(doc, start, end)
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


def _topic(lead: str, phrase: str) -> Iterable[Finding]:
    """The 导语's topic phrase against the publication's: a different phrase where the
    house form has one (共收集3篇…相关信息) is an error with the exact replacement."""
    if phrase in lead:
        return
    written = _LEAD_TOPIC.search(lead.replace(" ", ""))
    if written:
        yield Finding(
            "lead",
            f"导语写“{written.group(1)}相关信息”，本刊的主题词是“{phrase}”",
            f"把“{written.group(1)}相关信息”改为“{phrase}相关信息”",
            where="导语",
        )
        return
    yield Finding(
        "lead",
        f"导语未用本刊的主题词“{phrase}”",
        f"写作“{phrase}相关信息”",
        severity="warning",
        where="导语",
    )


def _period_shape(doc: ReportDoc, start: date, end: date) -> Iterable[Finding]:
    """A hand-made report of no known publication: its 导语's period judged by its kind
    (a week of five to seven days up to the issue date; one whole calendar month)."""
    span = (start, end)
    shown = f"{format_date_cn(start)}到{format_date_cn(end)}"
    if end < start:
        yield Finding("lead", f"导语的时间范围倒置：{shown}", "起止日期对调", where="导语")
        return
    days = (end - start).days + 1
    if doc.kind == "weekly" and not 5 <= days <= 7:
        yield Finding(
            "lead",
            f"周报的时间范围是 {days} 天（{shown}）",
            "周报覆盖一周：周一到周五，或截至出刊日的七天",
            severity="warning",
            where="导语",
        )
    elif doc.kind == "weekly" and doc.issue_date and not 0 <= (doc.issue_date - end).days <= 7:
        yield Finding(
            "lead",
            f"周报的时间范围（{shown}）不是出刊日{format_date_cn(doc.issue_date)}的这一周",
            "核对导语的起止日期与出刊日期",
            severity="warning",
            where="导语",
        )
    if doc.kind == "monthly":
        last = calendar.monthrange(start.year, start.month)[1]
        month = (start.replace(day=1), start.replace(day=last))
        if span != month:
            yield Finding(
                "lead",
                f"月报的时间范围（{shown}）不是一个完整的自然月",
                f"写作“时间从{format_date_cn(month[0])}到{format_date_cn(month[1])}”",
                severity="warning",
                where="导语",
            )
        elif doc.issue_date and (doc.issue_date.year * 12 + doc.issue_date.month) - (
            start.year * 12 + start.month
        ) not in (0, 1):
            yield Finding(
                "lead",
                f"月报写的是{start.year}年{start.month}月，出刊日期是"
                f"{format_date_cn(doc.issue_date)}",
                "核对导语的月份与出刊日期",
                severity="warning",
                where="导语",
            )


def rule_dates(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
    for where, text in (("导语", doc.lead), ("出刊日期", doc.issue_date_text)):
        for bad in _BAD_DATE.finditer(text):
            yield Finding(
                "date-format",
                f"日期写错：“{bad.group(0)}”",
                _date_fix(bad.group(0)),
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
    for where, index, item in all_items(doc):
        if item.date_in_source and item.published:
            yield Finding(
                "date-format",
                f"日期“{item.date_text}”写在来源之后",
                f"来源行只留名称，另起一行写“日期：{item.published.isoformat()}”",
                severity="warning",
                item=index,
                where=where,
            )
        elif item.date_text and item.published and item.date_text != item.published.isoformat():
            yield Finding(
                "date-format",
                f"日期写作“{item.date_text}”",
                f"写作“日期：{item.published.isoformat()}”",
                severity="warning",
                item=index,
                where=where,
            )


def _date_fix(written: str) -> str:
    """The date a typo most likely meant (2018 年 4 年 23 日 → 2018年4月23日), when its
    three numbers make one; else the form to write."""
    numbers = re.findall(r"\d+", written)
    if len(numbers) == 3:
        meant = make_date(*numbers)
        if meant is not None:
            return f"改为“{format_date_cn(meant)}”"
    return "按“YYYY年M月D日”重写（由 jianbao 生成则不会出错）"


def rule_daily_headings(doc: ReportDoc, opts: CheckOptions) -> Iterable[Finding]:
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
        try:
            working = is_working_day(day.day, opts.calendar)
        except InputError:
            yield from _beyond_calendar(day.day, day.note, day.heading, opts)
            continue
        if not working:
            name = holiday_name(day.day, opts.calendar)
            what = f"{name}假期" if name else weekday_cn(day.day)
            yield Finding(
                "daily-day-off",
                f"{format_date_cn(day.day)}是{what}，不是工作日，每日播报只在工作日出",
                "核对日期；确需在休息日出刊时可忽略此提示",
                severity="warning",
                where=day.heading,
            )
        yield from _note_finding(day.day, day.note.strip(), day.heading, opts)


def _note_finding(d: date, written: str, where: str, opts: CheckOptions) -> Iterable[Finding]:
    note = day_note(d, opts.calendar)
    if note != written:
        fix = f"写作“{note}”" if note else "删去这段说明"
        shown = f"“{written}”" if written else "没有写"
        yield Finding(
            "daily-heading",
            f"当日说明{shown}，日历上应为“{note or '（无）'}”",
            fix,
            severity="warning",
            where=where,
        )


def _beyond_calendar(d: date, written: str, where: str, opts: CheckOptions) -> Iterable[Finding]:
    """A day of a year the holiday data does not cover: say the data is missing, check
    what can be checked (solar terms, 伏), and never call a holiday note wrong."""
    computed = {part for part in day_note(d, opts.calendar).split("，") if part}
    parts = [part for part in written.split("，") if part]
    unverifiable = [p for p in parts if p not in computed and _is_calendar_phrase(p)]
    about = f"及当日说明“{'，'.join(unverifiable)}”" if unverifiable else ""
    yield Finding(
        "calendar-missing",
        f"{d.year} 年的节假日安排不在日历数据中，无法核对{format_date_cn(d)}是否工作日{about}",
        f"在节假日补充文件（calendar_file）中写入 {d.year} 年的放假与调休安排后再检查",
        severity="warning",
        where=where,
    )
    rest = "，".join(p for p in parts if p not in unverifiable)
    yield from _note_finding(d, rest, where, opts)


def _is_calendar_phrase(text: str) -> bool:
    """A note only the holiday data can confirm: 元旦假期, 调休上班."""
    return text.endswith("假期") or text == "调休上班"
