"""Old Word (.doc) files through LibreOffice: a .doc made from a seed's .docx imports the
same, also when two conversions run at once (each has a profile of its own)."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document

from archive.support import SEEDS, needs_seeds, needs_soffice
from jianbao.archive.parse import parse_issues
from jianbao.archive.readers import read_document
from jianbao.editions.report_parse import markdown_lines
from jianbao.render.docx import add_hyperlink
from jianbao.render.pdf import find_soffice

_LINK = re.compile(r"\s*<(https?://[^<>]+)>")


def seed_docx(seed: Path, path: Path) -> Path:
    """The seed as an editor's Word file: a paragraph per line, links as hyperlinks."""
    document = Document()
    for line in markdown_lines(seed.read_text(encoding="utf-8")):
        paragraph = document.add_paragraph()
        at = 0
        for link in _LINK.finditer(line):
            paragraph.add_run(line[at : link.start()])
            add_hyperlink(paragraph, link.group(1), url=link.group(1))
            at = link.end()
        paragraph.add_run(line[at:])
    document.save(str(path))
    return path


def to_doc(docx: Path, out: Path) -> Path:
    profile = (out / "profile").as_uri()
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "doc:MS Word 97", "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / f"{docx.stem}.doc"


@pytest.mark.slow
def test_a_doc_made_from_a_seed_imports_the_same_as_its_docx(tmp_path: Path) -> None:
    needs_soffice()
    needs_seeds()
    docx = seed_docx(SEEDS / "weekly-report-546-2023.md", tmp_path / "第546期.docx")
    doc = to_doc(docx, tmp_path)
    from_docx, _ = parse_issues(read_document(docx))
    with ThreadPoolExecutor(2) as pool:  # two conversions at once must both succeed
        both = list(pool.map(lambda _: parse_issues(read_document(doc))[0], range(2)))
    assert both[0] == both[1] == from_docx
    (issue,) = from_docx
    assert issue.number == 546 and len(issue.items) == 3
    assert issue.items[1].url == "http://www.hsrb.com.cn/detail/169742391644407.html"
