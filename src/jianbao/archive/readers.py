"""Back-issue files → lines of text, whatever the format.

The checker's reader (``editions.report_parse.read_lines``) already turns .docx (Word's
automatic numbers written out), .md and .txt into lines with links kept as
``title <url>``; this module adds what an archive holds besides: old .doc and WPS .wps
files (converted to .docx by LibreOffice headless, each conversion with a profile of its
own and a timeout, so parallel imports cannot trip over one profile or hang), PDFs
(pdfplumber, MIT; PyMuPDF is AGPL) and jianbao's own HTML pages.

A PDF has no paragraphs, only positioned lines. They are put back together here: a line
that runs to the right margin continues on the next unless that one is indented (a new
paragraph) or starts a numbered item or a field (来源：…); Chinese lines are joined
without a space; page numbers (``— 1 —``, ``第 2 页``) and running headers or footers
(the same line on most pages) are dropped. A PDF without a text layer (a scan) is
refused with 需要 OCR.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from jianbao.editions.report_parse import read_lines
from jianbao.errors import InputError
from jianbao.soffice import SofficeFailed, convert, soffice_path

TEXT_SUFFIXES = (".docx", ".md", ".markdown", ".txt", ".text")
OFFICE_SUFFIXES = (".doc", ".wps")
SUFFIXES = (*TEXT_SUFFIXES, *OFFICE_SUFFIXES, ".pdf", ".html", ".htm")

#: seconds one LibreOffice conversion of a back issue may take
CONVERT_TIMEOUT = 120.0
#: a PDF larger than this is refused (a report is a few hundred KB)
MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 500

_PAGE_NUMBER = re.compile(
    r"^[—–\-－~·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[—–\-－~·\s]*$"
)
_STARTS_BLOCK = re.compile(
    r"^(?:\d{1,3}\s*[.、．](?!\d)|(?:来源|媒体|出处|链接|网址|日期|时间|主要内容|本期导语)\s*[:：]"
    r"|[一二三四五六七八九十]+、)"
)
#: around text printed in link colour in a PDF (removed by ``strip_link_marks``)
LINK_START, LINK_END = "\x01", "\x02"
#: around the target of a link annotation, written right after its text's LINK_END
URI_START, URI_END = "\x03", "\x04"
#: between a link annotation's target and its words (its Contents) inside the URI marks
URI_WORDS = "\x05"
_URI_MARK = re.compile("\x03[^\x04]*\x04")
_LINK_RUN = re.compile("\x01([^\x01\x02]*)\x02\x03([^\x04]*)\x04")
_OPENING_URI = re.compile("^\x01[^\x01\x02]*\x02(\x03[^\x04]*\x04)")
_URL_TAIL = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_LATIN = re.compile(r"[A-Za-z0-9]")


def read_document(path: Path, *, soffice: str | None = None) -> list[str]:
    """The lines of a back-issue file (.docx .doc .wps .pdf .md .txt .html)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("找不到要导入的文件", item=str(path), hint="检查文件路径")
    if suffix in TEXT_SUFFIXES:
        return read_lines(path)
    if suffix in OFFICE_SUFFIXES:
        with tempfile.TemporaryDirectory(prefix="jianbao-import-") as tmp:
            lines = read_lines(convert_to_docx(path, Path(tmp), soffice=soffice))
        if not readable(lines):
            # LibreOffice opens what it cannot recognise as plain text: bytes as characters
            raise InputError(
                f"LibreOffice 只读出乱码：此 {suffix} 文件已损坏，或不是 Word / WPS 文档",
                item=str(path),
                hint="用 WPS 或 Word 打开，确认内容正常后另存为 .docx 再导入",
            )
        return lines
    if suffix == ".pdf":
        return pdf_lines(path)
    if suffix in (".html", ".htm"):
        return html_lines(path.read_bytes())
    raise InputError(
        f"不支持导入 {suffix or '无扩展名'} 文件",
        item=str(path),
        hint="可导入 " + " ".join(SUFFIXES),
    )


# -- .doc and .wps through LibreOffice ------------------------------------------------------

#: characters a Chinese report is written in: ASCII, Latin-1, general and CJK punctuation,
#: CJK ideographs, full-width forms
_READABLE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u218f\u2460-\u24ff"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)


def readable(lines: list[str], *, share: float = 0.6, minimum: int = 50) -> bool:
    """Whether the text reads as a report: random bytes taken for text (UTF-16 or a
    legacy code page) come out as Hangul, private-use and rare signs mixed in."""
    text = "".join(lines)
    if len(text) < minimum:
        return True
    return len(_READABLE.findall(text)) / len(text) >= share


