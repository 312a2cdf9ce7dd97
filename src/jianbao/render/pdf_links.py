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

The 目录's entries are links too: each jumps to its item's heading in 具体内容 (the
bookmark the .docx entry points to). The entry is found in the text as an external link
is, its heading after the last entry, and the link goes to the heading's page with the
heading at the top of the window. pdfium has no call that gives a link annotation a
destination, so the entries are first written as links with a placeholder address, and
then replaced, in an incremental update appended to the file (the PDF's own way of
changing objects), by the same annotations with a ``/Dest`` to the heading's page —
pdfminer (which pdfplumber brings) reads the page and annotation object numbers for it.
"""

from __future__ import annotations

import ctypes
import logging
import re
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
#: the placeholder address of a 目录 entry until its destination is written
_JUMP = "jianbao-goto:"

log = logging.getLogger("jianbao.render")


@dataclass(frozen=True, slots=True)
class DocLink:
    """A hyperlink of the Word document: its text and where it goes — an address
    (``url``), or a bookmark of the document (``anchor``, like a 目录 entry's) whose
    paragraph says ``target`` (the item's heading)."""

    text: str
    url: str
    anchor: str = ""
    target: str = ""


def docx_links(docx: Path) -> list[DocLink]:
    """The hyperlinks of the document body, in order: external ones, and those to a
    bookmark of the document (the 目录's) with the bookmarked paragraph's text."""
    with zipfile.ZipFile(docx) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml"))
        rels = ElementTree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_REL}Relationship")
        if rel.get("TargetMode") == "External"
    }
    marked = {
        start.get(f"{_W}name", ""): "".join(t.text or "" for t in paragraph.iter(f"{_W}t"))
        for paragraph in body.iter(f"{_W}p")
        for start in paragraph.iter(f"{_W}bookmarkStart")
    }
    links = []
    for element in body.iter(f"{_W}hyperlink"):
        text = "".join(t.text or "" for t in element.iter(f"{_W}t"))
        if not text.strip():
            continue
        url = targets.get(element.get(f"{_R}id"))
        anchor = element.get(f"{_W}anchor") or ""
        if url:
            links.append(DocLink(text, url))
        elif anchor and marked.get(anchor, "").strip():
            links.append(DocLink(text, "", anchor=anchor, target=marked[anchor]))
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


def _squashed(text: str) -> str:
    return "".join(text.split())


