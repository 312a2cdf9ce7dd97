"""Reading hand-made reports (.docx, .md, .txt) into a ReportDoc for the checker.

Hand-made reports come through Word, PDF converters and chat clients, so the reader is
forgiving: Markdown marks and stray line breaks are dropped or joined, half-width
punctuation is accepted where the house style wants full-width, a title broken over two
lines is rejoined, and a source written on the line after its 目录 entry is attached to
it. What it cannot forgive is recorded as written, for the checker to quote.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from jianbao.editions.docx_package import check_docx_package
from jianbao.editions.numerals import parse_chinese_digits
from jianbao.editions.report_doc import ContentItem, DailyDoc, ReportDoc, TocEntry
from jianbao.errors import InputError

FIELD_LABELS = ("来源", "媒体", "出处", "链接", "网址", "日期", "时间", "发布时间", "发布日期")
SOURCE_LABELS = ("来源", "媒体", "出处")
LINK_LABELS = ("链接", "网址")
DATE_LABELS = ("日期", "时间", "发布时间", "发布日期")

_COLON = r"\s*[:：]\s*"
_FIELD = re.compile(rf"^({'|'.join(sorted(FIELD_LABELS, key=len, reverse=True))}){_COLON}(.*)$")
_ITEM = re.compile(r"^(\d{1,3})\s*[.、．]\s*(标题\s*[:：]\s*)?(.*)$")
# The patterns below are linear in the line: none starts with a run of white space (a
# search tried that run again from each of its characters: quadratic on long spaces),
# none can run past the start of the next candidate ("[[[…", "<a<a…"), and adjacent
# runs that could trade characters are possessive (``*+``).
_TOC_SOURCE = re.compile(r"^(.*?)[（(]([^（）()]{1,40})[)）]\s*+$")
_ONLY_SOURCE = re.compile(r"^[（(]([^（）()]{1,40})[)）]$")
_NUMBER = re.compile(r"第\s*+([〇○零一二三四五六七八九0-9]+)\s*+期")
DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_URL = re.compile(r"https?://[^\s<>()（）\"']+")
_DAILY = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[（(](周.|星期.)[)）]\s*(.*)$"
)
_MD_REF_DEF = re.compile(r"^\s*\[([^\]]+)\]:\s*<?(\S+?)>?\s*$")
_MD_LINK = re.compile(r"!?\[((?:\\.|[^\[\]\\])*+)\]\((<[^<>]*>|[^)\s\[]*+)[^)\[]*+\)")
_MD_REF_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*+)\]\[([^\[\]]+)\]")
_MD_AUTOLINK = re.compile(r"<(https?://[^<>]+)>")
_HTML_TAG = re.compile(r"(?<!\\)</?[a-zA-Z][^<>]*(?<!\\)>")
_MD_ANCHOR = re.compile(r"\{#[^{}]*\}\s*+$")
_URL_MARK = re.compile(r"<(https?://[^<>]*)>")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: a bullet typed or pasted before a list line (Markdown's "- " is dropped earlier)
_BULLET = re.compile(r"^[•●▪◦·■□◆◇►▶‣⁃-]\s*")
_RULE = re.compile(r"^(-{3,}|\*(\s*\*){2,}|_{3,})$")


def make_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_date(text: str) -> tuple[date | None, str]:
    """The first date written in ``text`` (either form) and the text as written."""
    for pattern in (DATE_ISO, DATE_CN):
        m = pattern.search(text)
        if m:
            return make_date(*m.groups()), m.group(0)
    return None, ""


# -- reading files into lines --------------------------------------------------------------


def read_lines(path: Path) -> list[str]:
    """The document's text as lines, whatever the file type."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError("找不到要检查的文件", item=str(path), hint="检查文件路径")
    if suffix == ".docx":
        from docx import Document

        check_docx_package(path)  # before python-docx inflates every part into memory
        try:
            document = Document(str(path))
        except Exception as exc:  # python-docx raises several kinds for a bad package
            raise InputError(
                f"无法打开 Word 文件：{exc}",
                item=str(path),
                hint="确认是 .docx（不是 .doc 或 WPS 格式）；旧格式请先另存为 .docx",
            ) from exc
        if document.element.body is None:
            raise InputError(
                "Word 文件没有正文（document.xml 中缺少 w:body）",
                item=str(path),
                hint="用 Word 或 WPS 打开后另存为新的 .docx 再检查",
            )
        return docx_lines(document)
    if suffix in (".md", ".markdown", ".txt", ".text"):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError("文件编码无法识别", item=str(path), hint="另存为 UTF-8 文本")
        return markdown_lines(text) if suffix in (".md", ".markdown") else text.splitlines()
    raise InputError(
        f"不支持检查 {suffix or '无扩展名'} 文件",
        item=str(path),
        hint="可检查 .docx、.md、.txt；PDF 请先另存为 Word 或文本",
    )


