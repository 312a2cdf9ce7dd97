"""The control characters no text of ours may hold are one set, kept below the stages:
extraction (jianbao.extract.cleanup) and the XML renderers (jianbao.render.layout) drop
the same characters, and cleanup folds the two white-space ones (\\x0b, \\x0c) to a space
first. Checked over every code point, so a character added to one place and not the
other fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import jianbao
from jianbao.control_chars import XML_REFUSED, drop_xml_refused
from jianbao.extract.cleanup import title_text, without_controls
from jianbao.render.layout import xml_text

PACKAGE = Path(jianbao.__file__).parent


def _refused_by_xml(code: int) -> bool:
    """XML 1.0's Char production, negated: #x9 | #xA | #xD | [#x20-#xD7FF] |
    [#xE000-#xFFFD] | [#x10000-#x10FFFF] are allowed."""
    return not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def test_the_set_is_what_xml_refuses_on_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))
    kept = drop_xml_refused(every)
    assert kept == "".join(ch for ch in every if not _refused_by_xml(ord(ch)))
    assert xml_text(every) == kept  # the renderers drop exactly that


def test_cleanup_drops_the_same_set_but_folds_the_white_space_ones() -> None:
    refused = [chr(c) for c in range(0x110000) if _refused_by_xml(c)]
    assert len(refused) == 2 * 1024 + 29 + 2  # surrogates, C0 but three, U+FFFE/U+FFFF
    for ch in refused:
        folded = " " if ch in "\x0b\x0c" else ""
        assert without_controls(f"甲{ch}乙") == f"甲{folded}乙", repr(ch)
        assert title_text(f"甲{ch}乙") == f"甲{folded}乙", repr(ch)
    assert without_controls("甲\t乙\n丙\r") == "甲\t乙\n丙\r"  # white space that XML holds
    assert XML_REFUSED.pattern  # one compiled pattern, imported by both


def _internal_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("jianbao")}


def test_both_stages_import_the_one_set_and_it_imports_nothing_of_ours() -> None:
    assert _internal_imports(PACKAGE / "control_chars.py") == set()
    cleanup = _internal_imports(PACKAGE / "extract" / "cleanup.py")
    assert "jianbao.control_chars" in cleanup
    assert not any(name.startswith("jianbao.render") for name in cleanup)
    assert "jianbao.control_chars" in _internal_imports(PACKAGE / "render" / "layout.py")
