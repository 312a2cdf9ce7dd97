"""The FORMATS registry and render(): every format writes a file that reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from jianbao.errors import RenderError
from jianbao.records import IssueView
from jianbao.render import (
    FORMATS,
    DocxStyle,
    RenderOptions,
    available_formats,
    get_renderer,
    render,
    render_many,
)


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"pdf"}))  # pdf: see test_pdf.py
def test_every_format_writes_a_file(fmt: str, weekly: IssueView, tmp_path: Path) -> None:
    path = render(weekly, fmt, tmp_path / "out")
    assert path.exists() and path.stat().st_size > 0
    assert path.name.startswith("weekly-2023-10-20-546")
    if path.suffix == ".docx":
        assert Document(str(path)).paragraphs[0].text == weekly.publication_title
    elif path.suffix == ".jsonl":  # one robot request body a line (test_chat_files.py)
        bodies = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert bodies and all(isinstance(body, dict) for body in bodies)
        assert weekly.items[0].title in path.read_text(encoding="utf-8")
    else:
        assert weekly.items[0].title in path.read_text(encoding="utf-8")


def test_available_formats_name_pdf_only_with_libreoffice() -> None:
    import shutil

    has_soffice = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    assert ("pdf" in available_formats()) == has_soffice
    assert set(available_formats()) - {"pdf"} == set(FORMATS) - {"pdf"}


def test_aliases_and_unknown_format(weekly: IssueView, tmp_path: Path) -> None:
    assert get_renderer("Markdown").name == "md"
    assert get_renderer(".docx").name == "docx"
    with pytest.raises(RenderError) as err:
        render(weekly, "pptx", tmp_path)
    assert "pptx" in str(err.value)
    assert "docx" in str(err.value)  # names the formats that exist


def test_daily_file_names(daily: IssueView, tmp_path: Path) -> None:
    assert render(daily, "txt", tmp_path).name == "daily-2020-07-16.txt"
    assert render(daily, "wecom", tmp_path).name == "daily-2020-07-16.wecom.jsonl"


def test_render_many_and_options(weekly: IssueView, tmp_path: Path) -> None:
    options = RenderOptions(docx_style=DocxStyle(body_font="仿宋", body_size=12))
    paths = render_many(weekly, ["md", "word", "docx", "html"], tmp_path, options)
    assert [p.suffix for p in paths] == [".md", ".docx", ".html"]
    doc = Document(str(paths[1]))
    normal = doc.styles["Normal"]
    assert normal.font.size is not None and normal.font.size.pt == 12
