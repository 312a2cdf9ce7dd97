"""The alert commands on a SQLite store: a rule added and dry-run over the last 30 days,
a pass that fires, the list, acknowledgement, and a bad rule said clearly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.errors import InputError
from jianbao.testing import make_settings


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(tmp_path))
    db = Database.from_settings(make_settings(tmp_path))
    now = datetime.now(UTC)
    with db.session() as session:
        for i, (title, days) in enumerate(
            [("某医院患者信息泄露", 0), ("某卫健委官网遭勒索病毒", 10), ("某医院信息泄露旧闻", 45)]
        ):
            session.add(
                Article(
                    url=f"https://n.example/{i}",
                    canonical_url=f"https://n.example/{i}",
                    content_hash=f"{i:064d}",
                    title=title,
                    body=title,
                    source_name="东川晚报",
                    published_at=now - timedelta(days=days),
                    extracted_at=now - timedelta(days=days),
                )
            )
    return db


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_rule_dry_run_check_list_and_ack(store: Database) -> None:
    expression = "(医院 OR 卫健委) AND (泄露 OR 勒索)"
    out = run(
        "alerts",
        "rule-add",
        "泄露勒索",
        "--kind",
        "keyword",
        "--level",
        "橙",
        "--expression",
        expression,
    )
    assert "泄露勒索" in out
    assert "泄露勒索" in run("alerts", "rules") and "风险事件" in run("alerts", "rules")
    out = run("alerts", "dry-run", "--kind", "keyword", "--expression", expression)
    assert "会触发 2 次" in out and "旧闻" not in out
    run("alerts", "check")
    listed = run("alerts", "list")
    assert "某医院患者信息泄露" in listed and "橙" in listed
    run("alerts", "ack", "1", "--note", "已核实")
    assert "已确认" in run("alerts", "list", "--state", "acknowledged")


def test_a_bad_rule_is_refused_with_the_fix(store: Database) -> None:
    result = CliRunner().invoke(
        app, ["alerts", "rule-add", "坏规则", "--kind", "keyword", "--expression", "(医院 AND"]
    )
    assert isinstance(result.exception, InputError)
    result = CliRunner().invoke(
        app, ["alerts", "rule-add", "紫", "--level", "紫", "--expression", "医院"]
    )
    assert isinstance(result.exception, InputError) and "级别" in str(result.exception)