def annotate_links(pdf: Path, links: list[DocLink]) -> int:
    """Add a link annotation over each of ``links`` found in ``pdf`` (rewritten in
    place): an address, or a jump to the heading a 目录 entry names; the number of links
    made clickable."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not links:
        return 0
    document = pdfium.PdfDocument(str(pdf))
    #: a 目录 entry's placeholder number → (page index, top) of its heading
    jumps: dict[int, tuple[int, float]] = {}
    try:
        text, boxes = _page_chars(document)
        placed: list[tuple[tuple[int, float, float, float, float], str, str]] = []
        cursor = found = 0
        for link in (link for link in links if link.url):
            span = locate(text, _squashed(link.text), cursor)
            if span is None:
                continue  # left as dead text: the PDF still reads the same
            at, cursor = span
            found += 1
            for rect in _line_rects(boxes[at:cursor]):
                placed.append((rect, quote(link.url, safe=_URI_SAFE), " ".join(link.text.split())))
        entries: list[tuple[DocLink, int, int]] = []
        cursor = 0
        for link in (link for link in links if link.anchor):
            span = locate(text, _squashed(link.text), cursor)
            if span is not None:
                entries.append((link, *span))
                cursor = span[1]
        for number, (link, start, end) in enumerate(entries):
            # the headings follow the 目录: each is sought after the previous one
            heading = locate(text, _squashed(link.target), cursor)
            if heading is None:
                continue
            cursor = heading[1]
            first = boxes[heading[0]]
            jumps[number] = (first.page, first.top + (first.top - first.bottom) * 0.5)
            found += 1
            for rect in _line_rects(boxes[start:end]):
                placed.append((rect, f"{_JUMP}{number}", " ".join(link.text.split())))
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
    if jumps:
        try:
            _point_jumps(pdf, jumps)
        except Exception as exc:  # the entries stay as they are: not clickable
            log.warning("目录链接未能指向正文（%s）：%s: %s", pdf.name, type(exc).__name__, exc)
            return found - len(jumps)
    return found


class _Ref:
    """An indirect reference to write (object ``objid``, generation 0)."""

    def __init__(self, objid: int):
        self.objid = objid


def _pdf_string(value: bytes) -> bytes:
    return b"<" + value.hex().upper().encode("ascii") + b">"


def _pdf_name(name: str) -> bytes:
    raw = name.encode("utf-8")
    return b"/" + b"".join(
        bytes([c]) if 0x21 <= c <= 0x7E and c not in b"#()<>[]{}/%" else b"#%02X" % c for c in raw
    )


def _serialise(value: object) -> bytes:
    """A PDF object as pdfminer read it, written back in PDF syntax."""
    from pdfminer.pdftypes import PDFObjRef
    from pdfminer.psparser import PSKeyword, PSLiteral

    if isinstance(value, (PDFObjRef, _Ref)):
        return b"%d 0 R" % int(value.objid)
    if isinstance(value, PSLiteral):
        return _pdf_name(str(value.name))
    if isinstance(value, PSKeyword):
        name = value.name
        return name if isinstance(name, bytes) else str(name).encode()
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, float):
        return (f"{value:.5f}".rstrip("0").rstrip(".") or "0").encode()
    if isinstance(value, bytes):
        return _pdf_string(value)
    if isinstance(value, str):
        return _pdf_string(value.encode("latin-1", "replace"))
    if isinstance(value, (list, tuple)):
        return b"[" + b" ".join(_serialise(v) for v in value) + b"]"
    if isinstance(value, dict):
        return (
            b"<<"
            + b"".join(_pdf_name(str(k)) + b" " + _serialise(v) for k, v in value.items())
            + b">>"
        )
    if value is None:
        return b"null"
    raise ValueError(f"cannot write {type(value).__name__} back")


def _page_id(value: object) -> int:
    if not isinstance(value, int):
        raise ValueError(f"a page without an object number: {value!r}")
    return value


def _point_jumps(pdf: Path, jumps: dict[int, tuple[int, float]]) -> None:
    """Give each placeholder link (``jianbao-goto:N``) a destination instead: heading
    N's page, its top at the top of the window (``/XYZ``, the left and the zoom kept) —
    new versions of the pages holding them, in an incremental update appended to
    ``pdf``."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import LIT

    objects: list[bytes] = []
    ids: list[int] = []
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        pages = [_page_id(page.pageid) for page in PDFPage.create_pages(document)]
        for page_id in pages:
            stored = resolve1(document.getobj(page_id))
            if not isinstance(stored, dict):
                continue
            annots = resolve1(stored.get("Annots")) or []
            changed = False
            written: list[object] = []
            for entry in annots:
                annot = resolve1(entry)
                action = resolve1(annot.get("A")) if isinstance(annot, dict) else None
                uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
                number = -1
                if isinstance(uri, bytes) and uri.startswith(_JUMP.encode()):
                    number = int(uri[len(_JUMP) :])
                if number not in jumps or not isinstance(annot, dict):
                    written.append(entry)
                    continue
                index, top = jumps[number]
                link = {key: value for key, value in annot.items() if key != "A"}
                link["Dest"] = [
                    _Ref(pages[index]),
                    LIT("XYZ"),
                    None,
                    round(top, 2),
                    None,
                ]
                written.append(link)
                changed = True
            if changed:
                page_dict = dict(stored)
                page_dict["Annots"] = written
                ids.append(page_id)
                objects.append(_serialise(page_dict))
    if not ids:
        return
    data = pdf.read_bytes()
    trailers = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)", data, re.DOTALL)
    if not trailers:
        raise ValueError("no classic trailer to update")
    trailer, previous = trailers[-1]
    keep = b"".join(
        found.group(0)
        for key in (rb"/Root\s*\d+\s+\d+\s+R", rb"/Info\s*\d+\s+\d+\s+R", rb"/ID\s*\[[^\]]*\]")
        if (found := re.search(key, trailer))
    )
    size = re.search(rb"/Size\s*(\d+)", trailer)
    if size is None or b"/Root" not in keep:
        raise ValueError("the trailer names no /Root or /Size")
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    table = b""
    for objid, body in zip(ids, objects, strict=True):
        table += b"%d 1\n%010d 00000 n \n" % (objid, len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (objid, body)
    start = len(out)
    out += b"xref\n" + table
    out += b"trailer\n<<%s/Size %s/Prev %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        keep,
        size.group(1),
        previous,
        start,
    )
    temporary = pdf.with_suffix(".jumps.pdf")
    temporary.write_bytes(bytes(out))
    temporary.replace(pdf)
