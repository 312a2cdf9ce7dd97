"""PDF through LibreOffice: the font aliases always; the conversion when soffice exists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from jianbao.errors import NotConfigured
from jianbao.records import IssueView
from jianbao.render import render_many
from jianbao.render.docx import DocxStyle
from jianbao.render.pdf import find_soffice, fontconfig_aliases, render_pdf

HAVE_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def test_fontconfig_aliases_map_the_document_fonts() -> None:
    xml = fontconfig_aliases(DocxStyle(body_font="方正仿宋_GBK", title_font="方正小标宋简体"))
    root = etree.fromstring(xml.encode())
    aliases = {a.findtext("family"): [f.text for f in a.find("prefer")] for a in root.iter("alias")}
    assert aliases["仿宋_GB2312"][0] == "Noto Serif CJK SC"
    assert aliases["方正仿宋_GBK"][0] == "Noto Serif CJK SC"
    assert aliases["黑体"][0] == "Noto Sans CJK SC"
    assert aliases["方正小标宋简体"][0] == "Noto Sans CJK SC"
    assert root.find("include").text == "/etc/fonts/fonts.conf"


def test_missing_libreoffice_is_not_configured(
    weekly: IssueView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    monkeypatch.delenv("JIANBAO_SOFFICE", raising=False)
    with pytest.raises(NotConfigured) as err:
        render_pdf(weekly, tmp_path / "w.pdf")
    assert "apt-get install" in str(err.value)
    assert not (tmp_path / "w.pdf").exists()
    with pytest.raises(NotConfigured):
        find_soffice("/nonexistent/soffice")


@pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_pdf_has_the_text_and_nonblank_pages(weekly: IssueView, tmp_path: Path) -> None:
    pdf = render_pdf(weekly, tmp_path / "w.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        for needle in ("全国卫生信息化舆情监测周报", "（第五四六期）", "本期导语", "一、信息目录"):
            assert needle.replace("（", "").replace("）", "") in text.replace("（", "").replace(
                "）", ""
            ).replace(" ", "")
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, check=True, text=True
        ).stdout
        assert "CJK" in fonts  # the aliases found an installed CJK font for 仿宋 and 黑体
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "30", str(pdf), str(tmp_path / "page")], check=True
        )
        pages = sorted(tmp_path.glob("page*.pgm"))
        assert pages
        for page in pages:
            assert _ink(page) > 0.002, f"{page.name} looks blank"


def _ink(pgm: Path) -> float:
    """The share of dark pixels of a binary PGM (P5) image."""
    data = pgm.read_bytes()
    fields: list[bytes] = []
    at = 2
    while len(fields) < 3:  # width, height, maxval after the P5 magic
        while data[at : at + 1].isspace():
            at += 1
        end = at
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    pixels = data[at + 1 :]
    return sum(1 for value in pixels if value < 128) / max(1, len(pixels))


@pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_render_many_converts_the_word_file(weekly: IssueView, tmp_path: Path) -> None:
    paths = render_many(weekly, ["pdf", "docx", "md"], tmp_path)
    assert [p.suffix for p in paths] == [".pdf", ".docx", ".md"]
    assert paths[0].read_bytes().startswith(b"%PDF")
