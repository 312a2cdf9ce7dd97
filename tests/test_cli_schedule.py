"""``jianbao schedule`` and ``jianbao roster``: driven with explicit dates, never today."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.errors import InputError, NotFound


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JIANBAO_DATABASE_URL", "")
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str) -> BaseException:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 0 and result.exception is not None
    return result.exception


def lines_with(output: str, *words: str) -> list[str]:
    return [line for line in output.splitlines() if all(w in line for w in words)]


def test_schedule_says_what_runs_and_why_not(env: Path) -> None:
    out = run("schedule", "--at", "2026-02-14T00:00", "--days", "4")
    assert "采集每 30 分钟" in out
    assert lines_with(out, "2026-02-14 07:00", "每日学习播报", "是", "调休上班")
    assert lines_with(out, "2026-02-14 08:00", "发送", "待编辑发布")
    assert lines_with(out, "2026-02-17 07:00", "每日学习播报", "否", "春节假期")
    assert not lines_with(out, "采集", "00:30")  # collection summarised, not listed
    every = run("schedule", "--at", "2026-02-14T00:00", "--days", "1", "--all")
    assert len(lines_with(every, "2026-02-14", "采集")) == 48


def test_schedule_names_the_duty_editor_and_the_draft_waiting(env: Path) -> None:
    roster = env / "roster.csv"
    roster.write_text("姓名,邮箱\n张三,zhang@example.cn\n李四,\n", encoding="utf-8")
    run("roster", "import", str(roster), "--unit", "week", "--start", "2026-03-09")
    run("issue", "new", "--kind", "daily", "--date", "2026-03-13", "--fill", "0")
    out = run("schedule", "--at", "2026-03-13", "--days", "1")
    assert lines_with(out, "2026-03-13 07:00", "每日学习播报", "值班：张三")
    assert lines_with(out, "2026-03-13 08:00", "每日学习播报", "待编辑发布（草稿 1）")
    assert lines_with(out, "2026-03-13 08:00", "周报", "草稿尚未生成")


def test_schedule_is_loud_beyond_the_holiday_data(env: Path) -> None:
    out = run("schedule", "--at", "2027-01-01", "--days", "1")
    assert "节假日数据只到 2026 年" in out
    assert lines_with(out, "2027-01-01 07:00", "数据外：2027 年")


def test_schedule_refuses_a_bad_moment(env: Path) -> None:
    error = fails("schedule", "--at", "明天早上")
    assert isinstance(error, InputError) and "YYYY-MM-DD" in (error.hint or "")


def test_the_roster_commands(env: Path) -> None:
    path = env / "roster.toml"
    path.write_text(
        '[rotation]\nunit = "week"\nstart = 2026-12-07\n\n'
        '[[people]]\nname = "张三"\n\n[[people]]\nname = "李四"\n\n[[people]]\nname = "王五"\n',
        encoding="utf-8",
    )
    assert "3 人" in run("roster", "import", str(path))
    shown = run("roster", "show", "--from", "2026-12-07", "--to", "2026-12-20")
    assert lines_with(shown, "2026-12-07", "张三", "轮值")
    assert lines_with(shown, "2026-12-19", "周末", "李四")
    swapped = run("roster", "swap", "张三", "王五", "--week", "2026-12-09")
    assert "2026-12-07" in swapped and "2026-12-21" in swapped
    run("roster", "leave", "李四", "--from", "2026-12-15", "--to", "2026-12-15")
    shown = run("roster", "show", "--from", "2026-12-07", "--to", "2026-12-21")
    assert lines_with(shown, "2026-12-07", "王五", "调换")
    assert lines_with(shown, "2026-12-15", "王五", "代李四值班")
    assert lines_with(shown, "2026-12-21", "张三", "调换")


def test_roster_errors_name_the_line_and_the_fix(env: Path) -> None:
    bad = env / "bad.csv"
    bad.write_text("name,email\n张三,zhang@example.cn\n李四,不是邮箱\n", encoding="utf-8")
    error = fails("roster", "import", str(bad), "--unit", "week", "--start", "2026-12-07")
    assert isinstance(error, InputError) and error.item == f"{bad} 第 3 行"
    good = env / "good.csv"
    good.write_text("name\n张三\n", encoding="utf-8")
    error = fails("roster", "import", str(good))
    assert isinstance(error, InputError) and "--unit week --start" in (error.hint or "")
    run("roster", "import", str(good), "--unit", "week", "--start", "2026-12-07")
    error = fails("roster", "swap", "张三", "李四", "--week", "2026-12-07")
    assert isinstance(error, NotFound) and error.item == "李四"
    error = fails("roster", "swap", "张三", "李四")
    assert isinstance(error, InputError) and "--week" in error.message


def test_issue_new_warns_of_a_daily_on_a_day_off(env: Path) -> None:
    result = CliRunner().invoke(
        app, ["issue", "new", "--kind", "daily", "--date", "2026-02-17", "--fill", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "春节假期，不是工作日" in result.stderr
    worked = CliRunner().invoke(
        app, ["issue", "new", "--kind", "daily", "--date", "2026-02-14", "--fill", "0"]
    )
    assert worked.exit_code == 0 and "注意" not in worked.stderr
    beyond = CliRunner().invoke(
        app, ["issue", "new", "--kind", "daily", "--date", "2027-01-01", "--fill", "0"]
    )
    assert beyond.exit_code == 0 and "数据外：2027 年" in beyond.stderr
    weekly = CliRunner().invoke(
        app, ["issue", "new", "--kind", "weekly", "--date", "2026-02-17", "--fill", "0"]
    )
    assert weekly.exit_code == 0 and "注意" not in weekly.stderr
