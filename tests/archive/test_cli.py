"""``jianbao archive import``: a table per file and the totals; a failure sets the exit
status without stopping the other files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.support import SEEDS, needs_seeds
from jianbao.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JIANBAO_DATABASE_URL", "")
    monkeypatch.setenv("COLUMNS", "300")


def test_a_folder_is_imported_with_a_row_per_file(env, tmp_path: Path) -> None:
    needs_seeds()
    folder = tmp_path / "往期"
    folder.mkdir()
    (folder / "a.md").write_bytes((SEEDS / "weekly-report-546-2023.md").read_bytes())
    (folder / "b.docx").write_bytes(b"damaged")
    first = CliRunner().invoke(app, ["archive", "import", str(folder), "--findings"])
    assert first.exit_code == 1, first.output
    assert "已导入" in first.output and "第546期" in first.output
    assert "失败" in first.output and "b.docx" in first.output
    assert "导入 1，未变 0，冲突 0，失败 1；新增 1 期、3 条" in first.output
    # progress: not a terminal here, so a line per file as it is done
    assert "[1/2] a.md 已导入" in first.output and "[2/2] b.docx 失败" in first.output
    assert "检查提示" in first.output and "修改：" in first.output  # the checker's findings
    again = CliRunner().invoke(app, ["archive", "import", str(folder / "a.md")])
    assert again.exit_code == 0 and "未变" in again.output
    english = CliRunner().invoke(
        app, ["archive", "import", str(folder / "a.md")], env={"JIANBAO_LANGUAGE": "en"}
    )
    assert "unchanged" in english.output and "1 files" in english.output
