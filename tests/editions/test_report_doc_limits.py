"""Regression tests for issue 14, item 9: ``issue check FILE`` on hostile .docx files.

A .docx without a body raised AttributeError; a 1 MB zip bomb cost 2.1 GB. The archive's
directory is now checked (part count, inflated sizes) before python-docx opens it, and a
missing body is a clear error. Each bomb is a real zip archive, read by real python-docx.
"""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest
from docx import Document

from jianbao.editions.docx_package import MAX_PARTS, MAX_XML_PART_BYTES, check_docx_package
from jianbao.editions.report_parse import read_lines
from jianbao.errors import InputError
from jianbao.testing import ChildRaised, within_seconds

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARAGRAPH = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"


def _report(path: Path) -> Path:
    document = Document()
    document.add_paragraph("卫生健康信息周报")
    document.add_paragraph("2024年3月1日")
    document.save(str(path))
    return path


def _rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """``source`` with the parts named in ``replace`` swapped for the bytes given."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for part in old.infolist():
            new.writestr(part.filename, replace.get(part.filename, old.read(part.filename)))
    return target


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid-looking report whose text part inflates to 40 MB of paragraphs
    from well under 1 MB on disk: python-docx built a tree of 1.2 million paragraphs."""
    folder = tmp_path_factory.mktemp("bomb")
    plain = _report(folder / "plain.docx")
    target = folder / "bomb.docx"
    count = (40 * 1024 * 1024) // len(_PARAGRAPH)
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for part in old.infolist():
            if part.filename != "word/document.xml":
                new.writestr(part.filename, old.read(part.filename))
                continue
            with new.open(part.filename, "w") as stream:
                stream.write(f'<w:document xmlns:w="{_W}"><w:body>'.encode())
                block = _PARAGRAPH * 32768
                for _ in range(count // 32768):
                    stream.write(block)
                stream.write(b"</w:body></w:document>")
    assert target.stat().st_size < 1024 * 1024
    return target


def test_a_zip_bomb_is_refused_before_it_is_inflated(bomb: Path) -> None:
    with pytest.raises(ChildRaised) as caught:
        within_seconds(5.0, read_lines, bomb)
    assert caught.value.kind == "InputError"
    assert "Word 文件的部件 word/document.xml 解压后有 39 MB" in caught.value.message
    assert f"超过上限 {MAX_XML_PART_BYTES // 1048576} MB" in caught.value.message
    assert caught.value.elapsed < 2.0


def test_the_bomb_check_reads_only_the_directory(bomb: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError) as caught:
        check_docx_package(bomb)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024
    assert caught.value.item == str(bomb)
    assert "另存为" in (caught.value.hint or "")


def test_parts_inflating_beyond_the_total_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "media.docx"
    with (
        zipfile.ZipFile(_report(tmp_path / "plain.docx")) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for part in old.infolist():
            new.writestr(part.filename, old.read(part.filename))
        image = bytes(9 * 1024 * 1024)
        for index in range(23):  # 207 MB of pictures, beside the template's own parts
            new.writestr(f"word/media/image{index}.png", image)
    with pytest.raises(InputError, match=r"解压后有 208 MB，超过上限 200 MB（可能是压缩炸弹）"):
        read_lines(target)


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    target = _report(tmp_path / "parts.docx")
    with zipfile.ZipFile(target, "a") as new:
        for index in range(MAX_PARTS):
            new.writestr(f"customXml/extra{index}.xml", b"")
    with pytest.raises(InputError, match=f"超过上限 {MAX_PARTS} 个"):
        read_lines(target)


def test_a_document_without_a_body_is_a_clear_error(tmp_path: Path) -> None:
    """It raised AttributeError ('NoneType' object has no attribute 'p_lst')."""
    empty = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"></w:document>'.encode()
    target = _rewrite(
        _report(tmp_path / "plain.docx"), tmp_path / "nobody.docx", {"word/document.xml": empty}
    )
    with pytest.raises(InputError, match="Word 文件没有正文") as caught:
        read_lines(target)
    assert caught.value.item == str(target)


def test_a_file_that_is_no_zip_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"不是有效的 \.docx 压缩包"):
        read_lines(target)


def test_an_ordinary_report_is_still_read(tmp_path: Path) -> None:
    assert read_lines(_report(tmp_path / "plain.docx")) == ["卫生健康信息周报", "2024年3月1日"]
