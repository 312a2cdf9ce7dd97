"""The 来源/作者/编辑/发布时间 lines Chinese news pages print around the body.

A byline line names fields with labels (来源：国家卫生健康委  作者：张三  发布时间：…); one
line often carries several. ``read_byline`` splits such a line into fields, and
``is_byline`` says whether a paragraph is nothing but such fields, so the body can drop it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jianbao.extract.dates import parse_date
from jianbao.extract.patterns import (
    AUTHOR_LABELS,
    CLOSING_CREDIT,
    COUNTER_LABELS,
    EDITOR_LABELS,
    NOT_A_NAME,
    REPORTER_CREDIT,
    SOURCE_LABELS,
    TIME_LABELS,
)

_FIELD_OF_LABEL: dict[str, str] = {}
for _field, _labels in (
    ("counter", COUNTER_LABELS),
    ("time", TIME_LABELS),
    ("editor", EDITOR_LABELS),
    ("author", AUTHOR_LABELS),
    ("source", SOURCE_LABELS),
):
    for _label in _labels:
        _FIELD_OF_LABEL.setdefault(_label.replace(" ", "").rstrip("：/"), _field)

_LABEL_ALT = "|".join(
    re.escape(label).replace(r"\ ", r"\s*")
    for label in sorted(_FIELD_OF_LABEL, key=len, reverse=True)
)
# A label followed by a colon. Usually a space or a separator precedes it, but pages that
# print fields in adjacent <span>s run them together (来源：云州日报作者：…发布时间：…), so a
# label may follow any character; the longest label wins where labels overlap.
_LABEL = re.compile(r"(?P<label>" + _LABEL_ALT + r")\s*[:：]\s*")
# "新华社北京10月16日电" / "本报讯" datelines: kept in the body (editors keep them), but they
# name the source when nothing else does.
_DATELINE = re.compile(r"^(?:[（(【\[]?)(?P<src>新华社|中新社|中新网|人民网|央视网|本报)")

_SPACE = re.compile(r"[\s\u3000\xa0]+")
#: what trails a field value (a regex ``[…]+$`` here was searched again from every one
#: of a long run such as "（ （ （ …": quadratic, 7 s for 40,000 characters)
_TRAILING = "|｜丨/【】[]（）(),，;；"
_LEADING = re.compile(r"^[\s|｜丨/【】\[\]（）(),，;；]+")
# Words that end a field value (a name is short: what follows is other page furniture).
_VALUE_STOP = re.compile(
    r"\s{2,}|\u3000|[|｜丨／]|【|\[|(?:浏览|点击|阅读|字号|分享|打印|关闭|评论|收藏|参与|互动|我要)"
    r"|/[\u4e00-\u9fff]{1,6}(?:报道|報導|报导|電|电)"
    # an unlabelled reporter credit after the outlet: 来源：青禾网 青禾网记者 马骁
    r"|\s+(?=\S{0,8}(?:记者|通讯员|特约撰稿))"
)


@dataclass(slots=True)
class Byline:
    """Fields read from one or more byline lines."""

    source: str | None = None
    author: str | None = None
    editor: str | None = None
    published_text: str | None = None

    def merge(self, other: Byline) -> None:
        """Fill fields still empty from ``other`` (the first line that names a field wins)."""
        self.source = self.source or other.source
        self.author = self.author or other.author
        self.editor = self.editor or other.editor
        self.published_text = self.published_text or other.published_text

    @property
    def empty(self) -> bool:
        return not (self.source or self.author or self.editor or self.published_text)


def read_byline(line: str) -> Byline:
    """The labelled fields found in one line of text."""
    found = Byline()
    matches = list(_LABEL.finditer(line))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        raw = line[match.end() : end]
        field_name = _FIELD_OF_LABEL[match["label"].replace(" ", "").replace("\u3000", "")]
        if field_name == "time":
            if found.published_text is None and parse_date(raw) is not None:
                found.published_text = raw.strip()
            continue
        value = _clean_value(raw)
        if not value:
            continue
        if field_name == "source" and found.source is None:
            found.source = value
        elif field_name == "author" and found.author is None:
            found.author = value
        elif field_name == "editor" and found.editor is None:
            found.editor = value
    return found


def _rstrip_trailing(text: str) -> str:
    """``text`` without the white space and separators it ends with, in one pass."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return text[:end]


def _clean_value(raw: str) -> str:
    stop = _VALUE_STOP.search(raw.strip())
    text = raw.strip()
    if stop:
        text = text[: stop.start()]
    text = _rstrip_trailing(_LEADING.sub("", text))
    # A value that holds a date is a date, not a name: 来源：2023-10-16 is page furniture.
    # from the first date to the end (a line break no longer makes each later date
    # start over: "2020-" repeated before one was quadratic)
    text = re.sub(r"(?s)(?:19|20)\d{2}[-/.年].*", "", text, count=1).strip()
    text = _SPACE.sub(" ", text)
    # markup leaked into text (size="20") is not a name
    if len(text) > 40 or re.search(r"[=<>\"{}]", text):
        return ""
    return text


def is_byline(line: str) -> bool:
    """True when a paragraph is nothing but labelled fields (and counters, dates, brackets).

    Such a line is page furniture: its fields go to the article, the line leaves the body.
    A sentence that merely mentions 来源 (据…来源：) is longer and keeps its text.
    """
    matches = list(_LABEL.finditer(line))
    if not matches:
        return False
    if len(line) > 160:
        return False
    before = line[: matches[0].start()]
    leftover = _SPACE.sub("", before)
    # Text before the first label may only be a date, a site name or brackets.
    leftover = re.sub(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", "", leftover)
    leftover = re.sub(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?", "", leftover)
    leftover = re.sub(r"[【】\[\]（）()|｜丨:：,，]", "", leftover)
    leftover = re.sub(
        r"(?:https?://)?[\w.-]+\.(?:com|cn|net|org|gov|hk|tw)(?:\.\w+)?", "", leftover
    )
    if len(leftover) > 16:
        return False
    # Each field value must be short: a long value means a sentence, not a byline.
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        value = line[match.end() : end].strip()
        if len(value) > 60 or "。" in value:
            return False
    return True


def dateline_source(line: str) -> str | None:
    """The agency named by a dateline such as 新华社北京10月16日电 (a fallback 来源)."""
    match = _DATELINE.match(line.strip())
    if not match or match["src"] == "本报":
        return None
    return match["src"]


_REPORTER = re.compile(REPORTER_CREDIT)
_CLOSING = re.compile(CLOSING_CREDIT)
_NOT_A_NAME = re.compile(NOT_A_NAME)


def reporter_credit(paragraph: str, *, closing: bool = False) -> str | None:
    """Reporters named in the text (本报记者 张三, （记者 李四）); with ``closing``, also a
    closing credit of names alone such as （常书香 马丹阳）."""
    candidates = [m["names"] for m in _REPORTER.finditer(paragraph[:200])]
    if closing:
        match = _CLOSING.search(paragraph[-40:])
        if match:
            candidates.append(match["names"])
    for raw in candidates:
        names = [n for n in re.split(r"[\s、，,]+", raw.strip()) if n]
        names = [n for n in names if not re.search(r"(?:报道|報導|发自|發自)$", n)]
        if names and not any(_NOT_A_NAME.search(n) for n in names):
            return " ".join(names)
    return None
