"""Bytes → text for HTML pages, Chinese pages first.

Chinese sites mislabel their charset often (a page says gb2312 but holds GBK-only
characters, or says utf-8 but was saved as GBK), and generic parsers guess wrong on GBK.
So the order is: what the HTTP header says, what the page's own ``<meta>`` says, a BOM,
then statistical detection — and every label is *checked* by decoding strictly; a label
that fails is dropped in favour of the next witness.

gb2312, gbk and their aliases are read as gb18030, the superset: a page labelled gb2312
nearly always contains characters only GBK has.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Labels that name a subset of GB18030: decode them all as GB18030.
_GB_FAMILY = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gb2312-80",
    "gb-2312",
    "gbk",
    "cp936",
    "ms936",
    "windows-936",
    "x-gbk",
    "csgb2312",
    "euc-cn",
    "euccn",
    "x-euc-cn",
    "chinese",
    "iso-ir-58",
    "gb18030",
    "hz-gb-2312",
}
_BIG5_FAMILY = {"big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "big5-hkscs", "cp950"}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_ENCODING = re.compile(rb"<(?:\?xml|text)\s[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_:.\-]+)", re.I)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the page to look at for a <meta> declaration.
_META_WINDOW = 4096


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, with the GB family mapped to gb18030;
    None when the label names no codec Python knows."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    if name in _BIG5_FAMILY:
        return "big5hkscs"
    if name in {"utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"}:
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_header(content_type: str | None) -> str | None:
    """The charset named by a Content-Type header value, normalized."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """The charset declared by the page itself (<meta charset>, http-equiv, <?xml?>)."""
    head = body[:_META_WINDOW]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            found = normalize_charset(match.group(1).decode("ascii", "ignore"))
            if found:
                return found
    return None


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, name in _BOMS:
        if body.startswith(mark):
            return name, len(mark)
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(body: bytes, codec: str) -> str | None:
    """Decode with replacement when only a few bytes are broken (a character cut in two
    by a careless template is common on GBK pages); None when the codec is plainly wrong."""
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return None
    broken = text.count("\ufffd")
    return text if broken <= max(3, len(body) // 2000) else None


def _detect(body: bytes) -> str | None:
    """Charset-normalizer's best guess, with GB labels mapped to gb18030."""
    # Chinese pages: when the bytes decode strictly as UTF-8 that is almost surely right,
    # and detection on long pages is slow, so try the cheap checks first.
    if _strict(body, "utf-8") is not None:
        return "utf-8"
    if _strict(body, "gb18030") is not None and _looks_chinese(body.decode("gb18030")):
        return "gb18030"
    best = from_bytes(body[:200_000]).best()
    if best is None:
        return None
    return normalize_charset(best.encoding)


def _looks_chinese(text: str) -> bool:
    """True when a decoded text is mostly common CJK and ASCII, i.e. a plausible decoding."""
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    odd = sum(1 for ch in sample if ord(ch) > 0x7F and not ("\u4e00" <= ch <= "\u9fff"))
    return cjk > 0 and odd <= cjk * 0.3


_MISREADINGS = ("iso8859-15", "cp1252", "latin-1")


