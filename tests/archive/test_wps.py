"""WPS Office .wps files go through LibreOffice headless, like old .doc files.

No copy of Kingsoft WPS runs here, so no real .wps written by WPS Office could be made
(LibreOffice reads the format but cannot write it). What is tested instead:
- a Word 97 file (made by LibreOffice from a seed) named .wps imports the same as the
  seed's .docx: LibreOffice recognises the file by its content, not its name;
- the command every conversion runs — a profile of its own under a fresh folder,
  headless, to .docx — and its timeout, with a stand-in ``soffice`` script (a real
  process, set through $JIANBAO_SOFFICE as a user would);
- what the user is told when LibreOffice fails, times out, reads only garbage or is
  not installed.
"""

from __future__ import annotations

import random
import stat
from pathlib import Path

import pytest

from archive.support import SEEDS, needs_seeds, needs_soffice
from archive.test_office import seed_docx, to_doc
from jianbao.archive import readers
from jianbao.archive.parse import parse_issues
from jianbao.archive.readers import read_document
from jianbao.errors import InputError


def fake_soffice(folder: Path, body: str) -> Path:
    """An executable ``soffice`` that appends its arguments to args.log, then ``body``."""
    script = folder / "soffice"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{folder}/args.log"\necho --- >> "{folder}/args.log"\n'
        + body
        + "\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_each_wps_conversion_has_its_own_profile_and_a_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake_soffice(tmp_path, "exec sleep 10")))
    monkeypatch.setattr(readers, "CONVERT_TIMEOUT", 0.5)
    wps = tmp_path / "第546期 (定稿).wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    for _ in range(2):
        with pytest.raises(InputError) as err:
            read_document(wps)
        assert "LibreOffice 转换超时（0.5 秒）" in err.value.message
        assert err.value.item == str(wps) and "另存为 .docx" in (err.value.hint or "")
    runs = [run.splitlines() for run in (tmp_path / "args.log").read_text().split("---\n")[:-1]]
    assert len(runs) == 2
    profiles = []
    for args in runs:
        assert args[1:5] == ["--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML"]
        profile = args[0].removeprefix("-env:UserInstallation=file://")
        assert Path(profile).name == "profile" and Path(profile).parent.name.startswith(
            "jianbao-import-"
        )
        assert args[-1].endswith("/source.wps")  # a name LibreOffice cannot misread
        profiles.append(profile)
    assert profiles[0] != profiles[1]
    assert not Path(profiles[0]).parent.exists()  # the conversion's folder is removed


def test_a_failed_conversion_says_why_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2\nexit 1')
    monkeypatch.setenv("JIANBAO_SOFFICE", str(script))
    wps = tmp_path / "a.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as err:
        read_document(wps)
    assert err.value.message == (
        "LibreOffice 无法读取此文件（退出码 1）Error: source file could not be loaded"
    )
    assert "WPS 或 Word 打开后另存为 .docx" in (err.value.hint or "")


def test_without_libreoffice_a_wps_is_refused_with_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JIANBAO_SOFFICE", raising=False)
    wps = tmp_path / "a.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as err:
        read_document(wps)
    assert err.value.message == "未安装 LibreOffice，无法导入 .wps 文件"
    assert "apt-get install libreoffice-writer-nogui" in (err.value.hint or "")


def test_a_damaged_wps_read_by_libreoffice_as_garbage_is_refused(tmp_path: Path) -> None:
    needs_soffice()
    wps = tmp_path / "损坏.wps"
    wps.write_bytes(random.Random(16).randbytes(3000))  # LibreOffice takes it for text
    with pytest.raises(InputError) as err:
        read_document(wps)
    assert "只读出乱码" in err.value.message


def test_a_file_libreoffice_cannot_load_is_named_with_its_reason(tmp_path: Path) -> None:
    needs_soffice()
    wps = tmp_path / "空的.wps"
    wps.write_bytes(bytes(range(256)) * 12)
    with pytest.raises(InputError) as err:
        read_document(wps)
    assert err.value.message == "LibreOffice 无法读取此文件：Error: source file could not be loaded"


@pytest.mark.slow
def test_a_word97_file_named_wps_imports_the_same_as_the_seed_docx(tmp_path: Path) -> None:
    needs_soffice()
    needs_seeds()
    docx = seed_docx(SEEDS / "weekly-report-546-2023.md", tmp_path / "第546期.docx")
    wps = to_doc(docx, tmp_path).rename(tmp_path / "第546期.wps")
    assert parse_issues(read_document(wps))[0] == parse_issues(read_document(docx))[0]
