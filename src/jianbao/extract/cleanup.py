"""Noise cleanup on body paragraphs: what editors remove by hand today.

Works on the list of paragraphs after the main text is chosen: drops share/print/font-size
widgets, 扫一扫 prompts, copyright and disclaimer blocks, image credits and editor credits;
cuts the body at a 相关阅读 list; strips injected stock quotes inside sentences; drops the
title repeated at the top; and normalizes spacing between Chinese and Latin text. Byline
lines are read into fields by the caller before they are removed here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from jianbao.control_chars import XML_REFUSED, drop_xml_refused
from jianbao.extract.byline import is_byline
from jianbao.extract.patterns import END_MARKERS, INLINE_NOISE, NOISE_PARAGRAPHS, TAIL_STARTERS

_INLINE = [re.compile(p) for p in INLINE_NOISE]


def _any_of(patterns: Sequence[str]) -> re.Pattern[str]:
    """One expression that matches where any of ``patterns`` does: one scan of a
    paragraph instead of one per pattern (issue 21). The patterns use no group numbers
    and no inline flags, so each means in the alternation what it means alone; when all
    are anchored at the start, so is the alternation (or every position would be tried:
    slower than the patterns one by one)."""
    if patterns and all(pattern.startswith("^") for pattern in patterns):
        return re.compile("^(?:" + "|".join(f"(?:{p[1:]})" for p in patterns) + ")")
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


#: one by one: each has a literal opening the engine checks first, which an alternation
#: of them loses (measured: 61 µs a page one by one, 87 in one alternation)
_NOISE = [re.compile(p) for p in NOISE_PARAGRAPHS]
_TAIL = _any_of(TAIL_STARTERS)
_END = _any_of(END_MARKERS)
_SPACES = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_CJK_PUNCT = r"[，。！？；：、“”‘’（）《》【】「」『』…—]"
# a space between two CJK characters, or between CJK and full-width punctuation, is noise
# a space next to full-width punctuation is layout, never meaning: "会议 。" → "会议。"
_SPACE_AT_PUNCT = re.compile(rf"(?<={_CJK_PUNCT})[ ]+|[ ]+(?={_CJK_PUNCT})")


#: the two control characters that are white space (vertical tab, form feed): folded to a
#: space before the rest of what XML 1.0 refuses is dropped (jianbao.control_chars), so
#: the words either side stay apart
_WHITE_CONTROLS = str.maketrans("\x0b\x0c", "  ")


def without_controls(text: str) -> str:
    """``text`` without the control characters a page can carry that no format can print
    (C0 but tab, newline and carriage return; lone surrogates; U+FFFE, U+FFFF), ``\\x0b``
    and ``\\x0c`` made spaces."""
    if XML_REFUSED.search(text) is None:  # nearly every text: one scan, nothing copied
        return text
    return drop_xml_refused(text.translate(_WHITE_CONTROLS))


def normalize_text(text: str) -> str:
    """One paragraph's spacing: collapse runs to one space, drop spaces beside full-width
    punctuation, trim. A single space between Chinese words stays: it separates names
    (记者 张三 李四) and headline clauses.

    Full-width letters and digits (ＡＢＣ１２３) become half-width (NFKC on those only),
    so search and dedup see one form; Chinese punctuation stays full-width.

    Control characters are dropped (:func:`without_controls`): a body is stored as it is
    cleaned here, and PostgreSQL refuses a \\x00 in text, UTF-8 a lone surrogate.
    """
    text = without_controls(text)
    text = _fullwidth_alnum_to_half(text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_AT_PUNCT.sub("", text)
    return text.strip()


def title_text(text: str) -> str:
    """A headline on one line: control characters dropped, white space runs made one
    space, trimmed. A page's <title> or <h1> can hold an invisible control character
    (a \\x08 pasted from a word processor); kept, it would reach an issue and the Atom
    feed, which cannot hold it."""
    return " ".join(without_controls(text).split())


#: a full-width digit or letter, or a character between them (what may need changing)
_FULLWIDTH_SPAN = re.compile("[\uff10-\uff5a]")


def _fullwidth_alnum_to_half(text: str) -> str:
    # one regular-expression scan, not a Python loop over every character of every block
    # (issue 21: a tenth of the extractor's time on the collect benchmark's pages)
    if _FULLWIDTH_SPAN.search(text) is None:
        return text
    out = []
    for ch in text:
        if "\uff10" <= ch <= "\uff19" or "\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def strip_inline_noise(text: str) -> str:
    """Remove stock quotes, bracketed editor credits and widget brackets inside a paragraph."""
    for pattern in _INLINE:
        text = pattern.sub("", text)
    return text


def is_noise(paragraph: str) -> bool:
    """True for a paragraph that is page furniture (share, print, QR, copyright, credits)."""
    return any(p.search(paragraph) for p in _NOISE)


def starts_tail(paragraph: str) -> bool:
    """True when a paragraph opens a 相关阅读 list or a disclaimer: the article has ended."""
    return _TAIL.search(paragraph) is not None


def ends_article(paragraph: str) -> bool:
    """True for a disclaimer heading or a comment area: nothing after it is the article."""
    return _END.search(paragraph) is not None


def _same_text(a: str, b: str) -> bool:
    squash = re.compile(r"[\s\W_]+")
    return bool(a) and squash.sub("", a) == squash.sub("", b)


def looks_like_prose(paragraph: str) -> bool:
    """A paragraph a reader reads (a sentence), as against a headline in a link list."""
    if len(paragraph) >= 60:
        return True
    return len(paragraph) >= 20 and paragraph[-1] in "。！？”…；.!?」』）)"


def clean_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    """The body with noise removed, in order; never reorders or rewrites sentences.

    A 相关阅读 marker starts a list: the marker and the short lines after it are dropped
    until a paragraph of prose resumes the article (related boxes sit mid-article too).
    """
    cleaned: list[str] = []
    seen: set[str] = set()
    in_list = False
    for index, raw in enumerate(paragraphs):
        text = normalize_text(strip_inline_noise(raw))
        if not text:
            continue
        if ends_article(text) and len("".join(cleaned)) >= 20:
            break
        if starts_tail(text):
            in_list = True
            continue
        if in_list:
            # a list item can be a sentence too: only real prose resumes the article
            resumes = len(text) >= 80 or (len(text) >= 40 and text[-1] in "。！…”")
            if not resumes:
                continue
            in_list = False
        if is_noise(text) or is_byline(text):
            continue
        if title and not cleaned and index < 4 and _same_text(text, title):
            continue
        # a page that prints the article twice (print view, mobile copy) gives it once
        key = "".join(text.split())
        if len(key) >= 15:
            if key in seen:
                continue
            seen.add(key)
        cleaned.append(text)
    # trailing one-character leftovers (a lone 完, a bullet)
    while cleaned and len(cleaned[-1]) <= 1:
        cleaned.pop()
    return cleaned
