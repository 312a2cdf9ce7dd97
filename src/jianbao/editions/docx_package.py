"""Bounds on a .docx before python-docx opens it.

A .docx is a zip archive, and python-docx reads every part of it into memory: a 1 MB
archive of highly compressed parts (a zip bomb) cost 2.1 GB. The archive's own directory
says how large each part is once inflated, and Python's zipfile never inflates a part
beyond that size, so checking the directory bounds the memory the reader can use. The
limits are far above any report: a year of weekly reports with photos is a few MB.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from jianbao.errors import InputError

#: the largest .docx file accepted, in bytes
MAX_FILE_BYTES = 50 * 1024 * 1024
#: the most parts (files inside the archive) a .docx may have
MAX_PARTS = 2000
#: the most bytes all parts may take once inflated
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: the most bytes one XML part (the text, styles, numbering…) may take once inflated
MAX_XML_PART_BYTES = 30 * 1024 * 1024

_HINT = "这不像正常的报告文件；请用 Word 或 WPS 打开后另存为新的 .docx 再检查"


def check_docx_package(path: Path) -> None:
    """Raise InputError unless ``path`` is a zip archive within the bounds above."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"Word 文件过大：{size / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB",
            item=str(path),
            hint="压缩或删去文中的大图片后再检查",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(
            f"无法打开 Word 文件：不是有效的 .docx 压缩包（{exc}）",
            item=str(path),
            hint="确认是 .docx（不是 .doc 或 WPS 格式）；旧格式请先另存为 .docx",
        ) from exc
    if len(parts) > MAX_PARTS:
        raise InputError(
            f"Word 文件内含 {len(parts)} 个部件，超过上限 {MAX_PARTS} 个",
            item=str(path),
            hint=_HINT,
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.filename.lower().endswith((".xml", ".rels")) and (
            part.file_size > MAX_XML_PART_BYTES
        ):
            raise InputError(
                f"Word 文件的部件 {part.filename[:80]} 解压后有 "
                f"{part.file_size / 1048576:.0f} MB，超过上限 {MAX_XML_PART_BYTES // 1048576} MB",
                item=str(path),
                hint=_HINT,
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"Word 文件解压后有 {total / 1048576:.0f} MB，超过上限 "
            f"{MAX_TOTAL_BYTES // 1048576} MB（可能是压缩炸弹）",
            item=str(path),
            hint=_HINT,
        )