def _to_single_bytes(text: str, codec: str) -> bytes | None:
    """The bytes a misreading under ``codec`` came from, or None when it cannot be one."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(code)
            continue
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            if code < 0x100:
                out.append(code)
            else:
                return None
    return bytes(out)


#: what a misreading makes of Chinese bytes, and what counts as a sign of one: Latin-1's
#: letters and signs and the Latin letters cp1252 adds (a UTF-8 lead byte of a Chinese
#: character reads as ä to é, a GBK byte as ° to ÷). Not the typographic punctuation
#: cp1252 also maps some bytes to (’ “ ” – — …): an English page is full of it, and
#: taken as a sign, ’s was "repaired" into GBK (WHO抯)
_LATIN = re.compile("[\u0080-\u02ff]")
_CJK = re.compile("[\u4e00-\u9fff]")


def _mojibake_ratio(text: str) -> float:
    # counted by the regular-expression engine: a character loop in Python over every
    # page's first 20,000 characters was nearly all of the time decoding took
    sample = text[:20000]
    latin = len(_LATIN.findall(sample))
    if not latin:
        return 0.0
    cjk = len(_CJK.findall(sample))
    return latin / max(1, latin + cjk)


def _cjk_score(text: str) -> int:
    sample = text[:20000]
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") - 5 * sample.count("\ufffd")


def _reads_as_chinese(repaired: str, target: str) -> bool:
    """Whether a repair's Chinese characters are what a Chinese page holds.

    Bytes re-read as UTF-8 seldom form its multi-byte sequences by accident, so a
    repair to UTF-8 is taken as it is. Nearly any pair of high bytes is some GBK
    character, though: a Latin page's ``é`` and the letter after it make a rare one
    (閙), where a GBK page's text is nearly all in GB2312's common characters."""
    hanzi = _CJK.findall(repaired[:20000])
    if not hanzi:
        return False
    if target == "utf-8":
        return True
    common = sum(1 for ch in hanzi if _in_gb2312(ch))
    return common >= 0.9 * len(hanzi)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def repair_mojibake(text: str) -> str:
    """Undo a page saved after being misread as Latin (GBK or UTF-8 bytes shown as 'Ã¤Â½'),
    once or twice over; the text is returned unchanged unless the repair reads as Chinese
    and has more Chinese than the text had.

    A step back to strict UTF-8 is preferred to a GBK reading of the same bytes (which
    makes more, and rarer, characters of them) and is taken even when it shows no Chinese
    yet: it is the first of two misreadings undone."""
    original = text
    for _ in range(3):
        if _mojibake_ratio(text) < 0.6:
            break
        best: str | None = None
        best_rank: tuple[bool, int] | None = None
        for codec in _MISREADINGS:
            raw = _to_single_bytes(text, codec)
            if raw is None:
                continue
            for target in ("utf-8", "gb18030"):
                strict = _strict(raw, target)
                repaired = strict or _lenient(raw, target)
                if repaired is None:
                    continue
                exact_utf8 = target == "utf-8" and strict is not None
                if not (exact_utf8 or _reads_as_chinese(repaired, target)):
                    continue
                rank = (exact_utf8, _cjk_score(repaired))
                if best_rank is None or rank > best_rank:
                    best, best_rank = repaired, rank
        if best is None or best == text:
            break
        text = best
    if text is original:  # nothing was repaired (nearly every page): no count to make
        return text
    return text if _cjk_score(text) > _cjk_score(original) else original


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML (or XML) page to text.

    Witnesses in order: the HTTP header charset, the page's <meta>, a BOM, detection.
    A label whose strict decoding fails is skipped, so a wrong label is caught. The last
    resort decodes as UTF-8 with replacement characters rather than failing: a page with
    a few broken bytes is still worth reading.
    """
    if not body:
        return ""
    bom = _bom(body)
    if bom is not None:
        codec, size = bom
        unmarked = _strict(body[size:], codec)
        if unmarked is not None:
            return unmarked
    # Valid UTF-8 with multi-byte sequences is near-certain evidence, stronger than any
    # label: GBK text almost never forms valid UTF-8, and re-saved pages keep stale labels.
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None and not body.isascii():
        return repair_mojibake(as_utf8)
    tried: list[str] = []
    for label in (charset_from_header(content_type), charset_from_meta(body)):
        if label is None or label in tried:
            continue
        tried.append(label)
        labelled = _strict(body, label) or _lenient(body, label)
        if labelled is not None and (label == "utf-8" or _plausible(labelled, label)):
            return labelled
    # no usable label: a GB18030 reading that looks like Chinese is the likeliest
    guess = _lenient(body, "gb18030")
    if guess is not None and _looks_chinese(guess):
        return guess
    detected = _detect(body)
    if detected is not None:
        return body.decode(detected, errors="replace")
    return body.decode("utf-8", errors="replace")


def _plausible(text: str, codec: str) -> bool:
    """Single-byte codecs decode any bytes: reject a Latin label on a Chinese page."""
    if codec in {"gb18030", "big5hkscs", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}:
        return True
    try:
        is_single_byte = codecs.lookup(codec).name in {
            "iso8859-1",
            "cp1252",
            "latin-1",
            "ascii",
        } or codec.startswith(("iso8859", "cp125", "latin"))
    except LookupError:
        return False
    if not is_single_byte:
        return True
    # Bytes ≥ 0x80 read as Latin letters: plausible only when they are few.
    high = sum(1 for ch in text[:20000] if ord(ch) > 0x7F)
    return high < 50