def convert_to_docx(path: Path, out_dir: Path, *, soffice: str | None = None) -> Path:
    """``path`` converted to .docx in ``out_dir`` by LibreOffice headless.

    Each conversion gets a profile of its own (a shared one is locked by the first
    LibreOffice that opens it, and a second conversion then fails silently); a
    conversion that runs past ``CONVERT_TIMEOUT`` is killed and reported.
    """
    exe = soffice_path(soffice)
    if exe is None:
        raise InputError(
            f"未安装 LibreOffice，无法导入 {path.suffix.lower()} 文件",
            item=str(path),
            hint=(
                "安装 apt-get install libreoffice-writer-nogui（或用环境变量 JIANBAO_SOFFICE"
                " 指明路径），或用 WPS、Word 另存为 .docx 再导入"
            ),
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"source{path.suffix.lower()}"
    shutil.copyfile(path, source)  # a name LibreOffice cannot misread (spaces, dashes)
    try:
        return convert(
            exe,
            source,
            out_dir,
            "docx:MS Word 2007 XML",
            profile=out_dir / "profile",
            home=out_dir,
            timeout=CONVERT_TIMEOUT,
        )
    except SofficeFailed as exc:
        if exc.timed_out:
            raise InputError(
                f"LibreOffice 转换超时（{exc.timeout:g} 秒）",
                item=str(path),
                hint="文件可能已损坏；用 WPS 或 Word 打开后另存为 .docx 再导入",
            ) from exc
        code = f"（退出码 {exc.returncode}）" if exc.returncode else "："
        raise InputError(
            f"LibreOffice 无法读取此文件{code}{exc.detail[-200:]}",
            item=str(path),
            hint="文件可能已损坏或加密；用 WPS 或 Word 打开后另存为 .docx 再导入",
        ) from exc


# -- PDF ------------------------------------------------------------------------------------


def pdf_lines(path: Path) -> list[str]:
    """The paragraphs of a PDF, one per line, repaired as the module says."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    if path.stat().st_size > MAX_PDF_BYTES:
        raise InputError(
            f"PDF 超过 {MAX_PDF_BYTES // 1024 // 1024} MB",
            item=str(path),
            hint="拆分后再导入",
        )
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError(
                    f"PDF 超过 {MAX_PDF_PAGES} 页", item=str(path), hint="拆分后再导入"
                )
            pages = [_page_lines(page) for page in pdf.pages]
    except InputError:
        raise
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many kinds on a bad file
        raise InputError(
            f"PDF 无法读取：{type(exc).__name__} {exc}"[:200],
            item=str(path),
            hint="文件可能已损坏或加密；用阅读器打开后另存一份再导入",
        ) from exc
    if not any(pages):
        raise InputError(
            "需要 OCR：PDF 没有文字层（扫描件）",
            item=str(path),
            hint="先用 OCR 软件识别为带文字层的 PDF 或 Word 文件再导入",
        )
    return join_pdf_lines(pages)


def _page_lines(page: Any) -> list[dict[str, Any]]:
    """A page's text lines: text (spaces only between Latin words), left, right, size."""
    links = [link for link in page.hyperlinks if str(link.get("uri") or "").strip()]
    lines = []
    for line in page.extract_text_lines(return_chars=True, keep_blank_chars=True):
        chars = _once(_drawn(line["chars"]))
        inked = [c for c in chars if c["text"].strip()]
        if not inked:
            continue
        lines.append(
            {
                "text": _line_text(chars, [_link_at(char, links) for char in chars]),
                "x0": inked[0]["x0"],
                "x1": inked[-1]["x1"],
                "size": max(c["bottom"] - c["top"] for c in inked),
                "width": page.width,
            }
        )
    return lines


def _is_link_colour(char: dict[str, Any]) -> bool:
    """Blue text: how Word and jianbao print a link (the PDF keeps no annotation of it
    when LibreOffice wrote it, so the colour is what tells a daily item's title)."""
    colour = char.get("non_stroking_color")
    if not isinstance(colour, tuple | list) or len(colour) != 3:
        return False
    red, green, blue = (float(v) for v in colour)
    return blue > 0.5 and blue - red > 0.3 and blue - green > 0.15


def _drawn(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A line's characters left to right, with the spaces the text has: LibreOffice
    writes a real space as a space character between its neighbours, and also writes
    stray ones under a link's first letters, which overlap a letter and are dropped."""
    inked = [(c["x0"], c["x1"]) for c in chars if c["text"].strip()]
    kept = []
    for char in chars:
        if not char["text"].strip():
            middle = (char["x0"] + char["x1"]) / 2
            if char["text"] != " " or any(x0 < middle < x1 for x0, x1 in inked):
                continue
        kept.append(char)
    return sorted(kept, key=lambda c: c["x0"])


def _once(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters without repeats: LibreOffice draws a ligature (ff, fi) twice at
    one place, and a space twice; each is read once."""
    kept: list[dict[str, Any]] = []
    for char in chars:
        if kept and (
            char["text"] == kept[-1]["text"]
            and abs(char["x0"] - kept[-1]["x0"]) < 0.5
            and abs(char["top"] - kept[-1]["top"]) < 0.5
        ):
            continue
        kept.append(char)
    return kept


def _tracking(chars: list[dict[str, Any]]) -> float:
    """The usual gap between two letters of the line (a justified line spreads them)."""
    inked = [c for c in chars if c["text"].strip()]
    gaps = sorted(b["x0"] - a["x1"] for a, b in pairwise(inked))
    return max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0


def _wide(chars: list[dict[str, Any]], at: int, tracking: float) -> bool:
    """Whether the space at ``at`` stands in a gap a space wide. Inside a link LibreOffice
    also writes space characters into the narrower gap it leaves between Chinese and
    Latin letters, which are no spaces of the text."""
    before = next((c for c in reversed(chars[:at]) if c["text"].strip()), None)
    after = next((c for c in chars[at + 1 :] if c["text"].strip()), None)
    if before is None or after is None:
        return True
    width = chars[at]["x1"] - chars[at]["x0"]
    return after["x0"] - before["x1"] - tracking >= width * 0.9


def _link_at(char: dict[str, Any], links: list[dict[str, Any]]) -> str:
    """The link annotation the character is drawn under, as its target followed by
    URI_WORDS and its Contents (the link's words, when the annotation has them), or ""."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    for link in links:
        if link["x0"] <= x <= link["x1"] and link["top"] <= y <= link["bottom"]:
            words = link.get("contents")
            words = " ".join(words.split()) if isinstance(words, str) else ""
            return str(link["uri"]).strip() + (URI_WORDS + words if words else "")
    return ""


def _line_text(chars: list[dict[str, Any]], uris: list[str] | None = None) -> str:
    """The characters of a line; a gap is a space only between two Latin characters
    (LibreOffice and Word space Chinese from Latin by layout, not by a space). A run of
    link-coloured characters, or of characters under a link annotation, is wrapped in
    LINK_START … LINK_END, followed by URI_START target URI_END when it has one."""
    out: list[str] = []
    uris = list(uris or [""] * len(chars))
    tracking = _tracking(chars)
    in_link = False
    for at, char in enumerate(chars):
        if not char["text"].strip():  # a space: inside whatever run it is in
            if at:
                uris[at] = uris[at - 1]
            if out and not out[-1].endswith(" ") and (not in_link or _wide(chars, at, tracking)):
                out.append(" ")
            continue
        if at:
            before = chars[at - 1]
            gap = char["x0"] - before["x1"]
            size = max(char["bottom"] - char["top"], 1.0)
            if (
                gap > size * 0.15
                and _LATIN.match(before["text"][-1])
                and _LATIN.match(char["text"])
            ):
                out.append(" ")
        coloured = _is_link_colour(char)
        if not uris[at] and at and coloured and in_link and not char["text"].isalnum():
            uris[at] = uris[at - 1]  # a comma LibreOffice hangs past the link's box
        uri = uris[at]
        link = bool(uri) or coloured
        if in_link and (not link or uri != uris[at - 1]):
            out.append(LINK_END + (f"{URI_START}{uris[at - 1]}{URI_END}" if uris[at - 1] else ""))
            in_link = False
        if link and not in_link:
            out.append(LINK_START)
            in_link = True
        out.append(char["text"])
    if in_link:
        out.append(LINK_END + (f"{URI_START}{uris[-1]}{URI_END}" if uris[-1] else ""))
    return "".join(out).strip()


def _running(pages: list[list[dict[str, Any]]]) -> set[str]:
    """Lines printed at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {line["text"] for line in lines[:2] + lines[-2:]}
        counts.update(edges)
    return {text for text, n in counts.items() if n >= max(3, len(pages) * 0.6)}


def join_pdf_lines(pages: list[list[dict[str, Any]]]) -> list[str]:
    """Paragraphs from positioned lines (see the module's docstring)."""
    running = _running(pages)
    lines = [
        line
        for page in pages
        for line in page
        if line["text"] not in running and not _PAGE_NUMBER.match(line["text"])
    ]
    if not lines:
        return []
    size = Counter(round(line["size"]) for line in lines).most_common(1)[0][0] or 12
    left = Counter(round(line["x0"]) for line in lines).most_common(1)[0][0]
    right = max(line["x1"] for line in lines if line["x1"] < line["width"] - 10)
    out: list[str] = []
    previous_full = False
    for line in lines:
        text = line["text"]
        indented = line["x0"] > left + size * 0.8
        if out and (
            (previous_full and not indented and not _STARTS_BLOCK.match(text))
            or _url_goes_on(out[-1], text)
            or _same_link(out[-1], text)
        ):
            out[-1] = _join(out[-1], text)
        else:
            out.append(text)
        previous_full = line["x1"] >= right - size * 2.5
    return [_resolve_links(text) for text in out]


def _same_link(before: str, after: str) -> bool:
    """A link's text broken over two lines: the line ends inside the link the next one
    starts with (the same target)."""
    opening = _OPENING_URI.match(after)
    return opening is not None and before.endswith(LINK_END + opening.group(1))


def _letters(text: str) -> str:
    """Letters and digits only: a link's words and its drawn text agree on these even
    where LibreOffice left out a comma at a line's end or wrote stray spaces."""
    return "".join(char for char in text if char.isalnum())


def _resolve_links(text: str) -> str:
    """Link runs with a target written as the other readers write them: ``text <url>``,
    or the bare URL when the text is the URL itself."""

    def written(match: re.Match[str]) -> str:
        shown, uri = match.group(1), match.group(2)
        uri, _, words = uri.partition(URI_WORDS)
        if words and _letters(words) == _letters(shown):
            shown = words  # the link's words as written, spaces and punctuation and all
        if "".join(shown.split()) == uri or shown.startswith(("http://", "https://", "www.")):
            return shown
        return f"{shown} <{uri}>"

    return _LINK_RUN.sub(written, text)


def _url_goes_on(before: str, after: str) -> bool:
    """A URL broken where Word or LibreOffice may break it (after ``/``, ``-``, ``.``),
    leaving its first line short."""
    token = strip_link_marks(before).rsplit(" ", 1)[-1]
    rest = strip_link_marks(after)
    return "://" in token and token[-1:] in "/-._?&=#" and bool(_URL_TAIL.match(rest))


def _join(before: str, after: str) -> str:
    """Two pieces of one wrapped paragraph: a space only between Latin words, and none
    inside a URL broken over two lines."""
    if _same_link(before, after):  # one link: one run
        opening = _OPENING_URI.match(after)
        assert opening is not None
        mark = LINK_END + opening.group(1)
        before, after = before[: -len(mark)], after[len(LINK_START) :]
        shown = strip_link_marks(before)
        latin = _LATIN.match(shown[-1:]) and _LATIN.match(after[:1])
        if latin and "://" not in shown.rsplit(" ", 1)[-1]:
            return before + " " + after
        return before + after
    last_token = before.rsplit(" ", 1)[-1]
    if "://" in last_token or last_token.startswith("www."):
        return before + after
    if before.endswith(LINK_END) and after.startswith(LINK_START):
        before, after = before[: -len(LINK_END)], after[len(LINK_START) :]  # one link
    if _LATIN.match(before[-1:]) and _LATIN.match(after[:1]):
        return before + " " + after
    return before + after


def strip_link_marks(text: str) -> str:
    """The text without the marks a PDF line carries (link runs and their targets)."""
    return _URI_MARK.sub("", text).replace(LINK_START, "").replace(LINK_END, "")


# -- jianbao's own HTML ---------------------------------------------------------------------

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "div", "title", "tr"}


def html_lines(data: bytes) -> list[str]:
    """An HTML issue page (jianbao's, or a similar one) as lines: one per block element,
    external links written ``text <url>`` as the other readers write them."""
    import lxml.etree
    import lxml.html

    # control characters (a NUL from a damaged copy) are no text and lxml refuses them
    # when it moves a dropped element's tail; in UTF-8 and GB18030 these bytes are never
    # part of a multi-byte character, so removing them cannot cut one
    data = _CONTROL_BYTES.sub(b"", data)
    if not data.strip():
        return []
    try:
        root = lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError):  # nothing but comments, or no document
        return []
    for bad in root.xpath("//script|//style|//head|//footer|//nav[@aria-hidden]"):
        bad.drop_tree()
    lines: list[str] = []
    _walk(root, lines, [])
    return [" ".join(line.split()) if "\n" in line else line for line in lines]


def _walk(element: Any, lines: list[str], current: list[str]) -> None:
    """Depth-first: text goes into ``current``; a block element flushes it as a line."""
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCKS and not any(
        isinstance(child.tag, str) and child.tag in _BLOCKS for child in element
    )
    container = tag in _BLOCKS and not block
    if block or container:
        _flush(lines, current)
    if element.text and tag not in ("script", "style"):
        current.append(element.text)
    for child in element:
        _walk(child, lines, current)
        if child.tail:
            current.append(child.tail)
    href = element.get("href", "") if tag == "a" else ""
    if href.startswith(("http://", "https://")) and "".join(element.itertext()).strip() != href:
        current.append(f" <{href}>")
    if block or container:
        _flush(lines, current)


def _flush(lines: list[str], current: list[str]) -> None:
    text = "".join(current).strip()
    current.clear()
    if text:
        lines.append(text)
