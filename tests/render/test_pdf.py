"""PDF through LibreOffice: the font aliases always; the conversion when soffice exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree

from jianbao.errors import NotConfigured
from jianbao.records import IssueView
from jianbao.render import render_many
from jianbao.render.docx import DocxStyle
from jianbao.render.pdf import find_soffice, fontconfig_aliases, render_pdf

HAVE_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
MM = 72 / 25.4  # PDF points in a millimetre


def test_fontconfig_aliases_map_the_document_fonts() -> None:
    xml = fontconfig_aliases(DocxStyle(body_font="方正仿宋_GBK", title_font="方正小标宋简体"))
    root = etree.fromstring(xml.encode())
    aliases = {a.findtext("family"): [f.text for f in a.find("prefer")] for a in root.iter("alias")}
    assert aliases["仿宋_GB2312"][0] == "Noto Serif CJK SC"
    assert aliases["方正仿宋_GBK"][0] == "Noto Serif CJK SC"
    assert aliases["黑体"][0] == "Noto Sans CJK SC"
    assert "方正小标宋简体" not in aliases  # a match rule, below, since it sets the weight
    assert root.find("include").text == "/etc/fonts/fonts.conf"


def _title_rule(root: etree._Element, family: str) -> etree._Element:
    for match in root.iter("match"):
        if match.findtext("test/string") == family:
            return match
    raise AssertionError(f"no rule for {family}")


def test_the_xiaobiaosong_title_falls_back_to_a_heavy_serif() -> None:
    # issue 15, item 23: 方正小标宋 fell back to a thin sans face
    root = etree.fromstring(fontconfig_aliases().encode())
    rule = _title_rule(root, "方正小标宋简体")
    edits = {e.get("name"): e for e in rule.iter("edit")}
    assert edits["family"].findtext("string") == "Noto Serif CJK SC"
    assert edits["weight"].findtext("const") == "black"
    # a configured title font joins the rule; one known as sans (黑体) stays sans
    custom = etree.fromstring(fontconfig_aliases(DocxStyle(title_font="华文中宋")).encode())
    _title_rule(custom, "华文中宋")
    sans = etree.fromstring(fontconfig_aliases(DocxStyle(title_font="黑体")).encode())
    assert all(m.findtext("test/string") != "黑体" for m in sans.iter("match"))


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is missing")
def test_fontconfig_resolves_the_title_to_the_heaviest_serif(tmp_path: Path) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text(fontconfig_aliases(), encoding="utf-8")
    env = {"FONTCONFIG_FILE": str(conf), "PATH": os.environ.get("PATH", "")}

    def match(pattern: str) -> str:
        return subprocess.run(
            ["fc-match", "-f", "%{family[0]}|%{weight}", pattern],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout

    if not match("Noto Serif CJK SC").startswith("Noto Serif CJK"):
        pytest.skip("fonts-noto-cjk is not installed")
    heaviest = match("Noto Serif CJK SC:weight=black").split("|")[1]
    family, weight = match("方正小标宋简体:lang=zh-cn").split("|")
    assert family.startswith("Noto Serif CJK")
    assert weight == heaviest
    assert int(weight) > 80  # 80 is regular: Bold (200) or Black (210) when installed
    assert match("仿宋_GB2312").split("|")[1] == "80"  # the body stays regular


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
            # one line of text and the page number is ~0.0006 at 30 dpi (keep-with-next
            # can leave an item's last paragraph alone on the last page); the number alone
            # is ~0.0001
            assert _ink(page) > 0.0003, f"{page.name} looks blank"


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


#: lines that must never end a page: they belong with the item text below them
_KEEP_WITH_NEXT = re.compile(r"^(\d+\. 标题：|来源：|日期：|链接：|主要内容：)")


@pytest.fixture(scope="module")
def long_weekly_pdf(long_weekly: tuple[IssueView, Path]) -> Path:
    """A weekly of several pages, converted by the real LibreOffice (once per session:
    render/conftest.py)."""
    return long_weekly[1]


def _body_and_footer(page: Any) -> tuple[list[str], str]:
    """The text lines inside the type area, and the footer's text below it."""
    bottom = DocxStyle().margins_mm[2]
    area_bottom = page.height - bottom * MM
    body = page.crop((0, 0, page.width, area_bottom)).extract_text()
    footer = page.crop((0, area_bottom, page.width, page.height)).extract_text()
    return [line for line in body.splitlines() if line.strip()], footer.strip()


def test_pdf_title_is_set_in_a_heavy_serif(long_weekly_pdf: Path) -> None:
    with pdfplumber.open(long_weekly_pdf) as pdf:
        chars = pdf.pages[0].chars
        title = [c for c in chars if c["top"] == chars[0]["top"]]
        assert "".join(c["text"] for c in title) == "全国卫生信息化舆情监测周报"
        fonts = {c["fontname"] for c in title}
    assert all("Serif" in f and ("Bold" in f or "Black" in f) for f in fonts), fonts


def test_pdf_page_numbers_alternate_sides_as_gbt_9704(long_weekly_pdf: Path) -> None:
    style = DocxStyle()
    _top, right, bottom, left = style.margins_mm
    one_char = style.body_size  # GB/T 9704's 一字, in points
    with pdfplumber.open(long_weekly_pdf) as pdf:
        assert len(pdf.pages) >= 3
        for number, page in enumerate(pdf.pages, start=1):
            _, footer = _body_and_footer(page)
            assert footer.replace(" ", "") == f"—{number}—"
            marks = [c for c in page.chars if c["top"] > page.height - bottom * MM]
            if number % 2:  # odd: at the right, one character in
                gap = page.width - right * MM - max(c["x1"] for c in marks)
            else:  # even: at the left, one character in
                gap = min(c["x0"] for c in marks) - left * MM
            assert abs(gap - one_char) < 2, (number, gap)
            # the 一字线 about 7 mm below the type area (GB/T 9704 §7.5)
            dash = marks[0]
            middle = (dash["top"] + dash["bottom"]) / 2
            below = (middle - (page.height - bottom * MM)) / MM
            assert 5 < below < 9, (number, below)


def test_pdf_never_ends_a_page_on_an_items_heading_or_fields(long_weekly_pdf: Path) -> None:
    with pdfplumber.open(long_weekly_pdf) as pdf:
        endings = [_body_and_footer(page)[0][-1] for page in pdf.pages[:-1]]
    assert not [line for line in endings if _KEEP_WITH_NEXT.match(line)], endings


@pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_render_many_converts_the_word_file(weekly: IssueView, tmp_path: Path) -> None:
    paths = render_many(weekly, ["pdf", "docx", "md"], tmp_path)
    assert [p.suffix for p in paths] == [".pdf", ".docx", ".md"]
    assert paths[0].read_bytes().startswith(b"%PDF")
