"""The 目录 of a weekly's PDF is clickable (issue 16 review): each entry is a link whose
destination is its item's heading in 具体内容 — read back with pdfium (as a viewer
follows it) and checked against where pdfplumber finds the heading's text. The PDF is the
session's 12-item weekly (render/conftest.py's ``long_weekly``, which test_pdf.py reads
too): one LibreOffice conversion for both."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pdfplumber

from jianbao.records import IssueView


def links_with_destinations(pdf: Path) -> list[tuple[int, tuple[float, ...], int, float]]:
    """(page, rect, destination page, destination top) of every link that jumps within
    the document, as pdfium (Chromium's PDF engine) reads them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number in range(len(document)):
            page = document[number]
            at, link = ctypes.c_int(0), raw.FPDF_LINK()
            while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(at), ctypes.byref(link)):
                dest = raw.FPDFLink_GetDest(document.raw, link)
                if not dest:
                    continue
                flags = [ctypes.c_int() for _ in range(3)]
                where = [ctypes.c_float() for _ in range(3)]
                raw.FPDFDest_GetLocationInPage(
                    dest, *(ctypes.byref(v) for v in flags), *(ctypes.byref(v) for v in where)
                )
                rect = raw.FS_RECTF()
                raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect))
                assert flags[1].value, "the destination names no height"
                found.append(
                    (
                        number,
                        (rect.left, rect.bottom, rect.right, rect.top),
                        raw.FPDFDest_GetDestPageIndex(document.raw, dest),
                        where[1].value,
                    )
                )
            page.close()
    finally:
        document.close()
    return found


def test_each_toc_entry_jumps_to_its_items_heading(long_weekly: tuple[IssueView, Path]) -> None:
    view, pdf = long_weekly
    items = len(view.items)
    assert items == 12
    jumps = links_with_destinations(pdf)
    reached: dict[int, int] = {}
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        for page_no, (left, bottom, right, top), target, y in jumps:
            source = pages[page_no]
            under = source.crop((left, source.height - top, right, source.height - bottom))
            entry = re.match(r"(\d+)\.", "".join((under.extract_text() or "").split()))
            if entry is None:
                continue  # a later line of a wrapped entry
            position = int(entry.group(1))
            # the heading is at the top of the window the link opens
            landing = pages[target]
            window = landing.crop(
                (0, max(0, landing.height - y), landing.width, landing.height - y + 30)
            )
            first_line = "".join((window.extract_text() or "").split("\n")[0].split())
            assert first_line.startswith(f"{position}.标题："), (position, first_line)
            reached[position] = target
        # the 目录 is on the first page or two; the headings after it, in order
        assert sorted(reached) == list(range(1, items + 1))
        assert [reached[n] for n in sorted(reached)] == sorted(reached.values())
        assert reached[items] > reached[1] >= 1
        # the external links are still there, as before
        uris = {link["uri"] for page in pages for link in page.hyperlinks if link.get("uri")}
        assert uris == {item.url for item in view.items}