def _num_id(paragraph: Any) -> tuple[str, str] | None:
    """(numId, ilvl) when Word numbers the paragraph automatically (its own or its
    style's numbering), else None."""
    for owner in (paragraph._p, getattr(paragraph.style, "element", None)):
        if owner is None:
            continue
        num = owner.find(f"{_W}pPr/{_W}numPr")
        if num is not None:
            num_id = num.find(f"{_W}numId")
            level = num.find(f"{_W}ilvl")
            if num_id is not None and num_id.get(f"{_W}val") != "0":
                return num_id.get(f"{_W}val", ""), (
                    level.get(f"{_W}val", "0") if level is not None else "0"
                )
    return None


class _WordNumbering:
    """How Word numbers its lists: each level's start value and format (``w:start``,
    ``w:numFmt`` of the abstract list, ``w:startOverride`` of a list instance).

    Lists that share an abstract definition continue one count, as Word shows them,
    unless an instance restarts a level with ``startOverride``.
    """

    def __init__(self, document: Any) -> None:
        self.abstract_of: dict[str, str] = {}
        self.overrides: dict[tuple[str, str], int] = {}
        self.levels: dict[tuple[str, str], tuple[int, str]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: every list counts from 1
        for abstract in root.findall(f"{_W}abstractNum"):
            key = abstract.get(f"{_W}abstractNumId", "")
            for lvl in abstract.findall(f"{_W}lvl"):
                self.levels[(key, lvl.get(f"{_W}ilvl", "0"))] = _level_of(lvl)
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            abstract_id = num.find(f"{_W}abstractNumId")
            if abstract_id is not None:
                self.abstract_of[num_id] = abstract_id.get(f"{_W}val", "")
            for override in num.findall(f"{_W}lvlOverride"):
                level = override.get(f"{_W}ilvl", "0")
                start = override.find(f"{_W}startOverride")
                inner = override.find(f"{_W}lvl")
                if start is not None:
                    self.overrides[(num_id, level)] = _int(start.get(f"{_W}val"), 1)
                elif inner is not None and inner.find(f"{_W}start") is not None:
                    self.overrides[(num_id, level)] = _level_of(inner)[0]

    def list_key(self, num_id: str, level: str) -> str:
        """The count a paragraph belongs to: its list instance when that restarts the
        level, else the abstract list every instance of it continues."""
        if (num_id, level) in self.overrides or num_id not in self.abstract_of:
            return f"num:{num_id}"
        return f"abstract:{self.abstract_of[num_id]}"

    def start(self, num_id: str, level: str) -> int:
        if (num_id, level) in self.overrides:
            return self.overrides[(num_id, level)]
        return self.levels.get((self.abstract_of.get(num_id, ""), level), (1, "decimal"))[0]

    def is_bullet(self, num_id: str, level: str) -> bool:
        fmt = self.levels.get((self.abstract_of.get(num_id, ""), level), (1, "decimal"))[1]
        return fmt in ("bullet", "none")


def _level_of(lvl: Any) -> tuple[int, str]:
    start = lvl.find(f"{_W}start")
    fmt = lvl.find(f"{_W}numFmt")
    return (
        _int(start.get(f"{_W}val") if start is not None else None, 1),
        fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def docx_lines(document: Any) -> list[str]:
    """The paragraphs' text, with Word's automatic numbers written out (``1. ``).

    Hand-made reports often number their 目录 and items with Word lists, whose numbers
    are not in the text; they are counted here the way Word shows them, from each
    level's start value (a list may start at 2 or 3). Bulleted paragraphs get no number.
    """
    numbering = _WordNumbering(document)
    counters: dict[tuple[str, str], int] = {}
    lines = []
    for paragraph in document.paragraphs:
        text = _docx_line(paragraph)
        found = _num_id(paragraph) if text.strip() else None
        if found is not None:
            num_id, level = found
            key = (numbering.list_key(num_id, level), level)
            if key in counters:
                counters[key] += 1
            else:
                counters[key] = numbering.start(num_id, level)
            for other in [k for k in counters if k[0] == key[0] and k[1] > key[1]]:
                del counters[other]  # a deeper level restarts under a new parent
            if not numbering.is_bullet(num_id, level) and not _ITEM.match(text.strip()):
                text = f"{counters[key]}. {text}"
        lines.append(text)
    return lines


def _docx_line(paragraph: Any) -> str:
    """A paragraph's text with each external link written ``text <url>``."""
    parts = []
    for piece in paragraph.iter_inner_content():
        address = getattr(piece, "address", "")
        text = piece.text
        parts.append(f"{text} <{address}>" if address and address != text else text)
    return "".join(parts)


def _marked(text: str, url: str) -> str:
    """Link text with its URL kept behind private marks (dropped unless http)."""
    return f"{text}\x01{url}\x02" if url.startswith(("http://", "https://")) else text


def markdown_lines(text: str) -> list[str]:
    """Markdown to plain lines: marks dropped, links kept as ``title <url>``."""
    refs: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        m = _MD_REF_DEF.match(line)
        if m and m.group(2).startswith("http"):
            refs[m.group(1)] = m.group(2)
        else:
            body.append(line)
    out = []
    for line in body:
        line = _MD_REF_LINK.sub(lambda m: _marked(m.group(1), refs.get(m.group(2), "")), line)
        line = _MD_LINK.sub(lambda m: _marked(m.group(1), m.group(2).strip("<>")), line)
        line = _MD_AUTOLINK.sub(r"\1", line)
        line = _HTML_TAG.sub("", line)
        anchor = _MD_ANCHOR.search(line)
        if anchor:
            line = line[: anchor.start()].rstrip()
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)
        line = re.sub(r"^\s*(?:[-+]|\*(?!\*))\s+", "", line)
        line = line.replace("**", "").replace("__", "")
        line = re.sub(r"\\([\\`*_\[\]<>#|.()!-])", r"\1", line)
        out.append(line.replace("\x01", " <").replace("\x02", ">"))
    return out


def clean_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of the non-empty, non-rule lines, white space trimmed."""
    result = []
    for index, line in enumerate(lines, start=1):
        text = line.replace("\u3000", " ").replace("\xa0", " ").strip()
        if text and not _RULE.match(text):
            result.append((index, text))
    return result


def _urls_out(text: str) -> tuple[str, str]:
    """(text without ``<url>`` marks, the first URL) of a Markdown-derived line."""
    url = ""
    m = _URL_MARK.search(text)
    if m:
        url = m.group(1)
    elif (m2 := _URL.search(text)) is not None:
        url = m2.group(0)
    if m:
        text = "".join(part.strip() for part in re.split(r"<[^<>]*>", text))
    return text.strip(), url


# -- the report layout ----------------------------------------------------------------------


def _section(text: str) -> str | None:
    t = re.sub(r"\s", "", text).rstrip(":：")
    if t.startswith("本期导语"):
        return "lead"
    if re.match(r"^[一1][、.．]?信息目录$", t) or t == "信息目录":
        return "toc"
    if re.match(r"^[二2][、.．]?具体内容$", t) or t == "具体内容":
        return "content"
    return None


def _is_item_start(lines: list[tuple[int, str]], at: int) -> bool:
    """A numbered line followed soon by a field line (来源/链接…) starts an item."""
    m = _ITEM.match(lines[at][1])
    if not m:
        return False
    if m.group(2):
        return True
    for _, follow in lines[at + 1 : at + 4]:
        if _FIELD.match(follow):
            return True
        if follow.startswith("主要内容") or _ITEM.match(follow):
            return False  # a numbered paragraph of the body, not an item
    return False


def parse_report(lines: list[str], origin: str = "") -> ReportDoc:
    """A weekly/monthly report, or daily broadcasts, from its lines."""
    rows = clean_lines(lines)
    if any(_DAILY.match(text) for _, text in rows) and not any(_section(text) for _, text in rows):
        return parse_daily(rows, origin)
    doc = ReportDoc(origin=origin)
    section = "header"
    item: ContentItem | None = None
    phase = "head"
    for pos, (line_no, text) in enumerate(rows):
        found = _section(text)
        if found:
            section, item = found, None
            if found == "lead":
                rest = re.split(r"[:：]", text, maxsplit=1)
                if len(rest) == 2 and rest[1].strip():
                    doc.lead = rest[1].strip()
            continue
        if section == "header":
            _header_line(doc, text)
        elif section == "lead":
            doc.lead = (doc.lead + text) if doc.lead else text
        elif section == "toc":
            _toc_line(doc, text, line_no)
        elif section == "content":
            if _is_item_start(rows, pos):
                m = _ITEM.match(text)
                assert m is not None
                item = ContentItem(
                    number=int(m.group(1)),
                    title=m.group(3).strip(),
                    unlabelled_title=not m.group(2),
                    line=line_no,
                )
                doc.items.append(item)
                phase = "head"
            elif item is not None:
                phase = _content_line(item, text, phase)
    doc.kind = _kind_of(doc)
    return doc


def _header_line(doc: ReportDoc, text: str) -> None:
    m = _NUMBER.search(text)
    if m and doc.number_text == "" and len(text) < 20:
        doc.number_text = text
        doc.number = parse_chinese_digits(m.group(1))
        return
    if not doc.title:
        doc.title = text
        return
    day, written = find_date(text)
    if written and not doc.issue_date_text and len(text) <= 20:
        doc.issue_date, doc.issue_date_text = day, text
        return
    if not doc.publisher:
        doc.publisher = text


def _toc_line(doc: ReportDoc, text: str, line_no: int) -> None:
    """One 目录 line: a numbered entry, a bulleted (unnumbered) entry, a source written
    on its own line, or the rest of a title broken over two lines."""
    text = _BULLET.sub("", text)
    only = _ONLY_SOURCE.match(text)
    if only:  # a source on its own line, or a note such as （按时间排序）: never an entry
        if doc.toc and not doc.toc[-1].source:
            doc.toc[-1].source = only.group(1).strip()
        return
    m = _ITEM.match(text)
    if m:
        number: int | None = int(m.group(1))
        body = m.group(3).strip()
    elif not doc.toc or doc.toc[-1].number is None:
        number, body = None, text  # a bulleted 目录: every line is an entry
    else:
        if not doc.toc[-1].source:  # a title broken over two lines
            cont = _TOC_SOURCE.match(text)
            if cont:
                doc.toc[-1].title += cont.group(1).rstrip()
                doc.toc[-1].source = cont.group(2).strip()
            else:
                doc.toc[-1].title += text
        return
    body, _ = _urls_out(body)
    src = _TOC_SOURCE.match(body)
    title, source = (src.group(1).strip(), src.group(2).strip()) if src else (body, "")
    doc.toc.append(TocEntry(number=number, title=title, source=source, line=line_no))


def _content_line(item: ContentItem, text: str, phase: str) -> str:
    if phase == "body":
        item.paragraphs.append(text)
        if item.body_date is None and len(item.paragraphs) <= 3:
            day, _ = find_date(text)
            if day and len(text) < 40:
                item.body_date = day
        return phase
    if re.match(r"^主要内容\s*[:：]?", text):
        rest = re.sub(r"^主要内容\s*[:：]?\s*", "", text)
        if rest:
            item.paragraphs.append(rest)
        return "body"
    field = _FIELD.match(text)
    if field:
        label, value = field.group(1), field.group(2).strip()
        if label in SOURCE_LABELS:
            item.source_label = label
            day, written = find_date(value)
            if written:  # 媒体：社会保障卡 2018-4-23
                item.published, item.date_text = day, written
                item.date_in_source = True
                value = value.replace(written, "").strip()
            item.source = value
        elif label in LINK_LABELS:
            _, url = _urls_out(value)
            item.url = url or value
        else:
            item.published, written = find_date(value)
            item.date_text = written or value
        return "fields"
    if phase == "fields" and not item.url and _URL.search(text):
        item.url = _urls_out(text)[1]  # 链接： with the URL on the next line
        return phase
    if phase == "head":
        item.title += text  # a title broken over two lines
    return phase


def _kind_of(doc: ReportDoc) -> str | None:
    if "月报" in doc.title:
        return "monthly"
    if "周报" in doc.title:
        return "weekly"
    if "本期月报" in doc.lead:
        return "monthly"
    if "本期周报" in doc.lead:
        return "weekly"
    return None


# -- daily broadcasts ------------------------------------------------------------------------


_CATEGORY = re.compile(r"^【([^】]{1,20})】$")
_SENTENCE_PUNCT = re.compile(r"[。，；！？!?,;：:]")


def _is_category(text: str, following: str) -> bool:
    """A category heading of a grouped broadcast: 【国家政策】, or a short phrase without
    sentence punctuation standing right above a numbered item (Markdown bold, Word
    heading)."""
    if _CATEGORY.match(text):
        return True
    return (
        len(text) <= 15
        and not _SENTENCE_PUNCT.search(text)
        and not _ITEM.match(text)
        and not _URL.search(text)
        and bool(_ITEM.match(following))
    )


def parse_daily(rows: list[tuple[int, str]], origin: str = "") -> ReportDoc:
    """One or more days of 每日学习播报 (the blog keeps a week, newest first)."""
    doc = ReportDoc(kind="daily", origin=origin)
    day: DailyDoc | None = None
    category: str | None = None
    for pos, (line_no, text) in enumerate(rows):
        m = _DAILY.match(text)
        if m:
            y, mo, d, weekday, note = m.groups()
            day = DailyDoc(
                heading=text,
                day=make_date(y, mo, d),
                weekday_text=weekday.replace("星期", "周"),
                note=note.strip(),
                line=line_no,
            )
            doc.days.append(day)
            category = None
            continue
        if day is None:
            continue
        following = rows[pos + 1][1] if pos + 1 < len(rows) else ""
        if _is_category(text, following):
            category = text.strip("【】[] ")
            continue
        item = _ITEM.match(text)
        if item:
            rest = item.group(3)
            link = _URL_MARK.search(rest)
            title, url, summary = rest, "", ""
            if link:
                title, url, summary = rest[: link.start()], link.group(1), rest[link.end() :]
                summary = summary.lstrip("。 ")
            day.items.append(
                ContentItem(
                    number=int(item.group(1)),
                    title=title.strip(),
                    url=url,
                    summary=summary.strip(),
                    category=category,
                    line=line_no,
                )
            )
        elif day.items and _URL.fullmatch(text):
            day.items[-1].url = text
        elif day.items:
            last = day.items[-1]
            last.summary = (last.summary + text) if last.summary else text
    if doc.days:
        doc.issue_date = doc.days[0].day
        doc.title = "每日播报"
    return doc


def parse_report_file(path: Path) -> ReportDoc:
    return parse_report(read_lines(path), origin=str(path))
