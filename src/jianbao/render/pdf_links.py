"""Clickable links in the PDF: the Word document's hyperlinks written as link annotations.

LibreOffice 7.4 headless (Debian's ``libreoffice-writer-nogui``, what a server has) writes
no link annotation at all when it converts a document to PDF: the hyperlinks of the
.docx (real ``w:hyperlink`` elements with their targets) come out as blue, underlined,
dead text, and the same happens to an .odt or HTML page (checked by hand: no ``/Annots``
in any of them). A leader reading the PDF cannot open an item, and a PDF imported back
into the archive has lost its links: a daily prints no URL, only its linked titles.

So after the conversion the links are put back: each external hyperlink of the .docx
(its text and target, in document order) is looked up in the PDF's text, in the same
order, and a link annotation (no border) is added over its characters, one rectangle per
line when the text wraps, carrying the link's words as its Contents (what a screen reader
says, and what the archive import reads back: the text layer alone spaces Chinese from
Latin with stray space characters inside a link). A hyperlink whose text cannot be found
is left as it is: the PDF still reads the same, only that link is not clickable. pdfium
(pypdfium2, which pdfplumber already brings; Apache-2.0/BSD) edits the file.
"""

from __future__ import annotations

import ctypes
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: characters a URI annotation may hold as they are (the rest is percent-encoded)
_URI_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


@dataclass(frozen=True, slots=True)
class DocLink:
    """An external hyperlink of the Word document: its text and where it goes."""

    text: str
    url: str


def docx_links(docx: Path) -> list[DocLink]:
    """The external hyperlinks of the document body, in order (bookmark links to the
    document's own items, like the 目录's, are left out)."""
    with zipfile.ZipFile(docx) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml"))
        rels = ElementTree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_REL}Relationship")
        if rel.get("TargetMode") == "External"
    }
    links = []
    for element in body.iter(f"{_W}hyperlink"):
        url = targets.get(element.get(f"{_R}id"))
        text = "".join(t.text or "" for t in element.iter(f"{_W}t"))
        if url and text.strip():
            links.append(DocLink(text, url))
    return links


@dataclass(frozen=True, slots=True)
class _Char:
    page: int
    left: float
    bottom: float
    right: float
    top: float


def _page_chars(document: object) -> tuple[str, list[_Char]]:
    """Every non-blank character of the PDF in content order, and where it is drawn."""
    import pypdfium2.raw as raw

    text: list[str] = []
    boxes: list[_Char] = []
    for number in range(len(document)):  # type: ignore[arg-type]
        page = document[number]  # type: ignore[index]
        textpage = page.get_textpage()
        try:
            for index in range(textpage.count_chars()):
                char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
                if not char.strip() or raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
                    continue
                left, bottom, right, top = textpage.get_charbox(index)
                text.append(char)
                boxes.append(_Char(number, left, bottom, right, top))
        finally:
            textpage.close()
            page.close()
    return "".join(text), boxes


def _line_rects(chars: list[_Char]) -> list[tuple[int, float, float, float, float]]:
    """(page, left, bottom, right, top) around each line the characters are on."""
    rects: list[list[float]] = []
    pages: list[int] = []
    for char in chars:
        if rects and pages[-1] == char.page:
            left, bottom, right, top = rects[-1]
            height = max(top - bottom, 1.0)
            same_line = abs(char.bottom - bottom) < height * 0.5 and char.left >= left - 1
            if same_line:
                rects[-1] = [
                    left,
                    min(bottom, char.bottom),
                    max(right, char.right),
                    max(top, char.top),
                ]
                continue
        rects.append([char.left, char.bottom, char.right, char.top])
        pages.append(char.page)
    return [(page, *rect) for page, rect in zip(pages, rects, strict=True)]  # type: ignore[misc]


#: punctuation of a link's text the PDF may lack (LibreOffice does not draw a full-width
#: comma it would hang past the end of a line) before the link is given up
MISSING_PUNCTUATION = 3


def locate(text: str, wanted: str, cursor: int) -> tuple[int, int] | None:
    """Where ``wanted`` (no white space) is in ``text`` from ``cursor`` on, as (start,
    end); a few punctuation marks of ``wanted`` may be missing from the text."""
    prefix = wanted[: min(len(wanted), 6)]
    start = text.find(prefix, cursor)
    while start >= 0:
        end = _aligned(text, wanted, start)
        if end is not None:
            return start, end
        start = text.find(prefix, start + 1)  # the same opening words, another text
    return None


def _aligned(text: str, wanted: str, start: int) -> int | None:
    """Where ``wanted`` ends when read in ``text`` from ``start``, skipping a few of its
    punctuation marks the text lacks; None when it is not there."""
    at, missing = start, 0
    for char in wanted:
        if at < len(text) and text[at] == char:
            at += 1
        elif not char.isalnum() and missing < MISSING_PUNCTUATION:
            missing += 1
        else:
            return None
    return at


def annotate_links(pdf: Path, links: list[DocLink]) -> int:
    """Add a link annotation over each of ``links`` found in ``pdf`` (rewritten in
    place); the number of links made clickable."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not links:
        return 0
    document = pdfium.PdfDocument(str(pdf))
    try:
        text, boxes = _page_chars(document)
        placed: list[tuple[tuple[int, float, float, float, float], str, str]] = []
        cursor = found = 0
        for link in links:
            span = locate(text, "".join(link.text.split()), cursor)
            if span is None:
                continue  # left as dead text: the PDF still reads the same
            at, cursor = span
            found += 1
            for rect in _line_rects(boxes[at:cursor]):
                placed.append((rect, quote(link.url, safe=_URI_SAFE), " ".join(link.text.split())))
        for (number, left, bottom, right, top), uri, shown in placed:
            page = document[number]
            annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_LINK)
            try:
                pad = (top - bottom) * 0.1
                raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(left, top + pad, right, bottom - pad))
                raw.FPDFAnnot_SetBorder(annot, 0, 0, 0)  # no box drawn around the text
                raw.FPDFAnnot_SetURI(annot, ctypes.c_char_p(uri.encode("ascii")))
                # the link's words as written: what a screen reader says for the link
                # (PDF/UA asks for it), and what the archive reads back exactly — the
                # text layer spaces Chinese from Latin with stray space characters
                words = (shown + "\0").encode("utf-16-le")
                raw.FPDFAnnot_SetStringValue(
                    annot,
                    b"Contents",
                    ctypes.cast(ctypes.c_char_p(words), ctypes.POINTER(ctypes.c_ushort)),
                )
            finally:
                raw.FPDFPage_CloseAnnot(annot)
                page.close()
        if placed:
            temporary = pdf.with_suffix(".links.pdf")
            document.save(str(temporary))
    finally:
        document.close()
    if placed:
        temporary.replace(pdf)
    return found
